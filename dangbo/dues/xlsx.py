"""The collection book (sổ thu đảng phí) as an xlsx workbook: the members' rows by month, the
totals (sums of the rows) and the remittance of each level's share."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dangbo.dues.book import Book

MONEY = "#,##0"


def book_xlsx(book: Book) -> bytes:
    """The workbook of `book`, as bytes (numbers as numbers, formatted with thousands)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sổ thu đảng phí"
    first, last = book.months[0], book.months[-1]
    span = (
        f"tháng {first.month}/{first.year}"
        if first == last
        else f"từ tháng {first.month}/{first.year} đến tháng {last.month}/{last.year}"
    )
    width = 4 + 2 * len(book.months) + 2
    ws.append([f"SỔ THU ĐẢNG PHÍ — {book.cell_name.upper()}"])
    ws.append([span.capitalize() + " — " + "; ".join(book.regulations)])
    ws.append([])
    for r in (1, 2):
        ws.cell(r, 1).font = Font(bold=r == 1, size=13 if r == 1 else 11)
    head = ["STT", "Họ và tên", "Căn cứ", "Miễn, giảm"]
    for m in book.months:
        head += [f"T{m.month}/{m.year} phải đóng", f"T{m.month}/{m.year} đã nộp"]
    head += ["Cộng phải đóng", "Cộng đã nộp"]
    ws.append(head)
    for c in ws[4]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for i, row in enumerate(book.rows, 1):
        values: list = [i, row.name, row.category, row.note]
        for due, paid in row.months:
            values += [due, paid]
        ws.append([*values, row.due, row.paid])
    total: list = [None, "Cộng", None, None]
    for due, paid in book.month_totals():
        total += [due, paid]
    ws.append([*total, book.due, book.paid])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=5, min_col=5, max_col=width):
        for c in row:
            c.number_format = MONEY
    ws.append([])
    ws.append(["", "Trích nộp, giữ lại theo cấp (trên số đã thu)"])
    ws.cell(ws.max_row, 2).font = Font(bold=True)
    ws.append(["", "Cấp", "Nhận", "Tỷ lệ giữ lại (%)", "Giữ lại", "Nộp lên"])
    for s in book.remittance:
        ws.append(["", s.org_name, s.received, s.percent, s.kept, s.passed])
        for col in (3, 5, 6):
            ws.cell(ws.max_row, col).number_format = MONEY
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 26
    ws.column_dimensions["D"].width = 16
    ws.freeze_panes = "E5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
