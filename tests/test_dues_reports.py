"""Dues in the review report and the yearly party finance report, against a hand-counted
ledger of the first half of 2026 (both regulations: 342-QĐ/TW in January, 01-QĐ/TW after).

* A (salary 8.000.000, P1-C1): 80.000 a month, paid January–June: 480.000;
* B (pension 6.000.000, P1-C1, in the Party since 28/4/1976): 30.000 a month, exempt from
  April (50 years of party age): due 90.000, paid January–March: 90.000;
* D (salary 5.000.000, P1-C2): 50.000 a month, paid January–February: 100.000.

Ward 1 (and the city) for 2026-H1: due 870.000, paid 670.000 (77,0%), arrears 200.000 (D's
March–June), one member exempt.
"""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.dues.services import dues_charges_compute, dues_fact_set, dues_pay
from dangbo.organizations.services import term_open
from dangbo.reports.builder import build_review, compute_review
from dangbo.reports.compose import compose_review
from dangbo.reports.compose_finance import compose_finance
from dangbo.reports.data import ReviewData
from dangbo.reports.document import Document, Paragraph, Table
from dangbo.reports.finance import finance_report
from dangbo.reports.services import report_draft, report_issue
from tests.conftest import admit, receive

A = "thu_quy"
D = date
SENTENCE = (
    "Tổng số đảng phí phải thu 870.000 đồng, đã thu 670.000 đồng, đạt 77,0%; còn nợ "
    "200.000 đồng; 01 đảng viên được miễn đóng đảng phí."
)


def months(*ms: int) -> list[date]:
    return [D(2026, m, 1) for m in ms]


@pytest.fixture
def dues_ledger(city_tree):
    t = city_tree
    a = admit(t["w1c1"], D(2025, 3, 10), born=D(1990, 1, 1))
    b = receive(t["w1c1"], D(2018, 1, 1), D(1976, 4, 28), born=D(1950, 2, 2))
    d = admit(t["w1c2"], D(2024, 1, 5), born=D(1995, 1, 1))
    for member, since, category, base in (
        (a, D(2025, 3, 10), "luong", 8_000_000),
        (b, D(2018, 1, 1), "huu_tri", 6_000_000),
        (d, D(2024, 1, 5), "luong", 5_000_000),
    ):
        dues_fact_set(member=member, valid_from=since, category=category, base_amount=base, actor=A)
    dues_charges_compute(org=t["city"], start=D(2026, 1, 1), end=D(2026, 6, 30), actor=A)
    for member, paid in ((a, months(1, 2, 3, 4, 5, 6)), (b, months(1, 2, 3)), (d, months(1, 2))):
        dues_pay(member=member, months=paid, paid_on=D(2026, 1, 20), channel="tien_mat", actor=A)
    t["d"] = d
    return t


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.body if isinstance(b, Paragraph)]


def test_the_review_report_says_the_dues_of_the_period(dues_ledger):
    report = report_draft(org=dues_ledger["w1"], period_code="2026-H1", actor=A, save=False)
    data = compute_review(report)
    assert data.dues is not None
    assert (data.dues.dues_due, data.dues.dues_paid, data.dues.dues_arrears) == (
        870_000,
        670_000,
        200_000,
    )
    assert SENTENCE in texts(compose_review(data))


def test_a_period_without_dues_records_says_nothing_about_dues(dues_ledger):
    report = report_draft(org=dues_ledger["w1"], period_code="2025", actor=A, save=False)
    data = compute_review(report)
    assert data.dues is None
    assert not [t for t in texts(compose_review(data)) if "đảng phí" in t]


def test_an_issued_report_keeps_its_dues_and_old_snapshots_have_none(dues_ledger):
    term_open(org=dues_ledger["w1"], label="2025–2030", starts_on=D(2025, 7, 1), actor=A)
    report = report_draft(org=dues_ledger["w1"], period_code="2026-H1", actor=A)
    report = report_issue(report=report, on=D(2026, 7, 10), actor=A, signer_name="Nguyễn Văn A")
    assert report.snapshot["dues"]["dues_due"] == 870_000
    dues_pay(  # a payment after issue: the issued text stays
        member=dues_ledger["d"],
        months=months(3),
        paid_on=D(2026, 7, 20),
        channel="tien_mat",
        actor=A,
    )
    assert SENTENCE in texts(compose_review(build_review(report)))
    # a snapshot issued before the dues figures: no key, no sentence
    old = {k: v for k, v in report.snapshot.items() if k != "dues"}
    data = ReviewData.from_json(old)
    assert data.dues is None
    assert not [t for t in texts(compose_review(data)) if "đảng phí" in t]


def tables(doc: Document) -> dict[str, Table]:
    return {b.caption: b for b in doc.body if isinstance(b, Table)}


def amount(text: str) -> int:
    return int(text.replace(".", ""))


