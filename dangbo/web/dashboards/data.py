"""The figures of the leadership dashboard: an organization over the last years, and its
units side by side for one year.

Per year (the current year up to today): members at the year's end, admissions, the
admissions target (the planned value in force at the year's end of the organization's
yearly targets computed from admissions), members by grade, targets achieved or exceeded
out of those evaluated. The units' table has one row per unit directly below the
organization; its total row is the sum of the unit rows, so it adds up by construction
(members sitting directly in the organization, outside every unit, are not in it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dangbo.figures import admissions_series, members_series, unit_counts
from dangbo.grading.figures import grading_figures
from dangbo.grading.models import GRADE_ORDER, Grade
from dangbo.organizations.models import Organization
from dangbo.targets.figures import target_figures
from dangbo.targets.models import Figure, Target, TargetRevision
from dangbo.targets.selectors import pick_in_force
from dangbo.web.tasks.units import child_versions

YEARS = 5
#: The grades best first, with the short names of the table's columns and the charts.
GRADES: tuple[tuple[str, str], ...] = tuple(
    zip(
        (g.value for g in GRADE_ORDER),
        ("Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành"),
        strict=True,
    )
)


@dataclass(frozen=True)
class Row:
    """One year of the organization, or one unit in a year."""

    label: str
    members: int = 0
    admissions: int = 0
    admissions_target: int | None = None
    grades: dict[str, int] = field(default_factory=dict)
    targets_done: int = 0
    targets_total: int = 0
    org_id: int | None = None
    code: str = ""

    def grade(self, value: str) -> int:
        return self.grades.get(value, 0)

    @property
    def graded(self) -> int:
        return sum(self.grades.values())

    @property
    def grade_counts(self) -> list[int]:
        return [self.grade(g) for g, _ in GRADES]


@dataclass(frozen=True)
class Dashboard:
    org: Organization
    name: str
    year: int
    years: list[Row]
    units: list[Row]

    @property
    def total(self) -> Row:
        """The sum of the unit rows (the admissions target: None when no unit has one)."""
        targets = [u.admissions_target for u in self.units if u.admissions_target is not None]
        grades: dict[str, int] = defaultdict(int)
        for u in self.units:
            for g, n in u.grades.items():
                grades[g] += n
        return Row(
            label="Cộng",
            members=sum(u.members for u in self.units),
            admissions=sum(u.admissions for u in self.units),
            admissions_target=sum(targets) if targets else None,
            grades=dict(grades),
            targets_done=sum(u.targets_done for u in self.units),
            targets_total=sum(u.targets_total for u in self.units),
        )


def year_span(year: int, today: date) -> tuple[date, date]:
    """1/1 to 31/12 of `year`; to `today` for the current year."""
    return date(year, 1, 1), min(date(year, 12, 31), today)


def admission_targets(org_ids: Iterable[int], years: list[int]) -> dict[tuple[int, int], int]:
    """{(org, year): planned} of the yearly targets computed from admissions, the plan in
    force at the year's end (two queries)."""
    targets = list(
        Target.objects.filter(
            org_id__in=list(org_ids), year__in=years, computed_from=Figure.ADMITTED
        )
    )
    revisions: dict[int, list[TargetRevision]] = defaultdict(list)
    for r in TargetRevision.objects.filter(target__in=targets):
        revisions[r.target_id].append(r)
    out: dict[tuple[int, int], int] = defaultdict(int)
    for t in targets:
        assert t.year is not None
        planned = pick_in_force(t, revisions[t.pk], date(t.year, 12, 31)).planned
        out[(t.org_id, t.year)] += int(Decimal(planned))
    return dict(out)


def _grades(org: Organization, year: int) -> dict[str, int]:
    figures = grading_figures(org, year)
    return {g: n for g, n in figures.members_by_grade.items() if g in Grade.values and n}


def dashboard(org: Organization, name: str, year: int, today: date) -> Dashboard:
    """The organization's last :data:`YEARS` years up to `year`, and its units in `year`."""
    years = [y for y in range(year - YEARS + 1, year + 1) if y >= org.founded_on.year]
    spans = [year_span(y, today) for y in years]
    members = members_series(org, [end for _, end in spans]) if spans else []
    admissions = admissions_series(org, spans[0][0], [end for _, end in spans]) if spans else []
    units = child_versions(org.pk, year_span(year, today)[1])
    planned = admission_targets([org.pk, *(u.org_id for u in units)], years)
    rows = []
    for i, (y, (start, end)) in enumerate(zip(years, spans, strict=True)):
        targets = target_figures(org, start, end)
        rows.append(
            Row(
                label=str(y),
                members=members[i],
                admissions=admissions[i],
                admissions_target=planned.get((org.pk, y)),
                grades=_grades(org, y),
                targets_done=targets.done,
                targets_total=targets.targets_total,
            )
        )
    start, end = year_span(year, today)
    counts = unit_counts([u.org_id for u in units], start, end)
    unit_rows = []
    for u in units:
        c = counts.get(u.org_id)
        targets = target_figures(u.org, start, end)
        unit_rows.append(
            Row(
                label=u.name,
                code=u.code,
                org_id=u.org_id,
                members=c.members_end if c else 0,
                admissions=admissions_series(u.org_id, start, [end])[0],
                admissions_target=planned.get((u.org_id, year)),
                grades=_grades(u.org, year),
                targets_done=targets.done,
                targets_total=targets.targets_total,
            )
        )
    return Dashboard(org=org, name=name, year=year, years=rows, units=unit_rows)
