"""Writes of meetings, their follow-up tasks and the reviews of those tasks.

Every service is keyword-only, atomic and audited; a refusal raises before anything is
written (input that cannot be read: :class:`InvalidInput`; a request the records refuse:
:class:`DomainError`), with a Vietnamese message naming the field.

* ``meeting_record`` — a meeting with its people (``people``: dicts with ``role``,
  ``person`` or ``name``, ``titles``) and agenda (``items``: dicts with ``kind``,
  ``title``, ``presenter``). ``concluded_by`` names (or is the Person of) one of the
  recorded people.
* ``cell_meeting_record`` — a monthly cell meeting with its attendance; the members
  expected default to the cell's members on the day minus the exempt.
* ``meeting_update`` — what a recorded meeting says (people, agenda, attendance,
  conclusion, the tasks it set), under the same rules; its organization, kind and date
  stay (they name it), and a task reviewed at a later meeting is neither changed nor
  removed.
* ``task_add`` — a follow-up task set at a meeting, with its owner and deadline.
* ``meeting_news_save`` — the news item as edited by the office (empty: back to the draft
  computed from the records).
* ``task_review`` — the task's state as reviewed at a later meeting of the same
  organization; a review "done" or "dropped" closes it on that meeting's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.services import audit
from dangbo.meetings.error_codes import MeetingErrorCode
from dangbo.meetings.inputs import count_input as _count
from dangbo.meetings.inputs import items_input as _items
from dangbo.meetings.inputs import people_input as _people
from dangbo.meetings.inputs import text_input as _text
from dangbo.meetings.models import (
    NUMBERED_KINDS,
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
from dangbo.meetings.rules import (
    check_deadline,
    check_meeting_counts,
    check_task_change,
    check_task_review,
)
from dangbo.meetings.selectors import expected_members
from dangbo.membership.models import Person
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.selectors import org_version_on
from dangbo.vn_format import date_numeric


# --- helpers -----------------------------------------------------------------------------
def _version(org: Organization, on: date) -> OrgVersion:
    return org_version_on(org, on, day=date_numeric)


def _check_attendance(
    kind: str, expected: int | None, present: int | None, speakers: int | None
) -> None:
    violations = check_meeting_counts(
        kind=kind, expected=expected, present=present, speakers=speakers
    )
    if violations and violations[0].rule == MeetingErrorCode.SO_CO_MAT:
        raise InvalidInput(violations[0].sentence(), code=violations[0].rule, field="present")
    if kind == MeetingKind.CELL and present is None:
        raise InvalidInput(
            "Trường «số có mặt» không được để trống khi ghi buổi sinh hoạt chi bộ.",
            field="present",
        )
    for v in violations:
        raise InvalidInput(v.sentence(), code=v.rule, field="speakers")


def _check_number(
    org: Organization, kind: str, number: int | None, held_on: date, other_than: int | None = None
) -> None:
    if number is None:
        return
    if kind not in NUMBERED_KINDS:
        raise InvalidInput(
            "Trường «lần thứ» chỉ dùng cho hội nghị Ban Chấp hành và Ban Thường vụ.", field="number"
        )
    if number < 1:
        raise InvalidInput("Trường «lần thứ» phải từ 1 trở lên.", field="number")
    term = org.terms.filter(starts_on__lte=held_on, ends_on__gt=held_on).first()
    if term is None:
        return
    clash = (
        Meeting.objects.filter(
            org=org, kind=kind, number=number, held_on__gte=term.starts_on, held_on__lt=term.ends_on
        )
        .exclude(pk=other_than or 0)
        .first()
    )
    if clash:
        raise DomainError(
            f"{MeetingKind(kind).label} lần thứ {number} nhiệm kỳ {term.label} đã được ghi "
            f"(ngày {date_numeric(clash.held_on)}).",
            code=MeetingErrorCode.TRUNG_SO_HOI_NGHI,
        )


def _check_one_cell_meeting_a_month(cell: Organization, held_on: date) -> None:
    other = Meeting.objects.filter(
        org=cell, kind=MeetingKind.CELL, held_on__year=held_on.year, held_on__month=held_on.month
    ).first()
    if other:
        raise DomainError(
            f"Chi bộ đã có buổi sinh hoạt thường kỳ tháng {held_on.month}/{held_on.year} "
            f"(ngày {date_numeric(other.held_on)}); buổi sinh hoạt khác trong tháng ghi là hội nghị "
            "chuyên đề.",
            code=MeetingErrorCode.TRUNG_SINH_HOAT_CHI_BO,
        )


# --- meetings ----------------------------------------------------------------------------
@transaction.atomic
def meeting_record(
    *,
    org: Organization,
    kind: str,
    held_on: date,
    number: int | None = None,
    session: str = "",
    place: str = "",
    title: str = "",
    attendees_note: str = "",
    people: Iterable[Mapping] = (),
    items: Iterable[Mapping] = (),
    speakers_count: int | None = None,
    present: int | None = None,
    members_expected: int | None = None,
    conclusion: str = "",
    concluded_by: str | Person | None = None,
    actor: str,
) -> Meeting:
    """Record a meeting of `org` with its people, agenda and conclusion.

    For a monthly cell meeting (`kind="sinh_hoat_chi_bo"`) `present` is required,
    `members_expected` defaults to :func:`~dangbo.meetings.selectors.expected_members` and `speakers_count` is the
    number of members who spoke (at most `present`).
    """
    if kind not in MeetingKind.values:
        raise InvalidInput(
            f"Trường «loại hội nghị» «{kind}» không hợp lệ "
            f"(chọn một trong {', '.join(MeetingKind.values)}).",
            field="kind",
        )
    if not isinstance(held_on, date):
        raise InvalidInput("Trường «ngày họp» không được để trống.", field="held_on")
    version = _version(org, held_on)
    if session not in ("", *Session.values):
        raise InvalidInput(
            f"Trường «buổi» «{session}» không hợp lệ (sang, chieu hoặc toi).", field="session"
        )
    _check_number(org, kind, number, held_on)
    place = _text(place, "place", "địa điểm", max_length=200)
    title = _text(title, "title", "tên, chủ đề hội nghị", max_length=400)
    attendees_note = _text(attendees_note, "attendees_note", "thành phần dự", max_length=400)
    conclusion = _text(conclusion, "conclusion", "nội dung kết luận")
    speakers_count = _count(speakers_count, "speakers_count", "số ý kiến phát biểu")
    present = _count(present, "present", "số có mặt")
    members_expected = _count(members_expected, "members_expected", "số đảng viên phải dự")
    if kind == MeetingKind.CELL:
        if not version.kind.holds_members:
            raise InvalidInput(
                f"«{version.name}» không phải chi bộ vào ngày {date_numeric(held_on)}; "
                "chỉ chi bộ ghi sinh hoạt chi bộ thường kỳ.",
                field="org",
            )
        _check_one_cell_meeting_a_month(org, held_on)
        if members_expected is None:
            members_expected = expected_members(org, held_on)
    _check_attendance(kind, members_expected, present, speakers_count)
    people_rows = _people(people)
    item_rows = _items(items)

    meeting = Meeting.objects.create(
        org=org,
        kind=kind,
        number=number,
        held_on=held_on,
        session=session,
        place=place,
        title=title,
        attendees_note=attendees_note,
        speakers_count=speakers_count,
        present=present,
        members_expected=members_expected,
        conclusion=conclusion,
        actor=actor,
    )
    created = MeetingPerson.objects.bulk_create(
        [MeetingPerson(meeting=meeting, **row) for row in people_rows]
    )
    MeetingItem.objects.bulk_create([MeetingItem(meeting=meeting, **row) for row in item_rows])
    if concluded_by is not None:
        meeting.concluded_by = _find_person(created, concluded_by)
        meeting.save(update_fields=["concluded_by"])
    audit(
        actor=actor,
        action="meeting_record",
        obj=meeting,
        after={
            "org": org.pk,
            "kind": kind,
            "number": number,
            "held_on": held_on.isoformat(),
            "people": [
                {"role": r["role"], "name": r["name"], "titles": r["titles"]} for r in people_rows
            ],
            "items": [{"kind": r["kind"], "title": r["title"]} for r in item_rows],
            "speakers_count": speakers_count,
            "present": present,
            "members_expected": members_expected,
        },
    )
    return meeting


def _find_person(created: list[MeetingPerson], who: str | Person) -> MeetingPerson:
    if isinstance(who, Person):
        found = [p for p in created if p.person_id == who.pk]
        label = who.full_name
    else:
        label = " ".join(str(who).split())
        found = [p for p in created if p.name.casefold() == label.casefold()]
    if not found:
        raise InvalidInput(
            f"Trường «người kết luận»: «{label}» không có trong danh sách dự hội nghị.",
            field="concluded_by",
        )
    # a chair who also presents: the chair's entry carries the titles the news item uses
    found.sort(key=lambda p: (p.role != MeetingRole.CHAIR, p.order))
    return found[0]


def cell_meeting_record(
    *,
    cell: Organization,
    held_on: date,
    present: int,
    speakers: int,
    members_expected: int | None = None,
    title: str = "",
    place: str = "",
    session: str = "",
    people: Iterable[Mapping] = (),
    items: Iterable[Mapping] = (),
    conclusion: str = "",
    concluded_by: str | Person | None = None,
    actor: str,
) -> Meeting:
    """Record the monthly meeting of `cell` with its attendance (one a month).

    `members_expected` defaults to the cell's members on `held_on` minus the exempt;
    `present` may not exceed it and `speakers` may not exceed `present`.
    """
    if speakers is None:
        raise InvalidInput("Trường «số đảng viên phát biểu» không được để trống.", field="speakers")
    return meeting_record(
        org=cell,
        kind=MeetingKind.CELL,
        held_on=held_on,
        session=session,
        place=place,
        title=title,
        people=people,
        items=items,
        speakers_count=_count(speakers, "speakers", "số đảng viên phát biểu"),
        present=present,
        members_expected=members_expected,
        conclusion=conclusion,
        concluded_by=concluded_by,
        actor=actor,
    )


#: What :func:`meeting_update` may change, with its label.
EDITABLE = {
    "number": "lần thứ",
    "session": "buổi",
    "place": "địa điểm",
    "title": "tên, chủ đề hội nghị",
    "attendees_note": "thành phần dự",
    "speakers_count": "số ý kiến phát biểu",
    "present": "số có mặt",
    "members_expected": "số đảng viên phải dự",
    "conclusion": "nội dung kết luận",
}


def _snapshot(m: Meeting) -> dict:
    return {
        **{f: getattr(m, f) for f in EDITABLE},
        "people": [
            {"role": p.role, "name": p.name, "titles": p.titles} for p in m.people.order_by("order")
        ],
        "items": [{"kind": i.kind, "title": i.title} for i in m.items.order_by("order")],
        "concluded_by": m.concluded_by.name if m.concluded_by else None,
        "tasks": [
            {"text": t.text, "owner": t.owner, "deadline": t.deadline and t.deadline.isoformat()}
            for t in m.tasks.order_by("order", "pk")
        ],
    }


def _update_tasks(meeting: Meeting, tasks: Iterable[Mapping], actor: str) -> None:
    """The tasks of `meeting` as given: ``{"task": Task | None, "text", "owner",
    "deadline"}``; a task left out is removed. Reviewed tasks stay as they were given."""
    current = {t.pk: t for t in meeting.tasks.all()}
    reviewed = dict(
        TaskReview.objects.filter(task__meeting=meeting)
        .order_by("meeting__held_on")
        .values_list("task_id", "meeting__held_on")
    )
    kept: list[Task] = []
    for i, row in enumerate(tasks, start=1):
        where = f"tasks[{i}]"
        text = _text(row.get("text"), f"{where}.text", "nội dung nhiệm vụ", required=True)
        owner = _text(row.get("owner"), f"{where}.owner", "đơn vị, người thực hiện", max_length=200)
        deadline = row.get("deadline")
        for v in check_deadline(deadline=deadline, held_on=meeting.held_on):
            raise InvalidInput(v.sentence(), code=v.rule, field=f"{where}.deadline")
        task = row.get("task")
        if task is None:
            kept.append(
                Task(meeting=meeting, text=text, owner=owner, deadline=deadline, actor=actor)
            )
            continue
        if task.pk not in current:
            raise InvalidInput(f"Nhiệm vụ thứ {i} không thuộc hội nghị này.", field=f"{where}.text")
        task = current.pop(task.pk)
        if (task.text, task.owner, task.deadline) != (text, owner, deadline):
            for v in check_task_change(reviewed_on=reviewed.get(task.pk)):
                raise DomainError(v.sentence(), code=v.rule, field=f"{where}.text")
            task.text, task.owner, task.deadline = text, owner, deadline
        kept.append(task)
    for gone in current.values():
        for v in check_task_change(reviewed_on=reviewed.get(gone.pk)):
            raise DomainError(f"«{gone.text[:60]}»: {v.sentence()}", code=v.rule, field="tasks")
    Task.objects.filter(pk__in=list(current)).delete()
    for order, task in enumerate(kept, start=1):
        task.order = order
        if task.pk is None:
            task.save()
        else:
            task.save(update_fields=["text", "owner", "deadline", "order"])


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    people: Iterable[Mapping],
    items: Iterable[Mapping],
    concluded_by: str | Person | None = None,
    tasks: Iterable[Mapping] | None = None,
    actor: str,
    **fields,
) -> Meeting:
    """Change what a recorded meeting says: the `fields` of :data:`EDITABLE` given, its
    people and agenda (as in :func:`meeting_record`, replacing the recorded ones) and, when
    `tasks` is given, the tasks it set (see :func:`_update_tasks`).

    A person given by name keeps the register link of the recorded person of the same role
    and name. The counts are checked as when recorded; a cell meeting needs its present, and
    its members expected left empty are the cell's members on the day minus the exempt."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        field = sorted(unknown)[0]
        raise InvalidInput(
            f"Trường «{field}» không sửa được: tổ chức, loại và ngày họp xác định hội nghị.",
            field=field,
        )
    m = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = _snapshot(m)
    values = {f: fields.get(f, getattr(m, f)) for f in EDITABLE}
    if values["session"] not in ("", *Session.values):
        raise InvalidInput(f"Trường «buổi» «{values['session']}» không hợp lệ.", field="session")
    _check_number(m.org, m.kind, values["number"], m.held_on, other_than=m.pk)
    for f in ("place", "title", "attendees_note"):
        values[f] = _text(values[f], f, EDITABLE[f], max_length=400 if f != "place" else 200)
    values["conclusion"] = _text(values["conclusion"], "conclusion", EDITABLE["conclusion"])
    for f in ("speakers_count", "present", "members_expected"):
        values[f] = _count(values[f], f, EDITABLE[f])
    if m.kind == MeetingKind.CELL and values["members_expected"] is None:
        values["members_expected"] = expected_members(m.org, m.held_on)
    _check_attendance(
        m.kind, values["members_expected"], values["present"], values["speakers_count"]
    )
    people_rows = _people(people)
    item_rows = _items(items)
    linked = {(p.role, p.name.casefold()): p.person for p in m.people.all() if p.person_id}
    for row in people_rows:
        if row["person"] is None:
            row["person"] = linked.get((row["role"], row["name"].casefold()))
    for f, value in values.items():
        setattr(m, f, value)
    m.concluded_by = None
    m.save(update_fields=[*EDITABLE, "concluded_by"])
    m.people.all().delete()
    m.items.all().delete()
    created = MeetingPerson.objects.bulk_create(
        [MeetingPerson(meeting=m, **row) for row in people_rows]
    )
    MeetingItem.objects.bulk_create([MeetingItem(meeting=m, **row) for row in item_rows])
    if concluded_by:
        m.concluded_by = _find_person(created, concluded_by)
        m.save(update_fields=["concluded_by"])
    if tasks is not None:
        _update_tasks(m, tasks, actor)
    audit(actor=actor, action="meeting_update", obj=m, before=before, after=_snapshot(m))
    return m


