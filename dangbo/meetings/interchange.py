"""Meetings in the interchange file: meetings with their people and items, tasks and reviews."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import Checker
from dangbo.interchange.schema import BATCH, COUNT_MAX, App, Field, RecordType, string
from dangbo.meetings.error_codes import MeetingErrorCode
from dangbo.meetings.models import (
    ItemKind,
    Meeting,
    MeetingItem,
    MeetingKind,
    MeetingPerson,
    MeetingRole,
    Session,
    Task,
    TaskReview,
    TaskStatus,
)
from dangbo.meetings.rules import check_deadline, check_meeting_counts, check_task_review

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer


MEETING_PERSON_FIELDS = (
    string(MeetingPerson, "role", required=True, choices=MeetingRole.values),
    Field("person", "ref", target="person"),
    string(MeetingPerson, "name", required=True),
    Field("titles", "strlist", default=[]),
    Field("order", "int", default=0),
)
MEETING_ITEM_FIELDS = (
    string(MeetingItem, "kind", required=True, choices=ItemKind.values),
    string(MeetingItem, "title", required=True),
    string(MeetingItem, "presenter"),
    Field("order", "int", default=0),
)
MEETING = RecordType(
    "meeting",
    "meeting",
    "hội nghị",
    (
        Field("org", "ref", required=True, target="organization"),
        string(Meeting, "kind", required=True, choices=MeetingKind.values),
        Field("number", "int"),
        Field("held_on", "date", required=True),
        string(Meeting, "session", choices=("", *Session.values)),
        string(Meeting, "place"),
        string(Meeting, "title"),
        string(Meeting, "attendees_note"),
        Field("speakers_count", "int", maximum=COUNT_MAX),
        Field("members_expected", "int", maximum=COUNT_MAX),
        Field("present", "int", maximum=COUNT_MAX),
        Field("conclusion", "str", default=""),
        Field("news_text", "str", default=""),
        Field("concluded_by", "int"),
        string(Meeting, "actor"),
        Field("people", "list", default=[], items=MEETING_PERSON_FIELDS),
        Field("items", "list", default=[], items=MEETING_ITEM_FIELDS),
    ),
)
TASK_REVIEW_FIELDS = (
    Field("meeting", "ref", required=True, target="meeting"),
    string(TaskReview, "status", required=True, choices=TaskStatus.values),
    Field("note", "str", default=""),
    string(TaskReview, "actor"),
)
TASK = RecordType(
    "task",
    "task",
    "nhiệm vụ giao tại hội nghị",
    (
        Field("meeting", "ref", required=True, target="meeting"),
        Field("text", "str", required=True),
        string(Task, "owner"),
        Field("owner_org", "ref", target="organization"),
        Field("deadline", "date"),
        string(Task, "status", default=TaskStatus.OPEN.value, choices=TaskStatus.values),
        Field("closed_on", "date"),
        Field("order", "int", default=0),
        string(Task, "actor"),
        Field("reviews", "list", default=[], items=TASK_REVIEW_FIELDS),
    ),
)


# -- export


def _export(w: Writer) -> None:
    orgs = w.refs["organization"]
    persons = w.refs["person"]
    people: dict[int, list[dict]] = defaultdict(list)
    person_at: dict[int | None, int] = {}  # meeting person id → its position in its meeting's list
    for p in MeetingPerson.objects.order_by("pk"):
        rows = people[p.meeting_id]
        rows.append(
            {
                "role": p.role,
                "person": persons.get(p.person_id),
                "name": p.name,
                "titles": list(p.titles or []),
                "order": p.order,
            }
        )
        person_at[p.pk] = len(rows)
    items: dict[int, list[dict]] = defaultdict(list)
    for i in MeetingItem.objects.order_by("pk"):
        items[i.meeting_id].append(
            {"kind": i.kind, "title": i.title, "presenter": i.presenter, "order": i.order}
        )
    meetings = w.number(Meeting, MEETING)
    names = [
        f.name for f in MEETING.fields if f.kind not in ("ref", "list") and f.name != "concluded_by"
    ]
    for m in Meeting.objects.order_by("pk"):
        w.record(
            MEETING,
            meetings[m.pk],
            {
                **{n: getattr(m, n) for n in names},
                "org": orgs[m.org_id],
                "concluded_by": person_at.get(m.concluded_by_id),
                "people": people.get(m.pk, []),
                "items": items.get(m.pk, []),
            },
        )
    reviews: dict[int, list[dict]] = defaultdict(list)
    for r in TaskReview.objects.order_by("pk"):
        reviews[r.task_id].append(
            {
                "meeting": meetings[r.meeting_id],
                "status": r.status,
                "note": r.note,
                "actor": r.actor,
            }
        )
    refs = w.number(Task, TASK)
    for t in Task.objects.order_by("pk"):
        w.record(
            TASK,
            refs[t.pk],
            {
                "meeting": meetings[t.meeting_id],
                "text": t.text,
                "owner": t.owner,
                "owner_org": orgs.get(t.owner_org_id),
                "deadline": t.deadline,
                "status": t.status,
                "closed_on": t.closed_on,
                "order": t.order,
                "actor": t.actor,
                "reviews": reviews.get(t.pk, []),
            },
        )


# -- checks


def _check(ck: Checker) -> None:
    meetings = ck.recs["meeting"]
    for m in meetings:
        if m.bad:
            continue
        before = ck.errors
        expected, present, speakers = (
            m.get("members_expected"),
            m.get("present"),
            m.get("speakers_count"),
        )
        for v in check_meeting_counts(
            kind=m.get("kind"), expected=expected, present=present, speakers=speakers
        ):
            ck.violation(
                m.line, "present" if v.rule == MeetingErrorCode.SO_CO_MAT else "speakers_count", v
            )
        j = m.get("concluded_by")
        if j is not None and not 1 <= j <= len(m.get("people")):
            ck.err(m.line, "concluded_by", "phải là số thứ tự của một người trong «people».")
        m.bad = ck.errors > before
    for t in ck.recs["task"]:
        if t.bad or any(
            meetings[i - 1].bad
            for i in (t.get("meeting"), *(r["meeting"] for r in t.get("reviews")))
        ):
            continue
        before = ck.errors
        source = meetings[t.get("meeting") - 1]
        open_ = t.get("status") == TaskStatus.OPEN
        if open_ != (t.get("closed_on") is None):
            ck.err(
                t.line,
                "closed_on",
                "nhiệm vụ đang thực hiện không có ngày kết thúc; nhiệm vụ đã "
                "hoàn thành hoặc dừng thì có.",
            )
        for v in check_deadline(deadline=t.get("deadline"), held_on=source.get("held_on")):
            ck.violation(t.line, "deadline", v)
        last, closed = source.get("held_on"), None
        for i, r in enumerate(t.get("reviews"), start=1):
            at, m = f"reviews[{i}].", meetings[r["meeting"] - 1]
            for v in check_task_review(
                same_org=m.get("org") == source.get("org"),
                given_on=source.get("held_on"),
                held_on=m.get("held_on"),
                closed=closed,
                last_review_on=None if i == 1 else last,
            ):
                ck.violation(t.line, at + "meeting", v)
            last = m.get("held_on")
            if r["status"] != TaskStatus.OPEN:
                closed = (r["status"], m.get("held_on"))
        if ck.errors > before:
            pass
        elif closed is not None and (t.get("status"), t.get("closed_on")) != closed:
            ck.err(
                t.line,
                "status",
                f"lần đánh giá cuối kết thúc nhiệm vụ: status «{closed[0]}», "
                f"closed_on {closed[1].isoformat()}.",
            )
        elif closed is None and not open_:
            ck.err(t.line, "status", "nhiệm vụ chỉ kết thúc qua một lần đánh giá tại hội nghị sau.")
        t.bad = ck.errors > before


# -- writing


def _write(imp: Importer) -> None:
    org = lambda idx: imp.id("organization", idx)  # noqa: E731
    now = imp.now
    meetings = imp.recs["meeting"]
    plain = tuple(
        f.name for f in MEETING.fields if f.kind not in ("ref", "list") and f.name != "concluded_by"
    )
    rows, people, next_id = [], [], imp.first["meeting_person"]
    for m in meetings:
        first = next_id
        for p in m.get("people"):
            people.append(
                (
                    next_id,
                    imp.id("meeting", m.idx),
                    p["role"],
                    imp.id("person", p["person"]),
                    p["name"],
                    p["titles"],
                    p["order"],
                )
            )
            next_id += 1
        j = m.get("concluded_by")
        rows.append(
            (
                imp.id("meeting", m.idx),
                org(m.get("org")),
                *(m.get(n) for n in plain),
                None if j is None else first + j - 1,
                now,
            )
        )
    # meetings first without their concluding person (the people point at the meeting)
    Table(Meeting, ("id", "org_id", *plain, "concluded_by_id", "recorded_at")).insert(
        row[:-2] + (None, row[-1]) for row in rows
    )
    Table(
        MeetingPerson, ("id", "meeting_id", "role", "person_id", "name", "titles", "order")
    ).insert(people)
    Meeting.objects.bulk_update(
        [Meeting(pk=row[0], concluded_by_id=row[-2]) for row in rows if row[-2] is not None],
        ["concluded_by"],
        batch_size=BATCH,
    )
    Table(MeetingItem, ("meeting_id", "kind", "title", "presenter", "order")).insert(
        (imp.id("meeting", m.idx), i["kind"], i["title"], i["presenter"], i["order"])
        for m in meetings
        for i in m.get("items")
    )
    tasks = imp.recs["task"]
    Table(
        Task,
        (
            "id",
            "meeting_id",
            "text",
            "owner",
            "owner_org_id",
            "deadline",
            "status",
            "closed_on",
            "order",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            imp.id("task", t.idx),
            imp.id("meeting", t.get("meeting")),
            t.get("text"),
            t.get("owner"),
            org(t.get("owner_org")),
            t.get("deadline"),
            t.get("status"),
            t.get("closed_on"),
            t.get("order"),
            t.get("actor"),
            now,
        )
        for t in tasks
    )
    Table(TaskReview, ("task_id", "meeting_id", "status", "note", "actor", "recorded_at")).insert(
        (
            imp.id("task", t.idx),
            imp.id("meeting", r["meeting"]),
            r["status"],
            r["note"],
            r["actor"],
            now,
        )
        for t in tasks
        for r in t.get("reviews")
    )


APP = App(
    name="meetings",
    types=(MEETING, TASK),
    export=_export,
    check=_check,
    write=_write,
    ids=(("meeting", Meeting), ("meeting_person", MeetingPerson), ("task", Task)),
    tables=(Meeting, MeetingPerson, MeetingItem, Task, TaskReview),
    occupied=((Meeting, "hội nghị"),),
)
