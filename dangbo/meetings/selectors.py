"""Reads of meetings: open follow-up tasks, the period a review conference covers, and the
monthly cell-meeting quality figures of an organization's subtree."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import F, Q

from dangbo.core.dates import add_months
from dangbo.meetings.models import Meeting, MeetingKind, MeetingRole, Task
from dangbo.membership.models import MembershipSpell
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion, Term
from dangbo.vn_format import percent, ratio


def _name_on(versions, on: date) -> str:
    for v in versions:
        if v.valid_from <= on < v.valid_to:
            return v.name
    return versions[-1].name if versions else ""


def task_owner(task: Task) -> str:
    """Who carries the task out: the owner as written, else the owning organization's name
    on the meeting date."""
    if task.owner:
        return task.owner
    if task.owner_org is not None:
        versions = sorted(task.owner_org.versions.all(), key=lambda v: v.valid_from)
        return _name_on(versions, task.meeting.held_on)
    return ""


def open_tasks(org: Organization, on: date) -> list[dict]:
    """Tasks set at `org`'s meetings held by `on` and not closed by a review held by `on`,
    oldest meeting first, as the review report lists them:
    ``{"task", "owner", "deadline" (a date or None), "overdue"}``."""
    tasks = (
        Task.objects.filter(meeting__org=org, meeting__held_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        .select_related("meeting", "owner_org")
        .prefetch_related("owner_org__versions")
        .order_by("meeting__held_on", "meeting_id", "order", "id")
    )
    return [
        {
            "task": t.text,
            "owner": task_owner(t),
            "deadline": t.deadline,
            "overdue": bool(t.deadline and t.deadline < on),
        }
        for t in tasks
    ]


def meeting_people(meeting: Meeting, role: str) -> list:
    return [p for p in meeting.people.all() if p.role == role]


def meeting_chairs(meeting: Meeting) -> list:
    return meeting_people(meeting, MeetingRole.CHAIR)


def term_of(meeting: Meeting) -> Term | None:
    return meeting.org.terms.filter(
        starts_on__lte=meeting.held_on, ends_on__gt=meeting.held_on
    ).first()


def review_period(meeting: Meeting) -> tuple[date, date] | None:
    """The inclusive period a review conference reviews, from its kind and date.

    6-month: 1/1–30/6 of the year held; 9-month: 1/1–30/9; year-end: the year held, or the
    year before when held in the first half (a January conference reviews last year);
    mid-term and end of term: from the start of the term in force to the end of the month
    before the conference. Other kinds (and term reviews without a recorded term): None.
    """
    held, y = meeting.held_on, meeting.held_on.year
    if meeting.kind == MeetingKind.REVIEW_6M:
        return date(y, 1, 1), date(y, 6, 30)
    if meeting.kind == MeetingKind.REVIEW_9M:
        return date(y, 1, 1), date(y, 9, 30)
    if meeting.kind == MeetingKind.YEAR_END:
        year = y if held.month >= 7 else y - 1
        return date(year, 1, 1), date(year, 12, 31)
    if meeting.kind in (MeetingKind.MID_TERM, MeetingKind.END_OF_TERM):
        term = term_of(meeting)
        if term is None:
            return None
        end = date(y, held.month, 1) - timedelta(days=1)
        return (term.starts_on, end) if end >= term.starts_on else None
    return None


# --- cell-meeting figures ----------------------------------------------------------------
def _months(start: date, end: date) -> list[date]:
    """First days of the calendar months lying wholly inside [start, end]."""
    out = []
    first = date(start.year, start.month, 1)
    if first < start:
        first = add_months(first, 1)
    while add_months(first, 1) - timedelta(days=1) <= end:
        out.append(first)
        first = add_months(first, 1)
    return out


def _merge(intervals: list[tuple[date, date]]) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def cell_meeting_figures(org: Organization | int, start: date, end: date) -> dict:
    """Monthly cell-meeting quality over `org`'s subtree in [start, end] (inclusive).

    * ``meetings`` — cell meetings held in the period by organizations in the subtree as the
      tree stood on each meeting's date;
    * ``expected``, ``present``, ``speakers`` — their sums; ``attendance`` is present over
      expected and ``speaking`` speakers over present, over all the meetings (each meeting
      weighs by its size), formatted by :func:`dangbo.vn_format.percent`;
    * ``cells_alive`` — cells in the subtree on `end`; ``cells_every_month`` — those of them
      with a meeting in every calendar month of the period during which they were a cell of
      the subtree for the whole month; ``cells_ratio`` — "15/17".

    Three queries: the meetings (closure-joined on their dates), the cells' closure rows and
    their versions.
    """
    org_id = org if isinstance(org, int) else org.pk
    rows = list(
        Meeting.objects.filter(
            kind=MeetingKind.CELL,
            held_on__gte=start,
            held_on__lte=end,
            org__closure_up__ancestor_id=org_id,
            org__closure_up__valid_from__lte=F("held_on"),
            org__closure_up__valid_to__gt=F("held_on"),
        ).values_list("org_id", "held_on", "members_expected", "present", "speakers_count")
    )
    expected = sum(r[2] or 0 for r in rows)
    present = sum(r[3] or 0 for r in rows)
    speakers = sum(r[4] or 0 for r in rows)
    met: dict[int, set[date]] = defaultdict(set)
    for org_of, held_on, *_ in rows:
        met[org_of].add(date(held_on.year, held_on.month, 1))

    # when each organization was in the subtree, and when it was a cell
    in_tree: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for d, a, b in OrgClosure.objects.filter(
        ancestor_id=org_id, valid_from__lte=end, valid_to__gt=start
    ).values_list("descendant_id", "valid_from", "valid_to"):
        in_tree[d].append((a, b))
    as_cell: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for o, a, b in OrgVersion.objects.filter(
        org_id__in=list(in_tree), kind__holds_members=True, valid_from__lte=end, valid_to__gt=start
    ).values_list("org_id", "valid_from", "valid_to"):
        as_cell[o].append((a, b))
    months = _months(start, end)
    alive = every = 0
    for cell, cell_spans in as_cell.items():
        spans = _merge(
            [
                (max(a, c), min(b, d))
                for a, b in in_tree[cell]
                for c, d in cell_spans
                if max(a, c) < min(b, d)
            ]
        )
        if not any(a <= end < b for a, b in spans):
            continue
        alive += 1
        required = [m for m in months if any(a <= m and add_months(m, 1) <= b for a, b in spans)]
        if all(m in met[cell] for m in required):
            every += 1
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "meetings": len(rows),
        "expected": expected,
        "present": present,
        "speakers": speakers,
        "attendance": percent(present, expected),
        "speaking": percent(speakers, present),
        "cells_alive": alive,
        "cells_every_month": every,
        "cells_ratio": ratio(every, alive),
    }


def expected_members(cell: Organization, on: date) -> int:
    """Members who should attend `cell`'s meeting on `on`: its members that day, minus
    those exempt from party work and meetings (miễn công tác và sinh hoạt đảng)."""
    return MembershipSpell.objects.filter(
        cell=cell, valid_from__lte=on, valid_to__gt=on, exempt=False
    ).count()
