"""All figures of an organization and a period, for the `stats` command (and later the API).

Membership (REPORTS §1–2), congresses and elections (DOMAIN §4), inspection and
supervision (DOMAIN §6), targets (DOMAIN §5) at the top level with their
canonical keys; annual grading (DOMAIN §7) under ``grading`` when the period ends a year.
"""

from __future__ import annotations

from datetime import date

from dangbo.congresses.figures import congress_figures
from dangbo.figures import membership_figures
from dangbo.grading.figures import grading_figures
from dangbo.inspections.figures import inspection_figures
from dangbo.organizations.models import Organization
from dangbo.targets.figures import target_figures


def period_statistics(org: Organization, start: date, end: date) -> dict:
    figures = membership_figures(org, start, end)
    figures.update(congress_figures(org, start, end))
    figures.update(
        {k: v for k, v in inspection_figures(org, start, end).items() if k not in ("from", "to")}
    )
    figures.update(target_figures(org, start, end))
    ends_year = end.month == 12 and end.day == 31
    figures["grading"] = grading_figures(org, end.year) if ends_year else None
    return figures
