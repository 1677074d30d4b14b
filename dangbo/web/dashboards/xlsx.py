"""The dashboard's tables as xlsx workbooks: a chart's figures by year, or the units' table
with its total row."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from dangbo.reports.document import Chart
from dangbo.web.dashboards.data import GRADES, Dashboard, Row


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def chart_xlsx(chart: Chart) -> bytes:
    """The chart's figures: one row per year, one column per series."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Số liệu"
    ws.append([chart.title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append(["Năm", *(name for name, _ in chart.series)])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, label in enumerate(chart.labels):
        ws.append([label, *(int(values[i]) for _, values in chart.series)])
    ws.column_dimensions["A"].width = 10
    return _save(wb)


UNIT_HEADER = [
    "Đơn vị",
    "Mã",
    "Đảng viên cuối kỳ",
    "Kết nạp",
    "Chỉ tiêu kết nạp",
    *(f"Xếp loại: {label}" for _, label in GRADES),
    "Chỉ tiêu đạt và vượt",
    "Chỉ tiêu đánh giá",
]


def _unit_line(row: Row) -> list[object]:
    return [
        row.label,
        row.code,
        row.members,
        row.admissions,
        row.admissions_target,
        *row.grade_counts,
        row.targets_done,
        row.targets_total,
    ]


def units_xlsx(board: Dashboard) -> bytes:
    """One row per unit in the dashboard's year, then the total row (their sum)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"Đơn vị {board.year}"
    ws.append([f"Số liệu các đơn vị trực thuộc {board.name} năm {board.year}"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append(UNIT_HEADER)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in board.units:
        ws.append(_unit_line(row))
    ws.append(_unit_line(board.total))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 36
    return _save(wb)
