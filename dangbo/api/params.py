"""Query values shared by the endpoints: dates within the supported range, periods."""

from __future__ import annotations

from datetime import date

from dangbo.core.dates import EARLIEST, LATEST, parse_period, today
from dangbo.core.errors import InvalidInput


def day(value: date | None, field: str = "on") -> date:
    """`value` (default today) if it lies within the dates the records can hold."""
    if value is None:
        return today()
    if not EARLIEST <= value <= LATEST:
        raise InvalidInput(
            f"Ngày {value.isoformat()} nằm ngoài khoảng {EARLIEST:%d/%m/%Y}–{LATEST:%d/%m/%Y}.",
            field=field,
        )
    return value


def period(code: str | None, start: date | None, end: date | None) -> tuple[date, date]:
    """A period given by its code (2023, 2023-H1, …) or by its first and last day."""
    if code and (start or end):
        raise InvalidInput("Dùng «period» hoặc «start»/«end», không dùng cả hai.", field="period")
    if code:
        return parse_period(code)
    if start is None or end is None:
        raise InvalidInput(
            "Cần chỉ rõ kỳ: period=2023-H1 hoặc start=…&end=… (ngày ISO).", field="period"
        )
    first, last = day(start, "start"), day(end, "end")
    if first > last:
        raise InvalidInput(
            f"Ngày đầu kỳ {first:%d/%m/%Y} sau ngày cuối kỳ {last:%d/%m/%Y}.", field="start"
        )
    return first, last
