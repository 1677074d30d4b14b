"""Forms of the document register: issue, receive, attach the signed scan, link."""

from __future__ import annotations

from django import forms

from dangbo.citations import TYPE_NAMES
from dangbo.documents.models import Relation, SecurityMark
from dangbo.web.forms import DateInput

TYPE_CHOICES = [(code, f"{code} — {' / '.join(names)}") for code, names in TYPE_NAMES.items()]
SCAN_HELP = "PDF, PNG hoặc JPEG; kiểm tra theo nội dung tệp."


class _Common(forms.Form):
    org = forms.TypedChoiceField(label="Cấp ủy vào sổ", coerce=int)
    title = forms.CharField(label="Trích yếu", max_length=300)
    issuer_body = forms.CharField(label="Cơ quan ban hành", max_length=200)
    signer = forms.CharField(label="Người ký", max_length=120, required=False)
    security_mark = forms.ChoiceField(
        label="Độ mật", choices=SecurityMark.choices, initial=SecurityMark.NONE
    )
    body_text = forms.CharField(
        label="Nội dung (trích dẫn văn bản khác thành liên kết)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    scan = forms.FileField(label="Bản ký (tệp quét)", required=False, help_text=SCAN_HELP)

    def __init__(self, *args, orgs: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = orgs  # type: ignore[attr-defined]


class IssueForm(_Common):
    type_code = forms.ChoiceField(label="Loại văn bản", choices=TYPE_CHOICES)
    type_name = forms.CharField(
        label="Tên loại (khi một ký hiệu có hai tên)", max_length=40, required=False
    )
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())
    field_order = ["org", "type_code", "type_name", "issued_on", "title", "issuer_body"]


class ReceiveForm(_Common):
    number = forms.CharField(label="Số, ký hiệu (như ghi trên văn bản)", max_length=40)
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())
    received_on = forms.DateField(label="Ngày đến", widget=DateInput())
    field_order = ["org", "number", "issued_on", "received_on", "title", "issuer_body"]


class ScanForm(forms.Form):
    scan = forms.FileField(label="Bản ký (tệp quét)", help_text=SCAN_HELP)


class LinkForm(forms.Form):
    relation = forms.ChoiceField(label="Văn bản này", choices=Relation.choices)
    number = forms.CharField(label="Số, ký hiệu của văn bản kia", max_length=40)
    issued_on = forms.DateField(label="Ngày ban hành của văn bản kia", widget=DateInput())
