"""All figures of an organization and a period, for the `stats` command (and later the API).

Membership (REPORTS §1–2), congresses and elections (DOMAIN §4), inspection and
supervision (DOMAIN §6), targets (DOMAIN §5) at the top level with their
canonical keys; annual grading (DOMAIN §7) under ``grading`` when the period ends a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from dangbo.congresses.figures import CongressFigures, congress_figures
from dangbo.core.numbers import FigureSet
from dangbo.dues.figures import DuesFigures, dues_figures
from dangbo.figures import MembershipFigures, membership_figures
from dangbo.grading.figures import GradingFigures, grading_figures
from dangbo.inspections.figures import InspectionFigures, inspection_figures
from dangbo.organizations.models import Organization
from dangbo.targets.figures import TargetFigures, target_figures


@dataclass(frozen=True)
class PeriodStatistics(FigureSet):
    """The figure families of one organization and period.

    Canonical keys: every key of the membership, congress, inspection (but its ``from``
    and ``to``, which the membership figures carry), target and dues families at the top level,
    and ``grading`` (the grading figures, or null when the period does not end a year)."""

    membership: MembershipFigures
    congresses: CongressFigures
    inspections: InspectionFigures
    targets: TargetFigures
    dues: DuesFigures
    grading: GradingFigures | None

    def canonical(self) -> dict[str, object]:
        out: dict[str, object] = {}
        out.update(self.membership.to_dict())
        out.update(self.congresses.to_dict())
        inspections = self.inspections.to_dict()
        out.update({k: v for k, v in inspections.items() if k not in ("from", "to")})
        out.update(self.targets.to_dict())
        out.update(self.dues.to_dict())
        out["grading"] = None if self.grading is None else self.grading.to_dict()
        return out


def period_statistics(
    org: Organization, start: date, end: date, *, breakdowns: bool | Literal["snapshot"] = True
) -> PeriodStatistics:
    """Every figure family of `org`'s subtree over [start, end]; grading only when `end` is
    31/12 (the grading year). `breakdowns` as for :func:`membership_figures` (``"snapshot"``
    for browsing: the latest snapshot of a large subtree, whatever its date)."""
    ends_year = end.month == 12 and end.day == 31
    return PeriodStatistics(
        membership=membership_figures(org, start, end, breakdowns=breakdowns),
        congresses=congress_figures(org, start, end),
        inspections=inspection_figures(org, start, end),
        targets=target_figures(org, start, end),
        dues=dues_figures(org, start, end),
        grading=grading_figures(org, end.year) if ends_year else None,
    )
