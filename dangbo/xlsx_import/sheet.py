"""An office's sheet read as a table: the header row found below any title rows, the columns
matched to fields, the data rows with their sheet row numbers (blank rows left out).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from dangbo.core.errors import InvalidInput
from dangbo.xlsx_import.fields import COLUMNS, Column, SheetKind
from dangbo.xlsx_import.values import fold, text

#: the header row is looked for among the first rows of the sheet
HEADER_SEARCH = 30


@dataclass
class Table:
    """The sheet `sheet` of a workbook: its header row number, the headers (by column
    position, 0-based) and the data rows as (sheet row number, cell values)."""

    sheet: str
    sheets: list[str]
    header_row: int
    headers: list[str]
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)


def header_key(value: object) -> str:
    """A header as compared: folded, without the template's "(*)" of a required column."""
    return fold(value).replace("(*)", "").rstrip("* :").strip()


def _matches(kind: SheetKind) -> dict[str, str]:
    """Folded header → field, every spelling of every column of `kind`."""
    out: dict[str, str] = {}
    for col in COLUMNS[kind]:
        for name in (col.header, *col.aliases, col.field):
            out.setdefault(header_key(name), col.field)
    return out


def _sheet_name(names: list[str], kind: SheetKind, wanted: str | None) -> str:
    """The sheet asked for, else the one named after the kind, else the first."""
    if wanted:
        for name in names:
            if fold(name) == fold(wanted):
                return name
        raise InvalidInput(f"Tệp không có trang tính «{wanted}».", field="sheet")
    return named_sheet(names, kind) or names[0]


def sheet_keys(kind: SheetKind) -> set[str]:
    """The folded names a sheet of `kind` goes by: its label and its code."""
    return {fold(kind.label), fold(kind.value), fold(kind.value.replace("_", " "))}


def named_sheet(names: list[str], kind: SheetKind) -> str | None:
    """The sheet named after `kind` (any case, with or without diacritics), if any."""
    keys = sheet_keys(kind)
    for name in names:
        if fold(name) in keys or any(k in fold(name) for k in keys if len(fold(name)) >= 5):
            return name
    return None


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an xlsx file, in order."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise InvalidInput("Tệp không phải là bảng tính Excel (.xlsx).", field="file") from None
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_table(data: bytes, kind: SheetKind, sheet: str | None = None) -> Table:
    """Read the sheet of `kind` from an xlsx file's bytes.

    The header row is the row among the first ones matching most known headers (at least
    two); rows above it (titles, merged or not) and blank rows are skipped.
    """
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise InvalidInput("Tệp không phải là bảng tính Excel (.xlsx).", field="file") from None
    try:
        names = list(wb.sheetnames)
        name = _sheet_name(names, kind, sheet)
        rows = [(i, r) for i, r in enumerate(wb[name].iter_rows(values_only=True), start=1)]
    finally:
        wb.close()
    known = _matches(kind)
    best, best_score = 0, 1
    for i, values in rows[:HEADER_SEARCH]:
        score = len({known[k] for v in values if (k := header_key(v)) in known})
        if score > best_score:
            best, best_score = i, score
    if not best:
        raise InvalidInput(
            f"Không tìm thấy dòng tiêu đề cột trong trang «{name}» (cần ít nhất hai cột như "
            "«Họ và tên», «Ngày sinh»).",
            field="file",
        )
    headers = [text(v) for v in rows[best - 1][1]]
    data_rows = [
        (i, tuple(values))
        for i, values in rows[best:]
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values)
    ]
    return Table(sheet=name, sheets=names, header_row=best, headers=headers, rows=data_rows)


Mapping = dict[int, str]  # column position → field


def guess_mapping(table: Table, kind: SheetKind) -> Mapping:
    """Each header matched to a field by its folded spelling (the first column wins)."""
    known = _matches(kind)
    out: Mapping = {}
    for pos, header in enumerate(table.headers):
        f = known.get(header_key(header))
        if f and f not in out.values():
            out[pos] = f
    return out


def parse_map(spec: str, table: Table, kind: SheetKind) -> Mapping:
    """A mapping written as ``"Họ và tên=full_name, Ngày sinh=birth_date"`` (header or column
    letter on the left, field on the right), on top of the guessed one."""
    fields = {c.field for c in COLUMNS[kind]}
    mapping = guess_mapping(table, kind)
    folded = [header_key(h) for h in table.headers]
    for part in (p for p in spec.split(",") if p.strip()):
        if "=" not in part:
            raise InvalidInput(f"«{part.strip()}»: viết «tiêu đề cột=trường».", field="map")
        left, right = (s.strip() for s in part.rsplit("=", 1))
        if right and right != "-" and right not in fields:
            raise InvalidInput(
                f"«{right}» không phải là trường của loại {kind.label} "
                f"({', '.join(sorted(fields))}).",
                field="map",
            )
        pos = _position(left, folded)
        if pos is None:
            raise InvalidInput(f"Không có cột «{left}» trong dòng tiêu đề.", field="map")
        for p, f in list(mapping.items()):
            if f == right or p == pos:
                del mapping[p]
        if right and right != "-":
            mapping[pos] = right
    return mapping


def _position(ref: str, folded: list[str]) -> int | None:
    if header_key(ref) in folded:
        return folded.index(header_key(ref))
    if ref.isalpha() and ref.isascii() and len(ref) <= 2:
        from openpyxl.utils import column_index_from_string

        pos = column_index_from_string(ref.upper()) - 1
        return pos if pos < len(folded) else None
    return None


def missing_required(mapping: Mapping, kind: SheetKind, *, cell_needed: bool) -> list[Column]:
    """The required columns the mapping leaves out (the cell column when `cell_needed`)."""
    mapped = set(mapping.values())
    return [
        c
        for c in COLUMNS[kind]
        if (c.required or (c.field == "cell" and cell_needed)) and c.field not in mapped
    ]
