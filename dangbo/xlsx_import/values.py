"""What offices type into a cell, read as text, dates, numbers and choices.

Headers and choices are compared without case, diacritics or extra spaces, NFC and NFD alike
(``"Họ và tên"``, ``"HO VA TEN"`` and ``"ho  va ten "`` are one header).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime, timedelta

from dangbo.core.errors import InvalidInput

_SPACES = re.compile(r"\s+")
_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$")
_EXCEL_EPOCH = date(1899, 12, 30)


def fold(text: object) -> str:
    """`text` lower-cased, without diacritics (đ as d), with single spaces: a matching key."""
    return _fold(str(text or ""))


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    # the same few headers, choices and cell names recur on every row
    s = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", s).strip().lower()


@functools.lru_cache(maxsize=64)
def _folded_choices(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for stored, shown in choices:
        out.setdefault(fold(stored), stored)
        out.setdefault(fold(shown), stored)
    return out


def text(value: object) -> str:
    """A cell as trimmed NFC text ("" for an empty cell; 12345678.0 as "12345678")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def parse_date(value: object, label: str) -> date | None:
    """A date from a date cell, an Excel serial number or text as offices type it.

    Day first: 30/6/2023, 30-06-2023, 30.06.2023, 30/6/23 (20xx up to the current year's
    two digits, else 19xx); also 2023-06-30. An empty cell is None; anything else is refused.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial dates up to 31/12/9999
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise InvalidInput(f"{label}: «{text(value)}» không phải là ngày.", field=label)
    raw = text(value)
    m = _DMY.match(raw)
    try:
        if m:
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            if year < 100:
                year += 2000 if year <= date.today().year % 100 else 1900
            return date(year, month, day)
        m = _YMD.match(raw)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        if raw.isdigit():
            return parse_date(int(raw), label)
    except ValueError:
        raise InvalidInput(f"{label}: «{raw}» không phải là ngày có thật.", field=label) from None
    raise InvalidInput(
        f"{label}: «{raw}» không đọc được thành ngày (ghi ngày/tháng/năm, vd. 30/6/2023).",
        field=label,
    )


def parse_choice(value: object, choices: dict[str, str], label: str) -> str | None:
    """The stored value of a choice written by its label or value (any case, with or without
    diacritics); None for an empty cell."""
    raw = text(value)
    if not raw:
        return None
    found = _folded_choices(tuple(choices.items())).get(fold(raw))
    if found is not None:
        return found
    allowed = ", ".join(f"«{s}»" for s in choices.values())
    raise InvalidInput(f"{label}: «{raw}» không thuộc danh mục ({allowed}).", field=label)


def parse_years(value: object, label: str) -> list[int]:
    """Whole numbers of years in a cell: 30, "30 năm", "30, 40" → [30] or [30, 40]."""
    raw = text(value)
    if not raw:
        return []
    found = re.findall(r"\d+", raw)
    if not found or re.sub(r"[\d\s,;/+]|nam", "", fold(raw)):
        raise InvalidInput(
            f"{label}: «{raw}» không phải là số năm (vd. 30 hoặc 30, 40).", field=label
        )
    return [int(n) for n in found]
