"""Forms of the congress pages: the plan of a congress, an election, a ballot round, the
approval. Each only parses; the services decide."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar

from django import forms

from dangbo.congresses.error_codes import CongressRule
from dangbo.congresses.models import CongressKind, ElectionCandidate, ElectionWhat, ProposedBy
from dangbo.core.errors import DomainError, RuleViolation, Violation
from dangbo.core.models import IssuerLevel
from dangbo.web.forms import DateInput, add_domain_error

T = TypeVar("T")


def count(label: str, *, initial: int | None = None) -> forms.IntegerField:
    """A count of people or ballots: a whole number from 0 (optional when it has an
    initial value: left empty it counts 0)."""
    return forms.IntegerField(
        label=label,
        initial=initial,
        required=initial is None,
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "num", "min": 0}),
    )


class CongressForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=CongressKind.choices)
    number = forms.IntegerField(label="Đại hội lần thứ", required=False, min_value=1)
    term_label = forms.CharField(
        label="Nhiệm kỳ", max_length=20, help_text="Nhiệm kỳ đại hội mở, ví dụ: 2025–2030"
    )
    starts_on = forms.DateField(label="Ngày khai mạc", widget=DateInput())
    ends_on = forms.DateField(label="Ngày bế mạc", required=False, widget=DateInput())
    summoned = count("Số được triệu tập")
    present = count("Số có mặt")
    temporarily_elsewhere = count("Sinh hoạt tạm thời nơi khác, vắng mặt", initial=0)
    absent_exempt = count("Miễn sinh hoạt, vắng mặt", initial=0)
    suspended_detained = count("Bị đình chỉ sinh hoạt, tạm giam", initial=0)
    absent_approved = count("Vắng mặt được cấp ủy đồng ý", initial=0)
    absent_delegates_no_substitute = count("Đại biểu vắng mặt không có người thay thế", initial=0)
    absent_convening_committee = count("Ủy viên cấp ủy triệu tập vắng mặt suốt đại hội", initial=0)
    documents = forms.CharField(
        label="Văn kiện trình đại hội",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi dòng một văn kiện (đã thông qua)",
    )

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        docs = [line.strip() for line in (d["documents"] or "").splitlines() if line.strip()]
        return {
            **{k: d[k] or 0 for k in COUNT_FIELDS},
            "kind": d["kind"],
            "number": d["number"],
            "term_label": d["term_label"].strip(),
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "documents": docs,
        }


COUNT_FIELDS = (
    "summoned",
    "present",
    "temporarily_elsewhere",
    "absent_exempt",
    "suspended_detained",
    "absent_approved",
    "absent_delegates_no_substitute",
    "absent_convening_committee",
)


#: Rows for people nominated at the congress or standing themselves (the office adds
#: another election when more are named).
NOMINEE_ROWS = 3
FLOOR_CHOICES = [
    (ProposedBy.NOMINEE.value, "Được đề cử tại đại hội"),
    (ProposedBy.SELF.value, "Tự ứng cử"),
]


class ElectionForm(forms.Form):
    """An election's candidate list: those proposed by the outgoing committee (`candidates`)
    and up to :data:`NOMINEE_ROWS` people not proposed by it (``nominee_<i>_person``,
    ``_by``: nominated at the congress or standing themselves, ``_pct``: the attendees'
    agreement to list them)."""

    what = forms.ChoiceField(label="Bầu", choices=ElectionWhat.choices)
    seats = forms.IntegerField(label="Số lượng cần bầu", min_value=1, initial=1)
    candidates = forms.MultipleChoiceField(
        label="Danh sách bầu cử",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Những người do cấp ủy giới thiệu",
    )

    def __init__(self, *args: Any, people: Iterable[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        people = list(people)
        self.fields["candidates"].choices = [(str(pk), name) for pk, name in people]  # type: ignore[attr-defined]
        for i in range(1, NOMINEE_ROWS + 1):
            self.fields[f"nominee_{i}_person"] = forms.TypedChoiceField(
                label=f"Người thứ {i}",
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "—"), *((str(pk), name) for pk, name in people)],
            )
            self.fields[f"nominee_{i}_by"] = forms.ChoiceField(
                label="Hình thức", choices=FLOOR_CHOICES, required=False
            )
            self.fields[f"nominee_{i}_pct"] = forms.DecimalField(
                label="Tỷ lệ đồng ý (%)",
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"class": "num", "step": "0.01"}),
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("what", "seats", "candidates")]

    def nominee_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"nominee_{i}_{part}"] for part in ("person", "by", "pct")]
            for i in range(1, NOMINEE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        listed = {int(p) for p in data.get("candidates") or []}
        for i in range(1, NOMINEE_ROWS + 1):
            person = data.get(f"nominee_{i}_person")
            if person is None:
                continue
            if person in listed:
                self.add_error(
                    f"nominee_{i}_person",
                    "Người này đã có trong danh sách do cấp ủy giới thiệu.",
                )
            listed.add(person)
            if not data.get(f"nominee_{i}_by"):
                self.add_error(f"nominee_{i}_by", "Chọn được đề cử hay tự ứng cử.")
        return data

    def nominees(self) -> list[tuple[int, int, str, Any]]:
        """(row, person id, proposed_by, agreement %) of each nominee row filled in."""
        d = self.cleaned_data
        return [
            (i, d[f"nominee_{i}_person"], d[f"nominee_{i}_by"], d.get(f"nominee_{i}_pct"))
            for i in range(1, NOMINEE_ROWS + 1)
            if d.get(f"nominee_{i}_person") is not None
        ]


class RoundForm(forms.Form):
    """The ballots of a round and one vote field per candidate of the round
    (``votes_<candidate id>``)."""

    issued = count("Số phiếu phát ra")
    cast = count("Số phiếu thu vào")
    valid = count("Số phiếu hợp lệ")
    invalid = count("Số phiếu không hợp lệ", initial=0)
    held_on = forms.DateField(label="Ngày bầu", required=False, widget=DateInput())

    def __init__(self, *args: Any, candidates: Iterable[ElectionCandidate] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for c in self.candidates:
            self.fields[f"votes_{c.pk}"] = count(f"Số phiếu bầu {c.person.full_name}")

    def vote_fields(self) -> list[forms.BoundField]:
        return [self[f"votes_{c.pk}"] for c in self.candidates]

    def votes(self) -> dict[ElectionCandidate, int]:
        return {c: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidates}


class ApproveForm(forms.Form):
    number = forms.CharField(label="Số quyết định chuẩn y", max_length=60)
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200)
    issuer_level = forms.ChoiceField(
        label="Cấp ban hành", choices=IssuerLevel.choices, initial=IssuerLevel.BASE
    )
    on = forms.DateField(
        label="Ngày chuẩn y", widget=DateInput(), help_text="Từ ngày này người trúng cử nhận chức"
    )


#: The form field each congress rule concerns (the rules themselves name no field).
RULE_FIELDS: dict[str, str] = {
    CongressRule.SO_CO_MAT: "present",
    CongressRule.SO_TRIEU_TAP: "summoned",
    CongressRule.SO_LIEU_AM: "summoned",
    CongressRule.LOAI_TRU_DAI_HOI_DAI_BIEU: "kind",
    CongressRule.LOAI_TRU_CAP_UY_VANG: "absent_convening_committee",
    CongressRule.LOAI_TRU_DAI_HOI_DANG_VIEN: "absent_delegates_no_substitute",
    CongressRule.SO_LUONG_CAN_BAU: "seats",
    CongressRule.DANH_SACH_NHIEU_HON: "candidates",
    CongressRule.SO_DU_TOI_DA: "candidates",
    CongressRule.TRUNG_UNG_CU_VIEN: "candidates",
    CongressRule.DE_CU_TREN_30: "candidates",
    CongressRule.CO_CAU_CHI_BO: "what",
    CongressRule.PHIEU_THU_VAO: "cast",
    CongressRule.PHIEU_PHAT_RA: "issued",
    CongressRule.PHIEU_UNG_CU_VIEN: "valid",
    CongressRule.BAU_QUA_SO_LUONG: "valid",
}


def write_placed(
    form: forms.Form,
    write: Callable[[], T],
    place: Callable[[Violation], str | None] | None = None,
) -> tuple[bool, T | None]:
    """:func:`dangbo.web.forms.form_write`, each broken congress rule beside the field it
    concerns (`place`, else :data:`RULE_FIELDS`; a field the form lacks puts it above the
    form)."""
    try:
        return True, write()
    except RuleViolation as exc:
        placed = [
            replace(
                v,
                field=v.field or (place and place(v)) or RULE_FIELDS.get(str(v.rule), ""),
            )
            for v in exc.violations
        ]
        add_domain_error(form, RuleViolation(placed))
        return False, None
    except DomainError as exc:
        add_domain_error(form, exc)
        return False, None


class StopForm(forms.Form):
    confirm = forms.BooleanField(
        label="Đại hội biểu quyết dừng bầu",
        help_text="Số lượng còn thiếu để trống; không bầu tiếp",
    )


class AppointForm(ApproveForm):
    """The higher committee's appointment of the cell secretary after the failed rounds."""

    person = forms.ChoiceField(label="Người được chỉ định")
    field_order = ["person", "number", "issued_on", "issuer", "issuer_level", "on"]

    def __init__(self, *args: Any, people: Iterable[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["number"].label = "Số quyết định chỉ định"
        self.fields["on"].label = "Ngày chỉ định"
        self.fields["on"].help_text = ""
        self.fields["person"].choices = [("", "— chọn —")] + [  # type: ignore[attr-defined]
            (str(pk), name) for pk, name in people
        ]
