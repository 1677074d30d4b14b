"""The forms of the member page: one per kind of ledger event, reversal, admission, reception.

An event form is built from its :class:`EventAction` (which inputs it asks for); its
cleaned values become the plain :data:`~dangbo.membership.edits.EventFields` that the
ledger service (or a cell's proposal) takes, so the same rules apply everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from dangbo.core.dates import today
from dangbo.core.models import IssuerLevel
from dangbo.membership.edits import EventFields
from dangbo.membership.models import (
    DisciplineForm,
    EventKind,
    Gender,
    Member,
    MemberStatus,
    Theory,
)
from dangbo.membership.rules import WAIVABLE_KINDS
from dangbo.web.forms import DateInput

ACTIVE = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)


def _active(m: Member) -> bool:
    return m.status in ACTIVE


@dataclass(frozen=True)
class EventAction:
    """A form of the member page: the event kind it records and the inputs it asks for."""

    slug: str
    kind: EventKind
    title: str
    inputs: tuple[str, ...]
    #: values the form does not ask for, from the member as the form is shown
    preset: Callable[[Member], dict[str, Any]] = lambda m: {}
    #: whether the action is offered for the member in this state
    offered: Callable[[Member], bool] = _active

    @property
    def waivable(self) -> bool:
        return self.kind in WAIVABLE_KINDS


_ACTIONS = [
    EventAction(
        "chinh-thuc",
        EventKind.RECOGNITION,
        "Công nhận đảng viên chính thức",
        ("effective_on",),
        offered=lambda m: m.status == MemberStatus.PROBATIONARY,
    ),
    EventAction(
        "chuyen-chi-bo",
        EventKind.TRANSFER,
        "Chuyển sinh hoạt sang chi bộ khác",
        ("effective_on", "to_org"),
        preset=lambda m: {"from_org": m.cell_id},
    ),
    EventAction(
        "chuyen-di",
        EventKind.TRANSFER,
        "Chuyển sinh hoạt ra ngoài đảng bộ",
        ("effective_on", "place"),
        preset=lambda m: {"from_org": m.cell_id},
    ),
    EventAction(
        "tiep-nhan-lai",
        EventKind.TRANSFER,
        "Tiếp nhận trở lại (đã chuyển đi)",
        ("effective_on", "to_org"),
        offered=lambda m: m.status == MemberStatus.OUT and m.out_reason == "chuyen_di",
    ),
    EventAction(
        "tam-di",
        EventKind.TEMPORARY_OUT,
        "Chuyển sinh hoạt tạm thời",
        ("effective_on", "until", "temporary_form", "host_org", "place"),
        offered=lambda m: _active(m) and not getattr(m, "away", False),
    ),
    EventAction(
        "tam-ve",
        EventKind.TEMPORARY_BACK,
        "Kết thúc sinh hoạt tạm thời",
        ("effective_on",),
        offered=lambda m: _active(m) and bool(getattr(m, "away", False)),
    ),
    EventAction(
        "phat-the",
        EventKind.CARD,
        "Phát thẻ đảng viên",
        ("effective_on", "card_number"),
        offered=lambda m: m.status == MemberStatus.OFFICIAL,
    ),
    EventAction(
        "huy-hieu",
        EventKind.BADGE,
        "Trao tặng Huy hiệu Đảng",
        ("effective_on", "badge_years", "early", "posthumous"),
        offered=lambda m: _active(m) or m.out_reason == "tu_tran",
    ),
    EventAction(
        "mien",
        EventKind.EXEMPTION,
        "Miễn công tác và sinh hoạt đảng",
        ("effective_on", "reason"),
        offered=lambda m: _active(m) and not m.exempt,
    ),
    EventAction(
        "thoi-mien",
        EventKind.EXEMPTION_END,
        "Thôi miễn công tác và sinh hoạt đảng",
        ("effective_on",),
        offered=lambda m: _active(m) and m.exempt,
    ),
    EventAction("ky-luat", EventKind.DISCIPLINE, "Kỷ luật", ("effective_on", "discipline_form")),
    EventAction(
        "xoa-ten", EventKind.REMOVAL, "Xóa tên", ("effective_on", "removal_form", "reason")
    ),
    EventAction("ra-khoi-dang", EventKind.LEAVING, "Xin ra khỏi Đảng", ("effective_on", "reason")),
    EventAction("tu-tran", EventKind.DEATH, "Từ trần", ("effective_on",)),
    EventAction(
        "ket-nap-lai",
        EventKind.READMISSION,
        "Kết nạp lại",
        (
            "effective_on",
            "considered_on",
            "ceremony_on",
            "to_org",
            "consent",
            "conviction",
            "conviction_kind",
            "record_cleared_on",
        ),
        offered=lambda m: (
            m.status == MemberStatus.OUT and m.out_reason not in ("tu_tran", "chuyen_di")
        ),
    ),
]
ACTIONS: dict[str, EventAction] = {a.slug: a for a in _ACTIONS}
DISCIPLINE = ACTIONS["ky-luat"]

TEMPORARY_FORMS = [
    ("cong_tac", "Đi công tác, làm việc"),
    ("hoc_tap", "Đi học"),
    ("khac", "Lý do khác"),
]
#: why a member is removed (xóa tên); `bo_sinh_hoat` bars a later readmission
REMOVAL_FORMS = [
    ("", "— chọn lý do —"),
    ("bo_sinh_hoat", "Tự ý bỏ sinh hoạt đảng"),
    ("khong_dong_dang_phi", "Không đóng đảng phí 3 tháng trong năm"),
    ("khong_du_tu_cach", "Giảm sút ý chí phấn đấu, không đủ tư cách đảng viên"),
    ("du_bi_khong_du_tu_cach", "Đảng viên dự bị không đủ tư cách"),
]
CONVICTION_KINDS = [
    ("", "— không bị kết án —"),
    ("it_nghiem_trong", "Tội ít nghiêm trọng"),
    ("nghiem_trong", "Tội nghiêm trọng"),
    ("rat_nghiem_trong", "Tội rất nghiêm trọng"),
    ("dac_biet_nghiem_trong", "Tội đặc biệt nghiêm trọng"),
    ("tham_nhung", "Tội tham nhũng"),
]
#: the names of the event's details that are dates (posted as dates, stored as ISO text)
DETAIL_DATES = ("considered_on", "ceremony_on", "record_cleared_on")
BADGE_YEARS = [(y, f"{y} năm") for y in (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)]


def _date_field(
    label: str, *, required: bool = True, initial: date | None = None, help_text: str = ""
) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DateInput(), initial=initial, help_text=help_text
    )


def _decision_fields(prefix: str, title: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}_number": forms.CharField(label="Số", required=False, max_length=60),
        f"{prefix}_issued_on": _date_field("Ngày ban hành", required=False),
        f"{prefix}_issuer": forms.CharField(
            label="Cơ quan ban hành", required=False, max_length=200
        ),
        f"{prefix}_issuer_level": forms.ChoiceField(
            label="Cấp ban hành",
            choices=IssuerLevel.choices,
            initial=IssuerLevel.BASE,
            required=False,
        ),
    }


def _decision_value(data: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    number = (data.get(f"{prefix}_number") or "").strip()
    if not number:
        return None
    issued = data.get(f"{prefix}_issued_on")
    return {
        "number": number,
        "issued_on": issued.isoformat() if issued else "",
        "issuer": (data.get(f"{prefix}_issuer") or "").strip(),
        "issuer_level": data.get(f"{prefix}_issuer_level") or IssuerLevel.BASE,
    }


class VersionedForm(forms.Form):
    """A form carrying the member's version as it was shown (edit conflicts)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _input_fields(name: str, cells: list[tuple[int, str]]) -> dict[str, forms.Field]:
    cell_choices = [("", "— chọn chi bộ —"), *cells]
    inputs: dict[str, dict[str, forms.Field]] = {
        "effective_on": {"effective_on": _date_field("Ngày hiệu lực", initial=today())},
        "to_org": {
            "to_org": forms.TypedChoiceField(
                label="Chi bộ đến", choices=cell_choices, coerce=int, empty_value=None
            )
        },
        "host_org": {
            "to_org": forms.TypedChoiceField(
                label="Chi bộ nơi sinh hoạt tạm thời",
                choices=[("", "— ngoài đảng bộ —"), *cells],
                coerce=int,
                empty_value=None,
                required=False,
            )
        },
        "place": {
            "place": forms.CharField(
                label="Nơi chuyển đến",
                required=False,
                max_length=200,
                help_text="Tên tổ chức đảng nơi đến",
            )
        },
        "until": {"until": _date_field("Đến ngày")},
        "temporary_form": {
            "form": forms.ChoiceField(label="Lý do", choices=TEMPORARY_FORMS, initial="cong_tac")
        },
        "card_number": {"card_number": forms.CharField(label="Số thẻ đảng viên", max_length=20)},
        "badge_years": {
            "badge_years": forms.TypedChoiceField(
                label="Mốc huy hiệu", choices=BADGE_YEARS, coerce=int
            )
        },
        "early": {"early": forms.BooleanField(label="Trao sớm (ốm nặng)", required=False)},
        "posthumous": {"posthumous": forms.BooleanField(label="Truy tặng", required=False)},
        "reason": {"reason": forms.CharField(label="Lý do", required=False, max_length=300)},
        "removal_form": {
            "form": forms.ChoiceField(label="Lý do xóa tên", choices=REMOVAL_FORMS, required=False)
        },
        "discipline_form": {
            "form": forms.ChoiceField(label="Hình thức kỷ luật", choices=DisciplineForm.choices)
        },
        "conviction": {
            "conviction": forms.BooleanField(
                label="Đã bị kết án (thời gian chờ tính từ ngày xóa án tích)", required=False
            )
        },
        "conviction_kind": {
            "conviction_kind": forms.ChoiceField(
                label="Tội danh đã bị kết án",
                choices=CONVICTION_KINDS,
                required=False,
            )
        },
        "record_cleared_on": {
            "record_cleared_on": _date_field("Ngày được xóa án tích", required=False)
        },
        "consent": {
            "consent": forms.CharField(
                label="Văn bản đồng ý của ban thường vụ tỉnh ủy, thành ủy",
                required=False,
                max_length=60,
                help_text="Số văn bản, ví dụ 125-CV/TU",
            )
        },
        "considered_on": {
            "considered_on": _date_field("Ngày chi bộ xét, đề nghị kết nạp", required=False)
        },
        "ceremony_on": {"ceremony_on": _date_field("Ngày tổ chức lễ kết nạp", required=False)},
    }
    return inputs[name]


