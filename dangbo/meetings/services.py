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
from dangbo.meetings.models import (
    NUMBERED_KINDS,
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
from dangbo.meetings.selectors import expected_members
from dangbo.membership.models import Person
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.selectors import org_version_on
from dangbo.vn_format import date_numeric

PERSON_KEYS = {"role", "person", "name", "titles"}
ITEM_KEYS = {"kind", "title", "presenter"}


# --- helpers -----------------------------------------------------------------------------
def _version(org: Organization, on: date) -> OrgVersion:
    return org_version_on(org, on, day=date_numeric)


def _text(
    value, field: str, label: str, *, required: bool = False, max_length: int | None = None
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"Trường «{label}» phải là văn bản.", field=field)
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not text:
        raise InvalidInput(f"Trường «{label}» không được để trống.", field=field)
    if max_length and len(text) > max_length:
        raise InvalidInput(f"Trường «{label}» dài quá {max_length} ký tự.", field=field)
    return text


def _count(value, field: str, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"Trường «{label}» phải là số nguyên.", field=field)
    if value < 0:
        raise InvalidInput(f"Trường «{label}» không được âm.", field=field)
    return value


def _people(rows: Iterable[Mapping]) -> list[dict]:
    out, seen = [], set()
    for i, row in enumerate(rows, start=1):
        where = f"people[{i}]"
        if not isinstance(row, Mapping):
            raise InvalidInput(f"Đại biểu thứ {i}: cần vai trò, họ tên và chức danh.", field=where)
        unknown = set(row) - PERSON_KEYS
        if unknown:
            raise InvalidInput(
                f"Đại biểu thứ {i}: trường không hợp lệ {', '.join(sorted(unknown))}.",
                field=f"{where}.{sorted(unknown)[0]}",
            )
        role = row.get("role")
        if role not in MeetingRole.values:
            raise InvalidInput(
                f"Đại biểu thứ {i}: trường «vai trò» «{role}» không hợp lệ "
                f"(chọn một trong {', '.join(MeetingRole.values)}).",
                field=f"{where}.role",
            )
        person = row.get("person")
        if person is not None and not isinstance(person, Person):
            raise InvalidInput(
                f"Đại biểu thứ {i}: trường «nhân thân» không hợp lệ.", field=f"{where}.person"
            )
        name = _text(row.get("name"), f"{where}.name", "họ và tên", max_length=120)
        if not name and person is not None:
            name = person.full_name
        if not name:
            raise InvalidInput(
                f"Đại biểu thứ {i}: trường «họ và tên» không được để trống.", field=f"{where}.name"
            )
        titles = row.get("titles") or []
        if isinstance(titles, str) or not all(isinstance(t, str) for t in titles):
            raise InvalidInput(
                f"Đại biểu thứ {i} ({name}): trường «chức danh» phải là danh sách "
                "các chức danh theo thứ tự.",
                field=f"{where}.titles",
            )
        titles = [" ".join(t.split()) for t in titles if t.strip()]
        key = (role, person.pk if person else name.casefold())
        if key in seen:
            raise InvalidInput(
                f"Đại biểu «{name}» được ghi hai lần với vai trò «{MeetingRole(role).label}».",
                field=f"{where}.name",
            )
        seen.add(key)
        out.append({"role": role, "person": person, "name": name, "titles": titles, "order": i})
    return out


def _items(rows: Iterable[Mapping]) -> list[dict]:
    out = []
    for i, row in enumerate(rows, start=1):
        where = f"items[{i}]"
        if not isinstance(row, Mapping):
            raise InvalidInput(f"Nội dung thứ {i}: cần loại và tên.", field=where)
        unknown = set(row) - ITEM_KEYS
        if unknown:
            raise InvalidInput(
                f"Nội dung thứ {i}: trường không hợp lệ {', '.join(sorted(unknown))}.",
                field=f"{where}.{sorted(unknown)[0]}",
            )
        kind = row.get("kind")
        if kind not in ItemKind.values:
            raise InvalidInput(
                f"Nội dung thứ {i}: trường «loại» «{kind}» không hợp lệ "
                f"(chọn một trong {', '.join(ItemKind.values)}).",
                field=f"{where}.kind",
            )
        title = _text(row.get("title"), f"{where}.title", "tên", required=True, max_length=400)
        presenter = _text(
            row.get("presenter"), f"{where}.presenter", "người, đơn vị trình bày", max_length=200
        )
        out.append({"kind": kind, "title": title, "presenter": presenter, "order": i})
    return out


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


def _check_number(org: Organization, kind: str, number: int | None, held_on: date) -> None:
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
    clash = Meeting.objects.filter(
        org=org, kind=kind, number=number, held_on__gte=term.starts_on, held_on__lt=term.ends_on
    ).first()
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
