"""The annual quality grading of the demo city (DOMAIN §7), written through the grading services.

Every December the base organizations grade their members (all on one day of the year) and
the committee above grades each base organization a week or two later: the old wards (base committees) for 2019–2024,
and from 1/7/2025 the cells of the new wards (base cells directly under the ward) for 2025.
Exempt members and members admitted less than six months before are not graded (the
service records them with the reason), members disciplined in the year are «không hoàn
thành nhiệm vụ», and in each base organization the members graded excellent stay within
the 20% of those graded good. Gradings held from 30/8/2025 (366-QĐ/TW) carry points on
the 100-point scale that match the grade.

The grading dates and decisions are planned before the decisions are numbered; the grades
are drawn when written, from the caller's ``random.Random`` in a fixed order (base
organizations by plan, members by id).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dangbo.grading import services as gs
from dangbo.grading.models import Grade
from dangbo.grading.rules import excellent_cap, grading_rules_on, member_grading_from
from dangbo.membership.models import EventKind, Member, MemberEvent, MembershipSpell

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
    members_decision: object
    org_graded_on: date
    org_decision: object


def plan_grading(h, rng: random.Random, *, first_year: int, reorg_on: date) -> list[GradingPlan]:
    """The grading dates and decisions of every base organization for `first_year`–2025."""
    tree = h.tree
    plans: list[GradingPlan] = []
    for year in range(first_year, 2026):
        # one day for every base organization's members: a member moving between wards in
        # December is then on exactly one roll
        on = date(year, 12, rng.randint(8, 20))
        if date(year, 12, 31) < reorg_on:
            org_days: dict[int, date] = {}
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
    """Points and task shares (one decimal) that the 100-point scale matches with `grade`."""
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
    else:
        out["tasks_done_pct"] = Decimal(rng.randint(80, 100))
        out["tasks_exceeded_pct"] = Decimal(rng.randint(0, 25))
    return out


@dataclass
class GradingCounts:
    member_rows: int = 0
    org_rows: int = 0


def write_grading(
    h, plans: list[GradingPlan], rng: random.Random, actor: str, log
) -> GradingCounts:
    """Record the planned gradings: each base organization's members, then the organization."""

    tree, book = h.tree, h.book
    counts = GradingCounts()
    admitted_on = {
        pk: (admitted, last)
        for pk, admitted, last in Member.objects.values_list(
            "pk", "admitted_on", "last_admitted_on"
        )
    }
    # grading day → (base org → member → exempt, members disciplined in the year)
    rolls: dict[date, tuple[dict[int | None, dict[int, bool]], set[int]]] = {}
    shown = -1
    for i, plan in enumerate(plans):
        org = tree.wards[plan.ref].org if plan.kind == "ward" else tree.orgs[plan.ref]
        on = plan.graded_on
        if (
            on not in rolls
        ):  # everyone on the rolls that day, by base organization (as the service reads it)
            spells = list(
                MembershipSpell.objects.filter(valid_from__lte=on, valid_to__gt=on).values_list(
                    "member_id", "cell_id", "exempt"
                )
            )
            base_of = gs.base_orgs_of({cell for _, cell, _ in spells}, on=on)
            by_base: dict[int | None, dict[int, bool]] = {}
            for member, cell, exempt in spells:
                by_base.setdefault(base_of.get(cell), {})[member] = exempt
            rolls[on] = (
                by_base,
                set(
                    MemberEvent.objects.filter(
                        kind=EventKind.DISCIPLINE,
                        effective_on__year=plan.year,
                        reversed_by__isnull=True,
                    ).values_list("member_id", flat=True)
                ),
            )
        roll, disciplined = rolls[on][0].get(org.pk, {}), rolls[on][1]
        rs = grading_rules_on(on)
        graded: list[list[Any]] = []  # [member id, grade]
        for pk in sorted(roll):
            admitted, last = admitted_on[pk]
            if last is not None and last <= on:
                admitted = last
            if roll[pk] or (admitted is not None and member_grading_from(rs, admitted) > on):
                continue  # exempt or admitted too recently: the service records them as not graded
            graded.append(
                [pk, Grade.NOT_COMPLETED if pk in disciplined else _pick(rng, MEMBER_GRADES)]
            )
        good = sum(1 for _, g in graded if g == Grade.GOOD)
        excellent = [row for row in graded if row[1] == Grade.EXCELLENT]
        cap = excellent_cap(rs, good)
        while cap is not None and len(excellent) > cap:
            excellent.pop(rng.randrange(len(excellent)))[1] = Grade.GOOD
            good += 1
            cap = excellent_cap(rs, good)
        rows = []
        for pk, grade in graded:
            row = {"member": pk, "grade": grade}
            if rs.uses_points:
                row.update(_points(rng, grade))
            rows.append(row)
        if roll:
            counts.member_rows += len(
                gs.grading_record_members(
                    base_org=org,
                    year=plan.year,
                    graded_on=on,
                    grades=rows,
                    decision=book[plan.members_decision],
                    actor=actor,
                )
            )
        grade = _pick(rng, COMMITTEE_GRADES if plan.kind == "ward" else ORG_GRADES)
        extra = _points(rng, grade) if grading_rules_on(plan.org_graded_on).uses_points else {}
        gs.grading_record_org(
            org=org,
            year=plan.year,
            graded_on=plan.org_graded_on,
            grade=grade,
            exemplary=grade == Grade.EXCELLENT and rng.random() < 0.3,
            decision=book[plan.org_decision],
            actor=actor,
            **extra,
        )
        counts.org_rows += 1
        pct = (i + 1) * 100 // len(plans)
        if pct // 25 != shown // 25 or i == len(plans) - 1:
            shown = pct
            log(f"  đánh giá, xếp loại: {pct}%")
    return counts
