"""Readable references of meetings: "P1-2023-07-15-so_ket_6_thang".

A reference is the code of the organization on the meeting day, the date (ISO) and the
kind; a second meeting of the same organization, day and kind (in the order recorded)
ends in "-2", a third in "-3". References are computed, never stored: they follow the
code the organization had that day, so a renamed organization's old meetings keep theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.db.models import F, QuerySet

from dangbo.core.errors import InvalidInput, NotFound
from dangbo.meetings.models import Meeting, MeetingKind
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_resolve, org_version_shown

_REF = re.compile(r"^(?P<org>.+)-(?P<on>\d{4}-\d{2}-\d{2})-(?P<kind>[a-z0-9_]+?)(?:-(?P<n>\d+))?$")


def _ordinal(meeting: Meeting) -> int:
    return (
        Meeting.objects.filter(
            org_id=meeting.org_id, held_on=meeting.held_on, kind=meeting.kind, pk__lt=meeting.pk
        ).count()
        + 1
    )


def meeting_ref(meeting: Meeting, *, ordinal: int | None = None) -> str:
    """The meeting's reference (`ordinal`: its place among the same organization's meetings
    of that day and kind, computed when not given)."""
    code = org_version_shown(meeting.org, meeting.held_on).code
    n = _ordinal(meeting) if ordinal is None else ordinal
    return f"{code}-{meeting.held_on.isoformat()}-{meeting.kind}" + (f"-{n}" if n > 1 else "")


def meeting_by_ref(text: str) -> Meeting:
    """The meeting a reference names; refuse a malformed reference or one naming nothing,
    with the meetings of that organization and day when there are some."""
    text = text.strip()
    m = _REF.match(text)
    if not m:
        raise InvalidInput(
            f"Tham chiếu hội nghị «{text}» không đúng dạng MÃ-TỔ-CHỨC-NĂM-THÁNG-NGÀY-LOẠI "
            "(ví dụ P1-2023-07-15-so_ket_6_thang); xem danh sách bằng lệnh dangbo meetings.",
            field="meeting",
        )
    try:
        on = date.fromisoformat(m["on"])
    except ValueError:
        raise InvalidInput(
            f"Tham chiếu hội nghị «{text}»: ngày «{m['on']}» không có thật.", field="meeting"
        ) from None
    if m["kind"] not in MeetingKind.values:
        raise InvalidInput(
            f"Tham chiếu hội nghị «{text}»: loại «{m['kind']}» không có "
            f"({', '.join(MeetingKind.values)}).",
            field="meeting",
        )
    org = org_resolve(m["org"], on=on)
    same = list(Meeting.objects.filter(org=org, held_on=on, kind=m["kind"]).order_by("pk"))
    n = int(m["n"] or 1)
    if not 1 <= n <= len(same):
        others = [meeting_ref(x) for x in Meeting.objects.filter(org=org, held_on=on)]
        hint = f" Hội nghị ngày đó: {', '.join(others)}." if others else ""
        raise NotFound(f"Không có hội nghị «{text}».{hint}", field="meeting")
    return same[n - 1]


def meetings_of(
    org: Organization | None, start: date | None = None, end: date | None = None
) -> QuerySet[Meeting]:
    """Meetings held in [start, end] (either open) by `org` or an organization below it on
    the meeting day (all organizations when `org` is None), by date."""
    rows = Meeting.objects.select_related("org")
    if org is not None:
        rows = rows.filter(
            org__closure_up__ancestor=org,
            org__closure_up__valid_from__lte=F("held_on"),
            org__closure_up__valid_to__gt=F("held_on"),
        )
    if start is not None:
        rows = rows.filter(held_on__gte=start)
    if end is not None:
        rows = rows.filter(held_on__lte=end)
    return rows.order_by("held_on", "org_id", "pk")


def with_refs(meetings: Iterable[Meeting]) -> list[tuple[str, Meeting]]:
    """Each meeting with its reference (ordinals counted among the meetings given and those
    recorded before them)."""
    return [(meeting_ref(m), m) for m in meetings]
