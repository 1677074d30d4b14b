"""Report tables (Hướng dẫn 36-HD/VPTW: a table's figures are read as printed): no figure and
no short header ever breaks across lines, in the DOCX widths and in the PDF LibreOffice
prints."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from dangbo.reports.document import Document, Header, Signature, Table
from dangbo.reports.docx_tables import SLACK_MM, column_widths_mm
from dangbo.reports.layout import format_rules_on, text_width_mm
from dangbo.reports.render_docx import render_docx
from dangbo.reports.render_pdf import render_pdf

# the widest values real ward and district reports print in each column
UNITS = Table(
    caption="Số đảng viên theo tổ chức đảng trực thuộc",
    columns=("Tổ chức đảng", "Đầu kỳ", "Kết nạp", "Chuyển đến", "Chuyển đi", "Từ trần", "Cuối kỳ"),
    rows=(
        (
            "Chi bộ Trường Trung học cơ sở Nguyễn Bỉnh Khiêm",
            "12.345",
            "1.234(*)",
            "2.345",
            "3.456",
            "456",
            "12.999",
        ),
        ("Đảng bộ Công an phường", "98.765", "7(*)", "88", "99", "10", "99.000"),
        ("Cộng", "111.110", "1.241", "2.433", "3.555", "466", "111.999"),
    ),
    align=("left",) + ("right",) * 6,
    total_row=True,
)
TARGETS = Table(
    caption="Kết quả thực hiện các chỉ tiêu",
    columns=("TT", "Chỉ tiêu", "Đơn vị", "Kế hoạch", "Thực hiện", "Tỷ lệ", "Đánh giá"),
    rows=(
        (
            "18",
            "Thu ngân sách nhà nước trên địa bàn theo dự toán được giao",
            "đồng",
            "18.700.000.000",
            "77.155.000.000",
            "412,6%",
            "Vượt",
        ),
        ("19", "Tỷ lệ hộ nghèo", "%", "1,25", "1.234,5", "1.234,5%", "Chưa đạt"),
    ),
    align=("center", "left", "center", "right", "right", "right", "center"),
)
STRUCTURE = Table(
    caption="Cơ cấu đảng viên",
    columns=("Tiêu chí", "Số đảng viên", "Tỷ lệ"),
    rows=(("Trình độ lý luận chính trị: Cao cấp, cử nhân", "1.234", "100%"),),
    align=("left", "right", "right"),
)
TABLES = (UNITS, TARGETS, STRUCTURE)
FIGURES = {
    cell for t in TABLES for row in t.rows for cell in row[1:] if any(c.isdigit() for c in cell)
}
HEADERS = {"TT", "Tỷ lệ", "Đơn vị"}


def test_every_column_is_at_least_as_wide_as_its_longest_unbreakable_token():
    """36-HD/VPTW tables: the width of each column holds its longest figure and header word
    (measured here in Liberation Serif 13 pt bold, plus the cell margins)."""
    rules = format_rules_on(date(2023, 7, 5))
    for table in TABLES:
        widths = column_widths_mm(
            table,
            rules.text_width_mm,
            size_pt=rules.table_pt,
            padding_mm=rules.table_cell_padding_mm,
        )
        assert sum(widths) == pytest.approx(rules.text_width_mm)
        for i, width in enumerate(widths):
            tokens = table.columns[i].split() + [t for row in table.rows for t in row[i].split()]
            longest = max(text_width_mm(t, rules.table_pt, bold=True) for t in tokens)
            assert width >= longest + 2 * rules.table_cell_padding_mm + SLACK_MM - 1e-9, (
                table.caption,
                table.columns[i],
            )


def _document() -> Document:
    return Document(
        header=Header(
            superior_body="ĐẢNG BỘ THÀNH PHỐ SÔNG HỒNG",
            issuing_body="ĐẢNG ỦY PHƯỜNG HÀNG BỘT",
            number="Số 01-BC/ĐU",
            place_date="Phường Hàng Bột, ngày 5 tháng 7 năm 2023",
            doc_type="BÁO CÁO",
            summary=("thử bảng",),
        ),
        body=TABLES,
        signature=Signature(
            form="T/M BAN THƯỜNG VỤ", position="BÍ THƯ", name="Nguyễn Văn A", recipients=()
        ),
        metadata={"title": "thử", "subject": "thử", "date": date(2023, 7, 5).isoformat()},
    )


def test_the_docx_carries_the_measured_widths():
    d = docx.Document(io.BytesIO(render_docx(_document())))
    (targets,) = [t for t in d.tables if t.rows[0].cells[0].text == "TT"]
    grid = [int(c.get(qn("w:w"))) for c in targets._tbl.tblGrid.findall(qn("w:gridCol"))]
    rules = format_rules_on(date(2023, 7, 5))
    expected = column_widths_mm(
        TARGETS, rules.text_width_mm, size_pt=rules.table_pt, padding_mm=rules.table_cell_padding_mm
    )
    assert grid == [round(w * 1440 / 25.4) for w in expected]


def test_the_pdf_never_breaks_a_figure_or_a_short_header(tmp_path: Path):
    """Rendered to PDF by LibreOffice and read back with pdftotext -layout: every figure
    ("412,6%", "18.700.000.000", "1.234(*)") and every short header ("TT") is on one line."""
    pdf = tmp_path / "bang.pdf"
    pdf.write_bytes(render_pdf(_document()))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    words = set(text.split())
    missing = sorted(f for f in FIGURES | HEADERS if not set(f.split()) <= words)
    assert missing == []
    for f in FIGURES:
        assert f in text, f
