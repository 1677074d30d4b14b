"""Vietnamese formatting for reports and documents (REPORTS §5).

Every figure the product prints goes through this module, so one rule holds everywhere:

* Rounding: ``round_half_up`` — Decimal ``ROUND_HALF_UP`` (a half goes away from zero:
  6,25 → 6,3; 62,5 → 63), stated once in :mod:`dangbo.core.numbers` with the percentage
  rule that figures use. Never Python's ``round`` (banker's rounding) and never floats.
* Percentages: a percentage figure (:func:`dangbo.core.numbers.percentage`) is written as
  it stands — whole when exact ("100%", "50%"), otherwise one decimal ("79,7%", and
  "43,0%" for 34/79 — the ",0" shows the value was rounded). With ``whole_number=True``
  (an office that rounds to whole percent) always whole ("43%"). A zero denominator gives
  ``NOT_AVAILABLE`` ("—"), the dash tables use for "no plan".
* Separators: thousands dot, decimal comma ("18.700.000", "1.234,5").
* Money in words-with-digits: every non-zero group of tỷ / triệu / nghìn / đồng is
  written, zero groups are left out: 49.687.500.000 → "49 tỷ 687 triệu 500 nghìn đồng",
  2.000.000.005 → "2 tỷ 5 đồng"; sums of a thousand tỷ or more keep the dot
  ("1.250 tỷ đồng"). ``down_to`` rounds (half up) to a unit first.
* Office settings: :class:`Wording` holds an office's choices (leading zeros on small
  counts, whole or one-decimal percentages, the date form, money in words-with-digits or
  digits); the report composer takes one and writes every figure through it. The module
  functions keep the defaults (``PAD_COUNTS``, ``PAD_DATES``), each call may override them.
* A zero count is never padded: "0 đảng viên", not "00".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

import icu

from dangbo.core.dates import add_months, parse_period
from dangbo.core.errors import InvalidInput
from dangbo.core.numbers import (
    PERCENT_PLACES,
    ROUNDING,
    Number,
    exact_percentage,
    percentage,
    round_half_up,
)
from dangbo.core.numbers import to_decimal as _decimal

__all__ = ["PERCENT_PLACES", "ROUNDING", "Number", "round_half_up"]

# --- the rules, in one place -------------------------------------------------------------
NOT_AVAILABLE = "—"
PAD_COUNTS = True  # "03 đảng viên dự bị"
PAD_DATES = False  # "ngày 5/2/2022"; True gives "ngày 05/02/2022"
THOUSANDS_SEP, DECIMAL_SEP = ".", ","
CURRENCY = "đồng"
NGHIN, TRIEU, TY = 10**3, 10**6, 10**9
MONEY_UNITS = ((TY, "tỷ"), (TRIEU, "triệu"), (NGHIN, "nghìn"))
TERM_DASH = "\u2013"  # en dash: "nhiệm kỳ 2020–2025"
HONORIFIC = "đồng chí"
COLLATION_LOCALE = "vi"

_SWAP_SEPARATORS = str.maketrans({",": THOUSANDS_SEP, ".": DECIMAL_SEP})
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# --- numbers ---------------------------------------------------------------------------
def number(value: Number, places: int | None = None) -> str:
    """Thousands dot, decimal comma: 18700000 → "18.700.000", 1234.5 → "1.234,5".

    With `places` the value is first rounded by `round_half_up`.
    """
    d = _decimal(value) if places is None else round_half_up(value, places)
    if d == 0:
        d = abs(d)  # no "-0,0"
    return f"{d:,f}".translate(_SWAP_SEPARATORS)


def money(amount: Number) -> str:
    """Whole đồng with thousands dots: "18.700.000 đồng"."""
    return f"{number(round_half_up(amount))} {CURRENCY}"


def money_words(amount: Number, *, down_to: int = 1) -> str:
    """Words-with-digits style: 49687500000 → "49 tỷ 687 triệu 500 nghìn đồng".

    Zero groups are omitted; `down_to` (1, NGHIN, TRIEU or TY) rounds half up to that
    unit first: money_words(49687500000, down_to=TRIEU) → "49 tỷ 688 triệu đồng".
    """
    if down_to not in (1, NGHIN, TRIEU, TY):
        raise ValueError("down_to must be 1, NGHIN, TRIEU or TY")
    rounded = int(round_half_up(_decimal(amount) / down_to)) * down_to
    rest, parts = abs(rounded), []
    for unit, word in MONEY_UNITS:
        count, rest = divmod(rest, unit)
        if count:
            parts.append(f"{number(count)} {word}")
    if rest or not parts:
        parts.append(number(rest))
    return ("-" if rounded < 0 else "") + " ".join(parts) + f" {CURRENCY}"


def percent(part: Number, whole: Number, *, whole_number: bool = False) -> str:
    """`part` as a percentage of `whole`: 63/79 → "79,7%", 34/79 → "43,0%", 17/17 → "100%".

    Whole when exact; otherwise PERCENT_PLACES decimals, or whole when `whole_number`
    (34/79 → "43%"). A zero `whole` gives NOT_AVAILABLE ("—").
    """
    if whole_number:
        value = exact_percentage(part, whole)
        return percentage_text(None if value is None else round_half_up(value))
    return percentage_text(percentage(part, whole))


def percentage_text(value: Decimal | None) -> str:
    """A percentage figure as printed: Decimal("79.7") → "79,7%", Decimal("100") → "100%",
    None → NOT_AVAILABLE ("—")."""
    return NOT_AVAILABLE if value is None else number(value) + "%"


def percent_of_plan(actual: Number, planned: Number, *, whole_number: bool = False) -> str:
    """Actual against the plan, same rule as `percent`: 324 of 41 planned → "790,2%"."""
    return percent(actual, planned, whole_number=whole_number)


def count2(n: int, *, pad: bool | None = None) -> str:
    """Small counts with two digits: 3 → "03", 12 → "12", 1234 → "1.234"; zero is "0".

    `pad` defaults to PAD_COUNTS; pad=False writes "3".
    """
    pad = PAD_COUNTS if pad is None else pad
    return f"{n:02d}" if pad and 0 < n < 10 else number(n)


def count_of(n: int, noun: str, *, pad: bool | None = None) -> str:
    """A count with its noun: "03 đảng viên dự bị"."""
    return f"{count2(n, pad=pad)} {noun}"


def ratio(part: int, whole: int, noun: str | None = None) -> str:
    """ "17/17", "42/44 tổ chức cơ sở đảng"."""
    text = f"{number(part)}/{number(whole)}"
    return f"{text} {noun}" if noun else text


# --- dates and periods -----------------------------------------------------------------
def _day_month(d: date, pad: bool | None) -> tuple[str, str]:
    pad = PAD_DATES if pad is None else pad
    return (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))


def date_numeric(d: date, *, pad: bool | None = None) -> str:
    """ "29/6/2022" ("05/02/2022" with pad)."""
    day, month = _day_month(d, pad)
    return f"{day}/{month}/{d.year}"


def date_short(d: date, *, pad: bool | None = None) -> str:
    """ "ngày 29/6/2022"."""
    return f"ngày {date_numeric(d, pad=pad)}"


def date_long(d: date, *, pad: bool | None = None) -> str:
    """ "ngày 29 tháng 6 năm 2022" ("ngày 05 tháng 02 năm 2022" with pad)."""
    day, month = _day_month(d, pad)
    return f"ngày {day} tháng {month} năm {d.year}"


def place_date(place: str, d: date, *, pad: bool | None = None) -> str:
    """The line under the national emblem: "Hà Nội, ngày 29 tháng 6 năm 2022"."""
    return f"{place}, {date_long(d, pad=pad)}"


# --- an office's wording -----------------------------------------------------------------
#: Date forms an office may choose: the day and the month with or without a leading zero.
DATE_FORMS = {"d/m/yyyy": (False, False), "dd/m/yyyy": (True, False), "dd/mm/yyyy": (True, True)}
#: Money forms: digits ("12.305.000.000 đồng"), words-with-digits to the đồng ("12 tỷ 305
#: triệu 250 nghìn đồng") or rounded to the triệu ("12 tỷ 305 triệu đồng").
MONEY_FORMS = {"chu_so": 0, "ty_trieu_dong": 1, "ty_trieu": TRIEU}


@dataclass(frozen=True)
class Wording:
    """An office's wording choices; every method writes one kind of figure by them.

    ``pad_counts``: "03 đảng viên" (True) or "3 đảng viên"; zero is "0" either way.
    ``percent_whole``: 34/79 → "43%" (True) or "43,0%" (one decimal unless exact).
    ``date_form``: a key of DATE_FORMS ("d/m/yyyy" → "5/8/2022", "dd/m/yyyy" → "05/8/2022",
    "dd/mm/yyyy" → "05/08/2022"); the long form ("ngày 05 tháng 8 năm 2022") follows it.
    ``money_form``: a key of MONEY_FORMS. ``class_list``: the report lists each training
    class after the totals by kind. ``edition`` 1 is the wording of the reports issued
    before the office settings (zero as "00", each class in its first sentence form), kept
    so they render the text they were issued with; 2 is the wording now.
    """

    pad_counts: bool = PAD_COUNTS
    percent_whole: bool = False
    date_form: str = "d/m/yyyy"
    money_form: str = "ty_trieu"
    class_list: bool = False
    edition: int = 2

    def count(self, n: int) -> str:
        """ "03" or "3" (zero: "0"), thousands dot above 999."""
        if n == 0 and self.edition == 1 and self.pad_counts:
            return "00"
        return count2(n, pad=self.pad_counts)

    def count_of(self, n: int, noun: str) -> str:
        """ "03 đảng viên"."""
        return f"{self.count(n)} {noun}"

    def percent(self, part: Number, whole: Number) -> str:
        """ "79,7%" / "80%"; "—" when `whole` is zero."""
        return percent(part, whole, whole_number=self.percent_whole)

    def percentage(self, value: Decimal | None) -> str:
        """A percentage figure as printed (rounded to whole when the office writes whole)."""
        if value is not None and self.percent_whole:
            value = round_half_up(value)
        return percentage_text(value)

    def _day_month(self, d: date) -> tuple[str, str]:
        pad_day, pad_month = DATE_FORMS.get(self.date_form, (False, False))
        return (f"{d.day:02d}" if pad_day else str(d.day)), (
            f"{d.month:02d}" if pad_month else str(d.month)
        )

    def date_numeric(self, d: date) -> str:
        """ "5/8/2022", "05/8/2022" or "05/08/2022"."""
        day, month = self._day_month(d)
        return f"{day}/{month}/{d.year}"

    def date_short(self, d: date) -> str:
        """ "ngày 5/8/2022"."""
        return f"ngày {self.date_numeric(d)}"

    def date_long(self, d: date) -> str:
        """ "ngày 5 tháng 8 năm 2022" (the day and month padded as the date form says)."""
        day, month = self._day_month(d)
        return f"ngày {day} tháng {month} năm {d.year}"

    def place_date(self, place: str, d: date) -> str:
        """ "Phường Hòa Bình, ngày 05 tháng 8 năm 2022"."""
        return f"{place}, {self.date_long(d)}"

    def money(self, amount: Number) -> str:
        """ "12 tỷ 305 triệu đồng" (or as the money form says)."""
        down_to = MONEY_FORMS.get(self.money_form, TRIEU)
        return money(amount) if down_to == 0 else money_words(amount, down_to=down_to)


DEFAULT_WORDING = Wording()
#: The wording of report snapshots that do not record one (issued before the settings).
ISSUED_BEFORE_SETTINGS = Wording(edition=1)


def span_phrase(start: date, end: date) -> str:
    """Name an inclusive date span the way reports do.

    Whole year → "năm 2023"; Jan–Jun → "6 tháng đầu năm 2023"; Jul–Dec → "6 tháng cuối
    năm 2023"; Jan–Sep → "9 tháng đầu năm 2023"; a quarter → "quý III năm 2023"; a month
    → "tháng 5 năm 2023"; anything else → "từ ngày 1/1/2023 đến ngày 15/3/2023".
    """
    if end < start:
        raise ValueError("end before start")
    y = start.year
    named = {
        (date(y, 1, 1), date(y, 12, 31)): f"năm {y}",
        (date(y, 1, 1), date(y, 6, 30)): f"6 tháng đầu năm {y}",
        (date(y, 7, 1), date(y, 12, 31)): f"6 tháng cuối năm {y}",
        (date(y, 1, 1), date(y, 9, 30)): f"9 tháng đầu năm {y}",
    }
    if (start, end) in named:
        return named[(start, end)]
    if start.day == 1:
        next_day = end + timedelta(days=1)
        if start.month % 3 == 1 and next_day == add_months(start, 3):
            return f"quý {_ROMAN[start.month // 3 + 1]} năm {y}"
        if next_day == add_months(start, 1):
            return f"tháng {start.month} năm {y}"
    return f"từ {date_short(start)} đến {date_short(end)}"


def period_phrase(code: str) -> str:
    """From the `stats` period codes: "2023-H1" → "6 tháng đầu năm 2023", "2023-H2",
    "2023-9M", "2023" → "năm 2023", "2023-Q3" → "quý III năm 2023", "2023-M05"."""
    return span_phrase(*parse_period(code))


def term_phrase(term: str | tuple[int, int]) -> str:
    """ "2020-2025" (or "2020–2025", or (2020, 2025)) → "nhiệm kỳ 2020–2025"."""
    if isinstance(term, tuple):
        first, last = term
    else:
        m = re.fullmatch(r"(\d{4})\s*[-\u2013\u2014]\s*(\d{4})", term.strip())
        if not m:
            raise InvalidInput(
                f"Nhiệm kỳ «{term}» không hợp lệ: dùng dạng 2020-2025.", field="term"
            )
        first, last = int(m[1]), int(m[2])
    if last <= first:
        raise InvalidInput(
            f"Nhiệm kỳ «{term}» không hợp lệ: năm cuối phải sau năm đầu.", field="term"
        )
    return f"nhiệm kỳ {first}{TERM_DASH}{last}"


# --- people and names ------------------------------------------------------------------
def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def person_with_titles(name: str, titles: Sequence[str] = (), *, honorific: str = HONORIFIC) -> str:
    """ "đồng chí Phạm Duy Phong, Thành ủy viên, Bí thư Đảng ủy" (blank titles skipped)."""
    parts = [f"{honorific} {_clean(name)}".strip()]
    parts += [_clean(t) for t in titles if t and t.strip()]
    return ", ".join(parts)


@lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(COLLATION_LOCALE))


def sort_key_name(full_name: str) -> tuple[bytes, bytes]:
    """Vietnamese order: by given name (last word), then the rest as written (surname,
    middle names), each compared with the ICU "vi" collation (a < ă < â, d < đ, tones
    ngang < huyền < hỏi < ngã < sắc < nặng)."""
    words = _clean(full_name).split(" ")
    collator = _collator()
    return collator.getSortKey(words[-1]), collator.getSortKey(" ".join(words[:-1]))


def sorted_names(names: Iterable[str]) -> list[str]:
    """`names` in Vietnamese order (see `sort_key_name`)."""
    return sorted(names, key=sort_key_name)


# --- search ----------------------------------------------------------------------------
_FOLD_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Lowercase, no diacritics, đ → d, single spaces: "Nguyễn Văn Chiến" → "nguyen van chien"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def matches(query: str, text: str) -> bool:
    """Diacritic-insensitive search: every word of `query` begins a word of `text`, in any
    order ("nguyen van chien", "chien", "ng v ch" find "Nguyễn Văn Chiến"). An empty query
    matches everything."""
    words = fold(text).split()
    return all(any(w.startswith(q) for w in words) for q in fold(query).split())
