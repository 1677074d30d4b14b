"""Reads over targets: their period, the values in force on a date, closed periods and the
current evaluation of each review point."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from dangbo.core.dates import FOREVER
from dangbo.organizations.models import Organization
from dangbo.targets.models import Evaluation, Target, TargetRevision
from dangbo.targets.rules import Assessment, assess, format_ratio_percent, format_value

#: Days after a period's end during which its figures may still be entered without being
#: flagged late. Override with the setting ``DANGBO_TARGET_GRACE_DAYS``.
GRACE_DAYS = 15


def grace_days() -> int:
    return int(getattr(settings, "DANGBO_TARGET_GRACE_DAYS", GRACE_DAYS))


def period_bounds(target: Target) -> tuple[date, date]:
    """The inclusive dates a target covers: its year, or its term ``[starts_on, ends_on)``.

    A term still open (no successor congress recorded) runs to 31/12 of its label's last
    year ("2020–2025" → 31/12/2025)."""
    if target.year is not None:
        return date(target.year, 1, 1), date(target.year, 12, 31)
    term = target.term
    assert term is not None  # a target has its year or its term
    if term.ends_on != FOREVER:
        return term.starts_on, term.ends_on - timedelta(days=1)
    years = re.findall(r"\d{4}", term.label)
    last = int(years[-1]) if years else term.starts_on.year
    return term.starts_on, max(date(last, 12, 31), term.starts_on)


@dataclass(frozen=True)
class InForce:
    """A target's name, unit and planned value in force on a date."""

    name: str
    unit: str
    planned: Decimal
    revision: TargetRevision | None  # None: as adopted


def pick_in_force(target: Target, revisions: Iterable[TargetRevision], on: date) -> InForce:
    """Of `revisions` (the target's, any order), the latest effective on or before `on`
    (the later recorded of two on the same day); the target as adopted when none is."""
    best = None
    for r in revisions:
        if r.effective_on <= on and (
            best is None or (r.effective_on, r.pk) > (best.effective_on, best.pk)
        ):
            best = r
    if best is None:
        return InForce(target.name, target.unit, target.planned, None)
    return InForce(best.name, best.unit, best.planned, best)


def in_force(target: Target, on: date) -> InForce:
    """The name, unit and planned value of `target` in force on `on`."""
    return pick_in_force(
        target, TargetRevision.objects.filter(target=target, effective_on__lte=on), on
    )


def exact_actual(evaluation: Evaluation) -> tuple[Decimal, Decimal]:
    """The exact actual value as a fraction (numerator, denominator): part × 100 / whole for
    a computed percentage, the stored value over 1 otherwise."""
    if evaluation.actual_whole and evaluation.actual_part is not None:
        return Decimal(evaluation.actual_part) * 100, Decimal(evaluation.actual_whole)
    return evaluation.actual, Decimal(1)


def assessment_of(evaluation: Evaluation, planned: Decimal) -> Assessment:
    """Status and % of plan of `evaluation` against `planned` (the value in force)."""
    actual, per = exact_actual(evaluation)
    return assess(evaluation.target.direction, planned, actual, per)


def format_actual(evaluation: Evaluation) -> str:
    if evaluation.actual_whole and evaluation.actual_part is not None:
        return format_ratio_percent(evaluation.actual_part, evaluation.actual_whole)
    return format_value(evaluation.actual)


#: Checks (org id, start, end) → bool that close a review period before its grace days end.
#: The reports app installs "its review report has been issued" at start; targets sit below
#: reports and never import them.
_period_closers: list[Callable[[int, date, date], bool]] = []


def period_closer_install(check: Callable[[int, date, date], bool]) -> None:
    """Add a check that closes a review period early (installed once per check)."""
    if check not in _period_closers:
        _period_closers.append(check)


def period_closed(org: Organization | int, start: date, end: date, *, on: date) -> bool:
    """Whether the review period [start, end] of `org` is closed on `on`: the grace days
    after its end have passed (on > end + grace), or its review report has been issued."""
    if on > end + timedelta(days=grace_days()):
        return True
    org_id = org if isinstance(org, int) else org.pk
    return any(closes(org_id, start, end) for closes in _period_closers)


def current_evaluations() -> QuerySet[Evaluation]:
    """Evaluations no later entry supersedes (the value in force of each review point)."""
    return Evaluation.objects.filter(superseded_by__isnull=True)


def current_evaluation(target: Target, kind: str, start: date, end: date) -> Evaluation | None:
    return (
        current_evaluations()
        .filter(target=target, kind=kind, period_start=start, period_end=end)
        .first()
    )


def evaluation_history(target: Target, kind: str, start: date, end: date) -> list[Evaluation]:
    """Every entry of one review point, first recorded first (the last is current)."""
    rows = {
        e.pk: e
        for e in Evaluation.objects.filter(
            target=target, kind=kind, period_start=start, period_end=end
        )
    }
    first = next((e for e in rows.values() if e.supersedes_id is None), None)
    by_previous = {e.supersedes_id: e for e in rows.values() if e.supersedes_id is not None}
    chain = []
    while first is not None:
        chain.append(first)
        first = by_previous.get(first.pk)
    return chain


def targets_of(org: Organization) -> QuerySet[Target]:
    return Target.objects.filter(org=org).select_related("term", "source")
