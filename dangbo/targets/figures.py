"""Target figures of an organization for a report period (REPORTS §3, part I.5).

``target_figures(org, start, end)`` takes the targets of `org` itself (not of the
organizations below it) that have a current evaluation (one no later entry supersedes)
of a review period ending in [start, end]; for each target the evaluation with the
latest period end counts (the later recorded on a tie). Each is assessed against the
name, unit and planned value in force on that period's end (``selectors.in_force``) by
the status rule of :mod:`dangbo.targets.rules`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dangbo import vn_format as vf
from dangbo.core.errors import InvalidInput
from dangbo.organizations.models import Organization
from dangbo.targets.models import CATEGORY_ORDER, Evaluation, Status, TargetRevision
from dangbo.targets.rules import format_value
from dangbo.targets.selectors import (
    assessment_of,
    current_evaluations,
    format_actual,
    pick_in_force,
)

KEYS = (
    "targets_total",
    "targets_exceeded",
    "targets_achieved",
    "targets_not_achieved",
    "targets_summary",
    "targets",
)


def latest_evaluations(org: Organization, start: date, end: date) -> list[Evaluation]:
    """The counted evaluation of each target of `org` (see the module docstring), in report
    order: category (``CATEGORY_ORDER``), then adoption (date, then the order recorded)."""
    rows = (
        current_evaluations()
        .filter(target__org=org, period_end__gte=start, period_end__lte=end)
        .select_related("target")
        .order_by("period_end", "id")
    )
    latest: dict[int, Evaluation] = {}
    for e in rows:
        latest[e.target_id] = e
    return sorted(
        latest.values(),
        key=lambda e: (CATEGORY_ORDER.index(e.target.category), e.target.adopted_on, e.target_id),
    )


def target_figures(org: Organization, start: date, end: date) -> dict:
    """Counts and the report table of `org`'s targets evaluated for periods ending in
    [start, end].

    Keys: ``targets_total``, ``targets_exceeded`` (vượt), ``targets_achieved`` (đạt),
    ``targets_not_achieved`` (chưa đạt); ``targets_summary`` — achieved or exceeded over
    total ("13/13"); ``targets`` — one dict per target in report order with ``name``,
    ``unit`` (in force), ``planned`` and ``actual`` (printed: "1,5", "18.700.000"; a
    computed percentage by the percentage rule, "95,5"), ``percent`` ("790,2%", "—"),
    ``status`` (vuot / dat / chua_dat), ``category`` (code), ``computed`` (filled from the
    records) and ``revised`` (a revision was in force at the review point)."""
    if end < start:
        raise InvalidInput("Ngày kết thúc kỳ trước ngày bắt đầu.", field="to")
    evaluations = latest_evaluations(org, start, end)
    revisions: dict[int, list[TargetRevision]] = defaultdict(list)
    for r in TargetRevision.objects.filter(target_id__in=[e.target_id for e in evaluations]):
        revisions[r.target_id].append(r)
    counts = dict.fromkeys(Status.values, 0)
    table = []
    for e in evaluations:
        force = pick_in_force(e.target, revisions[e.target_id], e.period_end)
        a = assessment_of(e, force.planned)
        counts[a.status] += 1
        table.append(
            {
                "name": force.name,
                "unit": force.unit,
                "planned": format_value(force.planned),
                "actual": format_actual(e),
                "percent": a.percent,
                "status": a.status,
                "category": e.target.category,
                "computed": e.computed,
                "revised": force.revision is not None,
            }
        )
    done = counts[Status.EXCEEDED] + counts[Status.ACHIEVED]
    return {
        "targets_total": len(table),
        "targets_exceeded": counts[Status.EXCEEDED],
        "targets_achieved": counts[Status.ACHIEVED],
        "targets_not_achieved": counts[Status.NOT_ACHIEVED],
        "targets_summary": vf.ratio(done, len(table)),
        "targets": table,
    }
