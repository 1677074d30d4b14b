"""Congresses, elections and committee seats of the demo city (DOMAIN §2, §4).

The plan is made in memory from the simulated lives, before any decision is numbered, and
written afterwards through the congress services (which check every election rule):

* cells: the committee of the term 2017–2020 as a historical record, congresses opening the
  terms «2020–2022» (spring 2020) and «2022–2025» (spring 2022) — twice per five-year term —
  and, for the cells alive after the reorganization of 1/7/2025, one congress for
  «2025–2030» (August–September 2025, under 294-QĐ/TW); cells merged on 1/7/2025 get a
  secretary and deputy appointed by the new ward;
* old wards: the committee of 2015–2020 as a historical record and a delegate congress for
  «2020–2025» (mid-2020, after their cells' congresses), approved by the district;
* new wards: a committee appointed by the city on 1/7/2025 from the merged wards'
  committees (term «2020–2025») and a delegate congress for «2025–2030» (September 2025),
  approved by the city.

A cell with at least 9 full members elects a committee (3 or 5 seats, up to 7 from 2025)
and the committee elects the secretary and deputy; a smaller cell elects its secretary
(and a deputy from 5 full members). A ward congress elects the committee, which elects the
standing committee, the secretary and the deputies. Candidates are full members of the
organization on the day (not exempt, not attending elsewhere) who stay until the results are
approved; most incumbents stand again, a few candidates lose, a few elections need a second
round and the odd one is stopped. Seats start on the approval (chuẩn y) a few weeks later
and the previous term's seats end that day; a holder who leaves the organization loses the
seat that day, and a departed secretary is replaced by appointment.

Every draw comes from the caller's ``random.Random`` in a fixed order.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.congresses import elections as rules
from dangbo.congresses.models import CongressKind, ElectionWhat, Position
from dangbo.membership.models import DisciplineForm, EventKind, MemberStatus
from dangbo.vn_format import sort_key_name

CELL_TERM_2017 = date(2017, 6, 1)
WARD_TERM_2015 = date(2015, 7, 1)
FAR = date(9000, 1, 1)

P = Position
W = ElectionWhat
#: Rank of committee positions (lower is higher); the highest won at one congress is the seat.
RANK = {P.SECRETARY: 0, P.STANDING_DEPUTY: 1, P.DEPUTY: 2, P.STANDING: 3, P.COMMITTEE: 4}
WHAT_POSITION = {
    W.COMMITTEE: P.COMMITTEE,
    W.STANDING: P.STANDING,
    W.SECRETARY: P.SECRETARY,
    W.DEPUTY: P.DEPUTY,
}


# --------------------------------------------------------------------------- who is where


class Roster:
    """Who sits in which cell on a day, read from the simulated lives."""

    def __init__(self, lives) -> None:
        self.by_cell: dict[int, list[tuple]] = defaultdict(
            list
        )  # cell → (from, to, life, status, exempt)
        self.spells: dict[int, list[tuple]] = {}
        self.away: dict[int, list[tuple[date, date]]] = {}
        self.discipline: dict[int, list[tuple[date, str]]] = {}
        for life in lives:
            spells = sorted(
                (s, e or FAR, cell, status, exempt) for s, e, cell, status, exempt in life.spells
            )
            self.spells[life.key] = spells
            for s, e, cell, status, exempt in spells:
                self.by_cell[cell].append((s, e, life, status, exempt))
            away, out = [], None
            for p in sorted(life.events, key=lambda p: p.data.effective_on):
                if p.data.kind == EventKind.TEMPORARY_OUT:
                    out = p.data.effective_on
                elif p.data.kind == EventKind.TEMPORARY_BACK and out is not None:
                    away.append((out, p.data.effective_on))
                    out = None
            if out is not None:
                away.append((out, FAR))
            self.away[life.key] = away
            self.discipline[life.key] = [
                (p.data.effective_on, p.data.form)
                for p in life.events
                if p.data.kind == EventKind.DISCIPLINE
            ]

    def members(self, cells, on: date) -> list[tuple]:
        """(life, status, exempt) of everyone on the rolls of `cells` on `on`, by life."""
        out = [
            (life, status, exempt)
            for c in cells
            for s, e, life, status, exempt in self.by_cell[c]
            if s <= on < e
        ]
        return sorted(out, key=lambda t: t[0].key)

    def is_away(self, life, on: date) -> bool:
        return any(s <= on < e for s, e in self.away[life.key])

    def stays(self, life, cells, on: date) -> date:
        """The first day from `on` on which `life` is no longer a full, working member of `cells`
        (or is removed from office by discipline)."""
        cur = on
        for s, e, cell, status, exempt in self.spells.get(life.key, ()):
            if e <= cur:
                continue
            if s > cur or cell not in cells or status != MemberStatus.OFFICIAL or exempt:
                break
            cur = e
        dismissed = [
            d
            for d, form in self.discipline[life.key]
            if d >= on and form == DisciplineForm.DISMISSAL
        ]
        return min([cur, *dismissed])

    def eligible(self, life, cells, on: date, until: date, *, max_age: int = 72) -> bool:
        """A full member of `cells` on `on` who may stand: working, present, of age, not
        disciplined in the last two years, and still there on `until`."""
        age = on.year - life.birth.year
        if age > max_age or self.is_away(life, on):
            return False
        if any(on - timedelta(days=730) <= d <= on for d, _ in self.discipline[life.key]):
            return False
        return self.stays(life, cells, on) > until


# --------------------------------------------------------------------------- the plan


@dataclass
class TermOp:
    label: str
    on: date


@dataclass
class AppointOp:
    life: object
    position: str
    on: date
    decision: object = None


@dataclass
class EndOp:
    life: object
    position: str
    on: date
    decision: object = None


@dataclass
class RoundPlan:
    issued: int
    cast: int
    valid: int
    invalid: int
    votes: dict  # life key → votes
    elected: tuple


@dataclass
class ElectionPlan:
    what: str
    seats: int
    candidates: list  # lives
    body: tuple[int, int] | None = None  # (summoned, present) when the new committee elects
    rounds: list[RoundPlan] = field(default_factory=list)
    stop: bool = False
    appoint: tuple | None = None  # (life, decision, on)

    @property
    def elected(self) -> list:
        keys = [k for r in self.rounds for k in r.elected]
        by_key = {c.key: c for c in self.candidates}
        return [by_key[k] for k in keys]


@dataclass
class CongressOp:
    kind: str
    label: str
    starts_on: date
    ends_on: date
    summoned: int
    present: int
    temporarily_elsewhere: int = 0
    absent_exempt: int = 0
    absent_approved: int = 0
    absent_delegates_no_substitute: int = 0
    number: int | None = None
    documents: list = field(default_factory=list)
    elections: list[ElectionPlan] = field(default_factory=list)
    approve_on: date | None = None
    approval: object = None

    @property
    def base(self) -> int:
        if self.kind == CongressKind.DELEGATE:
            return self.summoned - self.absent_delegates_no_substitute
        return (
            self.summoned - self.temporarily_elsewhere - self.absent_exempt - self.absent_approved
        )


@dataclass
class Seat:
    life: object
    position: str
    start: date


@dataclass
class OrgPlan:
    """One organization's committee history: the operations to write, in order."""

    kind: str  # "cell" | "ward"
    ref: int  # cell id or ward index
    ops: list = field(default_factory=list)
    open: list[Seat] = field(default_factory=list)

    def appoint(self, life, position: str, on: date, decision) -> None:
        self.ops.append(AppointOp(life, position, on, decision))
        self.open.append(Seat(life, position, on))

    def end(self, seat: Seat, on: date, decision=None) -> None:
        self.ops.append(EndOp(seat.life, seat.position, on, decision))
        self.open.remove(seat)

    def end_all(self, on: date, decision=None) -> None:
        for seat in sorted(self.open, key=lambda s: (RANK[s.position], s.life.key)):
            self.end(seat, on, decision)

    def holders(self, *positions) -> list:
        return [
            s.life
            for s in sorted(self.open, key=lambda s: (RANK[s.position], s.start, s.life.key))
            if s.position in positions
        ]


