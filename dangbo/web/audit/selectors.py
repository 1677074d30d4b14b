"""Reading the audit log: filters and keyset pagination, newest first.

The order is (`at`, `id`) descending; a page's cursor is the last row's pair, so the next
page starts right after it however deep it is and however many rows were added since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangbo.core.models import AuditEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    """What the page asks for; empty values do not filter.

    `actor`, `action` and `object_type` are exact; `address` matches a prefix (so
    "10.0.3." finds one office's subnet); the dates are local days, both ends included.
    """

    actor: str = ""
    action: str = ""
    object_type: str = ""
    address: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_cursor: str | None


def encode_cursor(entry: AuditEntry) -> str:
    return f"{entry.at.isoformat()}_{entry.pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    """The (at, id) of a cursor, or None for one that is not ours (the first page is shown)."""
    at_text, _, pk_text = cursor.rpartition("_")
    try:
        at = datetime.fromisoformat(at_text)
        pk = int(pk_text)
    except ValueError:
        return None
    if timezone.is_naive(at):
        return None
    return at, pk


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_filtered(entries: QuerySet[AuditEntry], filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The rows of `entries` that match `filters`."""
    if filters.actor:
        entries = entries.filter(actor=filters.actor)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.address:
        entries = entries.filter(address__startswith=filters.address)
    if filters.date_from:
        entries = entries.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return entries


def audit_page(
    entries: QuerySet[AuditEntry],
    filters: AuditFilters,
    *,
    cursor: str = "",
    size: int = PAGE_SIZE,
) -> AuditPage:
    """One page of the matching rows after `cursor`, newest first (one query)."""
    rows = audit_filtered(entries, filters).order_by("-at", "-id")
    after = decode_cursor(cursor) if cursor else None
    if after:
        at, pk = after
        rows = rows.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    page = list(rows[: size + 1])
    more = len(page) > size
    page = page[:size]
    return AuditPage(page, encode_cursor(page[-1]) if more else None)
