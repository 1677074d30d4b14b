"""Tables as xlsx workbooks: the one writer of every list and table of figures exported.

A sheet has its title rows (the table's title, the organization, the period or date, any
further lines), an empty row, one header row frozen below them and repeated on each printed
page, the rows, the bold footer rows (a total, the organization's own figures) and the
notes in italics. A count is a number cell with the thousands format, a share a number with
one decimal, a date a date cell shown dd/mm/yyyy, None an empty cell; the rest is text.

Sheets are written in write-only mode: the rows may be a generator, read once, so a list of
tens of thousands of rows is never held in memory as cells.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INTEGER = "#,##0"
DECIMAL = "#,##0.0"
DATE = "dd/mm/yyyy"

TITLE = Font(bold=True, size=13)
BOLD = Font(bold=True)
NOTE = Font(italic=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Column:
    """A column: its Vietnamese header, its width in characters and, for numbers, the format
    (default: whole numbers with the thousands separator, others with one decimal)."""

    header: str
    width: float = 12
    number_format: str | None = None


@dataclass
class Sheet:
    """One table. `rows` is read once, in order; `footer` rows are bold (a total row, the
    organization's own row); `notes` follow the table, one line each."""

    name: str
    title: str
    org: str
    period: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    lines: Sequence[str] = ()
    footer: Sequence[Sequence[Any]] = ()
    notes: Sequence[str] = ()
    landscape: bool = False
    #: columns kept in view when scrolling right (and printed on every page)
    freeze_columns: int = 0
    #: printed one page wide (a very wide table: False, pages side by side)
    fit_width: bool = True
    #: every cell boxed (small tables; a long list stays light)
    boxed: bool = False
    #: filled while writing: the number of `rows` written
    written: int = field(default=0, init=False)

    @property
    def header_row(self) -> int:
        """The header's row number (1-based): after the title lines and an empty row."""
        return len(self._titles()) + 2

    def _titles(self) -> list[str]:
        return [self.title, self.org, self.period, *self.lines]


def period_line(start: date, end: date) -> str:
    """The period as the title rows state it."""
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def _cell(
    ws: Any, value: Any, column: Column, font: Font | None = None, boxed: bool = False
) -> Any:
    if isinstance(value, bool):
        value = "x" if value else None
    fmt = None
    if isinstance(value, datetime | date):
        fmt = DATE
    elif isinstance(value, int | float | Decimal):
        fmt = column.number_format or (INTEGER if isinstance(value, int) else DECIMAL)
    if fmt is None and font is None and not boxed:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    if font is not None or boxed:
        cell.border = BOX
    return cell


def _header_height(columns: Sequence[Column]) -> float:
    """Points for the header row: enough lines for the longest header wrapped in its width."""
    lines = max((-(-len(c.header) // max(int(c.width) - 1, 1)) for c in columns), default=1)
    return 15.0 * max(lines, 1) + 3


def _write(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.name[:31])
    columns = list(sheet.columns)
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    head = sheet.header_row
    # a write-only sheet takes its panes and print settings before any row
    ws.freeze_panes = f"{get_column_letter(sheet.freeze_columns + 1)}{head + 1}"
    ws.print_title_rows = f"{head}:{head}"
    if sheet.freeze_columns:
        ws.print_title_cols = f"A:{get_column_letter(sheet.freeze_columns)}"
    ws.row_dimensions[head].height = _header_height(columns)
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    if sheet.fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    for i, text in enumerate(sheet._titles()):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = TITLE if i == 0 else BOLD if i == 1 else Font()
        ws.append([cell])
    ws.append([])
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    n = 0
    for row in sheet.rows:
        ws.append([_cell(ws, v, c, boxed=sheet.boxed) for v, c in zip(row, columns, strict=False)])
        n += 1
    sheet.written = n
    for row in sheet.footer:
        ws.append([_cell(ws, v, c, BOLD) for v, c in zip(row, columns, strict=False)])
    if sheet.notes:
        ws.append([])
    for text in sheet.notes:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = NOTE
        ws.append([cell])


def workbook(*sheets: Sheet) -> bytes:
    """The workbook of `sheets`, in order, as bytes."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write(wb, sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
