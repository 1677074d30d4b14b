"""The register's filters: GET parameters, each ignored when it holds an unknown value."""

from __future__ import annotations

from typing import Any

from django import forms

from dangbo.membership.models import Gender, Theory
from dangbo.membership.register import AGE_BANDS, PARTY_AGE_BANDS, STATUSES, RegisterFilter

ANY = [("", "Tất cả")]


class RegisterFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=120, label="Tìm")
    cell = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Chi bộ")
    status = forms.ChoiceField(
        required=False, label="Trạng thái", choices=ANY + [(s.value, s.label) for s in STATUSES]
    )
    gender = forms.ChoiceField(required=False, label="Giới tính", choices=ANY + Gender.choices)
    age = forms.ChoiceField(
        required=False, label="Độ tuổi", choices=ANY + [(k, v[0]) for k, v in AGE_BANDS.items()]
    )
    party_age = forms.ChoiceField(
        required=False,
        label="Tuổi Đảng",
        choices=ANY + [(k, v[0]) for k, v in PARTY_AGE_BANDS.items()],
    )
    theory = forms.ChoiceField(
        required=False, label="Lý luận chính trị", choices=ANY + Theory.choices
    )
    exempt = forms.ChoiceField(
        required=False,
        label="Miễn sinh hoạt",
        choices=ANY + [("1", "Được miễn"), ("0", "Không miễn")],
    )

    def __init__(self, data: Any, *, cells: list[tuple[int, str]] | None) -> None:
        super().__init__(data)
        field = self.fields["cell"]
        assert isinstance(field, forms.TypedChoiceField)
        if cells is None:  # too many cells to list: the parameter is still accepted
            field.widget = forms.HiddenInput()
            field.choices = []
            field.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]
        else:
            field.choices = ANY + [(str(pk), name) for pk, name in cells]

    def filters(self) -> RegisterFilter:
        """The filter of the valid fields (an invalid one is left out, not refused)."""
        self.is_valid()
        d = self.cleaned_data
        exempt = d.get("exempt")
        return RegisterFilter(
            q=d.get("q") or "",
            cell=d.get("cell"),
            status=d.get("status") or None,
            gender=d.get("gender") or None,
            age_band=d.get("age") or None,
            party_age_band=d.get("party_age") or None,
            theory=d.get("theory") or None,
            exempt=None if not exempt else exempt == "1",
        )
