"""What the home page shows of an organization on a day, read fresh on every request.

The number of queries does not depend on the organization's size: the figures are three
set-based statements, the chart two, each list of the agenda one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dangbo.figures import MembershipFigures, admissions_series, members_series, membership_figures
from dangbo.membership.agenda import (
    BadgeDue,
    RecognitionDue,
    badges_due,
    next_ceremonies,
    next_register_check,
    recognitions_due,
)
from dangbo.membership.models import TransferOut
from dangbo.membership.selectors import cells_below_minimum
from dangbo.membership.transfers import transfers_waiting
from dangbo.organizations.models import Organization, OrgClosure
from dangbo.reports.builder import admission_target
from dangbo.web.home.chart import ChartData, month_ends


@dataclass(frozen=True)
class Glance:
    """The current year up to `on`: its figures and the admission target."""

    figures: MembershipFigures
    target: int | None

    @property
    def admitted(self) -> int:
        return self.figures.admitted + self.figures.readmitted

    @property
    def target_percent(self) -> int | None:
        return round(100 * self.admitted / self.target) if self.target else None


def glance(org: Organization, on: date) -> Glance:
    """Figures of the year to date (stock on 31/12 of last year and today, the flows)."""
    start = date(on.year, 1, 1)
    return Glance(
        membership_figures(org, start, on, breakdowns=False),
        admission_target(org, start, date(on.year, 12, 31)),
    )


def chart(org: Organization, on: date) -> ChartData:
    ends = month_ends(on)
    start = ends[0].replace(day=1)
    return ChartData(ends, members_series(org, ends), admissions_series(org, start, ends))


#: Rows of a list shown on the home page; the rest is counted.
SHOWN = 12


@dataclass(frozen=True)
class Ceremony:
    """A ceremony's badge list: the members due (`regular`) and those who could have the
    next milestone early if seriously ill (`early`), each cut to :data:`SHOWN` rows."""

    day: date
    regular: list[BadgeDue]
    regular_count: int
    early: list[BadgeDue]
    early_count: int


def _ceremony(day: date, badges: list[BadgeDue]) -> Ceremony:
    regular = [b for b in badges if not b.early]
    early = [b for b in badges if b.early]
    return Ceremony(day, regular[:SHOWN], len(regular), early[:SHOWN], len(early))


@dataclass(frozen=True)
class Agenda:
    recognitions: list[RecognitionDue]
    ceremonies: list[Ceremony]
    small_cells: list[dict[str, Any]]
    register_check: date
    transfers: list[TransferOut]


def agenda(org: Organization, on: date, *, with_transfers: bool) -> Agenda:
    """What needs action in `org`'s subtree; the second ceremony lists only the members not
    already due at the first one."""
    first, second = next_ceremonies(on, 2)
    list1 = badges_due(org.pk, ceremony=first, on=on)
    due1 = {b.member_id for b in list1 if not b.early}
    list2 = [b for b in badges_due(org.pk, ceremony=second, on=on) if b.member_id not in due1]
    waiting: list[TransferOut] = []
    if with_transfers:
        ids = OrgClosure.objects.filter(
            ancestor_id=org.pk, valid_from__lte=on, valid_to__gt=on
        ).values("descendant_id")
        waiting = list(transfers_waiting(ids))
    return Agenda(
        recognitions=recognitions_due(org.pk, on=on),
        ceremonies=[_ceremony(first, list1), _ceremony(second, list2)],
        small_cells=cells_below_minimum(on=on, within=org.pk),
        register_check=next_register_check(on),
        transfers=waiting,
    )