def event_form_class(action: EventAction, cells: list[tuple[int, str]]) -> type[VersionedForm]:
    """The form of `action`; `cells` are the cells offered as a destination."""
    fields: dict[str, Any] = {}
    for name in action.inputs:
        fields.update(_input_fields(name, cells))
    fields.update(_decision_fields("decision", "Quyết định"))
    if action.waivable:
        fields.update(_decision_fields("exception", "Quyết định ngoại lệ"))
    return type(f"EventForm_{action.slug.replace('-', '_')}", (VersionedForm,), fields)


def event_fields(action: EventAction, member: Member, data: dict[str, Any]) -> EventFields:
    """The plain values of the event from a valid form's cleaned data."""
    out: EventFields = {**action.preset(member)}
    for key in ("to_org", "form", "card_number", "badge_years", "early", "posthumous"):
        if key in data and data[key] not in (None, ""):
            out[key] = data[key]
    for key in ("effective_on", "until"):
        if data.get(key):
            out[key] = data[key].isoformat()
    details = {}
    for key in ("place", "reason", "consent", "conviction_kind"):
        if (data.get(key) or "").strip():
            details[key] = data[key].strip()
    for key in DETAIL_DATES:
        if data.get(key):
            details[key] = data[key].isoformat()
    if data.get("conviction"):
        details["conviction"] = True
    if details:
        out["details"] = details
    out["decision"] = _decision_value(data, "decision")
    if action.waivable:
        out["exception_decision"] = _decision_value(data, "exception")
    return out


