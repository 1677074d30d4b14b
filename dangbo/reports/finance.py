"""The yearly party finance report (báo cáo công tác tài chính Đảng) of an organization: the
year's dues by unit and the remittance of what was collected, level by level.

The figures are those of :func:`dangbo.dues.figures.dues_figures` (months by the tree as it
stood in each month). The units are the organizations directly below with dues records in
the year, each with the months its cells stood under the organization (a unit that moved in
during the year shows only the months since), so their due, paid and arrears add up to the
total; a member exempt in two units counts in each, so the units' exempt members may then
exceed the total's.

The remittance shares what each cell collected in the months of each regulation in force
(342-QĐ/TW before 1/2/2026, 01-QĐ/TW after) by that regulation's rule, along the chain of
organizations the cell stood under at the last of those months, and sums the shares by
level: the cells in one row, each organization above by name. At each level the amount kept
and the amount passed up add up to the amount received; the amounts kept at every level and
what the top level passes on add up to what was collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum

from dangbo.core.dates import today
from dangbo.dues.book import remittance
from dangbo.dues.compute import months_of
from dangbo.dues.figures import DuesFigures, dues_figures, dues_figures_by_unit, in_subtree
from dangbo.dues.models import DuesPayment
from dangbo.dues.rules import dues_rules_on
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.naming import committee_name
from dangbo.organizations.selectors import org_version_shown
from dangbo.reports.addressing import default_place

CELLS_LABEL = "Các chi bộ"


@dataclass(frozen=True)
class FinanceUnit:
    """One organization directly below, with its year's dues figures."""

    name: str
    code: str
    figures: DuesFigures


@dataclass(frozen=True)
class LevelShare:
    """What one level received of the collection, kept and passed up (đồng)."""

    name: str
    percents: tuple[int, ...]  # the shares kept under the regulations of the year
    received: int
    kept: int
    passed: int


@dataclass(frozen=True)
class FinanceData:
    """Everything the finance report shows."""

    year: int
    org_id: int
    org_name: str
    org_code: str
    committee: str
    doc_code: str
    superior: str  # the organization above ("" for the top)
    superior_committee: str
    place: str
    issued_on: date | None
    regulations: tuple[str, ...]
    total: DuesFigures
    units: tuple[FinanceUnit, ...]
    levels: tuple[LevelShare, ...]
    signature_form: str = "T/M BAN THƯỜNG VỤ"
    signer_position: str = "BÍ THƯ"
    signer_name: str = ""

    @property
    def collected(self) -> int:
        return self.total.dues_paid

    @property
    def kept_total(self) -> int:
        return sum(level.kept for level in self.levels)

    @property
    def passed_on(self) -> int:
        """What leaves the system above the top level."""
        return self.levels[-1].passed if self.levels else 0


def _units(org: Organization, start: date, end: date) -> list[FinanceUnit]:
    """The organizations directly below `org` with dues records in the year, each with the
    months it stood under `org` (named as it last stood in the year), by code."""
    by_unit = dues_figures_by_unit(org, start, end)
    seen: dict[int, OrgVersion] = {}
    for v in OrgVersion.objects.filter(org_id__in=by_unit, valid_from__lte=end).order_by(
        "org_id", "-valid_from"
    ):
        seen.setdefault(v.org_id, v)
    out = [
        FinanceUnit(seen[i].name, seen[i].code, f) if i in seen else FinanceUnit(str(i), "", f)
        for i, f in by_unit.items()
    ]
    out.sort(key=lambda u: (u.code, u.name))
    return out


@dataclass
class _Level:
    percents: list[int] = field(default_factory=list)
    received: int = 0
    kept: int = 0
    passed: int = 0


def _levels(org: Organization, months: list[date]) -> list[LevelShare]:
    """The year's collection shared level by level (see the module): one query for what each
    cell collected in each month, then the chain of each cell for each regulation."""
    paid = (
        in_subtree(DuesPayment.objects.filter(month__in=months), org)
        .order_by()
        .values("cell_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("cell_id", "month", "total")
    )
    totals: dict[tuple[int, str], int] = {}  # (cell, regulation) → collected
    last: dict[tuple[int, str], date] = {}  # (cell, regulation) → its last month
    for cell_id, month, total in paid:
        key = (cell_id, dues_rules_on(month).code)
        totals[key] = totals.get(key, 0) + int(total or 0)
        last[key] = max(last.get(key, month), month)
    rows: dict[str, _Level] = {}
    for key in sorted(totals):
        cell_id = key[0]
        for i, share in enumerate(remittance(Organization(pk=cell_id), totals[key], last[key])):
            name = CELLS_LABEL if i == 0 and cell_id != org.pk else share.org_name
            row = rows.setdefault(name, _Level())
            if share.percent not in row.percents:
                row.percents.append(share.percent)
            row.received += share.received
            row.kept += share.kept
            row.passed += share.passed
    return [
        LevelShare(name, tuple(r.percents), r.received, r.kept, r.passed)
        for name, r in rows.items()
    ]


def finance_report(
    org: Organization,
    year: int,
    *,
    issued_on: date | None = None,
    signer_name: str = "",
    signer_position: str = "BÍ THƯ",
    signature_form: str = "T/M BAN THƯỜNG VỤ",
) -> FinanceData:
    """The finance report's data of `org` for `year`, computed from the ledger now.

    Months not computed yet count nothing (as in the figures); a year without dues records
    gives zeros and no units."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    months = months_of(start, end)
    v = org_version_shown(org, end)
    parent = org_version_shown(v.parent, end) if v.parent is not None else None
    return FinanceData(
        year=year,
        org_id=org.pk,
        org_name=v.name,
        org_code=v.code,
        committee=committee_name(v.name, v.kind.code),
        doc_code=v.doc_code,
        superior=parent.name if parent else "",
        superior_committee=committee_name(parent.name, parent.kind.code) if parent else "",
        place=default_place(org, min(end, today())),
        issued_on=issued_on,
        regulations=tuple(dict.fromkeys(dues_rules_on(m).code for m in months)),
        total=dues_figures(org, start, end),
        units=tuple(_units(org, start, end)),
        levels=tuple(_levels(org, months)),
        signature_form=signature_form,
        signer_position=signer_position,
        signer_name=signer_name,
    )
