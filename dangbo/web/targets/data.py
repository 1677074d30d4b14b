"""The targets grid of an organization for a year: each target with the name and plan in force,
its revisions, and its current evaluation at 6 and 9 months, the year end and mid-term."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from dangbo.organizations.models import Organization
from dangbo.targets.models import (
    Direction,
    Evaluation,
    ReviewKind,
    Status,
    Target,
    TargetRevision,
)
from dangbo.targets.rules import format_value
from dangbo.targets.selectors import (
    assessment_of,
    current_evaluations,
    format_actual,
    period_bounds,
    pick_in_force,
)

#: The grid's columns: the review points of a year, then mid-term.
COLUMNS = (
    ReviewKind.HALF_YEAR,
    ReviewKind.NINE_MONTHS,
    ReviewKind.YEAR_END,
    ReviewKind.MID_TERM,
)


@dataclass(frozen=True)
class Cell:
    actual: str
    status: str
    status_label: str
    percent: str
    computed: bool
    late: bool
    superseded: bool  # recorded again (a history exists)


@dataclass
class GridTarget:
    target: Target
    name: str
    unit: str
    planned: str
    direction: str
    period: str
    revisions: list[TargetRevision] = field(default_factory=list)
    cells: list[Cell | None] = field(default_factory=list)


def review_period(kind: str, year: int, target: Target | None = None) -> tuple[date, date]:
    """The default dates of review point `kind` in `year`: from 1/1 to 30/6, 30/9 or 31/12;
    mid-term and end of term from the start of the target's term to 31/12 of `year`."""
    if kind in (ReviewKind.MID_TERM, ReviewKind.END_OF_TERM) and target is not None:
        start, _ = period_bounds(target)
        return start, date(year, 12, 31)
    ends: dict[str, date] = {
        ReviewKind.HALF_YEAR: date(year, 6, 30),
        ReviewKind.NINE_MONTHS: date(year, 9, 30),
    }
    return date(year, 1, 1), ends.get(kind, date(year, 12, 31))


def targets_grid(org: Organization, year: int) -> list[GridTarget]:
    """The targets of `org` for `year` (its yearly targets, and the term targets whose term
    covers the year), in category order. Three queries whatever the size."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    targets = list(
        Target.objects.filter(org=org)
        .filter(Q(year=year) | Q(term__starts_on__lte=end, term__ends_on__gt=start))
        .select_related("term", "source")
        .order_by("category", "adopted_on", "id")
    )
    ids = [t.pk for t in targets]
    revisions: dict[int, list[TargetRevision]] = {}
    for r in TargetRevision.objects.filter(target_id__in=ids).select_related("decision"):
        revisions.setdefault(r.target_id, []).append(r)
    evaluations: dict[tuple[int, str], Evaluation] = {}
    for e in (
        current_evaluations()
        .filter(target_id__in=ids)
        .filter(
            Q(kind__in=COLUMNS[:3], period_end__year=year)
            | Q(kind=ReviewKind.MID_TERM, period_end__lte=end)
        )
        .order_by("period_end", "id")
    ):
        evaluations[(e.target_id, e.kind)] = e  # the latest period of each column
    by_id = {t.pk: t for t in targets}
    rows = []
    for t in targets:
        mine = revisions.get(t.pk, [])
        now = pick_in_force(t, mine, end)
        row = GridTarget(
            target=t,
            name=now.name,
            unit=now.unit,
            planned=format_value(now.planned),
            direction=Direction(t.direction).label,
            period=str(t.year) if t.year else (t.term.label if t.term else ""),
            revisions=sorted(mine, key=lambda r: (r.effective_on, r.pk)),
        )
        for kind in COLUMNS:
            found = evaluations.get((t.pk, kind))
            if found is None:
                row.cells.append(None)
                continue
            e = found
            e.target = by_id[t.pk]
            planned = pick_in_force(t, mine, e.period_end).planned
            a = assessment_of(e, planned)
            row.cells.append(
                Cell(
                    actual=format_actual(e),
                    status=a.status,
                    status_label=Status(a.status).label,
                    percent=a.percent,
                    computed=e.computed,
                    late=e.late,
                    superseded=e.supersedes_id is not None,
                )
            )
        rows.append(row)
    return rows