def error_field(field: str | None) -> str | None:
    """The form field a domain error names ("decision.number" → "decision_number")."""
    if field is None:
        return None
    if field.startswith("details."):
        return field.removeprefix("details.")
    if field == "exception_decision":  # its level does not allow waiving the rule
        return "exception_issuer_level"
    return field.replace("exception_decision.", "exception_").replace(".", "_")


class ReverseForm(VersionedForm):
    reason = forms.CharField(label="Lý do hủy bỏ", max_length=300, widget=forms.Textarea)
    on = _date_field("Ngày hủy bỏ", initial=today())


class ProposalDecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label="Quyết định", choices=[("confirm", "Xác nhận"), ("reject", "Từ chối")]
    )
    reason = forms.CharField(label="Lý do từ chối", required=False, max_length=300)


class PersonForm(forms.Form):
    """A new person's particulars and the cell they enter."""

    full_name = forms.CharField(label="Họ và tên", max_length=120)
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    birth_date = _date_field("Ngày sinh")
    ethnicity = forms.CharField(label="Dân tộc", max_length=40, initial="Kinh")
    religion = forms.CharField(label="Tôn giáo", max_length=40, initial="Không")
    home_town = forms.CharField(label="Quê quán", max_length=120, required=False)
    citizen_id = forms.CharField(label="Số CCCD", max_length=12, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=15, required=False)
    address = forms.CharField(label="Nơi ở", max_length=200, required=False)
    occupation = forms.CharField(label="Nghề nghiệp", max_length=40, required=False)
    education = forms.CharField(label="Giáo dục phổ thông", max_length=20, required=False)
    qualification = forms.CharField(label="Chuyên môn nghiệp vụ", max_length=40, required=False)
    theory = forms.ChoiceField(label="Lý luận chính trị", choices=Theory.choices)
    cell = forms.TypedChoiceField(label="Chi bộ", coerce=int)
    effective_on = _date_field("Ngày quyết định kết nạp", initial=today())
    ceremony_on = _date_field(
        "Ngày tổ chức lễ kết nạp",
        required=False,
        help_text="Thời gian dự bị 12 tháng tính từ ngày lễ kết nạp; để trống nếu không rõ "
        "(tính từ ngày quyết định).",
    )

    PERSON = (
        "full_name",
        "gender",
        "birth_date",
        "ethnicity",
        "religion",
        "home_town",
        "citizen_id",
        "phone",
        "address",
        "occupation",
        "education",
        "qualification",
        "theory",
    )

    def __init__(self, *args: Any, cells: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cell_field = self.fields["cell"]
        assert isinstance(cell_field, forms.TypedChoiceField)
        cell_field.choices = [("", "— chọn chi bộ —"), *cells]
        self.fields.update(_decision_fields("decision", "Quyết định"))

    def person(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.PERSON}


class AdmitForm(PersonForm):
    considered_on = _date_field(
        "Ngày chi bộ xét, đề nghị kết nạp",
        required=False,
        help_text="Tuổi 18–60 tính đến ngày này; để trống nếu không rõ (tính đến ngày quyết định).",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields.update(_decision_fields("exception", "Quyết định ngoại lệ"))
        for name, field in self.fields.items():
            if name.startswith("exception_"):
                field.help_text = (
                    "Chỉ khi quy định cho phép cấp ban hành miễn trừ, ví dụ kết nạp người trên "
                    "60 tuổi (quyết định của tỉnh ủy, thành ủy)."
                )
                break


class ReceiveForm(PersonForm):
    status = forms.ChoiceField(
        label="Là đảng viên",
        choices=[(MemberStatus.OFFICIAL, "Chính thức"), (MemberStatus.PROBATIONARY, "Dự bị")],
    )
    admitted_on = _date_field("Ngày vào Đảng")
    official_on = _date_field("Ngày chính thức", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].label = "Ngày tiếp nhận"
        self.fields[
            "ceremony_on"
        ].help_text = (
            "Đảng viên dự bị: ngày lễ kết nạp, nếu biết (thời gian dự bị tính từ ngày này)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == MemberStatus.OFFICIAL and not data.get("official_on"):
            self.add_error("official_on", "Đảng viên chính thức cần có ngày chính thức.")
        return data


def decision_value(data: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    """The decision a form cites, as plain values (None without a number)."""
    return _decision_value(data, prefix)


GROUP_TITLES = {"decision": "Quyết định", "exception": "Quyết định ngoại lệ"}


def field_groups(form: forms.Form) -> list[dict[str, Any]]:
    """The form's visible fields in groups: the event (or the person and their entry), the
    decision, and the exception decision (folded away unless it has a value or an error)."""
    person = set(PersonForm.PERSON)
    groups: dict[str, list[forms.BoundField]] = {
        "person": [],
        "main": [],
        "decision": [],
        "exception": [],
    }
    for bound in form.visible_fields():
        prefix = bound.name.split("_", 1)[0]
        key = "person" if bound.name in person else prefix if prefix in GROUP_TITLES else "main"
        groups[key].append(bound)
    exception = groups["exception"]
    opened = any(
        b.errors or (form.is_bound and b.value() not in (None, "", IssuerLevel.BASE))
        for b in exception
    )
    has_person = bool(groups["person"])
    return [
        g
        for g in (
            {"title": "Nhân thân" if has_person else "", "fields": groups["person"]},
            {"title": "Vào Đảng" if has_person else "", "fields": groups["main"]},
            {"title": GROUP_TITLES["decision"], "fields": groups["decision"]},
            {
                "title": GROUP_TITLES["exception"],
                "fields": exception,
                "collapsible": True,
                "open": opened or bool(form.errors),
            },
        )
        if g["fields"]
    ]
