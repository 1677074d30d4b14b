"""Forms of the inspection, supervision and discipline pages."""

from __future__ import annotations

from django import forms

from dangbo.core.models import IssuerLevel
from dangbo.inspections.models import CaseKind, OrgDisciplineForm
from dangbo.membership.models import DisciplineForm
from dangbo.web.forms import DateInput


class OpenForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=CaseKind.choices)
    conducting_org = forms.TypedChoiceField(label="Cấp tiến hành", coerce=int)
    conducting_body = forms.CharField(
        label="Chủ thể tiến hành", max_length=200, help_text="vd. Ủy ban Kiểm tra Đảng ủy phường 1"
    )
    subject_org = forms.TypedChoiceField(
        label="Đối tượng: tổ chức đảng", coerce=int, required=False, empty_value=None
    )
    subject_member = forms.TypedChoiceField(
        label="Đối tượng: đảng viên", coerce=int, required=False, empty_value=None
    )
    topic = forms.CharField(
        label="Nội dung", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label="Ngày bắt đầu", widget=DateInput())
    ends_on = forms.DateField(label="Ngày kết thúc dự kiến", widget=DateInput(), required=False)
    violation_on = forms.DateField(label="Ngày vi phạm", widget=DateInput(), required=False)
    limitation_exempt = forms.BooleanField(label="Không áp dụng thời hiệu", required=False)

    def __init__(self, *args, orgs, subjects, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conducting_org"].choices = orgs
        self.fields["subject_org"].choices = [("", "—"), *subjects]
        self.fields["subject_member"].choices = [("", "—"), *members]


class StepForm(forms.Form):
    on = forms.DateField(label="Ngày", widget=DateInput())
    name = forms.CharField(
        label="Bước", max_length=200, help_text="vd. Thông báo quyết định kiểm tra"
    )
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ConcludeForm(forms.Form):
    on = forms.DateField(label="Ngày kết luận", widget=DateInput())
    violation_found = forms.TypedChoiceField(
        label="Kết luận",
        choices=[("1", "Có vi phạm"), ("0", "Không có vi phạm")],
        coerce=lambda v: v == "1",
    )
    conclusion = forms.CharField(
        label="Nội dung kết luận", widget=forms.Textarea(attrs={"rows": 4})
    )
    violation_on = forms.DateField(label="Ngày vi phạm", widget=DateInput(), required=False)


class DisciplineFormForm(forms.Form):
    form = forms.ChoiceField(label="Hình thức kỷ luật")
    on = forms.DateField(label="Ngày quyết định", widget=DateInput())
    number = forms.CharField(label="Số quyết định", max_length=40)
    issuer = forms.CharField(label="Cấp ra quyết định", max_length=200)
    issuer_level = forms.ChoiceField(
        label="Cấp", choices=IssuerLevel.choices, initial=IssuerLevel.BASE
    )

    def __init__(self, *args, of_org: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = OrgDisciplineForm.choices if of_org else DisciplineForm.choices
        self.fields["form"].choices = choices  # type: ignore[attr-defined]
