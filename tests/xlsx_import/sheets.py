"""Office sheets as offices make them, built with openpyxl: a merged title, a blank row,
trailing spaces, NFD Vietnamese headers and names, Excel serial dates beside typed ones."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime

from openpyxl import Workbook


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


HEADERS = [
    "STT",
    nfd("HỌ VÀ TÊN "),
    "giới tính",
    nfd("Ngày sinh"),
    "Số CCCD",
    "Chi bộ",
    nfd("Loại đảng viên"),
    "Ngay vao Dang",
    nfd("Ngày chính thức"),
    "Số thẻ",
    "Ghi chú",
]

# (name, gender, birth, cccd, cell, status, admitted, official, card)
MEMBERS = [
    (
        nfd("Nguyễn Văn An  "),
        "Nam",
        "30/6/1970",
        "001070000001",
        "P1-C1",
        "Chính thức",
        datetime(1995, 3, 2),
        "02-03-1996",
        "12345678",
    ),
    (
        "Trần Thị Bình",
        "nữ",
        serial(date(1980, 1, 15)),
        None,
        nfd("Chi bộ TDP 2 phường 1 "),
        "chinh thuc",
        "1.5.2005",
        "01.05.2006",
        None,
    ),
    (
        "Lê Văn Cường",
        "NAM",
        "1999-09-09",
        "001099000003",
        "tdp 1 phuong 1",
        "Dự bị",
        "01/09/2023",
        None,
        "",
    ),
]


def workbook(rows=MEMBERS, headers=HEADERS, *, sheet="DS dang vien") -> bytes:
    """A member list: title rows (one merged), the header on row 4, a blank row inside."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([nfd("ĐẢNG BỘ PHƯỜNG 1")])
    ws.merge_cells("A1:K1")
    ws.append(["DANH SÁCH ĐẢNG VIÊN ĐẾN 31/12/2023"])
    ws.merge_cells("A2:K2")
    ws.append([])
    ws.append(headers)
    for i, r in enumerate(rows, start=1):
        ws.append([i, *r, ""])
        if i == 1:
            ws.append([None, "   ", None])  # a blank row (spaces only)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def event_workbook(sheet: str, headers: list[str], rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["DANH SÁCH"])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
