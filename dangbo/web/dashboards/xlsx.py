"""The dashboard's tables as xlsx workbooks: a chart's figures by year, or the units' table
with its total row."""

from __future__ import annotations

from dangbo.reports.document import Chart
from dangbo.reports.xlsx_tables import Column, Sheet, workbook
from dangbo.web.dashboards.data import GRADES, Dashboard, Row


def chart_xlsx(chart: Chart) -> bytes:
    """The chart's figures: one row per year, one column per series (whole numbers)."""
    title, _, org = chart.title.partition(" — ")
    years = f"Năm {chart.labels[0]}–{chart.labels[-1]}" if chart.labels else ""
    return workbook(
        Sheet(
            name="Số liệu",
            title=title.upper(),
            org=org,
            period=years,
            columns=[Column("Năm", 10), *(Column(name, 16) for name, _ in chart.series)],
            rows=(
                [label, *(int(values[i]) for _, values in chart.series)]
                for i, label in enumerate(chart.labels)
            ),
        )
    )


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
    return workbook(
        Sheet(
            name=f"Đơn vị {board.year}",
            title="SỐ LIỆU CÁC ĐƠN VỊ TRỰC THUỘC",
            org=board.name,
            period=f"Năm {board.year}",
            columns=[Column(UNIT_HEADER[0], 36), Column(UNIT_HEADER[1], 10)]
            + [Column(h, 13) for h in UNIT_HEADER[2:]],
            rows=(_unit_line(row) for row in board.units),
            footer=[_unit_line(board.total)],
            landscape=True,
        )
    )
