"""The figures of an organization and a period as an Excel workbook (openpyxl).

Sheet «Số liệu»: title rows (organization, period), a frozen header row, then the stocks
(start and end of the period), the flows, badges by milestone and disciplines by form;
sheet «Cơ cấu»: the end stock by each dimension of the statistical forms. Every count is a
number cell, never text; the last column holds the figure's canonical key (the key of
``stats --format json``) so a program can read the workbook back.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from dangbo.figure_labels import BREAKDOWN_LABELS, DISCIPLINE_LABELS, LABELS, value_label
from dangbo.figures import FLOWS, STOCKS
from dangbo.statistics import PeriodStatistics

TITLE = Font(bold=True, size=13)
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER = "#,##0"


def _titles(ws: Worksheet, title: str, org: str, start: date, end: date, width: int) -> int:
    """Write the three title rows and an empty one; return the header row's number."""
    ws.append([title])
    ws.append([org])
    ws.append([f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"])
    ws.append([])
    for row in (1, 2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1).alignment = Alignment(horizontal="center")
    ws.cell(1, 1).font = TITLE
    ws.cell(2, 1).font = BOLD
    return 5


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row, col, name)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(row + 1, 1)


def _row(ws: Worksheet, values: list[object], *, bold: bool = False) -> None:
    ws.append(values)
    r = ws.max_row
    for col in range(1, len(values) + 1):
        cell = ws.cell(r, col)
        cell.border = BOX
        if isinstance(cell.value, int):
            cell.number_format = NUMBER
        if bold:
            cell.font = BOLD


def figures_xlsx(figures: PeriodStatistics, *, org_name: str, org_code: str = "") -> bytes:
    """The workbook of `figures` for the organization named `org_name`, as bytes."""
    f = figures.membership
    start, end = f.start, f.end
    org = f"{org_name} ({org_code})" if org_code else org_name
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Số liệu"
    head = _titles(ws, "SỐ LIỆU ĐẢNG VIÊN", org, start, end, 6)
    eve = start - timedelta(days=1)
    _header(
        ws,
        head,
        [
            "STT",
            "Chỉ tiêu",
            f"Đầu kỳ ({eve:%d/%m/%Y})",
            f"Cuối kỳ ({end:%d/%m/%Y})",
            "Trong kỳ",
            "Mã chỉ tiêu",
        ],
    )
    n = 0
    for key in STOCKS:
        n += 1
        _row(ws, [n, LABELS[key], f.count(f"{key}_start"), f.count(f"{key}_end"), None, key])
    for key in FLOWS:
        n += 1
        _row(ws, [n, LABELS[key], None, None, f.count(key), key])
    for years, count in f.badges_by_milestone.items():
        _row(ws, [None, f"  Huy hiệu {years} năm tuổi Đảng", None, None, count, f"badges_{years}"])
    n += 1
    _row(ws, [n, LABELS["disciplined_total"], None, None, f.disciplined_total, "disciplined_total"])
    for form, count in f.disciplined.items():
        _row(ws, [None, f"  {DISCIPLINE_LABELS.get(form, form)}", None, None, count, form])
    for col, width in zip("ABCDEF", (6, 52, 18, 18, 12, 22), strict=True):
        ws.column_dimensions[col].width = width

    ws2 = wb.create_sheet("Cơ cấu")
    head = _titles(ws2, f"CƠ CẤU ĐẢNG VIÊN NGÀY {end:%d/%m/%Y}", org, start, end, 4)
    _header(ws2, head, ["Tiêu chí", "Nhóm", "Số đảng viên", "Mã chỉ tiêu"])
    for dim, values in (f.breakdowns or {}).items():
        for value, count in values.items():
            _row(ws2, [BREAKDOWN_LABELS.get(dim, dim), value_label(dim, value), count, dim])
    for col, width in zip("ABCD", (26, 36, 14, 16), strict=True):
        ws2.column_dimensions[col].width = width

    for sheet in (ws, ws2):
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.fitToWidth = 1
        sheet.print_title_rows = f"{head}:{head}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
