"""The dashboard's four charts as :class:`dangbo.reports.document.Chart` — the one
description drawn as inline SVG on the page (:mod:`.svg`), as PNG by the reports' renderer
(matplotlib, :func:`dangbo.reports.charts.chart_png`) and as an xlsx table."""

from __future__ import annotations

from dangbo.reports.document import Chart
from dangbo.web.dashboards.data import GRADES, Dashboard

CHARTS = {
    "dang-vien": "Số đảng viên cuối năm",
    "ket-nap": "Kết nạp đảng viên so với chỉ tiêu",
    "xep-loai": "Kết quả xếp loại chất lượng đảng viên",
    "chi-tieu": "Chỉ tiêu nghị quyết đạt và vượt",
}


def chart(board: Dashboard, key: str) -> Chart:
    """The chart `key` (a key of CHARTS) of the dashboard's years; KeyError for another."""
    title = f"{CHARTS[key]} — {board.name}"
    labels = tuple(r.label for r in board.years)
    rows = board.years
    if key == "dang-vien":
        series: tuple[tuple[str, tuple[float, ...]], ...] = (
            ("Đảng viên", tuple(float(r.members) for r in rows)),
        )
        return Chart("line", title, labels, series, y_label="người")
    if key == "ket-nap":
        series = (
            ("Kết nạp", tuple(float(r.admissions) for r in rows)),
            ("Chỉ tiêu", tuple(float(r.admissions_target or 0) for r in rows)),
        )
        return Chart("bar", title, labels, series, y_label="người")
    if key == "xep-loai":
        series = tuple((label, tuple(float(r.grade(g)) for r in rows)) for g, label in GRADES)
        return Chart("bar", title, labels, series, y_label="đảng viên")
    if key == "chi-tieu":
        series = (
            ("Đạt và vượt", tuple(float(r.targets_done) for r in rows)),
            ("Chưa đạt", tuple(float(r.targets_total - r.targets_done) for r in rows)),
        )
        return Chart("bar", title, labels, series, y_label="chỉ tiêu")
    raise KeyError(key)
