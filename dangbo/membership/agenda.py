"""What needs action in an organization's subtree on a date: recognitions due, badge lists for
the coming ceremonies, cells below the minimum, the register check.

Each selector is one query whatever the size of the organization; the subtree is read as
it stands on the given date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When

from dangbo.core.dates import add_months
from dangbo.membership.models import EventKind, MemberEvent, MembershipSpell, MemberStatus
from dangbo.organizations.models import OrgClosure, OrgVersion
from dangbo.rulebook import rules_on

#: Days of the year on which Party badges are awarded (day, month): 3/2, 19/5, 2/9, 7/11.
BADGE_CEREMONIES = ((3, 2), (19, 5), (2, 9), (7, 11))
#: Days of the half-yearly check of the member register (day, month).
REGISTER_CHECKS = ((30, 6), (31, 12))
#: How far ahead recognitions are announced, in days.
RECOGNITION_HORIZON_DAYS = 60


def subtree(org_id: int, on: date) -> QuerySet[OrgClosure, Any]:
    """The ids of the organizations in `org_id`'s subtree on `on`, as a subquery."""
    return OrgClosure.objects.filter(
        ancestor_id=org_id, valid_from__lte=on, valid_to__gt=on
    ).values("descendant_id")


def _name_on(on: date, ref: str = "cell_id") -> Subquery:
    return Subquery(
        OrgVersion.objects.filter(org_id=OuterRef(ref), valid_from__lte=on, valid_to__gt=on).values(
            "name"
        )[:1]
    )


def latest_start(on: date, months: int) -> date:
    """The latest date from which `months` whole months have passed by `on` (as
    :func:`dangbo.core.dates.months_between` counts them)."""
    start = add_months(on, -months)
    while add_months(start + timedelta(days=1), months) <= on:
        start += timedelta(days=1)
    return start


def _first_on_or_after(on: date, days: tuple[tuple[int, int], ...], n: int) -> list[date]:
    out: list[date] = []
    year = on.year
    while len(out) < n:
        out += [date(year, m, d) for d, m in days if date(year, m, d) >= on][: n - len(out)]
        year += 1
    return out


def next_ceremonies(on: date, n: int = 2) -> list[date]:
    """The next `n` badge ceremony days on or after `on`."""
    return _first_on_or_after(on, BADGE_CEREMONIES, n)


def next_register_check(on: date) -> date:
    """The day of the next half-yearly check of the member register (on or after `on`)."""
    return _first_on_or_after(on, REGISTER_CHECKS, 1)[0]


@dataclass(frozen=True)
class RecognitionDue:
    member_id: int
    full_name: str
    cell_id: int
    cell_name: str
    admitted_on: date
    due_on: date

    def overdue(self, on: date) -> bool:
        return self.due_on < on


def recognitions_due(
    org_id: int, *, on: date, days: int = RECOGNITION_HORIZON_DAYS
) -> list[RecognitionDue]:
    """Probationary members of the subtree whose probation ends by `on + days` (also those
    whose day has passed without a recognition), by the day it ends.

    The day is the one the ledger requires of the recognition: the last admission date plus
    the probation of the rule set in force on `on`. A member recognized in advance (a
    recognition dated after `on`) is no longer listed.
    """
    months = rules_on(on).probation_months
    until = on + timedelta(days=days)
    rows = (
        MembershipSpell.objects.filter(
            cell_id__in=subtree(org_id, on),
            valid_from__lte=on,
            valid_to__gt=on,
            status=MemberStatus.PROBATIONARY,
            member__status=MemberStatus.PROBATIONARY,
            member__last_admitted_on__lte=latest_start(until, months),
        )
        .annotate(cell_name=_name_on(on))
        .values_list(
            "member_id",
            "member__person__full_name",
            "cell_id",
            "cell_name",
            "member__last_admitted_on",
        )
    )
    out = []
    for m, name, cell, cell_name, admitted in rows:
        assert admitted is not None  # filtered on it
        out.append(
            RecognitionDue(m, name, cell, cell_name or "", admitted, add_months(admitted, months))
        )
    return sorted(out, key=lambda r: (r.due_on, r.full_name, r.member_id))


@dataclass(frozen=True)
class BadgeDue:
    member_id: int
    full_name: str
    cell_id: int
    cell_name: str
    party_anchor: date
    milestone: int
    #: reached only within the early-award margin (for the seriously ill)
    early: bool


def _milestone_case(thresholds: list[tuple[int, date]]) -> Case:
    """The highest milestone whose threshold the spell's party anchor meets (None: none)."""
    return Case(
        *[When(party_anchor__lte=limit, then=m) for m, limit in sorted(thresholds, reverse=True)],
        default=None,
        output_field=IntegerField(),
    )


def _awarded(ref: str) -> Exists:
    return Exists(
        MemberEvent.objects.filter(
            member_id=OuterRef("member_id"),
            kind=EventKind.BADGE,
            badge_years__gte=OuterRef(ref),
            reversed_by__isnull=True,
        )
    )


def badges_due(org_id: int, *, ceremony: date, on: date) -> list[BadgeDue]:
    """Members of the subtree on `on` who reach a badge milestone by `ceremony` and have no
    badge of that milestone or a higher one, by cell and name.

    The milestone is the highest one reached (party age in whole months on the ceremony
    day, as the rule set in force then counts it). A member who reaches a higher milestone
    only within the early-award margin (12 months up to 65 years, 24 from 70) is listed for
    it with `early` when no regular milestone is due: the award then needs serious illness.
    """
    rs = rules_on(ceremony)

    def margin(m: int) -> int:
        return rs.badge_early_months_upto_65 if m <= 65 else rs.badge_early_months_from_70

    regular = [(m, latest_start(ceremony, m * 12)) for m in rs.badge_milestones]
    early = [(m, latest_start(ceremony, m * 12 - margin(m))) for m in rs.badge_milestones]
    rows = (
        MembershipSpell.objects.filter(
            cell_id__in=subtree(org_id, on),
            valid_from__lte=on,
            valid_to__gt=on,
            party_anchor__lte=max(limit for _, limit in early),
        )
        .annotate(regular=_milestone_case(regular), early=_milestone_case(early))
        .annotate(has_regular=_awarded("regular"), has_early=_awarded("early"))
        .filter(
            Q(regular__isnull=False, has_regular=False)
            | (
                Q(early__isnull=False, has_early=False)
                & (Q(regular__isnull=True) | Q(early__gt=F("regular")))
            )
        )
        .annotate(cell_name=_name_on(on))
        .values_list(
            "member_id",
            "member__person__full_name",
            "cell_id",
            "cell_name",
            "party_anchor",
            "regular",
            "has_regular",
            "early",
        )
    )
    out = []
    for member_id, name, cell, cell_name, anchor, reg, has_reg, ear in rows:
        regular_due = reg is not None and not has_reg
        out.append(
            BadgeDue(
                member_id,
                name,
                cell,
                cell_name or "",
                anchor,
                reg if regular_due else ear,
                early=not regular_due,
            )
        )
    return sorted(out, key=lambda b: (b.early, -b.milestone, b.cell_name, b.full_name))
