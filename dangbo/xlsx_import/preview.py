"""What an import will write, told the same way on the command line and in the browser: the
mapping of the file's columns, the counts and the first rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dangbo.xlsx_import.check import Plan
from dangbo.xlsx_import.fields import COLUMNS, SheetKind
from dangbo.xlsx_import.sheet import Mapping, Table

FIRST_ROWS = 10


@dataclass(frozen=True)
class Preview:
    columns: list[str]  # the fields' headers, in the order of the kind
    rows: list[tuple[int, list[str]]]  # sheet row number, values shown
    total: int
    bad: int


def mapping_lines(table: Table, mapping: Mapping, kind: SheetKind) -> list[tuple[str, str]]:
    """(file header, field header or "— bỏ qua —") for every column of the header row."""
    headers = {c.field: c.header for c in COLUMNS[kind]}
    return [
        (h or f"(cột {i + 1})", headers.get(mapping.get(i, ""), "— bỏ qua —"))
        for i, h in enumerate(table.headers)
        if h or i in mapping
    ]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list):
        return ", ".join(f"{v.month}/{v.year}" if isinstance(v, date) else str(v) for v in value)
    return str(value)


def preview(plan: Plan, first: int = FIRST_ROWS) -> Preview:
    """The values read from the first rows, in the columns the mapping fills."""
    mapped = set(plan.mapping.values())
    cols = [c for c in COLUMNS[plan.kind] if c.field in mapped]
    rows = []
    for row in plan.rows[:first]:
        shown = []
        for c in cols:
            value = row.values.get(c.field)
            if c.choices and value is not None:
                value = c.choices.get(str(value), value)
            shown.append(_shown(value))
        rows.append((row.number, shown))
    return Preview([c.header for c in cols], rows, len(plan.rows), len(plan.bad))
