"""Forms of the targets pages: an evaluation entered, a revision by decision, filling the
computed targets."""

from __future__ import annotations

from django import forms

from dangbo.targets.models import ReviewKind
from dangbo.web.forms import DateInput

KINDS = [(k.value, k.label) for k in ReviewKind]


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label="Kỳ đánh giá", choices=KINDS)
    period_start = forms.DateField(label="Từ ngày", widget=DateInput())
    period_end = forms.DateField(label="Đến ngày", widget=DateInput())
    actual = forms.CharField(label="Thực hiện", max_length=40, help_text="ví dụ 790,2")
    reason = forms.CharField(
        label="Lý do ghi lại", max_length=500, required=False, help_text="khi kỳ này đã có kết quả"
    )


class RevisionForm(forms.Form):
    number = forms.CharField(label="Số quyết định", max_length=60)
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200)
    effective_on = forms.DateField(label="Ngày hiệu lực", widget=DateInput())
    planned = forms.CharField(label="Kế hoạch mới", max_length=40, required=False)
    unit = forms.CharField(label="Đơn vị tính mới", max_length=40, required=False)
    name = forms.CharField(label="Tên chỉ tiêu mới", max_length=300, required=False)
    reason = forms.CharField(label="Lý do điều chỉnh", max_length=500)


class ComputeForm(forms.Form):
    kind = forms.ChoiceField(label="Kỳ đánh giá", choices=KINDS)
    start = forms.DateField(label="Từ ngày", widget=DateInput())
    end = forms.DateField(label="Đến ngày", widget=DateInput())
