"""Forms of the account pages: shape only; the services validate the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from dangbo.accounts.permissions import ROLE_LABELS
from dangbo.core.dates import today
from dangbo.core.errors import DomainError
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_resolve
from dangbo.web.forms import DateInput

ROLE_CHOICES = [(r.value, label) for r, label in ROLE_LABELS.items()]


class OrgField(forms.CharField):
    """An organization typed by its code (or number); an unknown one is refused here."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Tổ chức")
        kwargs.setdefault(
            "help_text",
            "Mã tổ chức, ví dụ P1 hoặc P1-C1; vai trò áp dụng cho cả các tổ chức trực thuộc.",
        )
        super().__init__(max_length=60, **kwargs)

    def clean(self, value: Any) -> Organization:
        text = super().clean(value)
        try:
            return org_resolve(text, on=today())
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Vai trò", choices=ROLE_CHOICES)
    org = OrgField()
    valid_from = forms.DateField(label="Từ ngày", widget=DateInput(), initial=today)
    valid_to = forms.DateField(
        label="Đến ngày", widget=DateInput(), required=False, help_text="Để trống nếu chưa định."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "«Đến ngày» phải sau hoặc bằng «từ ngày».")
        return data


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="Mật khẩu",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Ít nhất 10 ký tự, không toàn số, không quá giống tên đăng nhập.",
    )
    password2 = forms.CharField(
        label="Nhập lại mật khẩu",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # with RoleForm's check of the dates when combined
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", "Hai lần nhập mật khẩu không khớp nhau.")
        return data


class AccountCreateForm(PasswordForm, RoleForm):
    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label="Họ và tên", max_length=150, required=False)

    field_order = [
        "username",
        "full_name",
        "password",
        "password2",
        "role",
        "org",
        "valid_from",
        "valid_to",
    ]


class RoleEndForm(forms.Form):
    valid_to = forms.DateField(label="Ngày cuối", widget=DateInput(), initial=today)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Mã xác thực",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="6 chữ số trên ứng dụng xác thực của điện thoại.",
    )
