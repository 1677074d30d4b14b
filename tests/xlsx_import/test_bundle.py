"""A workbook of event lists, one sheet per kind, checked together and written all or nothing
in the ledger's date order across the sheets."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from dangbo.core.models import AuditEntry
from dangbo.membership.models import EventKind, Member, MemberEvent, MemberStatus, Person
from dangbo.xlsx_import.bundle import BundleRefused, find_sheets, import_sheets, read_sheets
from dangbo.xlsx_import.sheet import guess_mapping
from dangbo.xlsx_import.workbooks import ERROR_HEADER, error_workbook
from tests.conftest import ACTOR, run
from tests.xlsx_import.sheets import nfd, serial

CARDS = ["Họ và tên", "Ngày sinh", "Số CCCD", "Số thẻ đảng viên", "Ngày phát thẻ"]
CAME = ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày tiếp nhận"]
CAME += ["Loại đảng viên", "Ngày vào Đảng", "Ngày chính thức"]


def book(sheets: dict[str, tuple[list, list[list]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.create_sheet("Hướng dẫn").append(["Điền mỗi loại một trang."])
    for name, (headers, rows) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append([f"DANH SÁCH {name.upper()}"])
        ws.append([])
        ws.append(headers)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(data, org, **kw):
    tables = read_sheets(data, find_sheets(load_workbook(io.BytesIO(data)).sheetnames))
    sheets = {k: (t, guess_mapping(t, k)) for k, t in tables.items()}
    return import_sheets(org=org, on=date(2024, 6, 30), sheets=sheets, actor=ACTOR, **kw)


def good_book() -> bytes:
    # the cards sheet comes first in the file, naming a member the transfers sheet brings in
    return book(
        {
            "PHAT THE": (
                CARDS,
                [
                    ["Mai Thị Đến", "1/1/1980", None, "55556666", "20/4/2024"],
                    ["Nguyễn Văn An", None, "001085000001", "77778888", serial(date(2024, 5, 1))],
                ],
            ),
            nfd("Chuyển đến "): (
                CAME,
                [
                    ["Mai Thị Đến", "Nữ", "1/1/1980", "P1-C2", "10.04.2024", "Chính thức"]
                    + ["1/1/2005", "1/1/2006"]
                ],
            ),
            "Kết nạp": (
                ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày kết nạp"],
                [["Lý Văn Mới", "Nam", "2/3/2000", "P1-C1", "5/3/2024"]],
            ),
            "Chuyển đi": (
                ["Họ và tên", "Ngày sinh", "Ngày chuyển đi", "Nơi chuyển đến"],
                [["Lý Văn Mới", "2/3/2000", "1/6/2024", "Đảng bộ khác"]],
            ),
            "Huy hiệu Đảng": (
                ["Họ và tên", "Số thẻ", "Loại huy hiệu", "Ngày trao"],
                [["Nguyễn Văn An", "77778888", "30 năm", "3/6/2024"]],  # the card of this book
            ),
        }
    )


def test_sheets_are_recognized_by_name():
    names = ["Hướng dẫn", "PHAT THE", nfd("Chuyển đến "), "Kết nạp đảng viên", "Chuyển đi"]
    found = find_sheets(names)
    assert [(k.value, n) for k, n in found.items()] == [
        ("ket_nap", "Kết nạp đảng viên"),
        ("chuyen_den", nfd("Chuyển đến ")),
        ("phat_the", "PHAT THE"),
        ("chuyen_di", "Chuyển đi"),
    ]


def test_every_sheet_goes_in_together_in_date_order(opened):
    out = _import(good_book(), opened["w1"])
    assert [p.kind.value for p in out.plans] == [
        "ket_nap",
        "chuyen_den",
        "phat_the",
        "huy_hieu",
        "chuyen_di",
    ]
    assert out.written == 6
    den = Member.objects.get(person__full_name="Mai Thị Đến")
    assert (den.status, den.card_number, den.cell_id) == (
        MemberStatus.OFFICIAL,
        "55556666",
        opened["w1c2"].pk,
    )
    assert [
        e.kind for e in MemberEvent.objects.filter(member=den).order_by("effective_on", "id")
    ] == [
        EventKind.TRANSFER,
        EventKind.CARD,
    ]
    moi = Member.objects.get(person__full_name="Lý Văn Mới")
    assert moi.status == MemberStatus.OUT and moi.out_reason == "chuyen_di"
    an = Member.objects.get(pk=opened["an"].pk)
    assert (an.card_number, an.badges) == ("77778888", [30])
    assert AuditEntry.objects.filter(action="xlsx_import").count() == 1
    assert AuditEntry.objects.filter(action=f"event_{EventKind.CARD}").count() == 2


def test_a_wrong_row_on_any_sheet_writes_nothing_and_marks_every_sheet(opened):
    data = book(
        {
            "Kết nạp": (
                ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày kết nạp"],
                [
                    ["Lý Văn Mới", "Nam", "2/3/2000", "P1-C1", "5/3/2024"],
                    ["Sai Chi Bộ", "Nam", "2/3/2000", "P9", "5/3/2024"],
                ],
            ),
            "Phát thẻ": (
                CARDS,
                [
                    [
                        "Lý Văn Mới",
                        "2/3/2000",
                        None,
                        "12341234",
                        "1/4/2024",
                    ],  # probationary: no card
                    ["Nguyễn Văn An", None, "001085000001", "99990000", "1/5/2024"],
                ],
            ),
        }
    )
    before = (Person.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(BundleRefused) as refused:
        _import(data, opened["w1"])
    assert "2 dòng có lỗi" in refused.value.message
    after = (Person.objects.count(), MemberEvent.objects.count(), AuditEntry.objects.count())
    assert after == before
    wb = load_workbook(io.BytesIO(error_workbook(data, *refused.value.plans)))
    admitted, cards = wb["Kết nạp"], wb["Phát thẻ"]
    assert admitted.cell(row=3, column=6).value == ERROR_HEADER
    assert admitted.cell(row=4, column=6).value is None
    assert "Không có chi bộ «P9»" in admitted.cell(row=5, column=6).value
    assert cards.cell(row=3, column=6).value == ERROR_HEADER
    assert "Lý Văn Mới" in cards.cell(row=4, column=6).value
    assert cards.cell(row=5, column=6).value is None


def test_the_command_imports_a_workbook_of_event_lists(opened, tmp_path):
    path = tmp_path / "su-kien.xlsx"
    path.write_bytes(good_book())
    args = ("import-xlsx", str(path), "--kind", "su_kien", "--org", "P1")
    code, out, err = run(*args, "--dry-run", "--map", "huy_hieu:Số thẻ=-")
    assert code == 1 and "Không xác định được đảng viên «Nguyễn Văn An»" in err
    assert (tmp_path / "su-kien-loi.xlsx").exists()
    code, out, err = run(*args, "--dry-run")
    assert code == 0, err
    assert "Trang «PHAT THE» (phát thẻ đảng viên)" in out and "Kiểm tra xong: 6 dòng" in out
    assert MemberEvent.objects.filter(kind=EventKind.CARD).count() == 0
    code, out, err = run(*args)
    assert code == 0 and "Đã nhập 6 dòng" in out, err
