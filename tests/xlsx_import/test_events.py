"""Event lists of a period (admissions, transfers in and out, cards, badges) and the
``import-xlsx`` command."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from dangbo.membership.models import EventKind, Member, MemberEvent, MemberStatus
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.sheet import guess_mapping, read_table
from dangbo.xlsx_import.workbooks import ERROR_HEADER, error_workbook, template_workbook
from dangbo.xlsx_import.write import ImportRefused, import_table
from tests.conftest import ACTOR, run
from tests.xlsx_import.sheets import event_workbook, nfd, serial, workbook


def _import(data, kind, org, **kw):
    table = read_table(data, kind)
    return import_table(
        kind=kind,
        org=org,
        on=kw.pop("on", date(2024, 6, 30)),
        table=table,
        mapping=guess_mapping(table, kind),
        actor=ACTOR,
        **kw,
    )


def test_admissions_and_transfers_in_write_new_members(opened):
    admitted = event_workbook(
        "Kết nạp",
        ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", nfd("Ngày kết nạp")],
        [["Lý Văn Mới ", "Nam", "2/3/2000", "P1-C2", serial(date(2024, 3, 5))]],
    )
    out = _import(admitted, SheetKind.ADMISSIONS, opened["w1"])
    assert out.written == 1
    new = Member.objects.get(person__full_name="Lý Văn Mới")
    assert (new.status, new.admitted_on, new.cell_id) == (
        MemberStatus.PROBATIONARY,
        date(2024, 3, 5),
        opened["w1c2"].pk,
    )
    came = event_workbook(
        "Chuyển đến",
        [
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Ngày tiếp nhận",
            "Loại đảng viên",
            "Ngày vào Đảng",
            "Ngày chính thức",
            "Nơi chuyển đi",
        ],
        [
            [
                "Mai Thị Đến",
                "Nữ",
                "1/1/1980",
                "10.04.2024",
                "Chính thức",
                "1/1/2005",
                "1/1/2006",
                "Đảng bộ tỉnh khác",
            ]
        ],
    )
    _import(came, SheetKind.TRANSFERS_IN, opened["w1c1"])  # a cell: no cell column needed
    den = Member.objects.get(person__full_name="Mai Thị Đến")
    assert den.cell_id == opened["w1c1"].pk and den.status == MemberStatus.OFFICIAL
    assert MemberEvent.objects.get(member=den).kind == EventKind.TRANSFER


def test_cards_badges_and_transfers_out_name_members_already_in_the_register(opened):
    cards = event_workbook(
        "Phát thẻ",
        ["Họ và tên", "Số CCCD", "Số thẻ đảng viên", "Ngày phát thẻ"],
        [["Nguyễn Văn An", "001085000001", "99990000", "1/5/2024"]],
    )
    _import(cards, SheetKind.CARDS, opened["w1"])
    an = Member.objects.get(pk=opened["an"].pk)
    assert an.card_number == "99990000"
    badges = event_workbook(
        "Huy hiệu",
        ["Họ và tên", "Số thẻ", "Loại huy hiệu", "Ngày trao"],
        [["nguyen van an", "99990000", "30 năm", "3/2/2024"]],
    )
    _import(badges, SheetKind.BADGES, opened["w1"])
    assert Member.objects.get(pk=an.pk).badges == [30]
    out = event_workbook(
        "Chuyển đi",
        ["Họ và tên", "Số thẻ", "Ngày chuyển đi", "Nơi chuyển đến"],
        [["Trần Thị Bình", "11112222", "15/6/2024", "Đảng bộ quận khác"]],
    )
    _import(out, SheetKind.TRANSFERS_OUT, opened["w1"])
    binh = Member.objects.get(pk=opened["binh"].pk)
    assert binh.status == MemberStatus.OUT and binh.out_reason == "chuyen_di"


def test_a_wrong_event_row_refuses_the_whole_list_with_the_services_messages(opened):
    rows = [
        ["Nguyễn Văn An", "001085000001", "40", "3/2/2024"],  # 34 years of party age: too early
        ["Trần Thị Bình", "", "30", "3/2/2024"],  # no birth date, no card, no ID: who?
        ["Trần Thị Bình", "001085009999", "30", "3/2/2024"],  # unknown ID
        ["Nguyễn Văn An", "001085000001", "35", "3/2/2024"],  # not a milestone
    ]
    data = event_workbook("Huy hiệu", ["Họ và tên", "Số CCCD", "Loại huy hiệu", "Ngày trao"], rows)
    before = (MemberEvent.objects.count(), Member.objects.count())
    with pytest.raises(ImportRefused) as refused:
        _import(data, SheetKind.BADGES, opened["w1"])
    assert (MemberEvent.objects.count(), Member.objects.count()) == before
    ws = load_workbook(io.BytesIO(error_workbook(data, refused.value.plan))).active
    assert ws.cell(row=2, column=5).value == ERROR_HEADER
    errors = [ws.cell(row=r, column=5).value for r in range(3, 7)]
    assert "Huy hiệu" in errors[0] and "Nguyễn Văn An" in errors[0]
    assert "Không xác định được đảng viên «Trần Thị Bình»" in errors[1]
    assert "Không có đảng viên có số CCCD 001085009999" in errors[2]
    assert "«35»" in errors[3] and "không thuộc danh mục" in errors[3]


def test_the_command_shows_the_mapping_previews_and_imports(city_tree, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(workbook())
    code, out, err = run(
        "import-xlsx",
        str(path),
        "--org",
        "P1",
        "--on",
        "2024-01-01",
        "--map",
        "Ghi chú=-, Số thẻ=card_number",
        "--dry-run",
    )
    assert code == 0, err
    assert "HỌ VÀ TÊN → Họ và tên" in out and "Ghi chú → — bỏ qua —" in out
    assert "Kiểm tra xong: 3 dòng hợp lệ" in out and Member.objects.count() == 0
    code, out, err = run("import-xlsx", str(path), "--org", "P1", "--on", "2024-01-01")
    assert code == 0 and "Đã nhập 3 dòng" in out and Member.objects.count() == 3
    # again: the national IDs are taken now; the error workbook is written beside the file
    code, out, err = run("import-xlsx", str(path), "--org", "P1", "--on", "2024-01-01")
    assert code == 1 and "đã có trong hệ thống" in err and Member.objects.count() == 3
    ws = load_workbook(tmp_path / "ds-loi.xlsx").active
    assert ws.cell(row=4, column=12).value == ERROR_HEADER
    assert "đã có trong hệ thống" in ws.cell(row=5, column=12).value
    code, _, err = run("import-xlsx", str(path), "--org", "P1", "--map", "Họ=full_name")
    assert code == 1 and "Không có cột «Họ»" in err


def test_the_event_template_reads_back_sheet_by_sheet(opened):
    wb = load_workbook(io.BytesIO(template_workbook(members=False)))
    wb["Phát thẻ đảng viên"].append(["Nguyễn Văn An", None, "001085000001", "12121212", "1/5/2024"])
    out = io.BytesIO()
    wb.save(out)
    result = _import(out.getvalue(), SheetKind.CARDS, opened["w1"], dry_run=True)
    assert result.plan.table.sheet == "Phát thẻ đảng viên" and result.plan.ok
