"""`dangbo dues …`: rate, facts, reliefs, compute, pay (in advance), reverse, book, alerts."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from dangbo.dues.models import DuesPayment
from tests.conftest import admit, run


def test_dues_commands(city_tree, tmp_path, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2026-07-15")
    m = admit(city_tree["w1c1"], date(2024, 1, 5))
    ref = str(m.pk)
    code, out, err = run(
        "dues", "fact", ref, "--from", "2024-01-05", "--category", "luong", "--base", "9000000"
    )
    assert code == 0, err
    code, out, _ = run("dues", "rate", ref, "--month", "2026-02")
    assert (
        out.strip()
        == f"{m.person.full_name}, tháng 2/2026: 90.000 đồng; căn cứ: 1% tiền lương; Quy định 01-QĐ/TW."
    )
    code, _, err = run(
        "dues", "relief", ref, "--reason", "giam", "--percent", "30", "--from-month", "2026-03",
        "--months", "2", "--decision", "3-QĐ/CB", "--decision-date", "2026-02-25",
    )  # fmt: skip
    assert code == 0, err
    _, out, _ = run("dues", "rate", ref, "--month", "3/2026")
    assert "63.000 đồng (giảm 30% của 90.000 đồng)" in out
    _, out, _ = run("dues", "rate", ref, "--month", "2026-05")
    assert "90.000 đồng;" in out  # the reduction ended after April
    code, out, err = run("dues", "compute", "TP", "--from", "2026-01", "--to", "2026-06")
    assert code == 0 and "6 tháng-đảng viên" in out, err
    code, out, err = run(
        "dues", "pay", ref, "--months", "2026-01,2026-02,2026-03", "--on", "2026-01-10"
    )
    assert code == 0 and out.count("Khoản nộp số") == 3, err
    first = DuesPayment.objects.order_by("pk").first()
    code, out, _ = run("dues", "reverse", str(first.pk))
    assert code == 0 and "Đã hủy" in out
    code, _, err = run("dues", "reverse", str(first.pk))
    assert code != 0 and "đã được hủy" in err
    _, out, _ = run("dues", "alerts", "P1", "--year", "2026")
    assert "Không đóng đảng phí từ 3 tháng trong năm 2026: 1" in out  # January reversed, Apr–Jun
    code, out, err = run(
        "dues", "book", "P1-C1", "--year", "2026", "--out", str(tmp_path / "so.xlsx")
    )
    assert code == 0, err
    assert "phải thu 486.000 đồng, đã thu 153.000 đồng" in out
    ws = load_workbook(tmp_path / "so.xlsx").active
    assert ws["A1"].value == "SỔ THU ĐẢNG PHÍ — CHI BỘ TDP 1 PHƯỜNG 1"
    code, _, err = run("dues", "rate", "999999", "--month", "2026-02")
    assert code != 0 and "Không tìm thấy đảng viên" in err
    code, _, err = run("dues", "rate", ref, "--month", "2026-13")
    assert code != 0 and "không phải tháng" in err
