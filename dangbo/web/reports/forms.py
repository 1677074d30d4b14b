"""Forms of the review report pages; the services decide, the forms only carry the input."""

from __future__ import annotations

from typing import cast

from django import forms

from dangbo.figure_labels import LABELS
from dangbo.figures import FLOWS, STOCKS
from dangbo.reports.models import ReportKind
from dangbo.reports.narrative import NARRATIVE_KEYS
from dangbo.web.forms import DateInput

MARKUP_HELP = "Mỗi dòng một đoạn; **đậm**, *nghiêng*; dòng bắt đầu bằng «- » là một gạch đầu dòng."


def override_choices() -> list[tuple[str, str]]:
    """The figures an office may correct by hand, labelled as the report names them."""
    out = []
    for k in STOCKS:
        out.append((f"{k}_start", f"{LABELS.get(k, k)} — đầu kỳ"))
        out.append((f"{k}_end", f"{LABELS.get(k, k)} — cuối kỳ"))
    out += [(k, LABELS.get(k, k)) for k in FLOWS]
    return out


class NewReportForm(forms.Form):
    org = forms.TypedChoiceField(label="Tổ chức", coerce=int)
    kind = forms.ChoiceField(
        label="Loại báo cáo",
        choices=[("", "Theo kỳ (tự nhận)"), *ReportKind.choices],
        required=False,
    )
    period_code = forms.CharField(
        label="Kỳ báo cáo",
        max_length=20,
        help_text="Ví dụ: 2024-H1 (6 tháng), 2024-9M, 2024 (năm), 2020-2025 (nhiệm kỳ).",
    )
    topic = forms.CharField(label="Chủ đề (báo cáo chuyên đề)", max_length=300, required=False)

    def __init__(self, *args, orgs: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["org"]).choices = orgs


class NarrativeForm(forms.Form):
    section = forms.ChoiceField(choices=list(NARRATIVE_KEYS.items()), widget=forms.HiddenInput)
    text = forms.CharField(
        label="Nội dung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKUP_HELP,
    )


class OverrideForm(forms.Form):
    key = forms.ChoiceField(label="Số liệu")
    value = forms.IntegerField(label="Số ghi trong báo cáo", min_value=0)
    reason = forms.CharField(
        label="Lý do sửa",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ghi rõ căn cứ; số liệu sửa tay được đánh dấu (*) trong báo cáo.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["key"]).choices = override_choices()


class AddressingForm(forms.Form):
    place = forms.CharField(label="Địa danh", max_length=80)
    signature_form = forms.CharField(label="Thẩm quyền ký", max_length=40)
    signer_position = forms.CharField(label="Chức vụ người ký", max_length=40)
    signer_name = forms.CharField(label="Họ tên người ký", max_length=120, required=False)
    recipients = forms.CharField(
        label="Nơi nhận",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Mỗi dòng một nơi nhận, như in trong báo cáo.",
    )


class IssueForm(forms.Form):
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())
    signer_name = forms.CharField(label="Họ tên người ký", max_length=120)
    reason = forms.CharField(
        label="Lý do ban hành lại",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ khi kỳ này đã có báo cáo ban hành.",
    )
