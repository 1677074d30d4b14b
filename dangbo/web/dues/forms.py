"""Forms of the dues pages."""

from __future__ import annotations

from typing import cast

from django import forms

from dangbo.dues.models import CATEGORY_CHOICES, REGION_CHOICES, RELIEF_CHOICES, Channel
from dangbo.web.forms import DateInput


class CellMonthForm(forms.Form):
    """The members who paid the month, the day and the channel."""

    paid_on = forms.DateField(label="Ngày nộp", widget=DateInput())
    channel = forms.ChoiceField(label="Hình thức", choices=Channel.choices, initial=Channel.CASH)
    members = forms.TypedMultipleChoiceField(
        label="Đảng viên đã nộp", coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["members"]).choices = members


class FactForm(forms.Form):
    """The member's dues facts from a day: category, base amount, region."""

    valid_from = forms.DateField(label="Áp dụng từ ngày", widget=DateInput())
    category = forms.ChoiceField(label="Đối tượng", choices=CATEGORY_CHOICES)
    base_amount = forms.IntegerField(
        label="Mức lương, lương hưu (đồng)",
        min_value=0,
        required=False,
        help_text="Tiền lương làm căn cứ đóng BHXH hoặc lương hưu; để trống với đối tượng khác.",
    )
    region = forms.ChoiceField(
        label="Vùng lương tối thiểu",
        choices=[("", "—"), *REGION_CHOICES],
        required=False,
        help_text="Nơi đảng viên sinh sống; cần với đối tượng khác.",
    )
    note = forms.CharField(label="Ghi chú", max_length=200, required=False)


class ReliefForm(forms.Form):
    """An exemption (reason, decision, period) or a reduction (30/50/70 %, ≤ 12 months)."""

    reason = forms.ChoiceField(label="Miễn hoặc giảm", choices=RELIEF_CHOICES)
    percent = forms.TypedChoiceField(
        label="Mức giảm",
        coerce=int,
        choices=[(30, "30%"), (50, "50%"), (70, "70%")],
        initial=50,
        help_text="Chỉ dùng khi giảm đảng phí.",
    )
    from_month = forms.DateField(
        label="Từ tháng", widget=DateInput(), help_text="Áp dụng từ đầu tháng của ngày này."
    )
    months = forms.IntegerField(
        label="Số tháng",
        min_value=1,
        max_value=120,
        required=False,
        help_text="Giảm: tối đa 12 tháng. Miễn: để trống là đến khi có quyết định khác.",
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decision_on = forms.DateField(label="Ngày quyết định", widget=DateInput())


class ReliefEndForm(forms.Form):
    """The month from which an exemption or reduction no longer applies, and the decision
    that ends it."""

    to_month = forms.DateField(
        label="Đóng đủ lại từ tháng",
        widget=DateInput(),
        help_text="Từ đầu tháng của ngày này; từ tháng đầu của quyết định là hủy quyết định.",
    )
    decision_number = forms.CharField(label="Số quyết định thôi miễn, giảm", max_length=60)
    decision_on = forms.DateField(label="Ngày quyết định", widget=DateInput())
