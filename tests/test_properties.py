"""Property: for any valid sequence of ledger events (and an optional reorganization), every
stock and every flow of REPORTS §1, key by key, equals a count made by a plain replay of the
generated sequence (which knows nothing of spells, closure, SQL or the ledger rows); the
identity holds for every organization and period; the projection equals a fresh fold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.core.dates import add_months, months_between
from dangbo.figures import membership_figures
from dangbo.membership.admission import member_admit, member_receive
from dangbo.membership.events import event_record
from dangbo.membership.models import EventKind, MemberStatus
from dangbo.membership.projection import projection_differences
from dangbo.organizations import services as org_services
from tests import reference as ref
from tests.conftest import ACTOR, make_person

START = date(2019, 1, 1)
LAST = date(2025, 12, 31)
REORG_ON = date(2024, 7, 1)
CELLS = ("w1c1", "w1c2", "w2c1", "w2c2")
ORGS = ("city", "w1", "w2", *CELLS)
PARENT = {"w1c1": "w1", "w1c2": "w1", "w2c1": "w2", "w2c2": "w2"}
MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
PERIODS = [
    (date(2019, 1, 1), date(2019, 12, 31)),
    (date(2020, 1, 1), date(2020, 6, 30)),
    (date(2021, 7, 1), date(2022, 9, 30)),
    (date(2023, 1, 1), date(2023, 12, 31)),
    (date(2024, 1, 1), date(2024, 6, 30)),
    (date(2024, 7, 1), date(2024, 12, 31)),
    (date(2024, 1, 1), date(2025, 12, 31)),
    (date(2018, 1, 1), date(2025, 12, 31)),
]
ACTIONS = (
    "admit",
    "admit",
    "receive",
    "transfer",
    "transfer",
    "temporary",
    "card",
    "badge",
    "discipline",
    "exempt",
    "remove",
    "death",
    "leave",
    "readmit",
    "readmit",
)
REORGS = (None, "merge_wards", "merge_cells", "merge_across", "move_cell")
ACTIVE = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)


# --- the plain model: who is where, replayed from the generated sequence ---------------------


@dataclass
class Model:
    """A member as the test sees it."""

    obj: object
    born: date
    status: str = MemberStatus.PROBATIONARY
    cell: str = ""
    last_admitted: date = START
    anchor: date = START
    out_since: date | None = None
    out_reason: str = ""
    readmissions: int = 0
    away: int = 0  # token of the current temporary transfer, 0 when at home
    exempt: bool = False
    died_on: date | None = None
    died_in: str = ""
    woman: bool = False
    badges: set = field(default_factory=set)


class World:
    def __init__(self, tree, reorg: str | None):
        self.tree = tree
        self.reorg = reorg
        self.members: list[Model] = []
        self.pending: list[
            tuple[date, int, int, str, int, int]
        ] = []  # (on, prio, order, what, who, token)
        # (on, who, status or None, cell, exempt): where each member stands after each change
        self.log: list[tuple[date, int, str | None, str, bool]] = []
        # (on, kind, from cell, day the from cell is read, to cell, form, posthumous, years)
        self.flows: list[tuple] = []
        self.order = 0
        self.tokens = 0

    # the tree as the test knows it
    def alive(self, name: str, on: date) -> bool:
        if on < REORG_ON:
            return True
        ended = {"merge_wards": {"w1"}, "merge_cells": {"w1c1"}, "merge_across": {"w2c2"}}
        return name not in ended.get(self.reorg, set())

    def parent(self, cell: str, on: date) -> str:
        if on >= REORG_ON and (
            (self.reorg == "merge_wards" and cell in ("w1c1", "w1c2"))
            or (self.reorg == "move_cell" and cell == "w1c2")
        ):
            return "w2"
        return PARENT[cell]

    def within(self, cell: str, org: str, on: date) -> bool:
        if not (self.alive(org, on) and self.alive(cell, on)):
            return False
        return org in ("city", cell) or self.parent(cell, on) == org

    def cells(self, on: date) -> list[str]:
        return [c for c in CELLS if self.alive(c, on)]

    def note(self, on: date, who: int) -> None:
        m = self.members[who]
        self.log.append((on, who, m.status if m.status in ACTIVE else None, m.cell, m.exempt))

    def flow(self, on: date, kind: str, src: str | None, dst: str | None, **what) -> None:
        """Log an event as the test sees it (cells by name); a reorganization reads its
        origin on the day before."""
        src_day = on - timedelta(days=1) if kind == ref.REORGANIZATION else on
        self.flows.append(
            (
                on,
                kind,
                src,
                src_day,
                dst,
                what.get("form", ""),
                what.get("posthumous", False),
                what.get("years"),
            )
        )

    def count(self, org: str, on: date) -> dict[str, int]:
        """The five stocks of `org` at the end of `on` (keys without _start/_end), from the log."""
        last: dict[int, tuple[str | None, str, bool]] = {}
        for when, who, status, cell, exempt in self.log:
            if when <= on:
                last[who] = (status, cell, exempt)
        inside = [
            (who, s, e)
            for who, (s, c, e) in last.items()
            if s is not None and self.within(c, org, on)
        ]
        return {
            "members": len(inside),
            "official": sum(s == MemberStatus.OFFICIAL for _, s, _ in inside),
            "probationary": sum(s == MemberStatus.PROBATIONARY for _, s, _ in inside),
            "women": sum(self.members[who].woman for who, _, _ in inside),
            "exempt": sum(e for _, _, e in inside),
        }

    def expected(self, org: str, start: date, end: date) -> dict:
        """Every stock and flow of `org` over [start, end] from the replay alone."""
        out = {f"{k}_start": n for k, n in self.count(org, start - timedelta(days=1)).items()}
        out.update({f"{k}_end": n for k, n in self.count(org, end).items()})
        seen = [
            (
                kind,
                dst is not None and self.within(dst, org, on),
                src is not None and self.within(src, org, src_day),
                form,
                posthumous,
                years,
            )
            for on, kind, src, src_day, dst, form, posthumous, years in self.flows
            if start <= on <= end
        ]
        out.update(ref.count_flows(seen))
        # no candidate is generated: the candidate flows are zero everywhere
        return out

    def schedule(self, on: date, what: str, who: int = -1, token: int = 0, prio: int = 1) -> None:
        self.order += 1
        self.pending.append((on, prio, self.order, what, who, token))

    # --- writes through the services, mirrored in the model ---------------------------------
    def record(self, m: Model, kind: str, on: date, **kwargs):
        return event_record(member=m.obj, kind=kind, effective_on=on, actor=ACTOR, **kwargs)

    def run_pending(self, until: date) -> None:
        while True:
            due = sorted(p for p in self.pending if p[0] <= until)
            if not due:
                return
            item = due[0]
            self.pending.remove(item)
            on, _, _, what, who, token = item
            if what == "reorg":
                self.do_reorg(on)
                continue
            m = self.members[who]
            if (
                what == "recognize"
                and m.status == MemberStatus.PROBATIONARY
                and add_months(m.last_admitted, 12) == on
            ):
                self.record(m, EventKind.RECOGNITION, on)
                self.flow(on, ref.RECOGNITION, m.cell, m.cell)
                m.status = MemberStatus.OFFICIAL
                self.note(on, who)
            elif what == "back" and m.status in ACTIVE and m.away == token:
                self.record(m, EventKind.TEMPORARY_BACK, on)
                m.away = 0

    def do_reorg(self, on: date) -> None:
        t = self.tree
        moved = {"merge_wards": ("w1c1", "w1c2"), "move_cell": ("w1c2",)}.get(self.reorg, ())
        for m in self.members:
            if m.status in ACTIVE and m.cell in moved:
                self.flow(on, ref.REORGANIZATION, m.cell, m.cell)
        if self.reorg == "merge_wards":
            org_services.org_merge(sources=[t["w1"]], into=t["w2"], on=on, actor=ACTOR)
        elif self.reorg == "move_cell":
            org_services.org_move(org=t["w1c2"], parent=t["w2"], on=on, actor=ACTOR)
        else:
            source, into = ("w1c1", "w1c2") if self.reorg == "merge_cells" else ("w2c2", "w1c1")
            org_services.org_merge(sources=[t[source]], into=t[into], on=on, actor=ACTOR)
            for who, m in enumerate(self.members):
                if m.cell == source:
                    m.cell = into
                    if m.status in ACTIVE:
                        self.flow(on, ref.REORGANIZATION, source, into)
                        self.note(on, who)

    def admit(self, on: date, cell: str, p: int, recognize: bool, born: date | None = None) -> None:
        born = born or date(on.year - 20 - p % 35, 1 + p % 12, 1 + p % 28)
        obj = member_admit(
            person=make_person(born=born, gender="nu" if p % 2 else "nam"),
            cell=self.tree[cell],
            on=on,
            decision=None,
            actor=ACTOR,
        )
        self.members.append(
            Model(obj=obj, born=born, cell=cell, last_admitted=on, anchor=on, woman=bool(p % 2))
        )
        self.flow(on, ref.ADMISSION, None, cell)
        self.note(on, len(self.members) - 1)
        if recognize:
            self.schedule(add_months(on, 12), "recognize", len(self.members) - 1)

    def receive(self, on: date, cell: str, p: int) -> None:
        admitted = min(date(1955 + p % 60, 1 + p % 12, 1 + p % 28), on - timedelta(days=400))
        born = date(admitted.year - 25, 6, 1)
        obj = member_receive(
            person=make_person(born=born),
            cell=self.tree[cell],
            on=on,
            status=MemberStatus.OFFICIAL,
            admitted_on=admitted,
            official_on=add_months(admitted, 12),
            actor=ACTOR,
        )
        self.members.append(
            Model(
                obj=obj,
                born=born,
                status=MemberStatus.OFFICIAL,
                cell=cell,
                last_admitted=admitted,
                anchor=admitted,
            )
        )
        self.flow(on, ref.TRANSFER, None, cell)
        self.note(on, len(self.members) - 1)

    def leave(self, who: int, on: date, reason: str) -> None:
        m = self.members[who]
        m.status, m.out_reason, m.out_since, m.away, m.exempt = (
            MemberStatus.OUT,
            reason,
            on,
            0,
            False,
        )
        self.note(on, who)

    def act(self, action: str, on: date, p: int, q: int) -> None:
        """Carry out `action` on `on` if some member can take it (p, q pick who and how)."""
        active = [i for i, m in enumerate(self.members) if m.status in ACTIVE]
        officials = [i for i in active if self.members[i].status == MemberStatus.OFFICIAL]
        cells = self.cells(on)

        def pick(seq):
            return seq[p % len(seq)] if seq else None

        if action == "admit":
            self.admit(on, cells[q % len(cells)], p, recognize=q % 4 != 0)
        elif action == "receive":
            self.receive(on, cells[q % len(cells)], p)
        elif action == "transfer" and (who := pick(active)) is not None:
            m = self.members[who]
            others = [c for c in cells if c != m.cell]
            if q % 6 == 0:
                self.record(m, EventKind.TRANSFER, on, from_org=self.tree[m.cell], to_org=None)
                self.flow(on, ref.TRANSFER, m.cell, None)
                self.leave(who, on, "chuyen_di")
            else:
                target = others[q % len(others)]
                self.record(
                    m, EventKind.TRANSFER, on, from_org=self.tree[m.cell], to_org=self.tree[target]
                )
                self.flow(on, ref.TRANSFER, m.cell, target)
                m.cell, m.away = target, 0
                self.note(on, who)
        elif (
            action == "temporary"
            and (who := pick([i for i in active if not self.members[i].away])) is not None
        ):
            m = self.members[who]
            others = [c for c in cells if c != m.cell]
            host = None if q % 4 == 0 else others[q % len(others)]
            until = add_months(on, 3 + q % 9)  # from 3 months to under a year
            self.record(
                m, EventKind.TEMPORARY_OUT, on, to_org=host and self.tree[host], until=until
            )
            self.flow(on, ref.TEMPORARY_OUT, m.cell, host)
            self.tokens += 1
            m.away = self.tokens
            self.schedule(until, "back", who, self.tokens)
        elif action == "card" and (who := pick(officials)) is not None:
            self.record(self.members[who], EventKind.CARD, on, card_number=f"79{p % 1000000:06d}")
            self.flow(on, ref.CARD, self.members[who].cell, self.members[who].cell)
        elif action == "badge":
            self.badge(on, p)
        elif action == "discipline" and (who := pick(active)) is not None:
            m = self.members[who]
            forms = (
                ("khien_trach", "canh_cao")
                if m.status == MemberStatus.PROBATIONARY
                else ("khien_trach", "canh_cao", "cach_chuc", "khai_tru")
            )
            form = forms[q % len(forms)]
            self.record(m, EventKind.DISCIPLINE, on, form=form)
            self.flow(on, ref.DISCIPLINE, m.cell, m.cell, form=form)
            if form == "khai_tru":
                self.leave(who, on, "khai_tru")
        elif action == "exempt" and (who := pick(officials)) is not None:
            m = self.members[who]
            self.record(m, EventKind.EXEMPTION_END if m.exempt else EventKind.EXEMPTION, on)
            self.flow(on, ref.EXEMPTION_END if m.exempt else ref.EXEMPTION, m.cell, m.cell)
            m.exempt = not m.exempt
            self.note(on, who)
        elif action in ("remove", "death", "leave") and (who := pick(active)) is not None:
            kind = {
                "remove": EventKind.REMOVAL,
                "death": EventKind.DEATH,
                "leave": EventKind.LEAVING,
            }[action]
            self.record(self.members[who], kind, on)
            seen_as = {"remove": ref.REMOVAL, "death": ref.DEATH, "leave": ref.LEAVING}[action]
            self.flow(on, seen_as, self.members[who].cell, None)
            self.leave(who, on, kind)
            if action == "death":
                self.members[who].died_on, self.members[who].died_in = on, self.members[who].cell
        elif action == "readmit":
            self.readmit(on, p, q, cells)

    def badge(self, on: date, p: int) -> None:
        eligible = []
        for i, m in enumerate(self.members):
            posthumous = m.died_on is not None
            if m.status not in ACTIVE and not posthumous:
                continue
            years = months_between(m.anchor, m.died_on or on) // 12
            due = [y for y in MILESTONES if y <= years and y not in m.badges]
            if due:
                eligible.append((i, max(due), posthumous))
        if eligible:
            who, years, posthumous = eligible[p % len(eligible)]
            extra = {}
            m = self.members[who]
            cell = m.died_in if posthumous else m.cell
            if not self.alive(cell, on):
                # the last cell was merged since: a living cell proposes the posthumous award
                cell = self.cells(on)[0]
                extra["to_org"] = self.tree[cell]
            self.flow(on, ref.BADGE, cell, cell, posthumous=posthumous, years=years)
            self.record(
                self.members[who],
                EventKind.BADGE,
                on,
                badge_years=years,
                posthumous=posthumous,
                **extra,
            )
            self.members[who].badges.add(years)

    def readmit(self, on: date, p: int, q: int, cells: list[str]) -> None:
        eligible = [
            i
            for i, m in enumerate(self.members)
            if m.status == MemberStatus.OUT
            and m.died_on is None
            and m.readmissions == 0
            # who asked to leave is never readmitted (Quy định 24-QĐ/TW)
            and m.out_reason in ("xoa_ten", "khai_tru")
            and months_between(m.out_since, on) >= 36
            and 18 * 12 <= months_between(m.born, on) <= 60 * 12
        ]
        if not eligible:
            return
        who = eligible[p % len(eligible)]
        m = self.members[who]
        cell = cells[q % len(cells)]
        self.record(
            m, EventKind.READMISSION, on, to_org=self.tree[cell], details={"consent": "7-CV/TU"}
        )
        self.flow(on, ref.READMISSION, None, cell)
        m.anchor = m.anchor + (on - m.out_since)
        m.status, m.cell, m.last_admitted, m.readmissions = MemberStatus.PROBATIONARY, cell, on, 1
        m.out_since, m.out_reason = None, ""
        self.note(on, who)
        if q % 3:
            self.schedule(add_months(on, 12), "recognize", who)


steps = st.lists(
    st.tuples(
        st.integers(1, 90), st.sampled_from(ACTIONS), st.integers(0, 10**6), st.integers(0, 10**6)
    ),
    min_size=8,
    max_size=40,
)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps, reorg=st.sampled_from(REORGS), seed=st.integers(0, 10**6))
def test_figures_match_a_plain_replay_of_any_valid_sequence(city_tree, steps, reorg, seed):
    with transaction.atomic():
        world = World(city_tree, reorg)
        # a few members to act on from the start, admitted long before
        for i, cell in enumerate(CELLS):
            world.receive(date(2018, 6, 1), cell, seed + 7919 * i)
        world.admit(date(2018, 9, 3), "w1c1", seed, recognize=True)
        world.admit(date(2018, 6, 1), "w2c1", seed, recognize=False, born=date(1980, 2, 2))
        world.record(world.members[-1], EventKind.REMOVAL, date(2018, 12, 1))
        world.flow(date(2018, 12, 1), ref.REMOVAL, "w2c1", None)
        world.leave(len(world.members) - 1, date(2018, 12, 1), "xoa_ten")
        if reorg:
            world.schedule(REORG_ON, "reorg", prio=0)
        # the steps' weights spread their dates over the whole span, whatever their number
        total, done, on = sum(w for w, *_ in steps), 0, START
        for weight, action, p, q in steps:
            done += weight
            on = max(
                on + timedelta(days=1), START + timedelta(days=(LAST - START).days * done // total)
            )
            if on > LAST:
                break
            world.run_pending(on)
            world.act(action, on, p, q)
        world.run_pending(LAST)

        assert projection_differences() == []
        for name in ORGS:
            for start, end in PERIODS:
                f = membership_figures(city_tree[name], start, end, breakdowns=False)
                expected = world.expected(name, start, end)
                wrong = ref.differences(f, expected)
                assert not wrong, (name, start, end, "(product, replay)", wrong)
                assert set(expected) >= {*ref.STOCK_KEYS, *ref.FLOW_KEYS}
                assert ref.identity_holds(f) and ref.identity_holds(expected), (name, start, end)
        transaction.set_rollback(True)
