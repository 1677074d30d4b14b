"""Date arithmetic the Party's rules use: whole months, exact anniversaries, periods."""

from __future__ import annotations

import calendar
import os
import re
from datetime import date, timedelta

from dangbo.core.errors import InvalidInput

#: Open end of an effective-dated interval ("still valid"). Intervals are [from, to).
FOREVER = date(9999, 12, 31)

#: The dates a fact may carry (births in the 19th century to plans in the 22nd); a date
#: outside is a typing error, and would overflow the date arithmetic of the rules.
EARLIEST = date(1800, 1, 1)
LATEST = date(2199, 12, 31)


def in_range(d: date) -> bool:
    """Whether `d` lies between :data:`EARLIEST` and :data:`LATEST`."""
    return EARLIEST <= d <= LATEST


def _out_of_range(value: str, field: str) -> InvalidInput:
    return InvalidInput(
        f"Trường «{field}»: ngày «{value}» nằm ngoài khoảng cho phép "
        f"({EARLIEST:%d/%m/%Y} – {LATEST:%d/%m/%Y}).",
        field=field,
    )


def today() -> date:
    """Today's date, or the ISO date in the environment variable ``DANGBO_TODAY`` when set.

    The variable lets tests (and a command run in a subprocess) fix "today"; a malformed
    value is refused rather than silently ignored.
    """
    fixed = os.environ.get("DANGBO_TODAY", "").strip()
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise InvalidInput(
            f"Biến môi trường DANGBO_TODAY «{fixed}» không phải là ngày dạng 2023-06-30.",
            field="DANGBO_TODAY",
        ) from None


def add_months(d: date, months: int) -> date:
    """Return the same day `months` later; the 31st becomes the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days (Monday–Friday) after `start`.

    Public holidays are not known, so the day may fall a few days early.
    """
    d = start
    while days > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days -= 1
    return d


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (age in months when `start` is a birth date)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def years_between(start: date, end: date) -> int:
    return months_between(start, end) // 12


def parse_date(value: str, *, field: str = "ngày") -> date:
    """Parse ISO `2023-06-30` or Vietnamese `30/6/2023`.

    A day that does not exist (31/2/2023) or lies outside EARLIEST–LATEST is refused.
    """
    value = value.strip()
    parsed = None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, flags=re.ASCII):
            parsed = date.fromisoformat(value)
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value, flags=re.ASCII)
        if m:
            parsed = date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    if parsed is not None:
        if not in_range(parsed):
            raise _out_of_range(value, field)
        return parsed
    raise InvalidInput(
        f"Trường «{field}»: «{value}» không phải là ngày hợp lệ (dạng 2023-06-30 hoặc 30/6/2023).",
        field=field,
    )


def parse_period(value: str) -> tuple[date, date]:
    """Parse a report period: `2023`, `2023-H1`, `2023-H2`, `2023-9M`, `2023-Q3`, `2023-M05`.

    Returns inclusive [from, to].
    """
    m = re.fullmatch(
        r"(\d{4})(?:-(H[12]|9M|Q[1-4]|M(?:0?[1-9]|1[0-2])))?", value.strip().upper(), flags=re.ASCII
    )
    if m and not EARLIEST.year <= int(m[1]) <= LATEST.year:
        raise _out_of_range(value, "period")
    if not m:
        raise InvalidInput(
            f"Kỳ «{value}» không hợp lệ: dùng 2023, 2023-H1, 2023-H2, 2023-9M, 2023-Q3 hoặc 2023-M05.",
            field="period",
        )
    year, part = int(m[1]), m[2]
    if part is None:
        return date(year, 1, 1), date(year, 12, 31)
    if part == "H1":
        return date(year, 1, 1), date(year, 6, 30)
    if part == "H2":
        return date(year, 7, 1), date(year, 12, 31)
    if part == "9M":
        return date(year, 1, 1), date(year, 9, 30)
    if part.startswith("Q"):
        q = int(part[1])
        start = date(year, 3 * q - 2, 1)
        return start, add_months(start, 3) - timedelta(days=1)
    month = int(part[1:])
    start = date(year, month, 1)
    return start, add_months(start, 1) - timedelta(days=1)
