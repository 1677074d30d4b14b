"""Computed targets: their actual values read from the figures of the records.

This module sits at the figures layer (it reads ``membership_figures``, ``grading_figures``
and ``congress_figures``); the rest of the targets app never imports it. Writes go through
the same evaluation entry as a value entered by hand, so they are audited and superseded
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from dangbo.congresses.figures import congress_figures
from dangbo.core.errors import InvalidInput
from dangbo.figures import membership_figures
from dangbo.grading.figures import grading_figures
from dangbo.organizations.models import Organization
from dangbo.targets.models import (
    TERM_REVIEWS,
    VALUE_PLACES,
    YEAR_REVIEWS,
    Evaluation,
    Figure,
    ReviewKind,
    Target,
)
from dangbo.targets.selectors import current_evaluation, period_bounds
from dangbo.targets.services import (
    RECOMPUTED_REASON,
    SYSTEM_ACTOR,
    _choice,
    _d,
    _write_evaluation,
)
from dangbo.vn_format import round_half_up


@dataclass
class ComputeResult:
    recorded: list[Evaluation] = field(default_factory=list)  # new entries (first or superseding)
    unchanged: list[Evaluation] = field(default_factory=list)  # current entry already right
    skipped: list[tuple[Target, str]] = field(default_factory=list)  # (target, why), Vietnamese


def _compute(
    org: Organization, figure: str, start: date, end: date
) -> tuple[int, int | None, dict] | str:
    """(part, whole, basis) of `figure` over the window [start, end]; whole is None for a
    count. A string says why the figure cannot be computed."""
    if figure == Figure.ADMITTED:
        f = membership_figures(org, start, end, breakdowns=False)
        return (
            f.admitted + f.readmitted,
            None,
            {"admitted": f.admitted, "readmitted": f.readmitted},
        )
    if figure == Figure.BASE_ORGS_GOOD_OR_BETTER:
        year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
        if date(year, 12, 31) < start:
            return "chưa có năm đánh giá, xếp loại nào kết thúc trong kỳ"
        g = grading_figures(org, year)
        if not g.base_orgs_total:
            return f"không có tổ chức cơ sở đảng nào trong năm {year}"
        return (
            g.base_orgs_good_or_better,
            g.base_orgs_total,
            {
                "year": year,
                "base_orgs_good_or_better": g.base_orgs_good_or_better,
                "base_orgs_total": g.base_orgs_total,
            },
        )
    if figure == Figure.CONGRESSES_HELD:
        c = congress_figures(org, start, end)
        if not c.congresses_due:
            return "không có tổ chức đảng trực thuộc nào đến kỳ đại hội trong kỳ"
        return (
            c.congresses_held,
            c.congresses_due,
            {"congresses_held": c.congresses_held, "congresses_due": c.congresses_due},
        )
    raise ValueError(f"unknown figure {figure!r}")


@transaction.atomic
def evaluations_compute(
    *,
    org: Organization,
    kind: str,
    start: date,
    end: date,
    actor: str = SYSTEM_ACTOR,
) -> ComputeResult:
    """Fill the computed targets of `org` for the review point `kind` [start, end].

    Targets concerned: those of `org` with ``computed_from``, evaluated at `kind` (yearly or
    term, see the module docstring) whose period overlaps [start, end]. Each is computed over
    its window — [start, end] clipped to the target's period:

    * ``admitted``: admitted + readmitted of ``membership_figures`` over the window;
    * ``base_orgs_good_or_better``: ``grading_figures`` of the latest year whose 31/12 lies in
      the window — base organizations good or excellent over base organizations (percent);
    * ``congresses_held``: ``congress_figures`` (organizations below `org`) over the window —
      congresses held over congresses due (percent).

    An unchanged value writes nothing; a changed one supersedes the current entry."""
    _choice(kind, ReviewKind, field="kind", label="kỳ đánh giá")
    if end < start:
        raise InvalidInput("Ngày kết thúc kỳ đánh giá trước ngày bắt đầu.", field="end")
    result = ComputeResult()
    cache: dict[tuple, tuple | str] = {}
    targets = (
        Target.objects.filter(org=org)
        .exclude(computed_from="")
        .select_related("term")
        .order_by("adopted_on", "id")
    )
    for target in targets:
        if kind not in (YEAR_REVIEWS if target.year is not None else TERM_REVIEWS):
            continue
        p_start, p_end = period_bounds(target)
        if start > p_end or end < p_start:
            continue
        if end < target.adopted_on:
            result.skipped.append(
                (
                    target,
                    f"kỳ đánh giá kết thúc trước ngày thông qua chỉ tiêu ({_d(target.adopted_on)})",
                )
            )
            continue
        window = (max(start, p_start), min(end, p_end))
        key = (target.computed_from, *window)
        if key not in cache:
            cache[key] = _compute(org, target.computed_from, *window)
        computed = cache[key]
        if isinstance(computed, str):
            result.skipped.append((target, computed))
            continue
        part, whole, basis = computed
        if whole is None:
            actual, part, whole = Decimal(part), None, None
        else:
            actual = round_half_up(Decimal(part) * 100 / Decimal(whole), VALUE_PLACES)
        basis = {
            "figure": target.computed_from,
            "from": window[0].isoformat(),
            "to": window[1].isoformat(),
            **basis,
        }
        previous = current_evaluation(target, kind, start, end)
        if previous is not None and (
            previous.actual,
            previous.actual_part,
            previous.actual_whole,
            previous.basis,
        ) == (actual, part, whole, basis):
            result.unchanged.append(previous)
            continue
        result.recorded.append(
            _write_evaluation(
                target,
                kind,
                start,
                end,
                actual=actual,
                part=part,
                whole=whole,
                computed=True,
                basis=basis,
                reason=RECOMPUTED_REASON if previous else "",
                actor=actor,
                previous=previous,
            )
        )
    return result
