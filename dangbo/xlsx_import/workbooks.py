"""The workbooks an import hands out: the template to fill and the office's own workbook
returned with an error column."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dangbo.xlsx_import.check import Plan
from dangbo.xlsx_import.fields import COLUMNS, NEW_PEOPLE, Column, SheetKind

ERROR_HEADER = "Lỗi (chưa nhập)"
EVENT_KINDS: list[SheetKind] = [
    k for k in SheetKind if k not in (SheetKind.MEMBERS, SheetKind.DUES)
]
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
_ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
_ERROR_FONT = Font(bold=True, color="9C0006")


def _data_sheet(ws: Worksheet, kind: SheetKind) -> None:
    columns = COLUMNS[kind]
    ws.append([kind.label.upper()])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([c.header + (" (*)" if c.required else "") for c in columns])
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i)
        cell.font, cell.fill = _BOLD, _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, min(30, len(col.header) + 6))
        if col.type == "date":
            for r in range(4, 1004):
                ws.cell(row=r, column=i).number_format = "dd/mm/yyyy"
        if col.choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.choices.values()) + '"',
                allow_blank=not col.required,
                showErrorMessage=True,
                errorTitle=col.header,
                error="Chọn một giá trị trong danh sách.",
            )
            dv.add(f"{letter}4:{letter}1003")
            ws.add_data_validation(dv)
    ws.freeze_panes = "B4"


def _instructions(ws: Worksheet, kinds: list[SheetKind]) -> None:
    ws.append(["HƯỚNG DẪN ĐIỀN MẪU"])
    ws["A1"].font = Font(bold=True, size=13)
    lines = [
        "Mỗi dòng một người; dòng tiêu đề cột giữ nguyên (có thể thêm dòng tiêu đề ở trên, "
        "bỏ trống dòng giữa chừng).",
        "Cột có dấu (*) bắt buộc. Ngày ghi ngày/tháng/năm (30/6/2023, 30-06-2023, 30.06.2023) "
        "hoặc để ô kiểu ngày.",
        "Ô có danh sách chọn: chọn một giá trị; viết tay không dấu cũng được (vd. «chinh thuc»).",
        "Khi có dòng sai, không dòng nào được ghi: tải về bảng tính có cột «Lỗi», sửa rồi nhập lại.",
    ]
    if SheetKind.MEMBERS in kinds:
        lines.append(
            "Danh sách đảng viên là số dư đầu kỳ (nhập sổ) tại ngày nhập sổ chọn khi nhập, "
            "không phải chuyển đến."
        )
    for line in lines:
        ws.append([line])
    for kind in kinds:
        ws.append([])
        ws.append([kind.label])
        ws.cell(row=ws.max_row, column=1).font = _BOLD
        ws.append(["Cột", "Bắt buộc", "Cách ghi", "Tên khác được nhận"])
        for c in ws[ws.max_row]:
            c.font, c.fill = _BOLD, _HEAD_FILL
        for col in COLUMNS[kind]:
            ws.append(
                [col.header, "có" if col.required else "", _how(col, kind), ", ".join(col.aliases)]
            )
    for letter, width in zip("ABCD", (34, 10, 60, 50), strict=True):
        ws.column_dimensions[letter].width = width


def _how(col: Column, kind: SheetKind) -> str:
    if col.choices:
        return "Một trong: " + ", ".join(col.choices.values())
    if col.type == "date":
        return "Ngày/tháng/năm" + (f"; {col.note}" if col.note else "")
    if col.field == "cell" and kind in NEW_PEOPLE:
        return col.note
    return col.note


def template_workbook(members: bool, dues: bool = False) -> bytes:
    """The template: the member list, the dues payments (`dues`), or one sheet per kind of
    event list; and the instructions sheet."""
    kinds = [SheetKind.MEMBERS] if members else [SheetKind.DUES] if dues else EVENT_KINDS
    wb = Workbook()
    first = wb.active
    assert first is not None
    for i, kind in enumerate(kinds):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = kind.label[:31]
        _data_sheet(ws, kind)
    _instructions(wb.create_sheet("Hướng dẫn"), kinds)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def error_workbook(data: bytes, *plans: Plan) -> bytes:
    """The office's own workbook with a column «Lỗi» after the last column of each checked
    sheet, naming each bad row's problems (the rows without error left blank); everything
    else as it was."""
    wb = load_workbook(io.BytesIO(data))
    for plan in plans:
        ws = wb[plan.table.sheet]
        col = max(ws.max_column, len(plan.table.headers)) + 1
        head = ws.cell(row=plan.table.header_row, column=col, value=ERROR_HEADER)
        head.font, head.fill = _ERROR_FONT, _ERROR_FILL
        ws.column_dimensions[get_column_letter(col)].width = 60
        for row in plan.bad:
            cell = ws.cell(row=row.number, column=col, value="; ".join(row.errors))
            cell.font, cell.fill = Font(color="9C0006"), _ERROR_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
