"""The charges: each member's dues for each month, at the cell that holds the month.

A member owes a month in which a membership spell of theirs overlaps it; the month belongs
to the cell of the first such spell (a member transferred in the middle of a month pays that
month at the old cell, and the months before the transfer stay there). The rate comes from
:func:`dangbo.dues.rules.monthly_due` with the member's facts for the month. Everything is
read set-wise (the members as a subquery, never a long list of ids) and written with plain
multi-row inserts (``COPY`` on PostgreSQL), so a month of a whole province is a handful of
statements plus the rates computed in Python.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.db.models import QuerySet

from dangbo.core.dates import add_months
from dangbo.dues.models import DuesCharge, DuesFact, DuesRelief
from dangbo.dues.rules import due_of
from dangbo.membership.models import Member, MembershipSpell, Person
from dangbo.organizations.models import Organization, OrgClosure

_BATCH = 5_000
CHARGE_COLUMNS = (
    "member_id",
    "month",
    "cell_id",
    "amount",
    "full_amount",
    "exempt_reason",
    "reduction_percent",
    "regulation",
    "basis",
)


def months_of(start: date, end: date) -> list[date]:
    """The first days of the months from `start`'s to `end`'s (both included)."""
    out, m = [], start.replace(day=1)
    while m <= end:
        out.append(m)
        m = add_months(m, 1)
    return out


def subtree_cells(org: Organization, start: date, end: date) -> QuerySet:
    """The ids of the organizations under `org` (itself included) at any time between the
    dates, as a subquery."""
    return (
        OrgClosure.objects.filter(ancestor=org, valid_from__lte=end, valid_to__gt=start)
        .values("descendant_id")
        .distinct()
    )


def subtree_cell_ids(org: Organization, start: date, end: date) -> list[int]:
    return list(subtree_cells(org, start, end).values_list("descendant_id", flat=True))


def _is_date(model: type[models.Model], column: str) -> bool:
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` (values in the order of `columns`) without model instances: ``COPY`` on
    PostgreSQL, ``executemany`` elsewhere; the number of rows."""
    qn = connection.ops.quote_name
    table = f"{qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)})"
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(columns))})"
        # dates as text up front: SQLite's adapter is a Python call per value
        days = [i for i, c in enumerate(columns) if _is_date(model, c)]
        batch: list[Any] = []
        for row in rows:
            if days:
                values = list(row)
                for i in days:
                    if isinstance(values[i], date):
                        values[i] = values[i].isoformat()
                batch.append(values)
            else:
                batch.append(row)
            if len(batch) >= _BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _members(
    months: Sequence[date], member_ids: Sequence[int] | None, cells: QuerySet | None
) -> QuerySet:
    if member_ids is not None:
        return Member.objects.filter(pk__in=list(member_ids)).values("pk")
    assert cells is not None
    return MembershipSpell.objects.filter(
        valid_from__lt=add_months(months[-1], 1), valid_to__gt=months[0], cell_id__in=cells
    ).values("member_id")


def charge_rows(
    months: Sequence[date],
    *,
    member_ids: Sequence[int] | None = None,
    cells: QuerySet | None = None,
) -> list[tuple]:
    """The charges (rows in the order of :data:`CHARGE_COLUMNS`) of the members — given, or
    with a spell in `cells` (a subquery of organization ids) — for the months; with `cells`,
    only the months those cells hold."""
    months = sorted(months)
    start, stop = months[0], add_months(months[-1], 1)
    members = _members(months, member_ids, cells)
    spells = MembershipSpell.objects.filter(
        valid_from__lt=stop, valid_to__gt=start, member_id__in=members
    ).values_list("member_id", "valid_from", "valid_to", "cell_id", "party_anchor")
    nexts = [(m, add_months(m, 1)) for m in months]
    held: dict[tuple[int, date], tuple[int, date]] = {}
    for member_id, valid_from, valid_to, cell_id, anchor in sorted(spells):
        i = max(bisect_right(months, valid_from) - 1, 0)
        while i < len(months) and months[i] < valid_to:
            if valid_from < nexts[i][1]:
                held.setdefault((member_id, months[i]), (cell_id, anchor))
            i += 1
    if cells is not None:
        wanted = {next(iter(row.values())) for row in cells}
        held = {k: v for k, v in held.items() if v[0] in wanted}
    facts: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        DuesFact.objects.filter(member_id__in=members, valid_from__lt=stop)
        .order_by("member_id", "valid_from")
        .values_list("member_id", "valid_from", "category", "base_amount", "region")
    ):
        facts[row[0]].append(row)
    reliefs: dict[int, list[tuple]] = defaultdict(list)
    for relief in DuesRelief.objects.filter(
        member_id__in=members, revoked=False, from_month__lt=stop, to_month__gt=start
    ).values_list("member_id", "reason", "percent", "from_month", "to_month"):
        reliefs[relief[0]].append(relief)
    people: dict[int, tuple[date, str]] = {
        pk: (birth, gender)
        for pk, birth, gender in Person.objects.filter(member__in=members).values_list(
            "member", "birth_date", "gender"
        )
    }
    following_of = dict(nexts)
    fact_days = {member_id: [f[1] for f in rows] for member_id, rows in facts.items()}
    out = []
    for (member_id, month), (cell_id, anchor) in sorted(held.items()):
        member_facts = facts.get(member_id, ())
        # the latest fact dated before the next month's first day
        i = bisect_left(fact_days.get(member_id, ()), following_of[month]) - 1
        fact: Any = member_facts[i] if i >= 0 else (None, None, None, 0, "")
        exempt, cut = "", 0
        for _m, reason, percent, f, t in reliefs.get(member_id, ()):
            if f <= month < t:
                if reason == "giam":
                    cut = percent
                else:
                    exempt = reason
        birth, gender = people.get(member_id, (None, "nam"))
        due = due_of(month, fact[2], fact[3], fact[4], birth, gender, anchor, exempt, cut)
        out.append(
            (
                member_id,
                month,
                cell_id,
                due.amount,
                due.full_amount,
                due.exempt_reason,
                due.reduction_percent,
                due.regulation,
                due.basis,
            )
        )
    return out


def charges_for(
    months: Sequence[date],
    *,
    member_ids: Sequence[int] | None = None,
    cells: QuerySet | None = None,
) -> list[DuesCharge]:
    """The charges as (unsaved) model instances; see :func:`charge_rows`."""
    return [
        DuesCharge(**dict(zip(CHARGE_COLUMNS, row, strict=True)))
        for row in charge_rows(months, member_ids=member_ids, cells=cells)
    ]


def charges_write(
    months: Sequence[date],
    *,
    member_ids: Sequence[int] | None = None,
    cells: QuerySet | None = None,
) -> int:
    """Compute the charges and replace the stored ones of the same members (or of the cells
    and the members who had a spell there) for the months, in one transaction; the number
    of charges written."""
    rows = charge_rows(months, member_ids=member_ids, cells=cells)
    with transaction.atomic():
        stale = DuesCharge.objects.filter(month__in=list(months))
        if cells is not None:
            stale.filter(cell_id__in=cells).delete()
        stale.filter(member_id__in=_members(months, member_ids, cells)).delete()
        return insert_rows(DuesCharge, CHARGE_COLUMNS, rows)


def computed_months(member_id: int, since: date) -> list[date]:
    """The months of the member already computed, from `since`'s month on."""
    return sorted(
        set(
            DuesCharge.objects.filter(
                member_id=member_id, month__gte=since.replace(day=1)
            ).values_list("month", flat=True)
        )
    )
