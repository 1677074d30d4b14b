"""The charges: each member's dues for each month, at the cell that holds the month.

A member owes a month in which a membership spell of theirs overlaps it; the month belongs
to the cell of the first such spell (a member transferred in the middle of a month pays that
month at the old cell, and the months before the transfer stay there). The rate comes from
:func:`dangbo.dues.rules.monthly_due` with the member's facts for the month. Everything is
read set-wise, so a month of a whole province is a handful of queries plus the bulk insert.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.db.models import Q

from dangbo.core.dates import add_months
from dangbo.dues.models import DuesCharge, DuesFact, DuesRelief
from dangbo.dues.rules import MonthFacts, monthly_due
from dangbo.membership.models import MembershipSpell, Person
from dangbo.organizations.models import Organization, OrgClosure

_CHUNK = 5_000


def months_of(start: date, end: date) -> list[date]:
    """The first days of the months from `start`'s to `end`'s (both included)."""
    out, m = [], start.replace(day=1)
    while m <= end:
        out.append(m)
        m = add_months(m, 1)
    return out


def subtree_cell_ids(org: Organization, start: date, end: date) -> list[int]:
    """Organizations under `org` (itself included) at any time between the dates."""
    return list(
        OrgClosure.objects.filter(ancestor=org, valid_from__lte=end, valid_to__gt=start)
        .values_list("descendant_id", flat=True)
        .distinct()
    )


def _month_cells(
    spells: Iterable[tuple[int, int, date, date, date]], months: Sequence[date]
) -> dict[tuple[int, date], tuple[int, date]]:
    """(member, month) → (cell, party anchor) of the first spell overlapping the month."""
    out: dict[tuple[int, date], tuple[int, date]] = {}
    for member_id, cell_id, anchor, valid_from, valid_to in sorted(
        spells, key=lambda s: (s[0], s[3])
    ):
        for m in months:
            if valid_from < add_months(m, 1) and valid_to > m:
                out.setdefault((member_id, m), (cell_id, anchor))
    return out


def _by_member(rows: Iterable[tuple], key: int = 0) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def charges_for(
    months: Sequence[date],
    *,
    member_ids: Sequence[int] | None = None,
    cell_ids: Sequence[int] | None = None,
) -> list[DuesCharge]:
    """The charges (unsaved) of the members — given, or in the cells — for the months."""
    start, stop = months[0], add_months(months[-1], 1)
    spells = MembershipSpell.objects.filter(valid_from__lt=stop, valid_to__gt=start)
    rows: list[tuple] = []
    if member_ids is not None:
        for chunk in _chunks(list(member_ids)):
            rows += spells.filter(member_id__in=chunk).values_list(
                "member_id", "cell_id", "party_anchor", "valid_from", "valid_to"
            )
    else:
        assert cell_ids is not None
        rows = list(
            spells.filter(cell_id__in=cell_ids).values_list(
                "member_id", "cell_id", "party_anchor", "valid_from", "valid_to"
            )
        )
        if rows:  # the members' other spells decide which cell holds a month
            ids = sorted({r[0] for r in rows})
            rows = []
            for chunk in _chunks(ids):
                rows += spells.filter(member_id__in=chunk).values_list(
                    "member_id", "cell_id", "party_anchor", "valid_from", "valid_to"
                )
    held = _month_cells(rows, months)
    if cell_ids is not None:
        wanted = set(cell_ids)
        held = {k: v for k, v in held.items() if v[0] in wanted}
    ids = sorted({member_id for member_id, _ in held})
    facts: dict[int, list[tuple]] = {}
    reliefs: dict[int, list[tuple]] = {}
    people: dict[int, tuple[date, str]] = {}
    for chunk in _chunks(ids):
        facts.update(
            _by_member(
                DuesFact.objects.filter(member_id__in=chunk, valid_from__lt=stop)
                .order_by("member_id", "valid_from")
                .values_list("member_id", "valid_from", "category", "base_amount", "region")
            )
        )
        reliefs.update(
            _by_member(
                DuesRelief.objects.filter(
                    member_id__in=chunk, revoked=False, from_month__lt=stop, to_month__gt=start
                ).values_list("member_id", "reason", "percent", "from_month", "to_month")
            )
        )
        for member_id, birth, gender in Person.objects.filter(member__id__in=chunk).values_list(
            "member__id", "birth_date", "gender"
        ):
            people[member_id] = (birth, gender)
    out = []
    for (member_id, month), (cell_id, anchor) in sorted(held.items()):
        member_facts = facts.get(member_id, [])
        # the latest fact dated before the next month's first day
        i = bisect_left([f[1] for f in member_facts], add_months(month, 1)) - 1
        fact = member_facts[i] if i >= 0 else None
        exempt, cut = "", 0
        for _m, reason, percent, f, t in reliefs.get(member_id, []):
            if f <= month < t:
                if reason == "giam":
                    cut = percent
                else:
                    exempt = reason
        birth, gender = people.get(member_id, (None, "nam"))
        due = monthly_due(
            MonthFacts(
                month=month,
                category=fact[2] if fact else None,
                base_amount=fact[3] if fact else 0,
                region=fact[4] if fact else "",
                birth_date=birth,
                gender=gender,
                party_anchor=anchor,
                exempt_reason=exempt,
                reduction_percent=cut,
            )
        )
        out.append(
            DuesCharge(
                member_id=member_id,
                month=month,
                cell_id=cell_id,
                amount=due.amount,
                full_amount=due.full_amount,
                exempt_reason=due.exempt_reason,
                reduction_percent=due.reduction_percent,
                regulation=due.regulation,
                basis=due.basis,
            )
        )
    return out


def charges_write(
    months: Sequence[date],
    *,
    member_ids: Sequence[int] | None = None,
    cell_ids: Sequence[int] | None = None,
) -> int:
    """Compute the charges and replace the stored ones of the same members (or cells) and
    months, in one transaction; the number of charges written."""
    charges = charges_for(months, member_ids=member_ids, cell_ids=cell_ids)
    with transaction.atomic():
        stale = DuesCharge.objects.filter(month__in=list(months))
        if member_ids is not None:
            for chunk in _chunks(list(member_ids)):
                stale.filter(member_id__in=chunk).delete()
        else:
            assert cell_ids is not None
            stale.filter(Q(cell_id__in=cell_ids)).delete()
            ids = sorted({c.member_id for c in charges})
            for chunk in _chunks(ids):
                stale.filter(member_id__in=chunk).delete()
        DuesCharge.objects.bulk_create(charges, batch_size=_CHUNK)
    return len(charges)


def computed_months(member_id: int, since: date) -> list[date]:
    """The months of the member already computed, from `since`'s month on."""
    return sorted(
        set(
            DuesCharge.objects.filter(
                member_id=member_id, month__gte=since.replace(day=1)
            ).values_list("month", flat=True)
        )
    )
