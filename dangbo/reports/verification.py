"""`verify`: the checks the product runs on its own records.

- the projection rebuilt from the ledger equals the stored one;
- the identity of REPORTS §1 holds for every organization over the recent periods (a period
  starting before the organization's opening date has no figures and is skipped);
- the closure table equals one computed afresh from the versions;
- the figure aggregates equal the ones computed afresh from the ledger;
- cells below the minimum of full members are listed as warnings, and so are members
  graded "not completed" two years running (grounds for removal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from dangbo.core.dates import parse_period
from dangbo.core.progress import Progress
from dangbo.figures import identity_gap, membership_figures
from dangbo.grading.rules import removal_warning
from dangbo.grading.selectors import not_completed_running
from dangbo.membership.aggregates import aggregate_differences
from dangbo.membership.projection import projection_differences
from dangbo.membership.selectors import cells_below_minimum
from dangbo.organizations.closure import closure_differences
from dangbo.organizations.models import OrgVersion
from dangbo.rulebook import rules_on


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)


def recent_periods(today: date, years: int = 3) -> list[tuple[str, date, date]]:
    """Half-years and whole years of the last `years` years, up to `today`."""
    out = []
    for year in range(today.year - years + 1, today.year + 1):
        for label in (f"{year}-H1", f"{year}-H2", f"{year}"):
            start, end = parse_period(label)
            if start <= today:
                out.append((label, start, min(end, today)))
    return out


#: Makes a progress reporter for a labelled step of `total` units (the command prints it).
ProgressFactory = Callable[[str, int], Progress]


def verify(*, today: date, progress: ProgressFactory | None = None, years: int = 3) -> Report:
    report = Report()
    report.failures.extend(closure_differences())
    report.failures.extend(aggregate_differences())
    report.failures.extend(
        projection_differences(progress=progress("Đối chiếu sổ đảng viên", 1) if progress else None)
    )
    periods = recent_periods(today, years)
    orgs = list(
        OrgVersion.objects.filter(
            valid_from__lte=today, valid_to__gt=parse_period(str(today.year - years + 1))[0]
        )
        .values_list("org_id", "name", "code")
        .order_by("org_id", "-valid_from")
    )
    seen: dict[int, tuple[str, str]] = {}
    for org_id, name, code in orgs:
        seen.setdefault(org_id, (name, code))
    tick = progress("Kiểm tra cân đối số liệu", len(seen)) if progress else None
    checks = skipped = 0
    for i, (org_id, (name, code)) in enumerate(seen.items(), 1):
        for label, start, end in periods:
            figures = membership_figures(org_id, start, end, breakdowns=False)
            if not figures.available:
                skipped += 1
                continue
            checks += 1
            gap = identity_gap(figures)
            if gap:
                report.failures.append(
                    f"{name} ({code}), kỳ {label}: cuối kỳ {figures.members_end} đảng viên nhưng "
                    f"đầu kỳ cộng biến động cho {figures.members_end - gap} (lệch {gap})"
                )
        if tick:
            tick(i)
    report.checked = {
        "organizations": len(seen),
        "identity_checks": checks,
        "before_opening": skipped,
    }
    for c in cells_below_minimum(on=today):
        report.warnings.append(
            f"{c['name']} ({c['code']}): chỉ {c['official']} đảng viên chính thức, dưới mức tối thiểu "
            f"{c['minimum']} ({c['regulation']})"
        )
    for year in (today.year - 1, today.year):
        for m in not_completed_running(year=year):
            report.warnings.append(
                removal_warning(
                    name=m.name, cell=m.cell, years=m.years, regulation=rules_on(m.graded_on).code
                )
            )
    return report
