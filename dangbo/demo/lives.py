"""Members' lives: each member's record simulated in memory from its start to the demo's today.

A :class:`History` draws every member's events in a fixed order from one generator —
admission, recognition, cards, badges, transfers of every kind, temporary transfers,
exemptions, discipline, removals, readmissions, deaths and the move of 1/7/2025 — and keeps
the member's membership spells, which the congresses, the sponsors and the reorganization
read. The events become interchange records in :mod:`dangbo.demo.records`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.core.dates import add_months, months_between
from dangbo.demo.common import (
    ACTIVE,
    ADMISSION_AGE,
    ARRIVAL_AGE,
    CEREMONIES_RECORDED,
    FAR,
    INSTITUTION_OCCUPATION,
    REORG_ON,
    TODAY,
    DemoSize,
    ceremony_after,
    ceremony_on_or_after,
)
from dangbo.demo.decisions import DecisionBook, DecisionRef, Issuers
from dangbo.demo.people import make_person, weighted
from dangbo.demo.tree import Tree, Ward
from dangbo.membership.ledger import EventData
from dangbo.membership.models import DisciplineForm, EventKind, MemberStatus
from dangbo.rulebook import rules_on


@dataclass
class Planned:
    data: EventData
    decision: DecisionRef | None = None
    exception: DecisionRef | None = None


@dataclass(order=True)
class Pending:
    on: date
    prio: int
    seq: int
    kind: str = field(compare=False)
    payload: dict = field(compare=False, default_factory=dict)


@dataclass
class Life:
    """One member's simulated record: the events to write and the state after them."""

    key: int
    person: dict
    origin: str  # initial, received, candidate
    events: list[Planned] = field(default_factory=list)
    cell: int = 0
    status: str | None = None
    admitted_on: date | None = None  # last admission
    official_on: date | None = None
    anchor: date | None = None
    exempt: bool = False
    away: bool = False  # attending temporarily elsewhere
    has_card: bool = False
    badges: set[int] = field(default_factory=set)
    out_since: date | None = None
    out_reason: str = ""
    readmissions: int = 0
    died_on: date | None = None
    pending: list[Pending] = field(default_factory=list)
    spells: list[list] = field(default_factory=list)  # [from, to|None, cell, status, exempt]
    admission: tuple | None = None  # pipeline members: (cell, on, decision, exception)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def name(self) -> str:
        return self.person["full_name"]

    @property
    def birth(self) -> date:
        return self.person["birth_date"]


def _gompertz(age: int) -> float:
    """Yearly probability of death at `age` (urban Vietnam, roughly)."""
    return min(0.6, 3.0e-5 * math.exp(0.0944 * age))