# --- tasks -------------------------------------------------------------------------------
@transaction.atomic
def task_add(
    *,
    meeting: Meeting,
    text: str,
    owner: str = "",
    owner_org: Organization | None = None,
    deadline: date | None = None,
    actor: str,
) -> Task:
    """A follow-up task set at `meeting`: who does it (`owner` text and/or `owner_org`) and by when."""
    text = _text(text, "text", "nội dung nhiệm vụ", required=True)
    owner = _text(owner, "owner", "đơn vị, người thực hiện", max_length=200)
    if owner_org is not None:
        _version(owner_org, meeting.held_on)
    for v in check_deadline(deadline=deadline, held_on=meeting.held_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="deadline")
    order = Task.objects.filter(meeting=meeting).count() + 1
    task = Task.objects.create(
        meeting=meeting,
        text=text,
        owner=owner,
        owner_org=owner_org,
        deadline=deadline,
        order=order,
        actor=actor,
    )
    audit(
        actor=actor,
        action="task_add",
        obj=task,
        after={
            "meeting": meeting.pk,
            "text": text,
            "owner": owner,
            "owner_org": owner_org.pk if owner_org else None,
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    return task


@transaction.atomic
def task_review(
    *, task: Task, meeting: Meeting, status: str, note: str = "", actor: str
) -> TaskReview:
    """Record how far `task` has got, as reviewed at `meeting` (held after the task's meeting,
    same organization, after any earlier review). "Done" or "dropped" closes the task on
    that meeting's date; a closed task is not reviewed again."""
    task = Task.objects.select_for_update().select_related("meeting").get(pk=task.pk)
    if status not in TaskStatus.values:
        raise InvalidInput(
            f"Trường «tình trạng» «{status}» không hợp lệ "
            f"(chọn một trong {', '.join(TaskStatus.values)}).",
            field="status",
        )
    note = _text(note, "note", "ghi chú")
    if status == TaskStatus.DROPPED and not note:
        raise InvalidInput(
            "Trường «ghi chú» phải nêu lý do khi dừng thực hiện nhiệm vụ.", field="note"
        )
    source = task.meeting
    last = task.reviews.select_related("meeting").order_by("-meeting__held_on").first()
    for v in check_task_review(
        same_org=meeting.org_id == source.org_id,
        given_on=source.held_on,
        held_on=meeting.held_on,
        closed=None if task.closed_on is None else (task.status, task.closed_on),
        last_review_on=None if last is None else last.meeting.held_on,
    ):
        raise DomainError(v.sentence(), code=v.rule)
    review = TaskReview.objects.create(
        task=task, meeting=meeting, status=status, note=note, actor=actor
    )
    before = {"status": task.status}
    if status != TaskStatus.OPEN:
        task.status, task.closed_on = status, meeting.held_on
        task.save(update_fields=["status", "closed_on"])
    audit(
        actor=actor,
        action="task_review",
        obj=task,
        before=before,
        after={"status": task.status, "meeting": meeting.pk, "review": review.pk, "note": note},
    )
    return review


@transaction.atomic
def meeting_news_save(*, meeting: Meeting, text: str, actor: str) -> Meeting:
    """Keep the office's edited news item of `meeting` (paragraphs separated by blank
    lines); an empty text drops the edit, and the draft computed from the records shows
    again."""
    if not isinstance(text, str):
        raise InvalidInput("Trường «tin bài» phải là văn bản.", field="text")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n")]
    text = "\n".join(lines)
    if len(text) > 20000:
        raise InvalidInput("Trường «tin bài» dài quá 20000 ký tự.", field="text")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = {"news_text": meeting.news_text}
    meeting.news_text = text
    meeting.save(update_fields=["news_text"])
    audit(
        actor=actor,
        action="meeting_news_save",
        obj=meeting,
        before=before,
        after={"news_text": text},
    )
    return meeting
