"""What needs action in an organization's subtree on a date: recognitions due, badge lists for
the coming ceremonies, cells below the minimum, the register check.

Each selector is one query whatever the size of the organization; the subtree is read as
it stands on the given date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery

from dangbo.core.dates import add_months
from dangbo.membership.models import (
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
    Person,
)
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
    #: the start of the probation: the admission ceremony (the decision date when unknown)
    probation_from: date | None = None

    def overdue(self, on: date) -> bool:
        return self.due_on < on


def recognitions_due(
    org_id: int, *, on: date, days: int = RECOGNITION_HORIZON_DAYS
) -> list[RecognitionDue]:
    """Probationary members of the subtree whose probation ends by `on + days` (also those
    whose day has passed without a recognition), by the day it ends.

    The day is the one the ledger requires of the recognition: the start of the probation
    (the admission ceremony, or the decision date in a history without it) plus the probation
    of the rule set in force on `on`. A member recognized in advance (a
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
            member__probation_from__lte=latest_start(until, months),
        )
        .annotate(cell_name=_name_on(on))
        .values_list(
            "member_id",
            "member__person__full_name",
            "cell_id",
            "cell_name",
            "member__last_admitted_on",
            "member__probation_from",
        )
    )
    out = []
    for m, name, cell, cell_name, admitted, start in rows:
        assert admitted is not None and start is not None  # filtered on it
        out.append(
            RecognitionDue(
                m, name, cell, cell_name or "", admitted, add_months(start, months), start
            )
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


def _milestone_case(thresholds: list[tuple[int, date]], params: list[Any]) -> str:
    """SQL: the highest milestone whose threshold the party anchor meets (NULL: none)."""
    whens = []
    for m, limit in sorted(thresholds, reverse=True):
        whens.append("WHEN s.party_anchor <= %s THEN %s")
        params += [limit, m]
    return f"CASE {' '.join(whens)} ELSE NULL END"


def badges_due(org_id: int, *, ceremony: date, on: date) -> list[BadgeDue]:
    """Members of the subtree on `on` who reach a badge milestone by `ceremony` and have no
    badge of that milestone or a higher one, by cell and name (one query).

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
    params: list[Any] = []
    reg_case = _milestone_case(regular, params)
    early_case = _milestone_case(early, params)
    params += [org_id, on, on, on, on, max(limit for _, limit in early)]
    params += [EventKind.BADGE.value, on, on]
    sql = f"""
        WITH s AS (
            SELECT s.member_id, s.cell_id, s.party_anchor,
                   {reg_case} AS reg, {early_case} AS early
            FROM {MembershipSpell._meta.db_table} s
            WHERE s.cell_id IN (
                    SELECT descendant_id FROM {OrgClosure._meta.db_table}
                    WHERE ancestor_id = %s AND valid_from <= %s AND valid_to > %s)
              AND s.valid_from <= %s AND s.valid_to > %s AND s.party_anchor <= %s
        ),
        b AS (
            SELECT e.member_id, MAX(e.badge_years) AS top
            FROM {MemberEvent._meta.db_table} e
            WHERE e.kind = %s AND e.member_id IN (SELECT member_id FROM s)
              AND NOT EXISTS (
                  SELECT 1 FROM {MemberEvent._meta.db_table} r WHERE r.reverses_id = e.id)
            GROUP BY e.member_id
        )
        SELECT s.member_id, p.full_name, s.cell_id, v.name, s.party_anchor, s.reg, s.early, b.top
        FROM s
        JOIN {Member._meta.db_table} m ON m.id = s.member_id
        JOIN {Person._meta.db_table} p ON p.id = m.person_id
        LEFT JOIN b ON b.member_id = s.member_id
        LEFT JOIN {OrgVersion._meta.db_table} v
             ON v.org_id = s.cell_id AND v.valid_from <= %s AND v.valid_to > %s
        WHERE (s.reg IS NOT NULL AND (b.top IS NULL OR b.top < s.reg))
           OR (s.early IS NOT NULL AND (s.reg IS NULL OR s.early > s.reg)
               AND (b.top IS NULL OR b.top < s.early))
    """
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    out = []
    for member_id, name, cell, cell_name, anchor, reg, ear, top in rows:
        regular_due = reg is not None and (top is None or top < reg)
        out.append(
            BadgeDue(
                member_id,
                name,
                cell,
                cell_name or "",
                anchor if isinstance(anchor, date) else date.fromisoformat(anchor),
                int(reg if regular_due else ear),
                early=not regular_due,
            )
        )
    return sorted(out, key=lambda b: (b.early, -b.milestone, b.cell_name, b.full_name))
