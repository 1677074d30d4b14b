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

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from dangbo.core.numbers import FigureSet, percentage, to_json_value
from dangbo.dues.models import DuesCharge, DuesPayment
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


def dues_figures(org: Organization, start: date, end: date) -> DuesFigures:
    """The dues figures of `org`'s subtree for the months from `start`'s to `end`'s."""
    first, last = start.replace(day=1), end.replace(day=1)
    charges = in_subtree(DuesCharge.objects.filter(month__gte=first, month__lte=last), org)
    totals = charges.annotate(paid=paid_subquery()).aggregate(
        due=Coalesce(Sum("amount"), 0),
        arrears=Coalesce(
            Sum(
                Case(
                    When(amount__gt=F("paid"), then=F("amount") - F("paid")),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
            0,
        ),
        months=Count("id"),
    )
    exempt = charges.exclude(exempt_reason="").values("member_id").distinct().count()
    paid = in_subtree(DuesPayment.objects.filter(month__gte=first, month__lte=last), org).aggregate(
        total=Coalesce(Sum("amount"), 0)
    )["total"]
    return DuesFigures(
        dues_due=int(totals["due"]),
        dues_paid=int(paid),
        dues_arrears=int(totals["arrears"]),
        dues_exempt_members=exempt,
        dues_member_months=int(totals["months"]),
    )
