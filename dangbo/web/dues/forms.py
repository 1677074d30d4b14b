"""Forms of the dues pages."""

from __future__ import annotations

from typing import cast

from django import forms

from dangbo.dues.models import Channel
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
