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


SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Quang", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phương", "Quân"]


def big_member(i: int, cells: list[str]) -> dict:
    """The member of data row `i` of :func:`big_workbook`, as it should be read."""
    born = date(1950 + i % 40, 1 + i % 12, 1 + i % 28)
    official = i % 10 != 0
    admitted = date(born.year + 20 + i % 10 if official else 2022, 1 + i % 12, 1 + i % 28)
    return {
        "full_name": f"{SURNAMES[i % 10]} {MIDDLE[i // 10 % 8]} {GIVEN[i // 80 % 11]} Số {i}",
        "gender": "nu" if i % 3 == 0 else "nam",
        "birth_date": born,
        "citizen_id": f"{i + 1:012d}",
        "cell": cells[i % len(cells)],
        "official": official,
        "admitted_on": admitted,
        "official_on": date(admitted.year + 1, admitted.month, admitted.day) if official else None,
        "card_number": f"{10000000 + i}" if official else "",
    }


def big_workbook(n: int, cells: list[str]) -> bytes:
    """A member list of `n` rows as an office keeps it: merged title rows, NFD names with
    trailing spaces, dates typed, as date cells and as Excel serial numbers, a blank row
    after every 500th member, a total row's worth of notes in a column left unmapped."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DS đảng viên"
    ws.append([nfd("ĐẢNG BỘ PHƯỜNG 1")])
    ws.merge_cells("A1:K1")
    ws.append([nfd("DANH SÁCH ĐẢNG VIÊN (NHẬP SỔ)")])
    ws.merge_cells("A2:K2")
    ws.append([])
    ws.append(HEADERS)
    for i in range(n):
        m = big_member(i, cells)
        born = m["birth_date"]
        ws.append(
            [
                i + 1,
                nfd(m["full_name"]) + "  " if i % 2 else m["full_name"] + " ",
                "Nữ" if m["gender"] == "nu" else ("nam" if i % 4 else "NAM"),
                serial(born)
                if i % 3 == 0
                else (
                    datetime(born.year, born.month, born.day) if i % 3 == 1 else f"{born:%d/%m/%Y}"
                ),
                m["citizen_id"],
                m["cell"] + " " if i % 5 else nfd(m["cell"]),
                nfd("Chính thức") if m["official"] else "du bi",
                f"{m['admitted_on']:%d-%m-%Y}" if i % 2 else serial(m["admitted_on"]),
                m["official_on"],
                m["card_number"] or None,
                "ghi chú " * (i % 3),
            ]
        )
        if i % 500 == 499:
            ws.append([None, "  ", None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