@pytest.mark.parametrize("org", ["w1", "city"])
def test_the_finance_report_adds_up(dues_ledger, org):
    data = finance_report(dues_ledger[org], 2026)
    f = data.total
    assert (f.dues_due, f.dues_paid, f.dues_arrears, f.dues_exempt_members) == (
        870_000,
        670_000,
        200_000,
        1,
    )
    # the units sum to the total
    for key in ("dues_due", "dues_paid", "dues_arrears", "dues_exempt_members"):
        assert sum(getattr(u.figures, key) for u in data.units) == getattr(f, key)
    # at each level kept + passed up = received; every level's kept + what leaves = collected
    for level in data.levels:
        assert level.kept + level.passed == level.received
    assert data.levels[0].received == 670_000
    assert data.kept_total + data.passed_on == 670_000
    doc = compose_finance(data)
    by_unit = tables(doc)["Thu đảng phí năm 2026 theo tổ chức đảng trực thuộc (đồng)"]
    *units, total = by_unit.rows
    assert total[0] == "Cộng"
    for col in (1, 2, 4, 5):
        assert sum(amount(r[col]) for r in units) == amount(total[col])
    shares = tables(doc)["Trích nộp, giữ lại đảng phí năm 2026 (đồng)"]
    for row in shares.rows:
        assert amount(row[3]) + amount(row[4]) == amount(row[2])


def test_the_finance_report_names_the_year_and_the_organization(dues_ledger):
    data = finance_report(dues_ledger["w1"], 2026, signer_name="Nguyễn Văn A")
    doc = compose_finance(data)
    assert doc.header.issuing_body == "ĐẢNG ỦY PHƯỜNG 1"
    assert doc.header.summary == ("công tác tài chính Đảng năm 2026",)
    assert doc.signature.name == "Nguyễn Văn A"
    first = texts(doc)[0]
    assert "năm 2026 Đảng bộ phường 1 phải thu 870.000 đồng đảng phí" in first
    assert "Quyết định 342-QĐ/TW và Quy định 01-QĐ/TW" in first
    # January under 342-QĐ/TW, the rest under 01-QĐ/TW: the cells keep 30 %, the ward up to
    # 90 %, the city half of the rest
    assert [(lv.name, lv.percents) for lv in data.levels] == [
        ("Các chi bộ", (30,)),
        ("Đảng bộ phường 1", (90,)),
        ("Đảng bộ thành phố Thử", (50,)),
    ]


def test_the_finance_report_of_a_year_without_dues(dues_ledger):
    data = finance_report(dues_ledger["w1"], 2025)
    assert data.units == () and data.levels == () and data.total.dues_due == 0
    assert "Năm 2025 chưa thu được đảng phí." in texts(compose_finance(data))


def test_the_finance_report_command(dues_ledger, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "tc.docx"
    call_command("dues", "finance-report", "P1", "--year", "2026", "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"


def test_a_base_cell_under_a_commune_committee_remits_as_to_a_higher_level(city_tree):
    from dangbo.dues.book import remittance
    from dangbo.organizations.services import org_found
    from tests.conftest import kind

    on = D(2025, 7, 1)
    commune = org_found(
        kind=kind("xa"), name="Đảng bộ xã Thử", code="X1", parent=city_tree["city"], on=on, actor=A
    )
    cell = org_found(
        kind=kind("chi_bo_co_so"),
        name="Chi bộ Trường Tiểu học",
        code="X1-C1",
        parent=commune,
        on=on,
        actor=A,
    )
    shares = remittance(cell, 1_000, D(2026, 3, 1))
    assert [(s.percent, s.kept, s.passed) for s in shares] == [
        (70, 700, 300),
        (50, 150, 150),
        (50, 75, 75),
    ]
    assert all(s.kept + s.passed == s.received for s in shares)


def test_a_unit_moved_during_the_year_counts_where_it_stood(dues_ledger):
    """P1-C2 (D's cell) moves to ward 2 on 1/4/2026: ward 1 counts its January–March, ward 2
    its April–June, and each ward's units add up to the ward."""
    from dangbo.organizations.services import org_move

    t = dues_ledger
    org_move(org=t["w1c2"], parent=t["w2"], on=D(2026, 4, 1), actor=A)
    w1, w2 = finance_report(t["w1"], 2026), finance_report(t["w2"], 2026)
    assert (w1.total.dues_due, w1.total.dues_paid, w1.total.dues_arrears) == (
        720_000,
        670_000,
        50_000,
    )
    assert (w2.total.dues_due, w2.total.dues_paid, w2.total.dues_arrears) == (150_000, 0, 150_000)
    for data in (w1, w2):
        for key in ("dues_due", "dues_paid", "dues_arrears"):
            assert sum(getattr(u.figures, key) for u in data.units) == getattr(data.total, key)
    assert [u.code for u in w2.units] == ["P1-C2"]


def test_a_base_cell_named_after_its_ward_keeps_the_other_base_share(city_tree):
    from dangbo.dues.book import remittance
    from dangbo.organizations.services import org_found
    from tests.conftest import kind

    cell = org_found(
        kind=kind("chi_bo_co_so"),
        name="Chi bộ Công an phường Thử",
        code="CA",
        parent=city_tree["city"],
        on=D(2018, 1, 1),
        actor=A,
    )
    shares = remittance(cell, 1_000, D(2026, 3, 1))
    assert [(s.percent, s.kept, s.passed) for s in shares] == [(70, 700, 300), (50, 150, 150)]
