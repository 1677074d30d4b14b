"""Forms of the meetings pages: their shape only; the services check the rules.

People and agenda are typed one per line: ``Họ và tên | chức danh; chức danh`` and
``Tên văn bản | người, đơn vị trình bày``.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms

from dangbo.meetings.models import Meeting, MeetingKind, MeetingRole, Session, Task, TaskStatus
from dangbo.organizations.models import OrgVersion
from dangbo.web.forms import DateInput

PEOPLE_FIELDS = (
    ("chairs", MeetingRole.CHAIR),
    ("guests", MeetingRole.GUEST),
    ("presenters", MeetingRole.PRESENTER),
    ("attendees", MeetingRole.ATTENDEE),
)
ITEM_FIELDS = (("reports", "bao_cao"), ("presentations", "tham_luan"), ("adopted", "thong_qua"))
SESSIONS = [("", "—"), *Session.choices]


def orgs_in(scope: frozenset[int], on: date, *, cells: bool | None) -> list[tuple[int, str]]:
    """Organizations of `scope` alive on `on` (`cells`: only cells, only committees, or
    both when None), by rank and name."""
    rows = OrgVersion.objects.filter(org_id__in=scope, valid_from__lte=on, valid_to__gt=on)
    if cells is not None:
        rows = rows.filter(kind__holds_members=cells)
    return list(rows.order_by("kind__rank", "name").values_list("org_id", "name"))


def _lines(text: str) -> list[list[str]]:
    return [
        [part.strip() for part in line.split("|", 1)] for line in text.splitlines() if line.strip()
    ]


def people_rows(data: dict) -> tuple[list[dict], list[str]]:
    """The people typed in the three boxes, and for each row the box it came from."""
    rows, where = [], []
    for field, role in PEOPLE_FIELDS:
        for parts in _lines(data.get(field) or ""):
            titles = [t.strip() for t in parts[1].split(";")] if len(parts) > 1 else []
            rows.append({"role": role.value, "name": parts[0], "titles": [t for t in titles if t]})
            where.append(field)
    return rows, where


def item_rows(data: dict) -> tuple[list[dict], list[str]]:
    """The agenda typed in the three boxes, and for each row the box it came from."""
    rows, where = [], []
    for field, kind in ITEM_FIELDS:
        for parts in _lines(data.get(field) or ""):
            rows.append(
                {"kind": kind, "title": parts[0], "presenter": parts[1] if len(parts) > 1 else ""}
            )
            where.append(field)
    return rows, where


def _lines_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


PEOPLE_HELP = "Mỗi dòng một người: Họ và tên | chức danh; chức danh (theo thứ tự)."
ITEM_HELP = "Mỗi dòng một văn bản: Tên | người, đơn vị trình bày."


class TaskFields(forms.Form):
    """A follow-up task (all optional here: a meeting may set none)."""

    task_text = forms.CharField(
        label="Nhiệm vụ giao", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    task_owner = forms.CharField(label="Người, đơn vị thực hiện", required=False, max_length=200)
    task_deadline = forms.DateField(label="Thời hạn", required=False, widget=DateInput())


class CellMeetingForm(TaskFields):
    cell = forms.TypedChoiceField(label="Chi bộ", coerce=int)
    held_on = forms.DateField(label="Ngày sinh hoạt", widget=DateInput())
    session = forms.ChoiceField(label="Buổi", choices=SESSIONS, required=False)
    members_expected = forms.IntegerField(
        label="Số đảng viên phải dự",
        required=False,
        min_value=0,
        help_text="Để trống: đảng viên của chi bộ ngày sinh hoạt, trừ người miễn sinh hoạt.",
    )
    present = forms.IntegerField(label="Số có mặt", min_value=0)
    speakers = forms.IntegerField(label="Số đảng viên phát biểu", min_value=0)
    title = forms.CharField(label="Chủ đề", required=False, max_length=400)
    place = forms.CharField(label="Địa điểm", required=False, max_length=200)
    conclusion = forms.CharField(
        label="Kết luận", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["cell", "held_on", "session", "members_expected", "present", "speakers"]

    def __init__(self, *args, cells: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cell"]).choices = cells


class MeetingFields(forms.Form):
    """What a conference says besides its organization, kind and date: recorded and edited
    alike."""

    number = forms.IntegerField(
        label="Lần thứ", required=False, help_text="Hội nghị Ban Chấp hành, Ban Thường vụ."
    )
    session = forms.ChoiceField(label="Buổi", choices=SESSIONS, required=False)
    place = forms.CharField(label="Địa điểm", required=False, max_length=200)
    title = forms.CharField(label="Tên, chủ đề hội nghị", required=False, max_length=400)
    attendees_note = forms.CharField(label="Thành phần dự", required=False, max_length=400)
    chairs = _lines_field("Chủ trì", PEOPLE_HELP)
    guests = _lines_field("Khách mời cấp trên", PEOPLE_HELP)
    presenters = _lines_field("Người trình bày", PEOPLE_HELP)
    reports = _lines_field("Báo cáo", ITEM_HELP)
    presentations = _lines_field("Tham luận", ITEM_HELP)
    adopted = _lines_field("Văn bản thông qua", ITEM_HELP)
    members_expected = forms.IntegerField(label="Số phải dự", required=False, min_value=0)
    present = forms.IntegerField(label="Số có mặt", required=False, min_value=0)
    speakers_count = forms.IntegerField(label="Số ý kiến phát biểu", required=False, min_value=0)
    conclusion = forms.CharField(
        label="Kết luận", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    concluded_by = forms.CharField(
        label="Người kết luận", required=False, help_text="Họ và tên như trong danh sách trên."
    )


class MeetingForm(MeetingFields, TaskFields):
    org = forms.TypedChoiceField(label="Tổ chức", coerce=int)
    kind = forms.ChoiceField(
        label="Loại hội nghị", choices=[c for c in MeetingKind.choices if c[0] != MeetingKind.CELL]
    )
    held_on = forms.DateField(label="Ngày họp", widget=DateInput())
    field_order = ["org", "kind", "number", "held_on", "session", "place", "title"]

    def __init__(self, *args, orgs: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["org"]).choices = orgs


class TaskForm(forms.Form):
    text = forms.CharField(label="Nội dung nhiệm vụ", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label="Người, đơn vị thực hiện", required=False, max_length=200)
    deadline = forms.DateField(label="Thời hạn", required=False, widget=DateInput())


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label="Tình trạng", choices=TaskStatus.choices)
    note = forms.CharField(label="Ghi chú", required=False, max_length=2000)


class NewsForm(forms.Form):
    text = forms.CharField(
        label="Tin bài",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "news-text"}),
        help_text="Các đoạn cách nhau một dòng trống. Để trống và lưu: trở lại bản tự động.",
    )


def _lines_of(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"{a} | {b}" if b else a for a, b in rows)


class MeetingEditForm(MeetingFields):
    """What a recorded meeting says, filled from the records: its people and agenda one per
    line as when recorded, the counts, the conclusion and the tasks it set (``task_<id>_text``,
    ``_owner``, ``_deadline``, ``_remove``; one empty row ``task_new_…`` to add one). A cell
    meeting has no number and counts its members who spoke."""

    attendees = _lines_field("Đại biểu dự", PEOPLE_HELP)

    def __init__(self, *args, meeting: Meeting, tasks: list[Task], reviewed: set[int], **kwargs):
        people = list(meeting.people.all())
        items = list(meeting.items.all())
        initial = {
            **{f: getattr(meeting, f) for f in MEETING_FIELDS},
            **{
                field: _lines_of([(p.name, "; ".join(p.titles)) for p in people if p.role == role])
                for field, role in PEOPLE_FIELDS
            },
            **{
                field: _lines_of([(i.title, i.presenter) for i in items if i.kind == kind])
                for field, kind in ITEM_FIELDS
            },
            "concluded_by": meeting.concluded_by.name if meeting.concluded_by else "",
        }
        for t in tasks:
            initial.update(
                {
                    f"task_{t.pk}_text": t.text,
                    f"task_{t.pk}_owner": t.owner,
                    f"task_{t.pk}_deadline": t.deadline,
                }
            )
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.is_cell = meeting.kind == MeetingKind.CELL
        if self.is_cell:
            del self.fields["number"]
            self.fields["speakers_count"].label = "Số đảng viên phát biểu"
            self.fields["present"].required = True
        self.tasks = tasks
        self.reviewed = reviewed
        for key in [str(t.pk) for t in tasks] + ["new"]:
            label = "Nhiệm vụ giao" if key != "new" else "Nhiệm vụ mới"
            self.fields[f"task_{key}_text"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"task_{key}_owner"] = forms.CharField(
                label="Người, đơn vị thực hiện", required=False, max_length=200
            )
            self.fields[f"task_{key}_deadline"] = forms.DateField(
                label="Thời hạn", required=False, widget=DateInput()
            )
            if key != "new":
                self.fields[f"task_{key}_remove"] = forms.BooleanField(
                    label="Xóa nhiệm vụ này", required=False
                )
                if int(key) in reviewed:
                    self.fields[
                        f"task_{key}_text"
                    ].help_text = "Đã được đánh giá tại hội nghị sau: không sửa, không xóa."

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The page's sections and their fields (the tasks apart, see :meth:`task_table`)."""
        groups = [
            ("Thông tin chung", ["number", "session", "place", "title", "attendees_note"]),
            ("Đại biểu", ["chairs", "guests", "presenters", "attendees"]),
            ("Nội dung", ["reports", "presentations", "adopted"]),
            (
                "Số lượng và kết luận",
                ["members_expected", "present", "speakers_count", "conclusion", "concluded_by"],
            ),
        ]
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in groups]

    def task_table(self) -> list[tuple[Task | None, bool, list[forms.BoundField]]]:
        """One row per task (then the new one): the task, whether a later meeting reviewed
        it, and its fields (text, owner, deadline, and remove for a recorded one)."""
        out: list[tuple[Task | None, bool, list[forms.BoundField]]] = []
        for t in self.tasks:
            names = [f"task_{t.pk}_{p}" for p in ("text", "owner", "deadline", "remove")]
            out.append((t, t.pk in self.reviewed, [self[n] for n in names]))
        out.append((None, False, [self[f"task_new_{p}"] for p in ("text", "owner", "deadline")]))
        return out

    def task_rows(self) -> tuple[list[dict], list[str]]:
        """The service's `tasks` (those not removed, then the new one when typed) and for
        each the prefix of its fields."""
        d = self.cleaned_data
        rows, where = [], []
        for t in self.tasks:
            if d.get(f"task_{t.pk}_remove"):
                continue
            rows.append({"task": t, **self._task(d, str(t.pk))})
            where.append(f"task_{t.pk}")
        if (d.get("task_new_text") or "").strip():
            rows.append({"task": None, **self._task(d, "new")})
            where.append("task_new")
        return rows, where

    @staticmethod
    def _task(d: dict, key: str) -> dict:
        return {
            "text": d.get(f"task_{key}_text") or "",
            "owner": d.get(f"task_{key}_owner") or "",
            "deadline": d.get(f"task_{key}_deadline"),
        }

    def fields_kwargs(self) -> dict:
        """The service's editable fields."""
        d = self.cleaned_data
        return {f: d.get(f) if f in self.fields else None for f in MEETING_FIELDS} | {
            "session": d["session"] or "",
            "place": d["place"] or "",
            "title": d["title"] or "",
            "attendees_note": d["attendees_note"] or "",
            "conclusion": d["conclusion"] or "",
        }


MEETING_FIELDS = (
    "number",
    "session",
    "place",
    "title",
    "attendees_note",
    "members_expected",
    "present",
    "speakers_count",
    "conclusion",
)
