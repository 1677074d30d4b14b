"""Grading figures of an organization's subtree for a year (DOMAIN §7, report figures
"42/44 base organizations good or excellent; no weak organization", "310/349 members
graded, 58 excellent, 252 good").

A grading row counts for `org` when its base organization lay in `org`'s subtree on the
row's grading date (the tree as it stood then), so a later merge or move does not change
a past year's figures. Each family is one aggregate query over the grading rows joined
to the closure table; nothing loops over members in Python.

Organization grades are counted by the level of the graded organization on its grading
date: base organizations (``base_orgs_*``), the cells and branch committees under a base
committee (``cells_*``), and the organization's own grade when it is graded as a committee
above (or below) the base level (``own_grade``).

"Members not graded" are the rows recorded with ``khong_xep_loai`` (see
:mod:`dangbo.grading.models`): the grading of a base organization covers all its members
on the grading date, so graded + not graded = the members of the graded base
organizations on their grading dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from dangbo.core.errors import InvalidInput
from dangbo.core.numbers import FigureSet, percentage, to_json_value
from dangbo.grading.models import NOT_GRADED, Grade, MemberGrade, NotGradedReason, OrgGrade
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion

GOOD_OR_BETTER = (Grade.EXCELLENT.value, Grade.GOOD.value)


#: The share keys: canonical key → (part, whole) field names. In JSON each is the
#: percentage of :func:`dangbo.core.numbers.percentage` (a number, null for a zero whole).
SHARES = {
    "members_graded_ratio": ("members_graded", "members_total"),
    "members_excellent_percent": ("members_excellent", "members_graded"),
    "members_good_percent": ("members_good", "members_graded"),
    "members_good_or_better_percent": ("members_good_or_better", "members_graded"),
    "base_orgs_graded_ratio": ("base_orgs_graded", "base_orgs_total"),
    "base_orgs_good_or_better_ratio": ("base_orgs_good_or_better", "base_orgs_total"),
    "base_orgs_good_or_better_percent": ("base_orgs_good_or_better", "base_orgs_total"),
    "cells_good_or_better_ratio": ("cells_good_or_better", "cells_total"),
}


@dataclass(frozen=True)
class GradingFigures(FigureSet):
    """Grading counts of a subtree for a year; see :func:`grading_figures`."""

    year: int
    members_graded: int = 0
    members_not_graded: int = 0
    members_total: int = 0
    members_by_grade: Mapping[str, int] = field(default_factory=dict)
    members_not_graded_by_reason: Mapping[str, int] = field(default_factory=dict)
    members_excellent: int = 0
    members_good: int = 0
    members_good_or_better: int = 0
    members_disciplined: int = 0
    base_orgs_total: int = 0
    base_orgs_graded: int = 0
    base_orgs_not_graded: int = 0
    base_orgs_by_grade: Mapping[str, int] = field(default_factory=dict)
    base_orgs_good_or_better: int = 0
    weak_orgs: int = 0
    exemplary_orgs: int = 0
    cells_total: int = 0
    cells_graded: int = 0
    cells_by_grade: Mapping[str, int] = field(default_factory=dict)
    cells_good_or_better: int = 0
    own_grade: str | None = None
    own_exemplary: bool = False
    members_not_completed_two_years: int = 0
    rule_sets: tuple[str, ...] = ()

    @property
    def any_graded(self) -> bool:
        """Whether anything of the year was graded (the report's part)."""
        return bool(
            self.members_total or self.base_orgs_graded or self.cells_graded or self.own_grade
        )

    def share(self, name: str) -> Decimal | None:
        """The percentage ``name`` (a key of SHARES) of these counts."""
        part, whole = SHARES[name]
        return percentage(getattr(self, part), getattr(self, whole))

    def extra_keys(self) -> dict[str, object]:
        return {name: to_json_value(self.share(name)) for name in SHARES}


def _in_subtree_on_grading_date(prefix: str, org: Organization) -> dict[str, object]:
    """Filter kwargs: the row's organization (`prefix`) was under `org` on the row's graded_on."""
    return {
        f"{prefix}__closure_up__ancestor": org,
        f"{prefix}__closure_up__valid_from__lte": F("graded_on"),
        f"{prefix}__closure_up__valid_to__gt": F("graded_on"),
    }


def _base_above(org: Any, on: Any) -> QuerySet[OrgClosure]:
    """Closure rows putting a base organization strictly above `org` on `on`."""
    return OrgClosure.objects.filter(
        descendant=org,
        depth__gte=1,
        valid_from__lte=on,
        valid_to__gt=on,
        ancestor__versions__valid_from__lte=on,
        ancestor__versions__valid_to__gt=on,
        ancestor__versions__kind__is_base=True,
    )


def grading_figures(org: Organization, year: int) -> GradingFigures:
    """Member and base-organization grading figures of `org`'s subtree for `year`.

    Keys: counts ``members_graded``, ``members_not_graded``, ``members_total`` (graded +
    not graded), ``members_by_grade`` {grade: n} (every grade), ``members_not_graded_by_reason``,
    ``members_excellent``, ``members_good``, ``members_good_or_better``,
    ``members_disciplined`` (graded members disciplined in the year), ``base_orgs_total``
    (base organizations in the subtree alive on 31/12 of `year`), ``base_orgs_graded``,
    ``base_orgs_not_graded`` (of those alive at year end, without a grade), ``base_orgs_by_grade``,
    ``base_orgs_good_or_better``, ``weak_orgs`` (not completed), ``exemplary_orgs``,
    ``cells_total`` (cells and branch committees under a base committee, alive on 31/12),
    ``cells_graded``, ``cells_by_grade``, ``cells_good_or_better``; ``own_grade`` (the
    organization's own grade when graded as a level other than a base organization and not
    under one: a district or city committee; null otherwise) and ``own_exemplary``;
    ``members_not_completed_two_years`` (members graded "not completed" this year and the
    year before, grounds for removal);
    ``rule_sets`` (the regulations the rows were graded under); and the shares of SHARES as
    percentages: ``members_graded_ratio`` (310/349 → 88.8), ``members_excellent_percent``,
    ``members_good_percent``, ``members_good_or_better_percent`` (of members graded),
    ``base_orgs_graded_ratio``, ``base_orgs_good_or_better_ratio`` and
    ``base_orgs_good_or_better_percent`` (of ``base_orgs_total``), ``cells_good_or_better_ratio``.
    """
    if not isinstance(year, int) or year < 1930:
        raise InvalidInput(f"Năm đánh giá «{year}» không hợp lệ.", field="year")
    year_end = date(year, 12, 31)

    not_completed_last_year = MemberGrade.objects.filter(
        member=OuterRef("member"), year=year - 1, grade=Grade.NOT_COMPLETED
    )
    member_rows = (
        MemberGrade.objects.filter(year=year, **_in_subtree_on_grading_date("base_org", org))
        .values("grade", "reason", "disciplined", "rule_set")
        .annotate(
            n=Count("id", distinct=True),
            running=Count(
                "id",
                distinct=True,
                filter=Q(grade=Grade.NOT_COMPLETED) & Q(Exists(not_completed_last_year)),
            ),
        )
    )
    by_grade = {g: 0 for g in Grade.values}
    by_reason = {r: 0 for r in NotGradedReason.values}
    not_graded = disciplined = running = 0
    rule_sets: set[str] = set()
    for row in member_rows:
        rule_sets.add(row["rule_set"])
        running += row["running"]
        if row["grade"] == NOT_GRADED:
            not_graded += row["n"]
            by_reason[row["reason"]] += row["n"]
        else:
            by_grade[row["grade"]] += row["n"]
            if row["disciplined"]:
                disciplined += row["n"]
    graded = sum(by_grade.values())

    # one query for every organization grade, told apart by the level on the grading date
    org_rows = (
        OrgGrade.objects.filter(year=year, **_in_subtree_on_grading_date("org", org))
        .annotate(
            is_base=Exists(
                OrgVersion.objects.filter(
                    org=OuterRef("org"),
                    valid_from__lte=OuterRef("graded_on"),
                    valid_to__gt=OuterRef("graded_on"),
                    kind__is_base=True,
                )
            ),
            under_base=Exists(_base_above(OuterRef("org"), OuterRef("graded_on"))),
            is_self=Case(When(org=org, then=Value(True)), default=Value(False)),
        )
        .values("grade", "exemplary", "rule_set", "is_base", "under_base", "is_self")
        .annotate(n=Count("id", distinct=True))
    )
    orgs_by_grade = {g: 0 for g in Grade.values}
    cells_by_grade = {g: 0 for g in Grade.values}
    exemplary = 0
    own: dict[str, Any] | None = None
    for row in org_rows:
        rule_sets.add(row["rule_set"])
        if row["is_base"]:
            orgs_by_grade[row["grade"]] += row["n"]
            if row["exemplary"]:
                exemplary += row["n"]
        elif row["under_base"]:
            cells_by_grade[row["grade"]] += row["n"]
        elif row["is_self"]:
            own = row
    orgs_graded = sum(orgs_by_grade.values())

    alive = OrgVersion.objects.filter(
        valid_from__lte=year_end,
        valid_to__gt=year_end,
        org__closure_up__ancestor=org,
        org__closure_up__valid_from__lte=year_end,
        org__closure_up__valid_to__gt=year_end,
    )
    counts = alive.aggregate(
        total=Count("org", distinct=True, filter=Q(kind__is_base=True)),
        ungraded=Count(
            "org",
            distinct=True,
            filter=Q(kind__is_base=True)
            & ~Q(Exists(OrgGrade.objects.filter(org=OuterRef("org"), year=year))),
        ),
        cells=Count(
            "org",
            distinct=True,
            filter=Q(kind__is_base=False) & Q(Exists(_base_above(OuterRef("org"), year_end))),
        ),
    )
    base_total, base_not_graded = counts["total"], counts["ungraded"]
    cells_total = counts["cells"]

    members_good_or_better = by_grade[Grade.EXCELLENT] + by_grade[Grade.GOOD]
    orgs_good_or_better = orgs_by_grade[Grade.EXCELLENT] + orgs_by_grade[Grade.GOOD]
    members_total = graded + not_graded
    return GradingFigures(
        year=year,
        members_graded=graded,
        members_not_graded=not_graded,
        members_total=members_total,
        members_by_grade=by_grade,
        members_not_graded_by_reason=by_reason,
        members_excellent=by_grade[Grade.EXCELLENT],
        members_good=by_grade[Grade.GOOD],
        members_good_or_better=members_good_or_better,
        members_disciplined=disciplined,
        base_orgs_total=base_total,
        base_orgs_graded=orgs_graded,
        base_orgs_not_graded=base_not_graded,
        base_orgs_by_grade=orgs_by_grade,
        base_orgs_good_or_better=orgs_good_or_better,
        weak_orgs=orgs_by_grade[Grade.NOT_COMPLETED],
        exemplary_orgs=exemplary,
        cells_total=cells_total,
        cells_graded=sum(cells_by_grade.values()),
        cells_by_grade=cells_by_grade,
        cells_good_or_better=cells_by_grade[Grade.EXCELLENT] + cells_by_grade[Grade.GOOD],
        own_grade=own["grade"] if own else None,
        own_exemplary=bool(own and own["exemplary"]),
        members_not_completed_two_years=running,
        rule_sets=tuple(sorted(rule_sets)),
    )
