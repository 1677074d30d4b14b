"""Member list import (the opening balance) from an office's own sheet."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from dangbo.core.errors import InvalidInput
from dangbo.core.models import AuditEntry
from dangbo.membership.models import EventKind, Member, MemberEvent, MemberStatus, Person
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.sheet import guess_mapping, parse_map, read_table
from dangbo.xlsx_import.values import parse_date
from dangbo.xlsx_import.workbooks import ERROR_HEADER, error_workbook, template_workbook
from dangbo.xlsx_import.write import ImportRefused, import_table
from tests.conftest import ACTOR
from tests.xlsx_import.sheets import MEMBERS, nfd, serial, workbook

ON = date(2024, 1, 1)


def counts():
    return (
        Person.objects.count(),
        Member.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    "value",
    [
        "30/6/2023",
        "30-06-2023",
        "30.06.2023",
        " 30/06/2023 ",
        "2023-06-30",
        serial(date(2023, 6, 30)),
        float(serial(date(2023, 6, 30))),
        str(serial(date(2023, 6, 30))),
        "30/6/23",
    ],
)
def test_dates_in_every_form_offices_type(value):
    assert parse_date(value, "Ngày") == date(2023, 6, 30)


@pytest.mark.parametrize("value", ["31/02/2023", "hôm qua", "6/2023"])
def test_a_date_that_is_not_one_is_refused_in_vietnamese(value):
    with pytest.raises(InvalidInput, match="Ngày"):
        parse_date(value, "Ngày")


def test_headers_are_found_below_title_rows_whatever_their_spelling(db):
    table = read_table(workbook(), SheetKind.MEMBERS)
    assert table.header_row == 4 and len(table.rows) == 3  # the blank row is left out
    mapping = guess_mapping(table, SheetKind.MEMBERS)
    assert {table.headers[p]: f for p, f in mapping.items()} == {
        "HỌ VÀ TÊN": "full_name",  # read as NFC, trimmed
        "giới tính": "gender",
        "Ngày sinh": "birth_date",
        "Số CCCD": "citizen_id",
        "Chi bộ": "cell",
        "Loại đảng viên": "status",
        "Ngay vao Dang": "admitted_on",
        "Ngày chính thức": "official_on",
        "Số thẻ": "card_number",
    }
    # the CLI's --map overrides: a column left out with "-", another by its letter
    changed = parse_map("so the=-, K=home_town", table, SheetKind.MEMBERS)
    assert "card_number" not in changed.values() and changed[10] == "home_town"
    with pytest.raises(InvalidInput, match="không phải là trường"):
        parse_map("Số thẻ=so_the", table, SheetKind.MEMBERS)


def test_the_member_list_goes_in_as_the_opening_balance(city_tree):
    ward = city_tree["w1"]
    table = read_table(workbook(), SheetKind.MEMBERS)
    mapping = guess_mapping(table, SheetKind.MEMBERS)
    before = counts()
    dry = import_table(
        kind=SheetKind.MEMBERS,
        org=ward,
        on=ON,
        table=table,
        mapping=mapping,
        actor=ACTOR,
        dry_run=True,
    )
    assert dry.dry_run and len(dry.plan.rows) == 3 and counts() == before
    out = import_table(
        kind=SheetKind.MEMBERS, org=ward, on=ON, table=table, mapping=mapping, actor=ACTOR
    )
    assert out.written == 3
    an = Member.objects.get(person__full_name="Nguyễn Văn An")  # NFC, trimmed
    assert (an.status, an.admitted_on, an.official_on, an.card_number, an.cell_id) == (
        MemberStatus.OFFICIAL,
        date(1995, 3, 2),
        date(1996, 3, 2),
        "12345678",
        city_tree["w1c1"].pk,
    )
    assert an.person.birth_date == date(1970, 6, 30) and an.person.citizen_id == "001070000001"
    binh = Member.objects.get(person__full_name="Trần Thị Bình")
    assert binh.person.birth_date == date(1980, 1, 15) and binh.cell_id == city_tree["w1c2"].pk
    cuong = Member.objects.get(person__full_name="Lê Văn Cường")
    assert cuong.status == MemberStatus.PROBATIONARY
    assert set(MemberEvent.objects.values_list("kind", flat=True)) == {EventKind.OPENING}
    assert AuditEntry.objects.filter(action="event_nhap_so").count() == 3
    assert AuditEntry.objects.filter(action="xlsx_import", object_id=str(ward.pk)).count() == 1


def test_a_wrong_row_gives_the_workbook_back_with_an_error_column_and_writes_nothing(city_tree):
    rows = [
        *MEMBERS,
        (
            "Phạm Văn Dũng",
            "Nam",
            "31/02/1980",
            None,
            "P1-C1",
            "Chính thức",
            "1/1/2000",
            "1/1/2001",
            None,
        ),
        (
            "Hoàng Văn Em",
            "Nam",
            "1/1/1985",
            "001070000001",
            "P9-C9",
            "Chính thức",
            "1/1/2010",
            "1/1/2011",
            None,
        ),
        ("Vũ Thị Giang", "Nu", "1/1/1990", None, "P1-C1", "Chính thức", "1/1/2025", None, None),
    ]
    data = workbook(rows)
    table = read_table(data, SheetKind.MEMBERS)
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        import_table(
            kind=SheetKind.MEMBERS,
            org=city_tree["w1"],
            on=ON,
            table=table,
            mapping=guess_mapping(table, SheetKind.MEMBERS),
            actor=ACTOR,
        )
    assert counts() == before
    ws = load_workbook(io.BytesIO(error_workbook(data, refused.value.plan))).active
    assert ws.cell(row=4, column=12).value == ERROR_HEADER
    errors = {
        ws.cell(row=r, column=2).value: ws.cell(row=r, column=12).value
        for r in range(5, ws.max_row + 1)
        if ws.cell(row=r, column=2).value
    }
    assert ws["A1"].value == nfd("ĐẢNG BỘ PHƯỜNG 1") and "A1:K1" in ws.merged_cells
    assert errors[nfd("Nguyễn Văn An  ")] is None
    assert "«Ngày sinh»: «31/02/1980» không phải là ngày có thật" in errors["Phạm Văn Dũng"]
    assert "Số CCCD 001070000001 trùng với dòng 5" in errors["Hoàng Văn Em"]
    assert "Không có chi bộ «P9-C9»" in errors["Hoàng Văn Em"]
    assert "Vũ Thị Giang" in errors["Vũ Thị Giang"] and "2025" in errors["Vũ Thị Giang"]


def test_a_required_column_left_unmapped_is_refused(city_tree):
    table = read_table(workbook(), SheetKind.MEMBERS)
    mapping = {p: f for p, f in guess_mapping(table, SheetKind.MEMBERS).items() if f != "status"}
    with pytest.raises(InvalidInput, match="«Loại đảng viên»"):
        import_table(
            kind=SheetKind.MEMBERS,
            org=city_tree["w1"],
            on=ON,
            table=table,
            mapping=mapping,
            actor=ACTOR,
        )


def test_the_template_has_lists_and_instructions_and_reads_back(city_tree):
    wb = load_workbook(io.BytesIO(template_workbook(members=True)))
    assert wb.sheetnames == ["Danh sách đảng viên (nhập sổ)", "Hướng dẫn"]
    ws = wb.worksheets[0]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"Nam,Nữ"' in lists and '"Chính thức,Dự bị"' in lists
    ws.append(
        [
            "Đỗ Văn Hùng",
            "Nam",
            "15/6/1955",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "P1-C1",
            "Chính thức",
            "1/1/1980",
            "1/1/1981",
            None,
            "30",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    table = read_table(out.getvalue(), SheetKind.MEMBERS)
    mapping = guess_mapping(table, SheetKind.MEMBERS)
    assert len(mapping) == 19
    result = import_table(
        kind=SheetKind.MEMBERS,
        org=city_tree["w1"],
        on=ON,
        table=table,
        mapping=mapping,
        actor=ACTOR,
        dry_run=True,
    )
    assert result.plan.ok
    events = load_workbook(io.BytesIO(template_workbook(members=False))).sheetnames
    assert len(events) == 6 and events[-1] == "Hướng dẫn"