class History(Issuers):
    """Simulates members' lives from their start to TODAY, one member at a time."""

    def __init__(self, rng: random.Random, tree: Tree, book: DecisionBook, size: DemoSize):
        self.rng = rng
        self.tree = tree
        self.book = book
        self.size = size
        self.lives: list[Life] = []
        self.citizen_ids: set[str] = set()
        self._seq = 0

    # ---- people

    def person(
        self, *, birth_year: int, gender: str | None = None, occupation: str | None = None
    ) -> dict:
        p = make_person(self.rng, gender=gender, birth_year_range=(birth_year, birth_year))
        while p["citizen_id"] in self.citizen_ids:
            p["citizen_id"] = p["citizen_id"][:6] + f"{self.rng.randrange(1_000_000):06d}"
        self.citizen_ids.add(p["citizen_id"])
        if occupation:
            p["occupation"] = occupation
        return p

    def new_life(self, person: dict, origin: str) -> Life:
        life = Life(key=len(self.lives), person=person, origin=origin)
        self.lives.append(life)
        return life

    # ---- state helpers

    def emit(
        self, life: Life, kind: str, on: date, decision=None, exception=None, **fields
    ) -> None:
        life.events.append(
            Planned(EventData(kind=kind, effective_on=on, **fields), decision, exception)
        )

    def spell(self, life: Life, on: date) -> None:
        """Close the open spell on `on` and open one for the current state when active."""
        if life.spells and life.spells[-1][1] is None:
            if life.spells[-1][0] == on:
                life.spells.pop()
            else:
                life.spells[-1][1] = on
        if life.active:
            life.spells.append([on, None, life.cell, life.status, life.exempt])

    def schedule(self, life: Life, on: date, kind: str, prio: int = 1, **payload) -> None:
        self._seq += 1
        life.pending.append(Pending(on, prio, self._seq, kind, payload))

    def unschedule(self, life: Life, kind: str) -> None:
        life.pending = [p for p in life.pending if p.kind != kind]

    def leave(self, life: Life, on: date, reason: str) -> None:
        life.status, life.out_reason, life.out_since = MemberStatus.OUT, reason, on
        life.exempt = life.away = False
        life.pending = []
        self.spell(life, on)

    def probation(self, life: Life, start: date) -> None:
        """Schedule the end of the probation that starts on `start` (the admission ceremony,
        or the decision when the history has none): recognition, or rarely a removal."""
        if self.rng.random() < 0.03:
            self.schedule(life, start + timedelta(days=self.rng.randint(120, 330)), "fail", prio=0)
        else:
            self.schedule(
                life,
                add_months(start, rules_on(start).probation_months),
                "recognition",
                prio=0,
            )

    def schedule_badge(self, life: Life, after: date) -> None:
        """Schedule the next milestone's badge at the first ceremony once the party age reaches it."""
        self.unschedule(life, "badge")
        if not life.active or life.anchor is None:
            return
        for years in rules_on(after).badge_milestones:
            if years in life.badges:
                continue
            c = ceremony_on_or_after(add_months(life.anchor, 12 * years))
            if c < after:
                continue  # reached before this record begins: awarded elsewhere
            early = False
            if life.exempt and after.year - life.birth.year >= 80 and self.rng.random() < 0.35:
                rs = rules_on(c)
                margin = (
                    rs.badge_early_months_upto_65 if years <= 65 else rs.badge_early_months_from_70
                )
                ce = ceremony_on_or_after(add_months(life.anchor, 12 * years - margin))
                if after <= ce < c:
                    c, early = ce, True
            self.schedule(life, c, "badge", years=years, early=early)
            return

    # ---- starting a life

    def add_initial(
        self,
        ward: Ward,
        cell: int,
        person: dict,
        admitted: date,
        exception: DecisionRef | None = None,
    ) -> Life:
        life = self.new_life(person, "initial")
        start = self.size.history_from
        # admissions of the last decades record their ceremony; older ones do not
        ceremony = ceremony_after(admitted, life.key) if admitted >= CEREMONIES_RECORDED else None
        details = {"ceremony_on": ceremony.isoformat()} if ceremony else {}
        self.emit(
            life, EventKind.ADMISSION, admitted, exception=exception, to_org=cell, details=details
        )
        life.cell, life.status = cell, MemberStatus.PROBATIONARY
        life.admitted_on = life.anchor = admitted
        self.spell(life, admitted)
        official = add_months(ceremony or admitted, 12)
        if official < start:
            self.emit(life, EventKind.RECOGNITION, official)
            life.status, life.official_on = MemberStatus.OFFICIAL, official
            self.spell(life, official)
            card_on = ceremony_on_or_after(add_months(official, self.rng.randint(2, 30)))
            if card_on < start:
                self.emit(life, EventKind.CARD, card_on, card_number="?")
                life.has_card = True
            else:
                self.schedule(life, card_on, "card")
        else:
            self.schedule(life, official, "recognition", prio=0)
        self.schedule_badge(life, start)
        self.run(life, start)
        return life

    def add_received(self, ward: Ward, on: date) -> Life:
        """A member transferred in from a party organization outside the city."""
        rng = self.rng
        age = rng.randint(*weighted(rng, ARRIVAL_AGE))
        cell = self.pick_cell(ward, age, on)
        category = self.tree.cells[cell].category
        gender = "nam" if category in ("police", "military") and rng.random() < 0.85 else None
        person = self.person(
            birth_year=on.year - age, gender=gender, occupation=INSTITUTION_OCCUPATION.get(category)
        )
        life = self.new_life(person, "received")
        birth = person["birth_date"]
        latest = months_between(
            birth, add_months(on, -13)
        )  # age in months when admitted at the latest
        if rng.random() < 0.88 and latest > 18 * 12:
            months = 12 * rng.randint(*weighted(rng, ADMISSION_AGE)) + rng.randint(0, 11)
            admitted = add_months(birth, max(18 * 12 + 1, min(months, latest)))
            official = add_months(admitted, 12)
            details = {
                "status": MemberStatus.OFFICIAL.value,
                "admitted_on": admitted.isoformat(),
                "official_on": official.isoformat(),
            }
            life.status, life.official_on, life.has_card = MemberStatus.OFFICIAL, official, True
        else:
            admitted = add_months(on, -rng.randint(1, 10)) - timedelta(days=rng.randint(0, 20))
            details = {
                "status": MemberStatus.PROBATIONARY.value,
                "admitted_on": admitted.isoformat(),
            }
            life.status = MemberStatus.PROBATIONARY
            self.schedule(life, add_months(admitted, 12), "recognition", prio=0)
        decision = self.upper_decision(
            ward,
            on - timedelta(days=rng.randint(2, 12)),
            f"Về việc tiếp nhận sinh hoạt đảng đối với đồng chí {person['full_name']}",
        )
        self.emit(life, EventKind.TRANSFER, on, decision, to_org=cell, details=details)
        life.cell, life.admitted_on, life.anchor = cell, admitted, admitted
        self.spell(life, on)
        self.schedule_badge(life, on)
        self.run(life, on)
        return life

    def add_admitted(
        self,
        life: Life,
        cell: int,
        on: date,
        decision,
        exception,
        ceremony: date | None = None,
        considered: date | None = None,
    ) -> None:
        """A candidate admitted through the pipeline (the admission itself is written by
        member_admit): the cell considered them on `considered`, the ceremony on `ceremony`
        (None: not held yet)."""
        life.admission = (cell, on, decision, exception, ceremony, considered)
        life.cell, life.status = cell, MemberStatus.PROBATIONARY
        life.admitted_on = life.anchor = on
        self.spell(life, on)
        self.probation(life, ceremony or on)
        self.run(life, on)

    def pick_cell(self, ward: Ward, age: int, on: date) -> int:
        tree = self.tree
        inst = [c for c in ward.cells if tree.cells[c].category != "residential"]
        if inst and age < 56 and self.rng.random() < 0.3:
            return self.rng.choice(inst)
        res = tree.residential(ward)
        return self.rng.choices(res, weights=[tree.cells[c].weight for c in res], k=1)[0]

    # ---- the simulation

    def rates(self, life: Life, on: date) -> dict[str, float]:
        age = on.year - life.birth.year
        if life.away:
            return {"death": _gompertz(age)}
        r = {"death": _gompertz(age) * (1.6 if life.exempt else 1.0)}
        if life.exempt:
            return r
        if age >= 70:
            r["exemption"] = 0.03 if age < 80 else 0.10
        r["discipline"] = 0.003
        r["transfer_out"] = 0.018 if age < 60 else 0.004
        r["transfer_internal"] = 0.007
        r["transfer_ward"] = 0.005
        if age < 55:
            r["temporary"] = 0.009
        if life.status == MemberStatus.OFFICIAL:
            r["removal"] = 0.0008
            r["leaving"] = 0.0003
        return r

    def run(self, life: Life, start: date) -> None:
        rng = self.rng
        cursor = start
        while life.active or life.pending:
            boundary = date(cursor.year + 1, 1, 1)
            if cursor < REORG_ON:
                boundary = min(boundary, REORG_ON)
            rates = self.rates(life, cursor) if life.active else {}
            total = sum(rates.values())
            t_rand = FAR
            if total > 0:
                t_rand = cursor + timedelta(
                    days=1 + min(40000, int(rng.expovariate(total / 365.25)))
                )
            nxt = min(life.pending) if life.pending else None
            t_sched = nxt.on if nxt else FAR
            t = min(boundary, t_rand, t_sched)
            if t > TODAY:
                return
            if boundary <= t_sched and boundary <= t_rand:
                cursor = boundary
                if cursor == REORG_ON and life.active:
                    moved = self.tree.cell_on(life.cell, REORG_ON)
                    if moved != life.cell:
                        life.cell = moved
                        self.spell(life, REORG_ON)
                continue
            if nxt is not None and t_sched <= t_rand:
                life.pending.remove(nxt)
                cursor = nxt.on
                self.scheduled(life, nxt)
            else:
                cursor = t_rand
                pick, chosen = rng.random() * total, ""
                for chosen, rate in rates.items():  # noqa: B007 - the loop picks `chosen`
                    pick -= rate
                    if pick < 0:
                        break
                self.random_event(life, chosen, cursor)

    def scheduled(self, life: Life, item: Pending) -> None:
        on, rng = item.on, self.rng
        ward = self.tree.ward_of(life.cell, on)  # every life starts in a cell
        if item.kind == "recognition" and life.status == MemberStatus.PROBATIONARY:
            decision = self.ward_decision(
                ward,
                on + timedelta(days=rng.randint(3, 25)),
                f"Về việc công nhận đảng viên chính thức đối với đồng chí {life.name}",
            )
            self.emit(life, EventKind.RECOGNITION, on, decision)
            life.status, life.official_on = MemberStatus.OFFICIAL, on
            self.spell(life, on)
            self.schedule(life, ceremony_on_or_after(add_months(on, 2)), "card")
        elif item.kind == "fail" and life.status == MemberStatus.PROBATIONARY:
            decision = self.ward_decision(ward, on, f"Về việc xóa tên đảng viên dự bị {life.name}")
            self.emit(life, EventKind.REMOVAL, on, decision, form="du_bi_khong_du_tu_cach")
            self.leave(life, on, "xoa_ten")
        elif item.kind == "card" and life.status == MemberStatus.OFFICIAL and not life.has_card:
            decision = self.upper_decision(
                ward, on - timedelta(days=14), "Về việc phát thẻ đảng viên", unique=False
            )
            self.emit(life, EventKind.CARD, on, decision, card_number="?")
            life.has_card = True
        elif item.kind == "badge" and life.active:
            years = item.payload["years"]
            decision = self.city_decision(
                on - timedelta(days=20), "Về việc tặng Huy hiệu Đảng", unique=False
            )
            self.emit(
                life, EventKind.BADGE, on, decision, badge_years=years, early=item.payload["early"]
            )
            life.badges.add(years)
            self.schedule_badge(life, on + timedelta(days=1))
        elif item.kind == "posthumous":
            cell = self.tree.cell_on(life.cell, on)
            decision = self.city_decision(
                on - timedelta(days=20), "Về việc tặng Huy hiệu Đảng", unique=False
            )
            self.emit(
                life,
                EventKind.BADGE,
                on,
                decision,
                badge_years=item.payload["years"],
                posthumous=True,
                from_org=cell,
                to_org=cell,
            )
        elif item.kind == "back" and life.active and life.away:
            self.emit(life, EventKind.TEMPORARY_BACK, on)
            life.away = False
        elif (
            item.kind in ("readmission", "return")
            and life.status == MemberStatus.OUT
            and not life.died_on
        ):
            home = self.tree.ward_of(self.tree.cell_on(life.cell, on), on)
            cell = rng.choice(self.tree.residential(home))
            if item.kind == "readmission":
                decision = self.upper_decision(
                    home, on, f"Về việc kết nạp lại đồng chí {life.name} vào Đảng"
                )
                ceremony = ceremony_after(on, life.key)
                details = {
                    "consent": f"{100 + life.key % 900}-CV/TU",
                    "ceremony_on": ceremony.isoformat(),
                }
                self.emit(life, EventKind.READMISSION, on, decision, to_org=cell, details=details)
                assert life.anchor is not None and life.out_since is not None
                life.anchor = life.anchor + (on - life.out_since)
                life.status, life.admitted_on, life.official_on = (
                    MemberStatus.PROBATIONARY,
                    on,
                    None,
                )
                life.has_card = False
                life.readmissions += 1
                self.probation(life, ceremony)
            else:
                decision = self.upper_decision(
                    home,
                    on - timedelta(days=rng.randint(2, 12)),
                    f"Về việc tiếp nhận sinh hoạt đảng đối với đồng chí {life.name}",
                )
                self.emit(life, EventKind.TRANSFER, on, decision, to_org=cell)
                life.status = MemberStatus.OFFICIAL
            life.cell, life.out_reason, life.out_since = cell, "", None
            self.spell(life, on)
            self.schedule_badge(life, on)

    def random_event(self, life: Life, kind: str, on: date) -> None:
        rng, tree = self.rng, self.tree
        ward = tree.ward_of(life.cell, on)
        if kind == "death":
            self.emit(life, EventKind.DEATH, on)
            self.leave(life, on, "tu_tran")
            life.died_on = on
            self.posthumous(life, on)
        elif kind == "exemption":
            self.emit(life, EventKind.EXEMPTION, on)
            life.exempt = True
            self.spell(life, on)
            self.schedule_badge(life, on + timedelta(days=1))
        elif kind == "discipline":
            if life.status == MemberStatus.PROBATIONARY:
                form = weighted(rng, [(DisciplineForm.REPRIMAND, 70), (DisciplineForm.WARNING, 30)])
            else:
                form = weighted(
                    rng,
                    [
                        (DisciplineForm.REPRIMAND, 58),
                        (DisciplineForm.WARNING, 30),
                        (DisciplineForm.DISMISSAL, 9),
                        (DisciplineForm.EXPULSION, 3),
                    ],
                )
            label = DisciplineForm(form).label.lower()
            maker = self.upper_decision if form == DisciplineForm.EXPULSION else self.ward_decision
            decision = maker(
                ward,
                on,
                f"Về việc thi hành kỷ luật bằng hình thức {label} đối với đảng viên {life.name}",
            )
            self.emit(life, EventKind.DISCIPLINE, on, decision, form=form.value)
            if form == DisciplineForm.EXPULSION:
                self.leave(life, on, "khai_tru")
        elif kind in ("removal", "leaving"):
            event = EventKind.REMOVAL if kind == "removal" else EventKind.LEAVING
            decision = self.ward_decision(ward, on, f"Về việc xóa tên đảng viên {life.name}")
            self.emit(life, event, on, decision)
            self.leave(life, on, "xoa_ten" if kind == "removal" else "ra_khoi_dang")
            back = add_months(on, rng.randint(37, 48))
            if (
                back <= TODAY
                and months_between(life.birth, back) < 58 * 12
                and rng.random() < (0.12 if kind == "removal" else 0.05)
                and kind == "removal"  # who asked to leave is never readmitted
            ):
                self.schedule(life, back, "readmission")
        elif kind == "transfer_out":
            decision = self.upper_decision(
                ward,
                on - timedelta(days=rng.randint(3, 15)),
                f"Về việc giới thiệu sinh hoạt đảng đối với đồng chí {life.name}",
            )
            self.emit(life, EventKind.TRANSFER, on, decision, from_org=life.cell, to_org=None)
            official = life.status == MemberStatus.OFFICIAL
            self.leave(life, on, "chuyen_di")
            back = add_months(on, rng.randint(12, 36))
            if official and back <= TODAY and rng.random() < 0.06:
                self.schedule(life, back, "return")
        elif kind in ("transfer_internal", "transfer_ward"):
            if kind == "transfer_ward":
                others = [w for w in tree.wards_on(on) if w.index != ward.index]
                if others:
                    weights = [3 if w.district == ward.district else 1 for w in others]
                    target_ward = rng.choices(others, weights=weights, k=1)[0]
                else:
                    target_ward = ward
            else:
                target_ward = ward
            targets = [c for c in tree.residential(target_ward) if c != life.cell]
            if not targets:
                return
            target = rng.choice(targets)
            if target_ward is ward:
                decision = self.ward_decision(
                    ward,
                    on - timedelta(days=rng.randint(1, 10)),
                    f"Về việc chuyển sinh hoạt đảng đối với đồng chí {life.name}",
                )
            else:
                decision = self.upper_decision(
                    ward,
                    on - timedelta(days=rng.randint(3, 15)),
                    f"Về việc giới thiệu sinh hoạt đảng đối với đồng chí {life.name}",
                )
            self.emit(life, EventKind.TRANSFER, on, decision, from_org=life.cell, to_org=target)
            life.cell = target
            self.spell(life, on)
        elif kind == "temporary":
            age = on.year - life.birth.year
            study = rng.random() < (0.5 if age < 35 else 0.15)
            months = rng.randint(6, 24) if study else rng.randint(3, 12)
            until = add_months(on, months)
            if not study and months == 12:  # under one year
                until -= timedelta(days=1)
            if on < REORG_ON <= until:  # a temporary stay never spans the reorganization
                while months > 3 and add_months(on, months) >= REORG_ON:
                    months -= 1
                until = add_months(on, months)
                if until >= REORG_ON:
                    return
            host = None
            if rng.random() < 0.35:
                hosts = [
                    c
                    for w in tree.wards_on(on)
                    if w.index != ward.index
                    for c in tree.residential(w)
                ]
                host = rng.choice(hosts) if hosts else None
            self.emit(
                life,
                EventKind.TEMPORARY_OUT,
                on,
                to_org=host,
                until=until,
                form="hoc_tap" if study else "cong_tac",
            )
            life.away = True
            if until <= TODAY:
                self.schedule(life, until, "back", prio=0)

    def posthumous(self, life: Life, died: date) -> None:
        """Schedule a posthumous badge when the party age at death is within the allowed margin."""
        assert life.anchor is not None  # every life starts with an admission date
        for years in rules_on(died).badge_milestones:
            if years in life.badges:
                continue
            if ceremony_on_or_after(add_months(life.anchor, 12 * years)) < self.size.history_from:
                continue
            rs = rules_on(died)
            if months_between(life.anchor, died) >= 12 * years - rs.badge_early_months_posthumous:
                c = ceremony_on_or_after(died + timedelta(days=1))
                if c <= TODAY and self.rng.random() < 0.8:
                    self.schedule(life, c, "posthumous", years=years)
            return
