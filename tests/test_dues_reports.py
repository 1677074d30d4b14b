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
from dangbo.reports.data import ReviewData
from dangbo.reports.document import Document, Paragraph
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
