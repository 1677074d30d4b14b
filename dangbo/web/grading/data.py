"""What the grading pages show: a base organization's members on the grading date with their
recorded grades, the base organizations of a subtree with the year's results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max

from dangbo.core.dates import today
from dangbo.grading.models import NOT_GRADED, MemberGrade, NotGradedReason, OrgGrade
from dangbo.grading.rules import GradingRuleSet, grade_label, member_grading_from
from dangbo.grading.selectors import base_orgs_of, disciplined_in
from dangbo.membership.models import MembershipSpell
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion


def default_year(on: date | None = None) -> int:
    """The year being graded: this year from November on (gradings are held in December),
    else the last one."""
    on = on or today()
    return on.year if on.month >= 11 else on.year - 1


def latest_graded_year(org: Organization) -> int | None:
    """The latest year with a member or organization grade recorded in `org`'s subtree (at
    any time), or None when nothing is graded there. Two queries."""
    members = MemberGrade.objects.filter(base_org__closure_up__ancestor=org).aggregate(
        y=Max("year")
    )["y"]
    orgs = OrgGrade.objects.filter(org__closure_up__ancestor=org).aggregate(y=Max("year"))["y"]
    years = [y for y in (members, orgs) if y is not None]
    return max(years) if years else None


def default_graded_on(year: int, on: date | None = None) -> date:
    """15/12 of `year`, or today when that is still to come."""
    on = on or today()
    return min(date(year, 12, 15), on) if on.year == year else date(year, 12, 15)


@dataclass
class GridRow:
    member_id: int
    name: str
    cell: str
    exempt: bool
    too_new: date | None  # admission date of a member too new to be graded
    grade: str = ""  # recorded grade, "" when none
    reason: str = ""
    note: str = ""
    elsewhere: str = ""  # base organization where the member was already graded this year
    disciplined: bool = False  # a discipline in the year (not reversed)
    self_reported: bool = False  # recorded: found and fixed the fault themselves

    @property
    def suggested_reason(self) -> str:
        """The reason the rules impose (exempt, too new), else ""."""
        if self.exempt:
            return NotGradedReason.EXEMPT
        if self.too_new:
            return NotGradedReason.NEW_MEMBER
        return ""

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade) if self.grade else ""

    @property
    def reason_label(self) -> str:
        return NotGradedReason(self.reason).label if self.reason else ""

    @property
    def not_graded(self) -> bool:
        return self.grade == NOT_GRADED


def grid_rows(base_org: Organization, year: int, on: date, rs: GradingRuleSet) -> list[GridRow]:
    """The members on the rolls of `base_org` on `on` (cells under a nested base organization
    left out) by cell and name, with their grade of `year` wherever it was recorded and
    whether they were disciplined in `year`. Five queries whatever the size."""
    spells = list(
        MembershipSpell.objects.filter(
            valid_from__lte=on,
            valid_to__gt=on,
            cell__closure_up__ancestor=base_org,
            cell__closure_up__valid_from__lte=on,
            cell__closure_up__valid_to__gt=on,
        ).values_list(
            "member_id",
            "cell_id",
            "exempt",
            "member__person__full_name",
            "member__admitted_on",
            "member__last_admitted_on",
        )
    )
    base_of = base_orgs_of({s[1] for s in spells}, on=on)
    spells = [s for s in spells if base_of.get(s[1]) == base_org.pk]
    cells = dict(
        OrgVersion.objects.filter(
            org_id__in={s[1] for s in spells}, valid_from__lte=on, valid_to__gt=on
        ).values_list("org_id", "name")
    )
    grades = {
        g[0]: g[1:]
        for g in MemberGrade.objects.filter(
            member_id__in=[s[0] for s in spells], year=year
        ).values_list("member_id", "grade", "reason", "note", "self_reported", "base_org_id")
    }
    disciplined = disciplined_in([s[0] for s in spells], year)
    rows = []
    for mid, cell, exempt, name, admitted_on, last_admitted in spells:
        admitted = last_admitted if last_admitted and last_admitted <= on else admitted_on
        too_new = admitted if admitted and member_grading_from(rs, admitted) > on else None
        row = GridRow(mid, name, cells.get(cell, ""), exempt, too_new)
        row.disciplined = mid in disciplined
        if mid in grades:
            row.grade, row.reason, row.note, row.self_reported, other = grades[mid]
            if other != base_org.pk:
                row.elsewhere = "tổ chức cơ sở đảng nơi sinh hoạt trước"
        rows.append(row)
    rows.sort(key=lambda r: (r.cell, r.name))
    return rows


@dataclass(frozen=True)
class BaseOrgRow:
    org_id: int
    name: str
    members_graded: int
    grade: str
    exemplary: bool

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade) if self.grade else ""


def base_orgs_under(org: Organization, year: int, on: date) -> list[BaseOrgRow]:
    """The base organizations in `org`'s subtree on `on` (or the one `org` lies in), each with
    its number of member grades of `year` and its own grade. Four queries."""
    ids = set(
        OrgClosure.objects.filter(
            ancestor=org,
            valid_from__lte=on,
            valid_to__gt=on,
            descendant__versions__valid_from__lte=on,
            descendant__versions__valid_to__gt=on,
            descendant__versions__kind__is_base=True,
        ).values_list("descendant_id", flat=True)
    )
    if not ids:
        above = base_orgs_of([org.pk], on=on).get(org.pk)
        ids = {above} if above else set()
    names = dict(
        OrgVersion.objects.filter(org_id__in=ids, valid_from__lte=on, valid_to__gt=on).values_list(
            "org_id", "name"
        )
    )
    counts = dict(
        MemberGrade.objects.filter(base_org_id__in=ids, year=year)
        .values("base_org_id")
        .annotate(n=Count("id"))
        .values_list("base_org_id", "n")
    )
    own = {
        o: (g, e)
        for o, g, e in OrgGrade.objects.filter(org_id__in=ids, year=year).values_list(
            "org_id", "grade", "exemplary"
        )
    }
    return sorted(
        (BaseOrgRow(i, names.get(i, ""), counts.get(i, 0), *own.get(i, ("", False))) for i in ids),
        key=lambda r: r.name,
    )
