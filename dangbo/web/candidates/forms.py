"""The form of one step of a candidate: its date, its document, the sponsor when the step
assigns one; the service checks the order and the rules."""

from __future__ import annotations

from typing import cast

from django import forms

from dangbo.core.dates import today
from dangbo.web.forms import DateInput


class AdvanceForm(forms.Form):
    effective_on = forms.DateField(label="Ngày", widget=DateInput(), initial=today)
    sponsor = forms.TypedChoiceField(label="Đảng viên giúp đỡ", coerce=int, required=False)
    number = forms.CharField(label="Số nghị quyết, quyết định", max_length=60, required=False)
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=200, required=False)
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)
    stop = forms.BooleanField(label="Dừng xem xét quần chúng này", required=False)

    def __init__(self, *args, sponsors: list[tuple[int, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if sponsors is None:
            del self.fields["sponsor"]
        else:
            cast(forms.ChoiceField, self.fields["sponsor"]).choices = [
                ("", "— chọn đảng viên —"),
                *sponsors,
            ]
