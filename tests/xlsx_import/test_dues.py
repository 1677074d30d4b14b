"""A sheet of dues payments imported all or nothing: members found by card number, national
ID or name and birth date; months as offices write them; the error workbook."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from dangbo.core.models import AuditEntry
from dangbo.dues.models import DuesPayment
from dangbo.dues.services import dues_fact_set, dues_relief_add
from dangbo.xlsx_import.dues import parse_amount, parse_months
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.preview import preview
from dangbo.xlsx_import.sheet import guess_mapping, read_table
from dangbo.xlsx_import.workbooks import ERROR_HEADER, error_workbook
from dangbo.xlsx_import.write import ImportRefused, import_table
from tests.conftest import ACTOR, run
from tests.test_opening import open_member
from tests.xlsx_import.sheets import nfd, serial

HEADERS = [
    "STT",
    nfd("Họ và tên"),
    "Ngày sinh",
    "Số CCCD",
    "Số thẻ ĐV",
    nfd("Nộp cho tháng"),
    "Số tiền (đồng)",
    "Ngày nộp",
    "Hình thức nộp",
    "Số biên lai",
]
GOOD = [
    ("Trần Thị Bình", None, None, "11112222", "1-3/2026", "36.860", "25/3/2026", None, "BL-01"),
    (
        None,
        None,
        "001085000001",
        None,
        "T3/2026",
        15930,
        serial(date(2026, 3, 20)),
        "chuyen khoan",
        "BL-02",
    ),
    (
        nfd("Lê Văn Cường "),
        "12/5/1975",
        None,
        None,
        datetime(2026, 4, 1),
        None,
        "5/4/2026",
        "Cổng dịch vụ công",
        None,
    ),
]


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["SỔ THU ĐẢNG PHÍ CHI BỘ 1 — QUÝ I/2026"])
    ws.merge_cells("A1:J1")
    ws.append([])
    ws.append(HEADERS)
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def payers(city_tree):
    c1 = city_tree["w1c1"]
    an = open_member(c1, admitted=date(1990, 2, 3), official=date(1991, 2, 3))
    an.person.full_name, an.person.citizen_id = "Nguyễn Văn An", "001085000001"
    an.person.save()
    binh = open_member(c1, card_number="11112222")
    binh.person.full_name = "Trần Thị Bình"
    binh.person.save()
    cuong = open_member(c1)
    cuong.person.full_name, cuong.person.birth_date = "Lê Văn Cường", date(1975, 5, 12)
    cuong.person.save()
    for m in (an, binh, cuong):
        dues_fact_set(
            member=m, valid_from=date(2024, 1, 1), category="khac", region="I", actor=ACTOR
        )
    return {**city_tree, "an": an, "binh": binh, "cuong": cuong}


def _import(data: bytes, org, **kw):
    table = read_table(data, SheetKind.DUES)
    return import_table(
        kind=SheetKind.DUES,
        org=org,
        on=date(2026, 4, 30),
        table=table,
        mapping=guess_mapping(table, SheetKind.DUES),
        actor=ACTOR,
        **kw,
    )


@pytest.mark.parametrize(
    ("value", "months"),
    [
        ("3/2026", [(2026, 3)]),
        ("2026-03", [(2026, 3)]),
        ("Tháng 3/2026", [(2026, 3)]),
        ("1-3/2026", [(2026, 1), (2026, 2), (2026, 3)]),
        ("1,2/2026", [(2026, 1), (2026, 2)]),
        ("12/2025; 1/2026", [(2025, 12), (2026, 1)]),
        (datetime(2026, 5, 17), [(2026, 5)]),
    ],
)
def test_months_as_offices_write_them(value, months):
    assert parse_months(value, "Cột «Tháng»") == [date(y, m, 1) for y, m in months]


def test_amounts_and_wrong_values():
    assert parse_amount("15.930", "x") == 15_930 and parse_amount("15 930 đ", "x") == 15_930
    assert parse_amount(36860.0, "x") == 36_860 and parse_amount(None, "x") is None
    for bad in ("13/2026", "3-1/2026", "quý I"):
        with pytest.raises(Exception, match="không phải tháng"):
            parse_months(bad, "Cột «Tháng»")
    with pytest.raises(Exception, match="không phải số tiền"):
        parse_amount("-5", "x")


def test_a_sheet_of_payments_goes_in(payers):
    data = _sheet(GOOD)
    dry = _import(data, payers["w1"], dry_run=True)
    assert dry.plan.ok and DuesPayment.objects.count() == 0
    shown = preview(dry.plan)
    assert "Tháng" in shown.columns and ["1/2026, 2/2026, 3/2026"] == [
        v for v in shown.rows[0][1] if "2026" in v and "/" in v and "," in v
    ]
    outcome = _import(data, payers["w1"])
    assert outcome.written == 5
    rows = sorted(
        DuesPayment.objects.values_list(
            "member_id", "month", "amount", "paid_on", "channel", "receipt_number"
        )
    )
    an, binh, cuong = payers["an"].pk, payers["binh"].pk, payers["cuong"].pk
    march = date(2026, 3, 1)
    assert sorted(rows) == sorted(
        [
            (an, march, 15_930, date(2026, 3, 20), "chuyen_khoan", "BL-02"),
            (binh, date(2026, 1, 1), 5_000, date(2026, 3, 25), "tien_mat", "BL-01"),
            (binh, date(2026, 2, 1), 15_930, date(2026, 3, 25), "tien_mat", "BL-01"),
            (binh, march, 15_930, date(2026, 3, 25), "tien_mat", "BL-01"),
            (cuong, date(2026, 4, 1), 15_930, date(2026, 4, 5), "dich_vu_cong", ""),
        ]
    )
    assert AuditEntry.objects.filter(action="dues_pay").count() == 5
    assert AuditEntry.objects.filter(action="xlsx_import").count() == 1
    # the same sheet again: the receipts are in the book already
    with pytest.raises(ImportRefused) as again:
        _import(data, payers["w1"])
    assert "đã có trong sổ thu" in again.value.plan.rows[0].errors[0]
    assert DuesPayment.objects.count() == 5


def test_a_wrong_row_refuses_the_sheet_with_the_error_workbook(payers):
    dues_relief_add(
        member=payers["an"],
        reason="ho_ngheo",
        from_month=date(2026, 2, 1),
        decision_number="3-QĐ/ĐU",
        decision_on=date(2026, 1, 28),
        actor=ACTOR,
    )
    rows = [
        GOOD[0],
        GOOD[1],  # An is exempt from 2/2026
        (None, None, None, "99999999", "3/2026", None, "25/3/2026", None, None),
        ("Lê Văn Cường", "12/5/1975", None, None, "13/2026", None, "25/3/2026", None, None),
        ("Trần Thị Bình", None, None, "11112222", "4-5/2026", "20000", "25/3/2026", None, "BL-9"),
        ("Trần Thị Bình", None, None, "11112222", "3/2026", None, "31/4/2026", "séc", "BL-01"),
    ]
    data = _sheet(rows)
    with pytest.raises(ImportRefused) as refused:
        _import(data, payers["w1"])
    assert DuesPayment.objects.count() == 0
    assert not AuditEntry.objects.filter(action__in=["dues_pay", "xlsx_import"]).exists()
    ws = load_workbook(io.BytesIO(error_workbook(data, refused.value.plan))).active
    assert ws.cell(row=3, column=11).value == ERROR_HEADER
    errors = {r: ws.cell(row=r, column=11).value for r in range(4, 10)}
    assert errors[4] is None
    assert "được miễn đóng đảng phí tháng 3/2026" in errors[5]
    assert "Không có đảng viên mang thẻ số 99999999" in errors[6]
    assert "«13/2026» không phải tháng" in errors[7]
    assert "khác tổng số phải đóng 31.860 đồng của 2 tháng" in errors[8]
    assert "«Ngày nộp»" in errors[9] and "«séc»" in errors[9]


def test_the_command_imports_a_dues_sheet(payers, tmp_path):
    path = tmp_path / "dang-phi.xlsx"
    path.write_bytes(_sheet(GOOD))
    args = ["import-xlsx", str(path), "--kind", "dang_phi", "--org", "P1", "--on", "2026-04-30"]
    code, out, err = run(*args, "--dry-run")
    assert code == 0, err
    assert "Nộp cho tháng → Tháng" in out and DuesPayment.objects.count() == 0
    code, out, err = run(*args)
    assert code == 0 and "Đã nhập 5 dòng" in out and DuesPayment.objects.count() == 5
    code, out, err = run(*args)
    assert code == 1 and "đã có trong sổ thu" in err
    assert (
        "đã có trong sổ thu"
        in load_workbook(tmp_path / "dang-phi-loi.xlsx").active.cell(row=4, column=11).value
    )


def test_the_dues_template_reads_back(payers):
    from dangbo.xlsx_import.workbooks import template_workbook

    data = template_workbook(members=False, dues=True)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Thu đảng phí", "Hướng dẫn"]
    table = read_table(data, SheetKind.DUES)
    assert set(guess_mapping(table, SheetKind.DUES).values()) >= {"months", "paid_on", "amount"}