# --------------------------------------------------------------------------- ballots


def _fit(votes: dict, cap: int, protect: set) -> None:
    """Lower votes until they total at most `cap` (others first, then the protected)."""
    excess = sum(votes.values()) - cap
    for group in ([k for k in votes if k not in protect], [k for k in votes if k in protect]):
        for k in sorted(group, key=lambda k: votes[k]):
            if excess <= 0:
                return
            cut = min(excess, votes[k])
            votes[k] -= cut
            excess -= cut


class Ballots:
    """Counts plausible ballot rounds and works out who wins with the election rules."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def papers(self, present: int) -> tuple[int, int, int, int]:
        rng = self.rng
        issued = present - (1 if present > 20 and rng.random() < 0.15 else 0)
        cast = issued
        invalid = (
            rng.choice((0, 0, 0, 1, 2))
            if cast > 30
            else (1 if cast > 8 and rng.random() < 0.05 else 0)
        )
        return issued, cast, cast - invalid, invalid

    def run(
        self,
        e: ElectionPlan,
        *,
        base: int,
        present: int,
        winners: list,
        dip: bool = False,
        fail: bool = False,
        appoint=None,
    ) -> ElectionPlan:
        """Hold the rounds of `e`: `winners` are the candidates meant to win round 1; `dip`
        makes one of them fall short (a further round, or the congress stops). A cell
        secretary's election (`appoint` given) is never stopped: after three rounds without
        a winner (`fail`) the higher committee appoints, ``appoint(e)`` → (life, decision, on)."""
        cell_secretary = appoint is not None
        rng = self.rng
        needed = rules.votes_needed(base)
        elected: list[int] = []
        pool = list(e.candidates)
        strong = {c.key for c in winners}
        number = 0
        while len(elected) < e.seats:
            number += 1
            seats_open = e.seats - len(elected)
            if number > 1:
                if cell_secretary and number > 3:
                    person, decision, on = appoint(e)
                    e.appoint = (person, decision, on)
                    break
                if not cell_secretary and (
                    number > 3 or (e.what == W.COMMITTEE and rng.random() < 0.3)
                ):
                    e.stop = True
                    break
                last = e.rounds[-1].votes
                pool = sorted(
                    (c for c in e.candidates if c.key not in elected and c.key in last),
                    key=lambda c: (-last[c.key], c.key),
                )[: seats_open + 1]
                strong = {c.key for c in pool[:seats_open]}
            issued, cast, valid, invalid = self.papers(present)
            votes = {}
            for c in pool:
                if c.key in strong:
                    n = max(
                        round(rng.uniform(0.7, 0.99) * valid),
                        min(valid, needed + rng.randint(0, 2)),
                    )
                else:
                    n = round(rng.uniform(0.2, 0.55) * valid)
                votes[c.key] = min(n, valid)
            if fail:
                for k in votes:
                    votes[k] = min(votes[k], max(0, needed - 1 - rng.randint(0, 2)))
            elif number == 1 and dip and strong:
                k = rng.choice(sorted(strong))
                votes[k] = max(0, needed - 1 - rng.randint(0, 2))
            _fit(votes, valid * seats_open, strong)
            outcome = rules.round_outcome(votes, seats_open=seats_open, needed=needed)
            e.rounds.append(RoundPlan(issued, cast, valid, invalid, votes, tuple(outcome.elected)))
            elected.extend(outcome.elected)
        return e


# --------------------------------------------------------------------------- the planner


CELL_DOCS = (
    "Báo cáo chính trị của Chi bộ trình Đại hội nhiệm kỳ {label}",
    "Báo cáo kiểm điểm sự lãnh đạo, chỉ đạo của {leaders} nhiệm kỳ {previous}",
    "Nghị quyết Đại hội Chi bộ nhiệm kỳ {label}",
)
WARD_DOCS = (
    "Báo cáo chính trị của Ban Chấp hành Đảng bộ phường trình Đại hội nhiệm kỳ {label}",
    "Báo cáo kiểm điểm của Ban Chấp hành Đảng bộ phường nhiệm kỳ {previous}",
    "Báo cáo tổng hợp ý kiến góp ý vào dự thảo văn kiện Đại hội Đảng bộ cấp trên",
    "Nghị quyết Đại hội Đảng bộ phường nhiệm kỳ {label}",
)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


class CongressPlanner:
    """Plans every committee, congress and election of the demo (see the module docstring)."""

    def __init__(
        self,
        h,
        rng: random.Random,
        *,
        found_decisions: dict,
        cell_decisions: dict,
        reorg_on: date,
        today: date,
    ) -> None:
        self.h = h
        self.tree = h.tree
        self.rng = rng
        self.ballots = Ballots(rng)
        self.roster = Roster(h.lives)
        self.found_decisions = found_decisions
        self.cell_decisions = cell_decisions
        self.reorg_on = reorg_on
        self.today = today
        self.cells: dict[int, OrgPlan] = {}
        self.wards: dict[int, OrgPlan] = {}

    # ---- helpers

    def _weight(self, life, on: date, cell: int | None = None, *, ward: bool = False) -> float:
        age = on.year - life.birth.year
        w = 0.3 if age < 25 else 1.0 if age < 35 else 2.2 if age < 60 else 1.2 if age < 68 else 0.4
        if ward:
            category = self.tree.cells[cell].category if cell else "residential"
            w *= (
                3.0
                if category in ("office", "police", "military")
                else 2.0
                if category != "residential"
                else 1.0
            )
            if age >= 62:
                w *= 0.2
        if life.person["gender"] == "nu":
            w *= 0.85
        return w

    def _draw(self, pool: list, k: int, weights: list[float]) -> list:
        pool, weights = list(pool), list(weights)
        out = []
        while pool and len(out) < k:
            i = self.rng.choices(range(len(pool)), weights=weights, k=1)[0]
            out.append(pool.pop(i))
            weights.pop(i)
        return out

    def _eligible(self, cells, on: date, until: date, *, max_age: int = 72) -> list[tuple]:
        """(life, cell) of the members of `cells` who may stand on `on`."""
        out = []
        for c in sorted(cells):
            for s, e, life, status, exempt in self.roster.by_cell[c]:
                if (
                    s <= on < e
                    and status == MemberStatus.OFFICIAL
                    and not exempt
                    and self.roster.eligible(life, cells, on, until, max_age=max_age)
                ):
                    out.append((life, c))
        seen, unique = set(), []
        for life, c in sorted(out, key=lambda t: t[0].key):
            if life.key not in seen:
                seen.add(life.key)
                unique.append((life, c))
        return unique

    def _keep(self, life, on: date) -> bool:
        age = on.year - life.birth.year
        return self.rng.random() < (0.85 if age <= 62 else 0.55 if age <= 67 else 0.25)

    def _officials(self, cells, on: date) -> int:
        return sum(
            1 for _, status, _ in self.roster.members(cells, on) if status == MemberStatus.OFFICIAL
        )

    def _attendance(self, cells, on: date) -> dict | None:
        """The all-member congress's attendance on `on` (None when too few full members)."""
        rng = self.rng
        officials = [
            (life, exempt)
            for life, status, exempt in self.roster.members(cells, on)
            if status == MemberStatus.OFFICIAL
        ]
        if len(officials) < 3:
            return None
        away = sum(1 for life, exempt in officials if self.roster.is_away(life, on))
        exempt_absent = sum(
            1
            for life, exempt in officials
            if exempt and not self.roster.is_away(life, on) and rng.random() < 0.8
        )
        rest = len(officials) - away - exempt_absent
        if rest < 3:
            return None
        approved = min(rng.randint(0, max(0, len(officials) // 15)), max(0, rest - 3))
        base = rest - approved
        present = base - min(rng.randint(0, max(0, base // 25)), max(0, base - base // 2 - 2))
        return {
            "summoned": len(officials),
            "present": present,
            "temporarily_elsewhere": away,
            "absent_exempt": exempt_absent,
            "absent_approved": approved,
        }

    def _departures(
        self, plan: OrgPlan, cells, until: date, replace_by: date | None, decide
    ) -> None:
        """End the seats of holders who leave `cells` before `until`; a secretary who leaves is
        replaced by appointment (``decide(on, title)``) when there is time before `replace_by`."""
        rng = self.rng
        while True:
            leaving = []
            for seat in plan.open:
                gone = self.roster.stays(seat.life, cells, seat.start)
                if gone < until:
                    leaving.append((gone, RANK[seat.position], seat.life.key, seat))
            if not leaving:
                return
            gone, _, _, seat = min(leaving, key=lambda t: t[:3])
            gone = max(gone, seat.start + timedelta(days=1))
            plan.end(seat, gone)
            if seat.position != P.SECRETARY or replace_by is None:
                continue
            on = gone + timedelta(days=rng.randint(20, 60))
            if on >= replace_by - timedelta(days=30):
                continue
            others = [
                s
                for s in sorted(plan.open, key=lambda s: (RANK[s.position], s.life.key))
                if self.roster.stays(s.life, cells, on) > on + timedelta(days=30)
                and not self.roster.is_away(s.life, on)
            ]
            if others:
                successor, old = others[0].life, others[0]
            else:
                pool = self._eligible(cells, on, on + timedelta(days=30))
                if not pool:
                    continue
                successor = self._draw(
                    [p for p, _ in pool], 1, [self._weight(p, on) for p, _ in pool]
                )[0]
                old = None
            if old is not None:
                plan.end(old, on)
            plan.appoint(
                successor,
                P.SECRETARY,
                on,
                decide(on, f"Về việc chỉ định đồng chí {successor.name} giữ chức Bí thư"),
            )

    def _approve(self, plan: OrgPlan, congress: CongressOp) -> None:
        """Mirror congress_approve: earlier seats end, the elected (highest position each) start."""
        on = congress.approve_on
        plan.open.clear()
        best: dict[int, tuple[str, object]] = {}
        for e in congress.elections:
            position = WHAT_POSITION[e.what]
            for life in e.elected + ([e.appoint[0]] if e.appoint else []):
                if life.key not in best or RANK[position] < RANK[best[life.key][0]]:
                    best[life.key] = (position, life)
        for _key, (position, life) in sorted(best.items()):
            plan.open.append(Seat(life, position, on))

    # ---- historical committees

    def _historical(self, plan: OrgPlan, cells, on: date, sizes: dict, decision) -> None:
        """Seats recorded as they stood (no congress kept): secretary, deputies, standing, committee."""
        pool = self._eligible(cells, on, on + timedelta(days=30), max_age=66)
        lives = [p for p, _ in pool]
        weights = [self._weight(p, on, c, ward=plan.kind == "ward") for p, c in pool]
        if not lives:
            return
        # the secretary first: fewer women hold the post than sit on the committee
        first = self._draw(
            lives,
            1,
            [
                w * (0.7 if p.person["gender"] == "nu" else 1.0)
                for p, w in zip(lives, weights, strict=True)
            ],
        )
        rest = [(p, w) for p, w in zip(lives, weights, strict=True) if p is not first[0]]
        chosen = first + self._draw(
            [p for p, _ in rest], sum(sizes.values()) - 1, [w for _, w in rest]
        )
        i = 0
        for position in (P.SECRETARY, P.DEPUTY, P.STANDING, P.COMMITTEE):
            for _ in range(sizes.get(position, 0)):
                if i < len(chosen):
                    plan.appoint(chosen[i], position, on, decision)
                    i += 1

    # ---- cell congresses

    def _cell_congress(
        self,
        plan: OrgPlan,
        cell: int,
        on: date,
        approve_on: date,
        label: str,
        previous: str,
        approval,
        appoint_decide,
    ) -> CongressOp | None:
        rng = self.rng
        cells = {cell}
        att = self._attendance(cells, on)
        if att is None:
            return None
        pool = self._eligible(cells, on, approve_on + timedelta(days=1))
        if not pool:
            return None
        lives = [p for p, _ in pool]
        by_key = {p.key: p for p in lives}
        incumbents = [life for life in plan.holders(*RANK) if life.key in by_key]
        kept = [life for life in incumbents if self._keep(life, on)]
        committee = att["summoned"] >= 9
        seats = 0
        if committee:
            seats = (
                3
                if att["summoned"] < 30
                else 5
                if (att["summoned"] < 100 or on < self.reorg_on)
                else 7
            )
            seats = min(seats, len(lives) - 1)
            if seats < 3:
                committee, seats = False, 0
        congress = CongressOp(
            kind=CongressKind.ALL_MEMBER,
            label=label,
            starts_on=on,
            ends_on=on,
            approve_on=approve_on,
            approval=approval,
            **att,
        )

        def appoint(election: ElectionPlan):
            """After three rounds without a winner the ward appoints the secretary (with the
            approval of the results, on the same day)."""
            life = election.candidates[0]
            return (
                life,
                appoint_decide(
                    approve_on, f"Về việc chỉ định đồng chí {life.name} giữ chức Bí thư"
                ),
                approve_on,
            )

        leaders = "Chi ủy" if plan.holders(P.COMMITTEE) else "Bí thư, Phó Bí thư"
        congress.documents = [
            d.format(label=label, previous=previous, leaders=leaders) for d in CELL_DOCS
        ]
        secretary = next((life for life in kept if life in plan.holders(P.SECRETARY)), None)
        deputy = next(
            (life for life in kept if life in plan.holders(P.DEPUTY, P.STANDING_DEPUTY)), None
        )
        if committee:
            surplus = 2 if seats >= 7 and rng.random() < 0.5 else 1
            names = kept[:seats]
            fresh = [p for p in lives if p not in names]
            names += self._draw(
                fresh, seats + surplus - len(names), [self._weight(p, on) for p in fresh]
            )
            if len(names) < seats + 1:
                committee = False
            else:
                protected = [x for x in (secretary, deputy) if x in names]
                newcomers = [x for x in names if x not in incumbents and x not in protected]
                others = [x for x in names if x not in protected and x not in newcomers]
                losers = []
                for _ in range(surplus):
                    group = (
                        newcomers if newcomers and (rng.random() < 0.8 or not others) else others
                    )
                    if not group:
                        group = newcomers or others
                    losers.append(group.pop(rng.randrange(len(group))))
                names = sorted(names, key=lambda p: sort_key_name(p.name))
                e = ElectionPlan(W.COMMITTEE, seats, names)
                self.ballots.run(
                    e,
                    base=congress.base,
                    present=congress.present,
                    winners=[x for x in names if x not in losers],
                    dip=rng.random() < 0.03,
                )
                congress.elections.append(e)
                won = e.elected
                if not won:
                    return congress
                body = (len(won), len(won))
                sec = secretary if secretary in won else (deputy if deputy in won else won[0])
                s = ElectionPlan(W.SECRETARY, 1, [sec], body=body)
                self.ballots.run(s, base=body[0], present=body[1], winners=[sec], appoint=appoint)
                congress.elections.append(s)
                rest = [x for x in won if x is not sec]
                if rest:
                    dep = deputy if deputy in rest else rest[0]
                    d = ElectionPlan(W.DEPUTY, 1, [dep], body=body)
                    self.ballots.run(d, base=body[0], present=body[1], winners=[dep])
                    congress.elections.append(d)
                return congress
        # a cell without a committee elects its secretary (and a deputy) directly
        sec = secretary or deputy or self._draw(lives, 1, [self._weight(p, on) for p in lives])[0]
        names = [sec]
        challenger = [p for p in lives if p is not sec]
        if challenger and rng.random() < 0.1:
            names.append(self._draw(challenger, 1, [self._weight(p, on) for p in challenger])[0])
        s = ElectionPlan(W.SECRETARY, 1, sorted(names, key=lambda p: sort_key_name(p.name)))
        fail = rng.random() < 0.004
        self.ballots.run(
            s,
            base=congress.base,
            present=congress.present,
            winners=[sec],
            fail=fail,
            dip=not fail and rng.random() < 0.03,
            appoint=appoint,
        )
        congress.elections.append(s)
        if att["summoned"] >= 5:
            rest = [p for p in lives if p is not sec]
            if rest:
                dep = (
                    deputy
                    if deputy in rest
                    else self._draw(rest, 1, [self._weight(p, on) for p in rest])[0]
                )
                d = ElectionPlan(W.DEPUTY, 1, [dep])
                self.ballots.run(d, base=congress.base, present=congress.present, winners=[dep])
                congress.elections.append(d)
        return congress

    # ---- ward congresses

    def _ward_congress(
        self,
        plan: OrgPlan,
        cells,
        on: date,
        approve_on: date,
        label: str,
        previous: str,
        approval,
        *,
        new: bool,
        number: int | None,
    ) -> CongressOp | None:
        rng = self.rng
        members = [
            (life, status, exempt)
            for life, status, exempt in self.roster.members(cells, on)
            if status == MemberStatus.OFFICIAL
        ]
        pool = self._eligible(cells, on, approve_on + timedelta(days=1), max_age=66)
        if len(members) < 5 or len(pool) < 5:
            return None
        lives = [p for p, _ in pool]
        cell_of = {p.key: c for p, c in pool}
        n = len(members)
        delegates = int(n * 0.6) if n < 200 else min(300, 120 + n // 20)
        delegates = max(delegates, 5)
        no_substitute = rng.randint(0, 3) if delegates > 60 else 0
        base = delegates - no_substitute
        present = base - (rng.randint(0, 2) if base > 30 else 0)
        congress = CongressOp(
            kind=CongressKind.DELEGATE,
            label=label,
            starts_on=on,
            ends_on=on + timedelta(days=1),
            summoned=delegates,
            present=present,
            absent_delegates_no_substitute=no_substitute,
            number=number,
            approve_on=approve_on,
            approval=approval,
        )
        congress.documents = [d.format(label=label, previous=previous) for d in WARD_DOCS]
        target = (15 if n < 1500 else 17 if n < 3000 else 19) if new else (13 if n < 500 else 15)
        seats = max(3, min(target, len(lives) // 2 - 1))
        surplus = min(
            rules.max_surplus(seats, rules.election_rules_on(on)), max(1, round(seats * 0.12))
        )
        surplus = min(surplus, len(lives) - seats)
        by_key = {p.key: p for p in lives}
        incumbents = [life for life in plan.holders(*RANK) if life.key in by_key]
        kept = [
            life
            for life in incumbents
            if rng.random() < (0.8 if RANK[self._position(plan, life)] <= 2 else 0.65)
        ][:seats]
        fresh = [p for p in lives if p not in kept]
        names = kept + self._draw(
            fresh,
            seats + surplus - len(kept),
            [self._weight(p, on, cell_of[p.key], ward=True) for p in fresh],
        )
        secretary = next((x for x in kept if x in plan.holders(P.SECRETARY)), None)
        deputies = [x for x in kept if x in plan.holders(P.STANDING_DEPUTY, P.DEPUTY)]
        protected = [x for x in (secretary, *deputies) if x is not None]
        newcomers = [x for x in names if x not in incumbents and x not in protected]
        others = [x for x in names if x not in protected and x not in newcomers]
        losers = []
        for _ in range(surplus):
            group = (
                newcomers
                if newcomers and (rng.random() < 0.7 or not others)
                else (others or newcomers)
            )
            losers.append(group.pop(rng.randrange(len(group))))
        names = sorted(names, key=lambda p: sort_key_name(p.name))
        e = ElectionPlan(W.COMMITTEE, seats, names)
        self.ballots.run(
            e,
            base=congress.base,
            present=congress.present,
            winners=[x for x in names if x not in losers],
            dip=rng.random() < 0.2,
        )
        congress.elections.append(e)
        won = e.elected
        absent = 1 if len(won) > 9 and rng.random() < 0.15 else 0
        body = (len(won), len(won) - absent)
        leaders = ([secretary] if secretary in won else []) + [x for x in deputies if x in won]
        leaders += [x for x in won if x not in leaders][: max(0, 3 - len(leaders))]
        n_deputies = min(2 if new else 1, len(leaders) - 1)
        standing_seats = 7 if seats >= 17 else 5 if seats >= 13 else 3 if seats >= 7 else 0
        standing_won = won
        if standing_seats and len(won) > standing_seats:
            inner = [
                x
                for x in won
                if x in plan.holders(P.STANDING, P.SECRETARY, P.DEPUTY, P.STANDING_DEPUTY)
                and x not in leaders
            ]
            rest = [x for x in won if x not in leaders and x not in inner]
            names = (leaders + inner + rest)[: standing_seats + 1]
            loser = names[-1]
            st = ElectionPlan(
                W.STANDING,
                standing_seats,
                sorted(names, key=lambda p: sort_key_name(p.name)),
                body=body,
            )
            self.ballots.run(
                st,
                base=body[0],
                present=body[1],
                winners=[x for x in names if x is not loser],
                dip=rng.random() < 0.05,
            )
            congress.elections.append(st)
            standing_won = st.elected
        leaders = [x for x in leaders if x in standing_won] + [
            x for x in standing_won if x not in leaders
        ]
        if not leaders:
            return congress
        sec = leaders[0]
        s = ElectionPlan(W.SECRETARY, 1, [sec], body=body)
        self.ballots.run(s, base=body[0], present=body[1], winners=[sec])
        congress.elections.append(s)
        deps = leaders[1 : 1 + n_deputies]
        if deps:
            d = ElectionPlan(
                W.DEPUTY, len(deps), sorted(deps, key=lambda p: sort_key_name(p.name)), body=body
            )
            self.ballots.run(d, base=body[0], present=body[1], winners=deps)
            congress.elections.append(d)
        return congress

    def _position(self, plan: OrgPlan, life) -> str:
        return min((s.position for s in plan.open if s.life is life), key=lambda p: RANK[p])

    # ---- the whole city

    def plan(self) -> None:
        h, tree, rng = self.h, self.tree, self.rng
        reorg = self.reorg_on
        ward_2020: dict[int, tuple[date, date]] = {}
        for ward in tree.old_wards():
            w_on = _day(rng, date(2020, 6, 15), date(2020, 7, 25))
            w_approve = w_on + timedelta(days=rng.randint(14, 30))
            ward_2020[ward.index] = (w_on, w_approve)
            h.book.term_starts[f"ward:{ward.index}"] = (WARD_TERM_2015, w_on)

            for cell in ward.cells:
                name = tree.cells[cell].name

                def decide_cell(on: date, title: str, ward=ward, name=name) -> object:
                    return h.ward_decision(ward, on, f"{title} {name}")

                plan = self.cells[cell] = OrgPlan("cell", cell)
                plan.ops.append(TermOp("2017–2020", CELL_TERM_2017))
                a17 = CELL_TERM_2017 + timedelta(days=rng.randint(14, 40))
                full = self._officials({cell}, a17)
                sizes = {
                    P.SECRETARY: 1,
                    P.DEPUTY: 1 if full >= 5 else 0,
                    P.COMMITTEE: (1 if full < 30 else 3) if full >= 9 else 0,
                }
                self._historical(
                    plan,
                    {cell},
                    a17,
                    sizes,
                    h.ward_decision(
                        ward,
                        a17,
                        f"Về việc chuẩn y kết quả bầu cử Bí thư, Phó Bí thư {name} nhiệm kỳ 2017–2020",
                    ),
                )
                c20 = _day(rng, date(2020, 4, 20), w_on - timedelta(days=12))
                c22 = _day(rng, date(2022, 3, 1), date(2022, 5, 20))
                for on, label, previous in (
                    (c20, "2020–2022", "2017–2020"),
                    (c22, "2022–2025", "2020–2022"),
                ):
                    approve_on = on + timedelta(days=rng.randint(10, 28))
                    title = f"Về việc chuẩn y kết quả bầu cử tại Đại hội {name} nhiệm kỳ {label}"
                    self._departures(plan, {cell}, approve_on, on, decide_cell)
                    congress = self._cell_congress(
                        plan,
                        cell,
                        on,
                        approve_on,
                        label,
                        previous,
                        h.ward_decision(ward, approve_on, title),
                        decide_cell,
                    )
                    if congress is None:
                        continue
                    plan.ops.append(congress)
                    self._approve(plan, congress)
                self._departures(plan, {cell}, reorg, reorg, decide_cell)

            # the ward: 2015–2020 committee as recorded, then the congress of 2020
            wplan = self.wards[ward.index] = OrgPlan("ward", ward.index)
            wplan.ops.append(TermOp("2015–2020", WARD_TERM_2015))
            a15 = WARD_TERM_2015 + timedelta(days=rng.randint(14, 30))
            w_on, w_approve = ward_2020[ward.index]
            members = self._officials(set(ward.cells), a15)
            committee = max(3, min(13 if members < 500 else 15, members // 4))
            standing = 5 if committee >= 13 else 3 if committee >= 7 else 0
            sizes = {
                P.SECRETARY: 1,
                P.DEPUTY: 1,
                P.STANDING: max(0, standing - 2),
                P.COMMITTEE: committee - max(2, standing),
            }

            def decide_district(on: date, title: str, ward=ward) -> object:
                return h.upper_decision(ward, on, f"{title} Đảng ủy phường {ward.name}")

            self._historical(
                wplan,
                set(ward.cells),
                a15,
                sizes,
                decide_district(
                    a15,
                    "Về việc chuẩn y kết quả bầu cử Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư "
                    "nhiệm kỳ 2015–2020 của",
                ),
            )
            number = rng.randint(18, 24)
            self._departures(wplan, set(ward.cells), w_approve, w_on, decide_district)
            congress = self._ward_congress(
                wplan,
                set(ward.cells),
                w_on,
                w_approve,
                "2020–2025",
                "2015–2020",
                decide_district(
                    w_approve,
                    "Về việc chuẩn y kết quả bầu cử Ban Chấp hành, Ban Thường vụ, "
                    "Bí thư, Phó Bí thư nhiệm kỳ 2020–2025 của",
                ),
                new=False,
                number=number,
            )
            if congress is None:
                wplan.ops.append(TermOp("2020–2025", w_on))
            else:
                wplan.ops.append(congress)
                self._approve(wplan, congress)
            self._departures(wplan, set(ward.cells), reorg, reorg, decide_district)
            wplan.end_all(reorg, self.found_decisions.get(self._new_ward_of(ward).index))

        for ward in tree.new_wards():
            self._plan_new_ward(ward)

    def _new_ward_of(self, old):
        return next(w for w in self.tree.new_wards() if old.index in w.sources)

    def _plan_new_ward(self, ward) -> None:
        h, tree, rng = self.h, self.tree, self.rng
        reorg = self.reorg_on
        cells = set(ward.cells)
        w_on = _day(rng, date(2025, 9, 3), date(2025, 9, 28))
        w_approve = w_on + timedelta(days=rng.randint(14, 24))
        h.book.term_starts[f"ward:{ward.index}"] = (reorg, w_on)

        # 1/7/2025: cells merged into another hand their committees over; a merged cell gets
        # a secretary and deputy appointed by the new ward
        interim = h.ward_decision(
            ward,
            reorg,
            "Về việc chỉ định Bí thư, Phó Bí thư các chi bộ sau sắp xếp, hợp nhất",
            unique=False,
        )
        merged_into: dict[int, list[int]] = defaultdict(list)
        for cell, c in tree.cells.items():
            if c.new_ward == ward.index:
                merged_into[c.after].append(cell)
        for into in sorted(merged_into):
            sources = sorted(merged_into[into])
            for cell in sources:
                if cell != into:
                    self.cells[cell].end_all(reorg, self.cell_decisions.get(ward.index))
            if len(sources) == 1:
                continue
            plan = self.cells[into]
            plan.end_all(reorg, self.cell_decisions.get(ward.index))
            former = [
                life
                for cell in [into, *[c for c in sources if c != into]]
                for life in self._former(cell, reorg)
            ]
            pool = [
                life
                for life in former
                if self.roster.eligible(life, {into}, reorg, reorg + timedelta(days=60))
            ]
            if not pool:
                pool = [p for p, _ in self._eligible({into}, reorg, reorg + timedelta(days=60))]
            for position, life in zip((P.SECRETARY, P.DEPUTY), pool[:2], strict=False):
                plan.appoint(life, position, reorg, interim)

        # the ward's committee appointed by the city from the merged wards' committees
        wplan = self.wards[ward.index] = OrgPlan("ward", ward.index)
        wplan.ops.append(TermOp("2020–2025", reorg))
        appointed = h.city_decision(
            reorg - timedelta(days=4),
            f"Về việc chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư Đảng bộ "
            f"phường {ward.name} nhiệm kỳ 2020–2025",
        )
        by_rank: dict[str, list] = defaultdict(list)
        for old in ward.sources:
            for position, life in self._former_ward(old, reorg):
                if self.roster.eligible(life, cells, reorg, reorg + timedelta(days=1), max_age=70):
                    by_rank[position].append(life)
        order = [
            *by_rank[P.SECRETARY],
            *by_rank[P.STANDING_DEPUTY],
            *by_rank[P.DEPUTY],
            *by_rank[P.STANDING],
            *by_rank[P.COMMITTEE],
        ]
        seen: set[int] = set()
        people = [x for x in order if not (x.key in seen or seen.add(x.key))]
        leaders = (
            len(by_rank[P.SECRETARY]) + len(by_rank[P.STANDING_DEPUTY]) + len(by_rank[P.DEPUTY])
        )
        for i, life in enumerate(people):
            if i == 0:
                position = P.SECRETARY
            elif i == 1:
                position = P.STANDING_DEPUTY
            elif i == 2:
                position = P.DEPUTY
            elif i < max(leaders, 3) + 4:
                position = P.STANDING
            else:
                position = P.COMMITTEE
            wplan.appoint(life, position, reorg, appointed)

        def decide_city(on: date, title: str) -> object:
            return h.city_decision(on, f"{title} Đảng ủy phường {ward.name}")

        # the cells' congresses of 2025–2030, then the ward's
        for cell in sorted(cells):
            plan = self.cells[cell]
            name = tree.names_after[cell]

            def decide_cell(on: date, title: str, name=name) -> object:
                return h.ward_decision(ward, on, f"{title} {name}")

            on = _day(rng, date(2025, 8, 1), w_on - timedelta(days=10))
            approve_on = on + timedelta(days=rng.randint(10, 25))
            self._departures(plan, {cell}, approve_on, on, decide_cell)
            congress = self._cell_congress(
                plan,
                cell,
                on,
                approve_on,
                "2025–2030",
                "2022–2025",
                h.ward_decision(
                    ward,
                    approve_on,
                    f"Về việc chuẩn y kết quả bầu cử tại Đại hội {name} nhiệm kỳ 2025–2030",
                ),
                decide_cell,
            )
            if congress is not None:
                plan.ops.append(congress)
                self._approve(plan, congress)
            self._departures(plan, {cell}, self.today + timedelta(days=1), self.today, decide_cell)
        self._departures(wplan, cells, w_approve, w_on, decide_city)
        congress = self._ward_congress(
            wplan,
            cells,
            w_on,
            w_approve,
            "2025–2030",
            "2020–2025",
            decide_city(
                w_approve,
                "Về việc chuẩn y kết quả bầu cử Ban Chấp hành, Ban Thường vụ, Bí thư, "
                "Phó Bí thư nhiệm kỳ 2025–2030 của",
            ),
            new=True,
            number=1,
        )
        if congress is None:
            wplan.ops.append(TermOp("2025–2030", w_on))
        else:
            wplan.ops.append(congress)
            self._approve(wplan, congress)
        self._departures(wplan, cells, self.today + timedelta(days=1), self.today, decide_city)

    def _former(self, cell: int, on: date) -> list:
        """Holders of `cell`'s secretary and deputy seats on the eve of `on` (ended that day)."""
        plan = self.cells[cell]
        out = []
        for op in plan.ops:
            if isinstance(op, EndOp) and op.on == on and op.position in (P.SECRETARY, P.DEPUTY):
                out.append((RANK[op.position], op.life))
        return [life for _, life in sorted(out, key=lambda t: (t[0], t[1].key))]

    def _former_ward(self, ward_index: int, on: date) -> list[tuple[str, object]]:
        plan = self.wards[ward_index]
        return sorted(
            ((op.position, op.life) for op in plan.ops if isinstance(op, EndOp) and op.on == on),
            key=lambda t: (RANK[t[0]], t[1].key),
        )


# --------------------------------------------------------------------------- writing


@dataclass
class CongressCounts:
    congresses: int = 0
    elections: int = 0
    rounds: int = 0
    seats: int = 0


def write_congresses(planner: CongressPlanner, book, actor: str, log) -> CongressCounts:
    """Write every planned term, seat and congress through the congress services."""
    from dangbo.congresses import services as cs
    from dangbo.congresses.models import CommitteeSeat
    from dangbo.membership.models import Member, Person
    from dangbo.organizations.services import term_open

    tree = planner.tree
    plans = [planner.wards[i] for i in sorted(planner.wards)] + [
        planner.cells[c] for c in sorted(planner.cells)
    ]
    lives: dict[int, object] = {}
    for plan in plans:
        for op in plan.ops:
            if isinstance(op, AppointOp | EndOp):
                lives[op.life.key] = op.life
            elif isinstance(op, CongressOp):
                for e in op.elections:
                    for life in e.candidates:
                        lives[life.key] = life
                    if e.appoint:
                        lives[e.appoint[0].key] = e.appoint[0]
    person_of_member = dict(
        Member.objects.filter(pk__in=[x.member_pk for x in lives.values()]).values_list(
            "pk", "person_id"
        )
    )
    persons = Person.objects.in_bulk(list(person_of_member.values()))
    person = {key: persons[person_of_member[life.member_pk]] for key, life in lives.items()}
    counts = CongressCounts()
    for i, plan in enumerate(plans):
        org = tree.wards[plan.ref].org if plan.kind == "ward" else tree.orgs[plan.ref]
        open_seats: dict[
            tuple[int, str], CommitteeSeat
        ] = {}  # (person, position) → the seat open now
        for op in plan.ops:
            if isinstance(op, TermOp):
                term_open(org=org, label=op.label, starts_on=op.on, actor=actor)
            elif isinstance(op, AppointOp):
                seat = cs.seat_appoint(
                    org=org,
                    person=person[op.life.key],
                    position=op.position,
                    starts_on=op.on,
                    decision=book[op.decision],
                    actor=actor,
                )
                open_seats[(seat.person_id, seat.position)] = seat
            elif isinstance(op, EndOp):
                seat = open_seats.pop((person[op.life.key].pk, op.position))
                cs.seat_end(seat=seat, on=op.on, decision=book[op.decision], actor=actor)
            else:
                open_seats = {
                    (seat.person_id, seat.position): seat
                    for seat in _write_congress(cs, org, op, person, book, actor)
                }
                counts.congresses += 1
                counts.elections += len(op.elections)
                counts.rounds += sum(len(e.rounds) for e in op.elections)
        if (i + 1) % 50 == 0 or i == len(plans) - 1:
            log(f"  đại hội, cấp ủy: {(i + 1) * 100 // len(plans)}%")
    counts.seats = CommitteeSeat.objects.count()
    return counts


def _write_congress(cs, org, op: CongressOp, person: dict, book, actor: str) -> list:
    """Record the congress, its elections and rounds, and approve it; returns the seats it started."""
    congress = cs.congress_record(
        org=org,
        kind=op.kind,
        starts_on=op.starts_on,
        ends_on=op.ends_on,
        summoned=op.summoned,
        present=op.present,
        term_label=op.label,
        number=op.number,
        temporarily_elsewhere=op.temporarily_elsewhere,
        absent_exempt=op.absent_exempt,
        absent_approved=op.absent_approved,
        absent_delegates_no_substitute=op.absent_delegates_no_substitute,
        documents=op.documents,
        actor=actor,
    )
    appointed = []
    for e in op.elections:
        body = {"summoned": e.body[0], "present": e.body[1]} if e.body else {}
        election = cs.election_open(
            congress=congress,
            what=e.what,
            seats=e.seats,
            candidates=[person[c.key] for c in e.candidates],
            actor=actor,
            **body,
        )
        for r in e.rounds:
            ballot = cs.ballot_round_record(
                election=election,
                issued=r.issued,
                cast=r.cast,
                valid=r.valid,
                invalid=r.invalid,
                votes={person[k]: n for k, n in r.votes.items()},
                actor=actor,
            )
            if len(ballot.outcome.elected) != len(r.elected):
                raise AssertionError(f"planned and counted winners differ at {org} {op.label}")
        if e.stop:
            cs.election_stop(election=election, actor=actor)
        if e.appoint:
            life, decision, on = e.appoint
            appointed.append(
                cs.secretary_appoint(
                    election=election,
                    person=person[life.key],
                    decision=book[decision],
                    on=on,
                    actor=actor,
                )
            )
    return appointed + cs.congress_approve(
        congress=congress, decision=book[op.approval], on=op.approve_on, actor=actor
    )
