"""Meetings reached by their readable reference ("P1-C1-2024-05-10-sinh_hoat_chi_bo"), and
the references of many meetings at once.

A reference that is malformed, names nothing, or names a meeting outside the user's scope
answers 404 alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.http import Http404

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.core.errors import DomainError
from dangbo.meetings.models import Meeting
from dangbo.meetings.references import meeting_by_ref


def get_meeting_for_user(user: Any, ref: str, action: Action = Action.VIEW_PARTY_WORK) -> Meeting:
    """The meeting `ref` names if its organization is in the user's scope for `action`;
    else 404."""
    try:
        meeting = meeting_by_ref(ref)
    except DomainError:
        raise Http404("Không tìm thấy hội nghị.") from None
    if meeting.org_id not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy hội nghị.")
    return meeting


def code_on(meeting: Meeting) -> str:
    """The code of the meeting's organization on the meeting day (its latest code when it
    did not exist then), from the prefetched ``org.versions``."""
    versions = sorted(meeting.org.versions.all(), key=lambda v: v.valid_from)
    for v in versions:
        if v.valid_from <= meeting.held_on < v.valid_to:
            return v.code
    return versions[-1].code if versions else str(meeting.org_id)


def name_on(meeting: Meeting) -> str:
    """The name of the meeting's organization on the meeting day (prefetched versions)."""
    versions = sorted(meeting.org.versions.all(), key=lambda v: v.valid_from)
    for v in versions:
        if v.valid_from <= meeting.held_on < v.valid_to:
            return v.name
    return versions[-1].name if versions else ""


def refs_of(meetings: Iterable[Meeting]) -> dict[int, str]:
    """References of `meetings` (with ``org__versions`` prefetched) without a query each.

    The ordinal of a meeting among those of its organization, day and kind is counted among
    the meetings given: callers pass every meeting of those days (a whole year, a whole
    organization), so the count is the one :func:`meeting_ref` makes.
    """
    groups: dict[tuple, list[Meeting]] = defaultdict(list)
    for m in meetings:
        groups[(m.org_id, m.held_on, m.kind)].append(m)
    out = {}
    for group in groups.values():
        for n, m in enumerate(sorted(group, key=lambda x: x.pk), start=1):
            suffix = f"-{n}" if n > 1 else ""
            out[m.pk] = f"{code_on(m)}-{m.held_on.isoformat()}-{m.kind}{suffix}"
    return out
