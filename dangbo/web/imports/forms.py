"""The forms of the import pages: the upload, and the mapping of the file's columns."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings

from dangbo.xlsx_import.bundle import BUNDLE, BUNDLE_LABEL
from dangbo.xlsx_import.fields import COLUMNS, SheetKind
from dangbo.xlsx_import.sheet import Mapping, Table


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại danh sách",
        choices=[(k.value, k.label) for k in SheetKind] + [(BUNDLE, BUNDLE_LABEL)],
    )
    org = forms.TypedChoiceField(label="Đơn vị nhập", coerce=int)
    on = forms.DateField(
        label="Ngày nhập sổ",
        initial=date.today,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Danh sách đảng viên là số dư đầu kỳ tại ngày này (không phải chuyển đến).",
    )
    file = forms.FileField(
        label="Tệp Excel (.xlsx)", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def __init__(self, *args, orgs: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = orgs  # type: ignore[attr-defined]

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.DANGBO_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("Tệp quá lớn.")
        if not f.name.lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError("Chỉ nhận bảng tính Excel .xlsx.")
        return f


class MappingForm(forms.Form):
    """One select per column of the file's header row: the field it fills, or none."""

    def __init__(self, *args, table: Table, kind: SheetKind, mapping: Mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— bỏ qua —")] + [
            (c.field, c.header + (" *" if c.required else "")) for c in COLUMNS[kind]
        ]
        for pos, header in enumerate(table.headers):
            if not header and pos not in mapping:
                continue
            self.fields[f"col_{pos}"] = forms.ChoiceField(
                label=header or f"(cột {pos + 1})",
                choices=choices,
                required=False,
                initial=mapping.get(pos, ""),
            )

    def mapping(self) -> Mapping:
        """The columns chosen; a field chosen twice keeps its first column."""
        out: Mapping = {}
        for name, value in self.cleaned_data.items():
            if value and value not in out.values():
                out[int(name.removeprefix("col_"))] = value
        return out
