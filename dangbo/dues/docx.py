"""The collection book (sổ thu đảng phí) as a Word document in the form offices use: the
heading, one row per member with the months' amounts paid, the totals and the remittance."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from dangbo.dues.book import Book
from dangbo.vn_format import number


def _widths(table: Any, widths: list[Any]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _put(cell: Any, text: str, *, bold: bool = False, right: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(8)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def book_docx(book: Book) -> bytes:
    """The book as DOCX bytes (landscape A4, Times New Roman)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.0))
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(10)
    first, last = book.months[0], book.months[-1]
    span = (
        f"Tháng {first.month}/{first.year}"
        if first == last
        else f"Từ tháng {first.month}/{first.year} đến tháng {last.month}/{last.year}"
    )
    for text, size, bold in (
        ("SỔ THU ĐẢNG PHÍ", 14, True),
        (book.cell_name, 12, True),
        (f"{span} — {'; '.join(book.regulations)}", 10, False),
    ):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
    months = book.months
    table = doc.add_table(rows=1, cols=3 + len(months) + 1)
    table.style = "Table Grid"
    head = ["TT", "Họ và tên", "Miễn, giảm", *(f"T{m.month}" for m in months), "Cộng đã nộp"]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for i, row in enumerate(book.rows, 1):
        values = [str(i), row.name, row.note, *(number(paid) for _due, paid in row.months)]
        for cell, text in zip(table.add_row().cells, [*values, number(row.paid)], strict=True):
            cell.text = text
    totals = [
        "",
        "Cộng",
        "",
        *(number(paid) for _due, paid in book.month_totals()),
        number(book.paid),
    ]
    for cell, text in zip(table.add_row().cells, totals, strict=True):
        cell.text = text
        if cell.paragraphs[0].runs:
            cell.paragraphs[0].runs[0].bold = True
    _widths(table, [Cm(0.8), Cm(3.6), Cm(2.0), *([Cm(1.6)] * len(months)), Cm(1.9)])
    doc.add_paragraph(
        f"Phải thu {number(book.due)} đồng; đã thu {number(book.paid)} đồng; "
        f"còn {number(max(book.due - book.paid, 0))} đồng."
    )
    doc.add_paragraph().add_run("Trích nộp, giữ lại theo cấp").bold = True
    shares = doc.add_table(rows=1, cols=5)
    shares.style = "Table Grid"
    for cell, text in zip(
        shares.rows[0].cells, ["Cấp", "Nhận", "Tỷ lệ giữ lại", "Giữ lại", "Nộp lên"], strict=True
    ):
        _put(cell, text, bold=True)
    for s in book.remittance:
        values = [s.org_name, number(s.received), f"{s.percent}%", number(s.kept), number(s.passed)]
        for j, (cell, text) in enumerate(zip(shares.add_row().cells, values, strict=True)):
            _put(cell, text, right=j >= 1)
    _widths(shares, [Cm(8), Cm(3), Cm(3), Cm(3), Cm(3)])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
