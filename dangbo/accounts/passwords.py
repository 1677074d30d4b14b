"""Django's password validators with their messages in Vietnamese (the settings use these).

The rules are Django's own; only the words change (Django's Vietnamese catalogue lacks
some of them).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from django.contrib.auth import password_validation as base
from django.contrib.auth.password_validation import (  # type: ignore[attr-defined]
    exceeds_maximum_length_ratio,
)
from django.core.exceptions import ValidationError

#: how the account's fields are named in a "too similar" message
FIELD_NAMES = {
    "username": "tên đăng nhập",
    "first_name": "họ và tên",
    "last_name": "họ",
    "email": "thư điện tử",
}


class UserAttributeSimilarityValidator(base.UserAttributeSimilarityValidator):
    """Django's rule (the same ratio and the same parts of each value); the field is named
    in Vietnamese."""

    def get_error_message(self) -> str:
        return "Mật khẩu quá giống %(verbose_name)s."

    def get_help_text(self) -> str:
        return "Mật khẩu không được quá giống tên đăng nhập hay họ tên."

    def validate(self, password: str, user: Any = None) -> None:
        if not user:
            return
        lowered = password.lower()
        for attribute in self.user_attributes:
            value = getattr(user, attribute, None)
            if not value or not isinstance(value, str):
                continue
            for part in [*re.split(r"\W+", value.lower()), value.lower()]:
                if exceeds_maximum_length_ratio(lowered, self.max_similarity, part):
                    continue
                if SequenceMatcher(a=lowered, b=part).quick_ratio() >= self.max_similarity:
                    raise ValidationError(
                        self.get_error_message(),
                        code="password_too_similar",
                        params={"verbose_name": FIELD_NAMES.get(attribute, attribute)},
                    )


class MinimumLengthValidator(base.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."


class CommonPasswordValidator(base.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "Mật khẩu này quá phổ biến, dễ bị đoán."

    def get_help_text(self) -> str:
        return "Mật khẩu không được là một mật khẩu phổ biến."


class NumericPasswordValidator(base.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Mật khẩu này hoàn toàn là số."

    def get_help_text(self) -> str:
        return "Mật khẩu không được toàn là số."
