"""A sheet of dues payments: each row a member (card number, national ID, or name and birth
date), the month or months paid, the amount, the day, the channel and the receipt number.

The rows are checked by recording them with ``dues.services.dues_pay`` inside a savepoint
that is always rolled back, so a refused row carries the service's own message (a month the
member is exempt, a month held by another cell, no basis to compute the due); the import
then records them again, all in the caller's transaction.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db import transaction

from dangbo.core.errors import DomainError
from dangbo.dues.models import Channel, DuesPayment
from dangbo.dues.rules import month_label
from dangbo.dues.services import dues_pay
from dangbo.vn_format import number
from dangbo.xlsx_import.values import fold, text

_MONTH = re.compile(r"^(?:t|thang)?\s*(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})\s*-\s*(\d{1,2})$")
_RANGE = re.compile(r"^(?:t|thang)?\s*(\d{1,2})\s*(?:-|–|den)\s*(\d{1,2})\s*/\s*(\d{4})$")
_SAME_YEAR = re.compile(r"^(?:t|thang)?\s*(\d{1,2}(?:\s*[,;+]\s*\d{1,2})+)\s*/\s*(\d{4})$")


class _Rollback(Exception):
    pass


def parse_months(value: object, label: str) -> list[date]:
    """The months a cell names: a date cell (its month), «3/2026», «2026-03», «T3/2026»,
    «1-3/2026» (a range), «1,2,3/2026», or several of these separated by «;» or «, »."""
    if isinstance(value, datetime | date):
        return [date(value.year, value.month, 1)]
    raw = text(value)
    key = fold(raw)
    out: list[date] = []
    parts = [key] if _SAME_YEAR.match(key) else [p for p in re.split(r"\s*;\s*|,\s+", key) if p]
    for part in parts:
        pairs: list[tuple[int, int]] = []
        if m := _RANGE.match(part):
            first, last, year = int(m[1]), int(m[2]), int(m[3])
            pairs = [(year, k) for k in range(first, last + 1)] if first <= last else []
        elif m := _SAME_YEAR.match(part):
            pairs = [(int(m[2]), int(k)) for k in re.split(r"\s*[,;+]\s*", m[1])]
        elif m := _MONTH.match(part):
            pairs = [(int(m[2]), int(m[1]))]
        elif m := _ISO.match(part):
            pairs = [(int(m[1]), int(m[2]))]
        if not pairs or not all(1 <= k <= 12 and 1945 <= y <= 2200 for y, k in pairs):
            raise DomainError(f"{label}: «{raw}» không phải tháng (vd. 3/2026 hoặc 1-3/2026).")
        out += [date(y, k, 1) for y, k in pairs]
    if not out:
        raise DomainError(f"{label} không được để trống.")
    return sorted(set(out))


def parse_amount(value: object, label: str) -> int | None:
    """Whole đồng: 15930, «15.930», «15 930 đ»; None for an empty cell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != int(value) or value <= 0:
            raise DomainError(f"{label}: «{value}» không phải số tiền (đồng) dương.")
        return int(value)
    raw = text(value)
    if not raw:
        return None
    digits = re.sub(r"[\s.,]|d$|dong$|vnd$", "", fold(raw))
    if not digits.isdigit() or int(digits) <= 0:
        raise DomainError(f"{label}: «{raw}» không phải số tiền (đồng) dương.")
    return int(digits)


def _pay(row, actor: str) -> list[DuesPayment]:
    """Record the row's payments: each month its due when the row's amount is empty or
    equals the months' dues together; one month for the amount written."""
    v = row.values
    months, amount = v["months"], v.get("amount")
    common = {
        "member": row.member,
        "months": months,
        "paid_on": v["paid_on"],
        "channel": v.get("channel") or Channel.CASH,
        "receipt_number": v.get("receipt_number") or "",
        "actor": actor,
    }
    if amount is None or len(months) == 1:
        return dues_pay(**common, amount=amount)
    payments = dues_pay(**common)
    due = sum(p.amount for p in payments)
    if due != amount:
        raise DomainError(
            f"Số tiền {number(amount)} đồng khác tổng số phải đóng {number(due)} đồng của "
            f"{len(months)} tháng; ghi mỗi tháng một dòng khi nộp khác số phải đóng."
        )
    return payments


def _duplicates(rows: list) -> None:
    seen: dict[tuple[int, date, str], int] = {}
    keys = []
    for row in rows:
        receipt = row.values.get("receipt_number") or ""
        for month in row.values["months"]:
            key = (row.member.pk, month, receipt)
            if key in seen and receipt:
                row.errors.append(
                    f"Trùng dòng {seen[key]}: cùng đảng viên, {month_label(month)}, "
                    f"biên lai {receipt}."
                )
            seen.setdefault(key, row.number)
            keys.append((key, row))
    taken = set(
        DuesPayment.objects.filter(
            member_id__in={k[0] for k, _r in keys},
            receipt_number__in={k[2] for k, _r in keys if k[2]},
            reverses__isnull=True,
            reversed_by__isnull=True,
        ).values_list("member_id", "month", "receipt_number")
    )
    for key, row in keys:
        if key in taken:
            row.errors.append(
                f"Biên lai {key[2]} {month_label(key[1])} của đảng viên này đã có trong sổ thu."
            )


def check_dues(plan, roll) -> None:
    """Read the months and amounts, find each row's member in `roll`, and try every row's
    payments as the service records them (rolled back)."""
    labels = {f: plan.table.headers[p] for p, f in plan.mapping.items()}
    for row, raw in zip(plan.rows, [r for _n, r in plan.table.rows], strict=True):
        for name, parse in (("months", parse_months), ("amount", parse_amount)):
            pos = next((p for p, f in plan.mapping.items() if f == name), None)
            value = raw[pos] if pos is not None and pos < len(raw) else None
            if pos is None or (name == "months" and not text(value)):
                continue  # not mapped, or said empty already
            try:
                row.values[name] = parse(value, f"Cột «{labels[name] or name}»")
            except DomainError as exc:
                row.errors.append(exc.message)
                row.values[name] = None
        if not row.errors:
            row.member = roll.find(row, by_card=True)
    good = [r for r in plan.rows if not r.errors]
    _duplicates(good)
    try:
        with transaction.atomic():
            for row in good:
                if row.errors:
                    continue
                try:
                    with transaction.atomic():
                        _pay(row, "")
                except DomainError as exc:
                    row.errors.append(exc.message)
            raise _Rollback
    except _Rollback:
        pass


def write_dues(plan, actor: str) -> int:
    """Record every row's payments (audited by the service); the number of payments."""
    return sum(len(_pay(row, actor)) for row in plan.rows)
