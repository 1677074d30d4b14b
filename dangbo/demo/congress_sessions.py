"""The congresses themselves: attendance, candidates, elections and departures of one
organization's congress; the whole city's plan is in :mod:`dangbo.demo.congresses`."""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangbo.congresses import elections as rules
from dangbo.congresses.models import CongressKind
from dangbo.demo.ballots import Ballots
from dangbo.demo.congress_plans import (
    CELL_DOCS,
    RANK,
    WARD_DOCS,
    WHAT_POSITION,
    CongressOp,
    ElectionPlan,
    OrgPlan,
    P,
    Roster,
    Seat,
    W,
)
from dangbo.demo.lives import Life
from dangbo.membership.models import MemberStatus
from dangbo.vn_format import sort_key_name


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


class CongressSessions:
    """Plans one organization's congress at a time (see :mod:`dangbo.demo.congresses`)."""

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
        out: list = []
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
        assert on is not None  # every planned congress is approved
        plan.open.clear()
        best: dict[int, tuple[str, Life]] = {}
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
