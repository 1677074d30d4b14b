"""The annual quality grading of the demo city (DOMAIN §7), as interchange records.

Every December the base organizations grade their members (all on one day of the year) and
the committee above grades each base organization a week or two later: the old wards (base committees) for 2019–2024,
and from 1/7/2025 the cells of the new wards (base cells directly under the ward) for 2025.
Exempt members and members admitted less than six months before are not graded (recorded
with the reason, as the grading service does), members disciplined in the year are «không hoàn
thành nhiệm vụ», and in each base organization the members graded excellent stay within
the 20% of those graded good. Gradings held from 30/8/2025 (366-QĐ/TW) carry points on
the 100-point scale that match the grade.

The grading dates and decisions are planned before the decisions are numbered; the grades
are drawn afterwards, from the caller's ``random.Random`` in a fixed order (base
organizations by plan, members in the order of their records).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dangbo.demo.common import ACTOR, FAR, REORG_ON
from dangbo.demo.decisions import DecisionRef
from dangbo.demo.lives import History, Life
from dangbo.grading.models import NOT_GRADED, Grade, NotGradedReason
from dangbo.grading.rules import excellent_cap, grading_rules_on, member_grading_from
from dangbo.membership.models import EventKind

#: (grade, weight) of a member who can be graded and was not disciplined in the year.
MEMBER_GRADES = (
    (Grade.EXCELLENT, 16),
    (Grade.GOOD, 76),
    (Grade.COMPLETED, 7),
    (Grade.NOT_COMPLETED, 1),
)
#: (grade, weight) of a base cell; a base committee (an old ward) is never graded «không hoàn thành».
ORG_GRADES = (
    (Grade.EXCELLENT, 18),
    (Grade.GOOD, 71),
    (Grade.COMPLETED, 9),
    (Grade.NOT_COMPLETED, 2),
)
COMMITTEE_GRADES = ((Grade.EXCELLENT, 20), (Grade.GOOD, 70), (Grade.COMPLETED, 10))


@dataclass
class GradingPlan:
    year: int
    kind: str  # "ward" (an old ward, a base committee) | "cell" (a base cell under a new ward)
    ref: int  # ward index or cell id
    graded_on: date
    members_decision: DecisionRef
    org_graded_on: date
    org_decision: DecisionRef


def plan_grading(
    h: History, rng: random.Random, *, first_year: int, reorg_on: date
) -> list[GradingPlan]:
    """The grading dates and decisions of every base organization for `first_year`–2025."""
    tree = h.tree
    plans: list[GradingPlan] = []
    for year in range(first_year, 2026):
        # one day for every base organization's members: a member moving between wards in
        # December is then on exactly one roll
        on = date(year, 12, rng.randint(8, 20))
        if date(year, 12, 31) < reorg_on:
            org_days: dict[int | None, date] = {}
            for ward in tree.old_wards():
                members = h.ward_decision(
                    ward,
                    on,
                    f"Về việc công nhận kết quả đánh giá, xếp loại chất lượng đảng viên năm {year}",
                )
                if ward.district not in org_days:
                    org_days[ward.district] = on + timedelta(days=rng.randint(10, 20))
                org_on = org_days[ward.district]
                decision = h.upper_decision(
                    ward,
                    org_on,
                    f"Về việc xếp loại chất lượng tổ chức cơ sở đảng năm {year}",
                    unique=False,
                )
                plans.append(GradingPlan(year, "ward", ward.index, on, members, org_on, decision))
        else:
            for ward in tree.new_wards():
                org_on = on + timedelta(days=rng.randint(7, 15))
                members = h.ward_decision(
                    ward,
                    on,
                    f"Về việc công nhận kết quả đánh giá, xếp loại chất lượng đảng viên năm {year} "
                    "của các chi bộ trực thuộc",
                    unique=False,
                )
                decision = h.ward_decision(
                    ward,
                    org_on,
                    f"Về việc xếp loại chất lượng các chi bộ cơ sở trực thuộc năm {year}",
                    unique=False,
                )
                for cell in ward.cells:
                    plans.append(GradingPlan(year, "cell", cell, on, members, org_on, decision))
    return plans


def _pick(rng: random.Random, table) -> str:
    return rng.choices([g for g, _ in table], weights=[w for _, w in table], k=1)[0]


def _points(rng: random.Random, grade: str) -> dict:
    """Points and task shares (one decimal) that the 100-point scale matches with `grade`:
    excellent and good every task done on time, completed every task done with at most 20%
    late (366-QĐ/TW)."""
    bands: dict[str, tuple[float, float]] = {
        Grade.EXCELLENT: (90, 98),
        Grade.GOOD: (70, 89.5),
        Grade.COMPLETED: (50, 69.5),
        Grade.NOT_COMPLETED: (30, 49.5),
    }
    low, high = bands[grade]
    out = {"points": Decimal(f"{rng.uniform(low, high):.1f}")}
    if grade == Grade.EXCELLENT:
        out["tasks_done_pct"] = Decimal(100)
        out["tasks_exceeded_pct"] = Decimal(rng.randint(30, 60))
        out["tasks_late_pct"] = Decimal(0)
        return out
    drawn = Decimal(rng.randint(80, 100))
    out["tasks_exceeded_pct"] = Decimal(rng.randint(0, 25))
    if grade == Grade.GOOD:
        out["tasks_done_pct"], out["tasks_late_pct"] = Decimal(100), Decimal(0)
    elif grade == Grade.COMPLETED:
        out["tasks_done_pct"], out["tasks_late_pct"] = Decimal(100), 100 - drawn
    else:
        out["tasks_done_pct"], out["tasks_late_pct"] = drawn, Decimal(0)
    return out


@dataclass
class GradingCounts:
    member_rows: int = 0
    org_rows: int = 0


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class GradingRecords:
    """The planned gradings as ``member_grade`` and ``org_grade`` records.

    The rolls are read from the members' simulated spells (as the membership spells the
    import derives from the same ledger), the admission dates and the disciplines from their
    events; members exempt or admitted too recently get a row «không xếp loại» with the
    reason, as the grading service records them.
    """

    def __init__(self, h: History, members: list[Life], decision: Callable[[Any], str | None]):
        self.h, self.tree, self.decision = h, h.tree, decision
        self.members = members
        self.order = {life.key: i for i, life in enumerate(members)}  # the members' id order
        self.admitted: dict[int, tuple[date | None, date | None]] = {}  # first, last admission
        self.disciplined: dict[int, set[int]] = defaultdict(set)  # year → members
        for life in members:
            first = last = life.admission[1] if life.admission else None
            for p in life.events:
                d = p.data
                if d.kind == EventKind.ADMISSION:
                    first = last = d.effective_on
                elif d.kind == EventKind.READMISSION:
                    last = d.effective_on
                elif d.kind == EventKind.TRANSFER and d.details.get("admitted_on"):
                    first = last = date.fromisoformat(d.details["admitted_on"])
                elif d.kind == EventKind.DISCIPLINE:
                    self.disciplined[d.effective_on.year].add(life.key)
            self.admitted[life.key] = (first, last)
        self.rolls: dict[date, dict[int, dict[int, bool]]] = {}
        self.records: list[dict] = []
        self.counts = GradingCounts()

    def _rolls_on(self, on: date) -> dict[int, dict[int, bool]]:
        """Base organization key → member → exempt, for everyone on the rolls on `on`."""
        tree = self.tree
        by_base: dict[int, dict[int, bool]] = defaultdict(dict)
        for life in self.members:
            for start, end, cell, _status, exempt in life.spells:
                if start <= on < (end or FAR):
                    base = cell if on >= REORG_ON else tree.wards[tree.cells[cell].ward].key
                    by_base[base][life.key] = exempt
        return by_base

    def _add(self, type_: str, **values) -> None:
        self.records.append(
            {
                "type": type_,
                "ref": f"g{len(self.records) + 1}",
                **{k: v for k, v in values.items() if v is not None and v is not False and v != ""},
            }
        )

    def build(self, plans: list[GradingPlan], rng: random.Random) -> None:
        """Draw the grades: base organizations by plan, members in the order of their ids."""
        tree = self.tree
        for plan in plans:
            key = tree.wards[plan.ref].key if plan.kind == "ward" else plan.ref
            on = plan.graded_on
            if on not in self.rolls:
                self.rolls[on] = self._rolls_on(on)
            roll = self.rolls[on].get(key, {})
            disciplined = self.disciplined[plan.year]
            rs = grading_rules_on(on)
            graded: list[list[Any]] = []  # [member, grade]
            auto: dict[int, str] = {}  # member → reason not graded
            for lk in sorted(roll, key=self.order.__getitem__):
                first, last = self.admitted[lk]
                admitted = last if last is not None and last <= on else first
                if roll[lk]:
                    auto[lk] = NotGradedReason.EXEMPT
                elif admitted is not None and member_grading_from(rs, admitted) > on:
                    auto[lk] = NotGradedReason.NEW_MEMBER
                else:
                    graded.append(
                        [
                            lk,
                            Grade.NOT_COMPLETED if lk in disciplined else _pick(rng, MEMBER_GRADES),
                        ]
                    )
            good = sum(1 for _, g in graded if g == Grade.GOOD)
            excellent = [row for row in graded if row[1] == Grade.EXCELLENT]
            cap = excellent_cap(rs, good)
            while cap is not None and len(excellent) > cap:
                excellent.pop(rng.randrange(len(excellent)))[1] = Grade.GOOD
                good += 1
                cap = excellent_cap(rs, good)
            rows: dict[int, dict] = {}
            for lk, grade in graded:
                row: dict[str, Any] = {"grade": grade}
                if rs.uses_points:
                    row.update({k: _number(v) for k, v in _points(rng, grade).items()})
                rows[lk] = row
            rows.update({lk: {"grade": NOT_GRADED, "reason": r} for lk, r in auto.items()})
            decision = self.decision(plan.members_decision)
            for lk in sorted(rows, key=self.order.__getitem__):
                life = self.members[self.order[lk]]
                self._add(
                    "member_grade",
                    member=f"m{life.person['citizen_id']}",
                    year=plan.year,
                    base_org=f"o{key}",
                    **rows[lk],
                    disciplined=lk in disciplined,
                    graded_on=on.isoformat(),
                    decision=decision,
                    actor=ACTOR,
                )
            self.counts.member_rows += len(rows)
            grade = _pick(rng, COMMITTEE_GRADES if plan.kind == "ward" else ORG_GRADES)
            extra = _points(rng, grade) if grading_rules_on(plan.org_graded_on).uses_points else {}
            self._add(
                "org_grade",
                org=f"o{key}",
                year=plan.year,
                grade=grade,
                **{k: _number(v) for k, v in extra.items()},
                exemplary=grade == Grade.EXCELLENT and rng.random() < 0.3,
                graded_on=plan.org_graded_on.isoformat(),
                decision=self.decision(plan.org_decision),
                actor=ACTOR,
            )
            self.counts.org_rows += 1
