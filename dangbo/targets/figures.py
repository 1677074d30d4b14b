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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dangbo.core.errors import InvalidInput
from dangbo.core.numbers import FigureSet, percentage, to_json_value
from dangbo.organizations.models import Organization
from dangbo.targets.models import CATEGORY_ORDER, Evaluation, Status, Target, TargetRevision
from dangbo.targets.rules import plan_percentage
from dangbo.targets.selectors import (
    assessment_of,
    current_evaluations,
    exact_actual,
    pick_in_force,
)

KEYS = (
    "targets_total",
    "targets_exceeded",
    "targets_achieved",
    "targets_not_achieved",
    "targets_summary",
    "targets",
    "targets_adopted",
    "targets_adopted_by_category",
)


@dataclass(frozen=True)
class TargetRow:
    """One target in the report table.

    ``planned`` and ``actual`` are the values as the table prints them: an entered value
    without trailing zeros; a computed percentage actual (part/whole) as the percentage
    figure (:func:`dangbo.core.numbers.percentage`). ``percent`` is the % of plan
    (:func:`dangbo.targets.rules.plan_percentage`), None when it is not defined."""

    name: str
    unit: str
    planned: Decimal
    actual: Decimal
    percent: Decimal | None
    status: str  # Status value: vuot / dat / chua_dat
    category: str = ""
    computed: bool = False
    revised: bool = False


@dataclass(frozen=True)
class TargetFigures(FigureSet):
    """Counts and the table of an organization's targets; ``targets_summary`` (JSON) is the
    percentage of targets achieved or exceeded (its numerator is exceeded + achieved, its
    denominator ``targets_total``). ``targets_adopted`` counts the targets adopted for a
    later period and not yet evaluated (:func:`adopted_targets`), by category code in
    ``targets_adopted_by_category`` (categories with none left out)."""

    targets_total: int = 0
    targets_exceeded: int = 0
    targets_achieved: int = 0
    targets_not_achieved: int = 0
    targets: tuple[TargetRow, ...] = ()
    targets_adopted: int = 0
    targets_adopted_by_category: Mapping[str, int] = field(default_factory=dict)

    @property
    def done(self) -> int:
        """Targets achieved or exceeded."""
        return self.targets_exceeded + self.targets_achieved

    def extra_keys(self) -> dict[str, object]:
        return {"targets_summary": to_json_value(percentage(self.done, self.targets_total))}


def _actual(evaluation: Evaluation) -> Decimal:
    if evaluation.actual_whole:
        assert evaluation.actual_part is not None
        value = percentage(evaluation.actual_part, evaluation.actual_whole)
        assert value is not None
        return value
    return Decimal(evaluation.actual).normalize()


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


@dataclass(frozen=True)
class AdoptedTargets:
    """Targets adopted by the end of a period for a later one, not yet evaluated: counts by
    category code (in CATEGORY_ORDER) and the periods they are for ("2024", "2025–2030")."""

    by_category: Mapping[str, int]
    periods: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(self.by_category.values())


def adopted_targets(org: Organization, start: date, end: date) -> AdoptedTargets:
    """The targets of `org` adopted on or before `end` for a period beginning after `start`
    (a year after `start`'s year began, or a term starting after `start`) that have no
    evaluation of a review period ending on or before `end` — the next year's or the next
    term's targets a plenum or congress sets, which the directions part announces.

    A yearly target for the report's own year is not counted (its year began at or before
    `start`); neither is a target already evaluated, whatever its period."""
    evaluated = current_evaluations().filter(period_end__lte=end).values("target_id")
    rows = (
        Target.objects.filter(org=org, adopted_on__lte=end)
        .exclude(pk__in=evaluated)
        .select_related("term")
    )
    counts: dict[str, int] = defaultdict(int)
    periods: set[tuple[date, str]] = set()
    for t in rows:
        if t.year is not None:
            begins, label = date(t.year, 1, 1), str(t.year)
        else:
            assert t.term is not None
            begins, label = t.term.starts_on, t.term.label
        if begins <= start:
            continue
        counts[t.category] += 1
        periods.add((begins, label))
    return AdoptedTargets(
        by_category={c: counts[c] for c in CATEGORY_ORDER if counts[c]},
        periods=tuple(label for _, label in sorted(periods)),
    )


def target_figures(
    org: Organization, start: date, end: date, *, adopted: AdoptedTargets | None = None
) -> TargetFigures:
    """Counts and the report table of `org`'s targets evaluated for periods ending in
    [start, end].

    Keys: ``targets_total``, ``targets_exceeded`` (vượt), ``targets_achieved`` (đạt),
    ``targets_not_achieved`` (chưa đạt); ``targets_summary`` — achieved or exceeded over
    total (a percentage); ``targets`` — one :class:`TargetRow` per target in report order
    with ``name``, ``unit`` (in force), ``planned`` and ``actual`` (1.5, 18700000; a computed
    percentage by the percentage rule, 95.5), ``percent`` (of plan: 790.2, None when not
    defined), ``status`` (vuot / dat / chua_dat), ``category`` (code), ``computed`` (filled
    from the records) and ``revised`` (a revision was in force at the review point);
    ``targets_adopted`` and ``targets_adopted_by_category`` — see :func:`adopted_targets`
    (`adopted`: its result when the caller has it already)."""
    if end < start:
        raise InvalidInput("Ngày kết thúc kỳ trước ngày bắt đầu.", field="to")
    evaluations = latest_evaluations(org, start, end)
    if adopted is None:
        adopted = adopted_targets(org, start, end)
    revisions: dict[int, list[TargetRevision]] = defaultdict(list)
    for r in TargetRevision.objects.filter(target_id__in=[e.target_id for e in evaluations]):
        revisions[r.target_id].append(r)
    counts = dict.fromkeys(Status.values, 0)
    table = []
    for e in evaluations:
        force = pick_in_force(e.target, revisions[e.target_id], e.period_end)
        actual, per = exact_actual(e)
        a = assessment_of(e, force.planned)
        counts[a.status] += 1
        table.append(
            TargetRow(
                name=force.name,
                unit=force.unit,
                planned=Decimal(force.planned).normalize(),
                actual=_actual(e),
                percent=plan_percentage(e.target.direction, force.planned, actual, per),
                status=a.status,
                category=e.target.category,
                computed=e.computed,
                revised=force.revision is not None,
            )
        )
    return TargetFigures(
        targets_total=len(table),
        targets_exceeded=counts[Status.EXCEEDED],
        targets_achieved=counts[Status.ACHIEVED],
        targets_not_achieved=counts[Status.NOT_ACHIEVED],
        targets=tuple(table),
        targets_adopted=adopted.total,
        targets_adopted_by_category=adopted.by_category,
    )
