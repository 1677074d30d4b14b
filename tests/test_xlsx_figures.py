"""The tables of figures as xlsx: an organization's figures and its units side by side, from
the shared table writer and from `dangbo stats --format xlsx [--units]`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook

from dangbo.membership.models import EventKind
from dangbo.organizations.services import org_move
from dangbo.reports.units import KEYS, key_label, units_table
from tests.conftest import ACTOR, admit, record, run, ward_decision


@pytest.fixture
def year_2023(city_tree):
    """Ward 1: A (cell 1, 2021) moves to cell 2 on 1/4/2023, B admitted in cell 1 in 2023;
    C (cell 2, 2022), D (cell 2, 2021) dies on 1/6/2023. Ward 2: E admitted in 2023."""
    t = city_tree
    a = admit(t["w1c1"], date(2021, 3, 1), name="Nguyễn Văn A")
    admit(t["w1c1"], date(2023, 2, 1), name="Lê Thị B")
    admit(t["w1c2"], date(2022, 5, 1), name="Trần Văn C")
    d = admit(t["w1c2"], date(2021, 1, 1), name="Phạm Văn D")
    admit(t["w2c1"], date(2023, 3, 1), name="Hoàng Thị E")
    record(a, EventKind.TRANSFER, date(2023, 4, 1), from_org=t["w1c1"], to_org=t["w1c2"])
    record(d, EventKind.DEATH, date(2023, 6, 1), from_org=t["w1c2"])
    return t


START, END = date(2023, 1, 1), date(2023, 12, 31)


def _counts(values):
    return dict(zip(KEYS, values, strict=True))


def test_the_city_s_units_add_up_to_the_city(year_2023):
    table = units_table(year_2023["city"], START, END)
    assert [u.code for u in table.units] == ["P1", "P2"]
    p1, p2 = (_counts(u.values()) for u in table.units)
    # counted by hand from the fixture
    assert (p1["members_start"], p1["members_end"], p1["admitted"], p1["died"]) == (3, 3, 1, 1)
    assert (p2["members_start"], p2["members_end"], p2["admitted"], p2["died"]) == (0, 1, 1, 0)
    total = _counts(table.total())
    assert all(total[k] == p1[k] + p2[k] for k in KEYS)
    assert table.differing() == [] and table.notes() == []
    assert _counts(table.own_values())["members_end"] == 4


def test_a_move_between_two_cells_is_named_where_the_ward_differs(year_2023):
    table = units_table(year_2023["w1"], START, END)
    c1, c2 = (_counts(u.values()) for u in table.units)
    assert (c1["transferred_out"], c2["transferred_in"]) == (1, 1)
    own = _counts(table.own_values())
    assert own["transferred_in"] == own["transferred_out"] == 0
    assert own["members_end"] == c1["members_end"] + c2["members_end"] == 3
    assert own["transferred_internal"] == 1
    assert set(table.differing()) == {"transferred_in", "transferred_out", "transferred_internal"}
    (note,) = table.notes()
    assert key_label("transferred_in") in note and "Đảng bộ phường 1" in note


def test_stats_xlsx_writes_the_figures_as_numbers(year_2023, tmp_path):
    out = tmp_path / "tp.xlsx"
    code, stdout, _ = run("stats", "TP", "--period", "2023", "--format", "xlsx", "--out", out)
    assert code == 0 and str(out) in stdout
    wb = load_workbook(out)
    assert wb.sheetnames == ["Số liệu", "Cơ cấu", "Công tác đảng"]
    ws = wb["Số liệu"]
    assert [ws[f"A{i}"].value for i in (1, 2, 3)] == [
        "SỐ LIỆU ĐẢNG VIÊN",
        "Đảng bộ thành phố Thử (TP)",
        "Từ ngày 01/01/2023 đến ngày 31/12/2023",
    ]
    assert ws.freeze_panes == "A6" and ws["B5"].value == "Chỉ tiêu"
    rows = {r[5]: r for r in ws.iter_rows(min_row=6, values_only=True)}
    assert rows["members"][2:4] == (3, 4) and rows["admitted"][4] == 2
    cell = ws.cell(next(i for i, r in enumerate(ws.iter_rows(), 1) if r[5].value == "died"), 5)
    assert cell.value == 1 and cell.data_type == "n" and cell.number_format == "#,##0"
    other = wb["Công tác đảng"]
    assert all(isinstance(r[2], int | float) for r in other.iter_rows(min_row=6, values_only=True))


def test_stats_units_xlsx_has_a_total_row_that_adds_up(year_2023, tmp_path):
    out = tmp_path / "p1.xlsx"
    code, _, _ = run(
        "stats", "P1", "--period", "2023", "--units", "--format", "xlsx", "--out", str(out)
    )
    assert code == 0
    ws = load_workbook(out).active
    assert ws["A1"].value == "SỐ LIỆU ĐẢNG VIÊN CỦA CÁC ĐƠN VỊ TRỰC THUỘC"
    assert ws["A2"].value == "Đảng bộ phường 1 (P1)" and ws.freeze_panes == "D6"
    header = [c.value for c in ws[5]]
    assert header[:4] == ["STT", "Đơn vị", "Mã", "Tổng số đảng viên đầu kỳ"]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    units, total, own = rows[:2], rows[2], rows[3]
    assert [u[1] for u in units] == ["Chi bộ TDP 1 phường 1", "Chi bộ TDP 2 phường 1"]
    assert total[1] == "Cộng các đơn vị" and own[1] == "Số liệu chung của Đảng bộ phường 1"
    for col in range(3, len(header)):
        assert total[col] == units[0][col] + units[1][col]
        assert all(isinstance(r[col], int) for r in (*units, total, own))
    end = header.index("Tổng số đảng viên cuối kỳ")
    assert total[end] == own[end] == 3
    notes = [r[0] for r in rows[5:] if r[0]]
    assert len(notes) == 1 and "chuyển" in notes[0]


def test_stats_units_json_and_table(year_2023):
    code, out, _ = run("stats", "TP", "--period", "2023", "--units", "--format", "json")
    data = json.loads(out)
    assert code == 0 and [u["code"] for u in data["units"]] == ["P1", "P2"]
    assert data["total"]["members_end"] == data["own"]["members_end"] == 4
    assert data["differing"] == []
    code, out, _ = run("stats", "TP", "--period", "2023", "--units")
    assert code == 0 and "Cộng các đơn vị" in out and "Số liệu chung" in out


def test_stats_xlsx_needs_a_file(year_2023):
    code, _, err = run("stats", "TP", "--period", "2023", "--format", "xlsx")
    assert code != 0 and "--out" in err


def test_a_cell_moved_between_wards_in_the_period_is_noted_on_both_sides(year_2023):
    t = year_2023
    org_move(
        org=t["w2c1"], parent=t["w1"], on=date(2023, 7, 1), decision=ward_decision(), actor=ACTOR
    )
    w1, w2 = units_table(t["w1"], START, END), units_table(t["w2"], START, END)
    moved = next(u for u in w1.units if u.code == "P2-C1")
    assert moved.joined_on == date(2023, 7, 1) and moved.left_on is None
    gone = next(u for u in w2.units if u.code == "P2-C1")
    assert gone.left_on == date(2023, 7, 1) and gone.joined_on is None
    assert any("P2-C1" in n or "Chi bộ TDP 1 phường 2" in n for n in w1.notes())
    assert any("thôi là đơn vị trực thuộc từ ngày 01/07/2023" in n for n in w2.notes())
    # the ward's own end stock counts the cell it now holds: the rows add up to it
    own = _counts(w1.own_values())
    assert own["members_end"] == _counts(w1.total())["members_end"] == 4
    assert own["reorganized_in"] == 1
