"""Dues figures of an organization's subtree for a period (DOMAIN §8), in đồng.

A charge or payment counts for `org` when the cell holding its month lay in `org`'s subtree
on the month's first day (the tree as it stood then). Payments count by the month they pay
for, not by the day they were made: a payment in advance counts in its month, and
``dues_paid`` of a period may exceed what is due only by overpayment.

* ``dues_due`` — the sum of the members' charges of the months;
* ``dues_paid`` — the sum of the payments for those months (reversals included, negative);
* ``dues_arrears`` — the sum over member-months of what remains unpaid (never negative for
  a month: an overpaid month does not pay another one);
* ``dues_exempt_members`` — the members exempt in at least one month of the period;
* ``dues_collected_pct`` — paid as a percentage of due (null when nothing is due).

Months not computed yet (no charges) count nothing: ``dangbo dues compute`` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from dangbo.core.numbers import FigureSet, percentage, to_json_value
from dangbo.dues.models import DuesPayment
from dangbo.organizations.models import Organization, OrgClosure


def in_subtree(qs: QuerySet, org: Organization) -> QuerySet:
    """Rows of `qs` (with `cell` and `month`) whose cell lay under `org` on the month."""
    return qs.filter(
        Exists(
            OrgClosure.objects.filter(
                ancestor=org,
                descendant=OuterRef("cell_id"),
                valid_from__lte=OuterRef("month"),
                valid_to__gt=OuterRef("month"),
            )
        )
    )


def paid_subquery() -> Coalesce:
    """The sum paid for the outer row's member and month (0 when nothing)."""
    paid = (
        DuesPayment.objects.filter(member_id=OuterRef("member_id"), month=OuterRef("month"))
        .order_by()
        .values("member_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(paid, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class DuesFigures(FigureSet):
    """Dues amounts (đồng) of a subtree over a period; see the module."""

    dues_due: int = 0
    dues_paid: int = 0
    dues_arrears: int = 0
    dues_exempt_members: int = 0
    dues_member_months: int = 0

    def extra_keys(self) -> dict[str, object]:
        return {"dues_collected_pct": to_json_value(percentage(self.dues_paid, self.dues_due))}


_FIGURES_SQL = """
WITH ch AS (
    SELECT c.member_id, c.month, c.amount, c.exempt_reason
    FROM dues_duescharge c
    JOIN organizations_orgclosure cl ON cl.descendant_id = c.cell_id
    WHERE cl.ancestor_id = %(org)s AND cl.valid_from <= c.month AND cl.valid_to > c.month
      AND c.month >= %(first)s AND c.month <= %(last)s
), pay AS (
    SELECT p.member_id, p.month, SUM(p.amount) AS total
    FROM dues_duespayment p
    JOIN organizations_orgclosure cl ON cl.descendant_id = p.cell_id
    WHERE cl.ancestor_id = %(org)s AND cl.valid_from <= p.month AND cl.valid_to > p.month
      AND p.month >= %(first)s AND p.month <= %(last)s
    GROUP BY p.member_id, p.month
)
SELECT
    (SELECT COALESCE(SUM(amount), 0) FROM ch),
    (SELECT COUNT(*) FROM ch),
    (SELECT COUNT(DISTINCT member_id) FROM ch WHERE exempt_reason <> ''),
    (SELECT COALESCE(SUM(total), 0) FROM pay),
    (SELECT COALESCE(SUM(CASE WHEN ch.amount > COALESCE(pay.total, 0)
                              THEN ch.amount - COALESCE(pay.total, 0) ELSE 0 END), 0)
     FROM ch LEFT JOIN pay ON pay.member_id = ch.member_id AND pay.month = ch.month)
"""


def dues_figures(org: Organization, start: date, end: date) -> DuesFigures:
    """The dues figures of `org`'s subtree for the months from `start`'s to `end`'s: one
    statement (the charges and the payments of the subtree, joined by member and month)."""
    params: dict[str, int | date] = {
        "org": org.pk,
        "first": start.replace(day=1),
        "last": end.replace(day=1),
    }
    with connection.cursor() as cursor:
        cursor.execute(_FIGURES_SQL, params)
        due, months, exempt, paid, arrears = cursor.fetchone()
    return DuesFigures(
        dues_due=int(due),
        dues_paid=int(paid),
        dues_arrears=int(arrears),
        dues_exempt_members=int(exempt),
        dues_member_months=int(months),
    )


_BY_UNIT_SQL = """
WITH ch AS (
    SELECT u.descendant_id AS unit, c.member_id, c.month, c.amount, c.exempt_reason
    FROM dues_duescharge c
    JOIN organizations_orgclosure cu ON cu.descendant_id = c.cell_id
         AND cu.valid_from <= c.month AND cu.valid_to > c.month
    JOIN organizations_orgclosure u ON u.descendant_id = cu.ancestor_id
         AND u.ancestor_id = %(org)s AND u.depth = 1
         AND u.valid_from <= c.month AND u.valid_to > c.month
    WHERE c.month >= %(first)s AND c.month <= %(last)s
), pay AS (
    SELECT u.descendant_id AS unit, p.member_id, p.month, SUM(p.amount) AS total
    FROM dues_duespayment p
    JOIN organizations_orgclosure cu ON cu.descendant_id = p.cell_id
         AND cu.valid_from <= p.month AND cu.valid_to > p.month
    JOIN organizations_orgclosure u ON u.descendant_id = cu.ancestor_id
         AND u.ancestor_id = %(org)s AND u.depth = 1
         AND u.valid_from <= p.month AND u.valid_to > p.month
    WHERE p.month >= %(first)s AND p.month <= %(last)s
    GROUP BY u.descendant_id, p.member_id, p.month
), paid_mm AS (
    SELECT member_id, month, SUM(total) AS total FROM pay GROUP BY member_id, month
), units AS (
    SELECT unit FROM ch UNION SELECT unit FROM pay
)
SELECT
    k.unit,
    (SELECT COALESCE(SUM(amount), 0) FROM ch WHERE ch.unit = k.unit),
    (SELECT COUNT(*) FROM ch WHERE ch.unit = k.unit),
    (SELECT COUNT(DISTINCT member_id) FROM ch WHERE ch.unit = k.unit AND exempt_reason <> ''),
    (SELECT COALESCE(SUM(total), 0) FROM pay WHERE pay.unit = k.unit),
    (SELECT COALESCE(SUM(CASE WHEN ch.amount > COALESCE(pm.total, 0)
                              THEN ch.amount - COALESCE(pm.total, 0) ELSE 0 END), 0)
     FROM ch LEFT JOIN paid_mm pm ON pm.member_id = ch.member_id AND pm.month = ch.month
     WHERE ch.unit = k.unit)
FROM units k
"""


def dues_figures_by_unit(org: Organization, start: date, end: date) -> dict[int, DuesFigures]:
    """The dues figures of each organization directly below `org` (by id) for the months
    from `start`'s to `end`'s, each month counted for the unit that held its cell under `org`
    then — so the units' due, paid and arrears add up to `org`'s; a member exempt in two
    units counts in each. Units without records are left out; one statement."""
    params: dict[str, int | date] = {
        "org": org.pk,
        "first": start.replace(day=1),
        "last": end.replace(day=1),
    }
    with connection.cursor() as cursor:
        cursor.execute(_BY_UNIT_SQL, params)
        rows = cursor.fetchall()
    return {
        int(unit): DuesFigures(
            dues_due=int(due),
            dues_paid=int(paid),
            dues_arrears=int(arrears),
            dues_exempt_members=int(exempt),
            dues_member_months=int(months),
        )
        for unit, due, months, exempt, paid, arrears in rows
    }
