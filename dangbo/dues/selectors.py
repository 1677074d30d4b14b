"""Reads of the dues records: a cell's month grid, a member's account, the alerts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Sum

from dangbo.dues.figures import in_subtree, paid_subquery
from dangbo.dues.models import DuesCharge, DuesPayment
from dangbo.membership.models import Member
from dangbo.organizations.models import Organization

UNPAID_MONTHS_FOR_REMOVAL = 3


@dataclass
class GridRow:
    member_id: int
    name: str
    sort_key: str
    # month (first day) → (due, paid); a month absent: not held by this cell
    months: dict[date, tuple[int, int]] = field(default_factory=dict)

    @property
    def due(self) -> int:
        return sum(d for d, _ in self.months.values())

    @property
    def paid(self) -> int:
        return sum(p for _, p in self.months.values())


def cell_grid(cell: Organization, months: list[date]) -> list[GridRow]:
    """The cell's members × months: what each owes and paid for the months the cell holds
    (payments in advance for a month not computed yet show with a due of 0). Two queries."""
    rows: dict[int, GridRow] = {}
    names = {}
    charges = DuesCharge.objects.filter(cell=cell, month__in=months).values_list(
        "member_id", "month", "amount", "member__person__full_name", "member__person__sort_key"
    )
    cells: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for member_id, month, amount, name, key in charges:
        names[member_id] = (name, key)
        cells[(member_id, month)][0] = amount
    payments = (
        DuesPayment.objects.filter(cell=cell, month__in=months)
        .values("member_id", "month", "member__person__full_name", "member__person__sort_key")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for p in payments:
        names[p["member_id"]] = (p["member__person__full_name"], p["member__person__sort_key"])
        cells[(p["member_id"], p["month"])][1] = p["total"]
    for (member_id, month), (due, paid) in cells.items():
        name, key = names[member_id]
        row = rows.setdefault(member_id, GridRow(member_id, name, key))
        row.months[month] = (due, paid)
    return sorted(rows.values(), key=lambda r: (r.sort_key, r.member_id))


@dataclass(frozen=True)
class UnpaidMember:
    member_id: int
    name: str
    cell_id: int
    months: tuple[date, ...]


def unpaid_three_months(org: Organization, year: int, *, as_of: date) -> list[UnpaidMember]:
    """Members of the subtree with at least 3 months of `year` due and nothing paid, counting
    only months ended before `as_of` — grounds for removal the office decides on."""
    stop = as_of.replace(day=1)
    charges = (
        in_subtree(
            DuesCharge.objects.filter(
                month__gte=date(year, 1, 1),
                month__lte=date(year, 12, 1),
                month__lt=stop,
                amount__gt=0,
            ),
            org,
        )
        .annotate(paid=paid_subquery())
        .filter(paid__lte=0)
        .values_list("member_id", "month", "cell_id", "member__person__full_name")
        .order_by("member__person__sort_key", "member_id", "month")
    )
    by_member: dict[int, list] = defaultdict(list)
    for row in charges:
        by_member[row[0]].append(row)
    return [
        UnpaidMember(rows[0][0], rows[0][3], rows[-1][2], tuple(r[1] for r in rows))
        for rows in by_member.values()
        if len(rows) >= UNPAID_MONTHS_FOR_REMOVAL
    ]


@dataclass(frozen=True)
class Underpaid:
    member_id: int
    name: str
    month: date
    due: int
    paid: int


def underpaid(org: Organization, start: date, end: date) -> list[Underpaid]:
    """Member-months paid less than due (a reduction is already in the due amount, so any
    shortfall here has no reduction decision behind it)."""
    rows = (
        in_subtree(
            DuesCharge.objects.filter(
                month__gte=start.replace(day=1), month__lte=end.replace(day=1)
            ),
            org,
        )
        .annotate(paid=paid_subquery())
        .filter(paid__gt=0, paid__lt=F("amount"))
        .values_list("member_id", "member__person__full_name", "month", "amount", "paid")
        .order_by("month", "member__person__sort_key")
    )
    return [Underpaid(*r) for r in rows]


def member_account(member: Member, year: int) -> list[tuple[date, int, int]]:
    """(month, due, paid) of the member's months of `year`, at whatever cell held them."""
    due = dict(
        DuesCharge.objects.filter(member=member, month__year=year).values_list("month", "amount")
    )
    paid: dict[date, int] = defaultdict(int)
    for month, amount in DuesPayment.objects.filter(member=member, month__year=year).values_list(
        "month", "amount"
    ):
        paid[month] += amount
    return [(m, due.get(m, 0), paid.get(m, 0)) for m in sorted(set(due) | set(paid))]


def cell_month_open(cell: Organization, month: date) -> list[tuple[int, str, int]]:
    """(member, name, amount still due) of the cell's month, computed from the facts as they
    stand (nothing is written), sorted by name; members paid up or exempt are left out."""
    from dangbo.dues.compute import charges_for, subtree_cells

    charges = charges_for([month], cells=subtree_cells(cell, month, month))
    paid: dict[int, int] = defaultdict(int)
    for member_id, amount in DuesPayment.objects.filter(cell=cell, month=month).values_list(
        "member_id", "amount"
    ):
        paid[member_id] += amount
    names = {
        m.pk: (m.person.sort_key, m.person.full_name)
        for m in Member.objects.filter(pk__in=[c.member_id for c in charges]).select_related(
            "person"
        )
    }
    rows = [
        (c.member_id, names[c.member_id][1], c.amount - paid[c.member_id])
        for c in charges
        if c.amount > paid[c.member_id]
    ]
    return sorted(rows, key=lambda r: (names[r[0]][0], r[0]))
