"""Text on the way in: one Unicode form, and only characters every database keeps.

Command arguments and interchange files pass through here, so codes that differ only in
Unicode form (NFC "ễ" and NFD "ê" + "̃") are the same code, and a NUL character (which
PostgreSQL refuses and SQLite keeps) or a lone surrogate (not UTF-8) never reaches a table.
"""

from __future__ import annotations

import unicodedata

NUL = "chứa ký tự NUL (\\u0000), không được phép."
SURROGATE = "chứa ký tự không phải Unicode hợp lệ (surrogate lẻ, mã hóa sai)."


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored (a Vietnamese phrase), or None when it can."""
    if "\x00" in value:
        return NUL
    if not value.isascii() and any("\ud800" <= ch <= "\udfff" for ch in value):
        return SURROGATE
    return None


def nfc(value: str) -> str:
    """`value` in Unicode normal form C (ASCII and already composed text are returned as is)."""
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)
