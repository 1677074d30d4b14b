"""Forms of the transfers pages: their shape only; the services check the rules."""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms

from dangbo.core.dates import today
from dangbo.organizations.models import OrgClosure, OrgVersion
from dangbo.web.forms import DateInput


def cells_under(org_id: int, on: date) -> list[tuple[int, str]]:
    """The cells of `org_id`'s subtree on `on`, by name."""
    ids = OrgClosure.objects.filter(ancestor_id=org_id, valid_from__lte=on, valid_to__gt=on)
    return list(
        OrgVersion.objects.filter(
            org_id__in=ids.values("descendant_id"),
            valid_from__lte=on,
            valid_to__gt=on,
            kind__holds_members=True,
        )
        .order_by("name")
        .values_list("org_id", "name")
    )


def committees(on: date, *, leaving_out: int) -> list[tuple[int, str]]:
    """The base organizations alive on `on` that do not hold the cell `leaving_out`."""
    above = OrgClosure.objects.filter(
        descendant_id=leaving_out, valid_from__lte=on, valid_to__gt=on
    ).values("ancestor_id")
    return list(
        OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, kind__is_base=True)
        .exclude(org_id__in=above)
        .order_by("name")
        .values_list("org_id", "name")
    )


class ReceiveForm(forms.Form):
    cell = forms.TypedChoiceField(label="Chi bộ tiếp nhận", coerce=int)
    on = forms.DateField(label="Ngày tiếp nhận", widget=DateInput(), initial=today)

    def __init__(self, *args, cells: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cell"]).choices = [("", "— chọn chi bộ —"), *cells]


class SendForm(forms.Form):
    to_org = forms.TypedChoiceField(label="Tổ chức nhận", coerce=int)
    on = forms.DateField(label="Ngày chuyển đi", widget=DateInput(), initial=today)
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=40, required=False)

    def __init__(self, *args, orgs: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_org"]).choices = [("", "— chọn tổ chức —"), *orgs]
