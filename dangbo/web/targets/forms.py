"""Forms of the targets pages: a target adopted, an evaluation entered, a revision by
decision, filling the computed targets. Each only parses; the services decide."""

from __future__ import annotations

from django import forms

from dangbo.targets.models import Category, Direction, Figure, ReviewKind, SourceKind
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


class AdoptForm(forms.Form):
    """A target adopted by a congress resolution (for a term) or a yearly work programme (for
    a year), with the decision it stands on; `computed_from` makes the records fill it."""

    source_kind = forms.ChoiceField(
        label="Căn cứ",
        choices=[
            (SourceKind.WORK_PROGRAMME.value, "Chương trình công tác năm"),
            (SourceKind.CONGRESS_RESOLUTION.value, "Nghị quyết Đại hội (nhiệm kỳ)"),
        ],
    )
    term = forms.TypedChoiceField(
        label="Nhiệm kỳ",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Chỉ tiêu nhiệm kỳ",
    )
    year = forms.IntegerField(
        label="Năm", required=False, min_value=1930, max_value=2200, help_text="Chỉ tiêu năm"
    )
    number = forms.CharField(label="Số văn bản nguồn", max_length=60)
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200)
    adopted_on = forms.DateField(label="Ngày thông qua", widget=DateInput())
    category = forms.ChoiceField(label="Nhóm chỉ tiêu", choices=Category.choices)
    name = forms.CharField(label="Tên chỉ tiêu", max_length=300)
    unit = forms.CharField(
        label="Đơn vị tính", max_length=40, required=False, help_text="ví dụ: đảng viên, %, buổi"
    )
    direction = forms.ChoiceField(label="Chiều đánh giá", choices=Direction.choices)
    planned = forms.CharField(label="Kế hoạch", max_length=40, help_text="ví dụ 95 hoặc 1,5")
    baseline = forms.CharField(label="Giá trị đầu kỳ", max_length=40, required=False)
    computed_from = forms.ChoiceField(
        label="Tính từ số liệu",
        choices=[("", "— không (nhập kết quả khi đánh giá) —"), *Figure.choices],
        required=False,
        help_text="Kết quả lấy từ hồ sơ đảng viên, xếp loại, đại hội",
    )

    def __init__(self, *args, terms: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [("", "—"), *terms]  # type: ignore[attr-defined]
