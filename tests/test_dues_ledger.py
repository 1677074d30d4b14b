"""The dues ledger against a hand-counted small ledger: charges, payments in advance,
reversal, a transfer in the middle of the year, arrears, alerts and figures."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.errors import DomainError, RuleViolation
from dangbo.core.models import AuditEntry
from dangbo.dues.figures import dues_figures
from dangbo.dues.models import DuesCharge, DuesPayment
from dangbo.dues.selectors import cell_grid, underpaid, unpaid_three_months
from dangbo.dues.services import (
    dues_cell_month_pay,
    dues_charges_compute,
    dues_fact_set,
    dues_pay,
    dues_payment_reverse,
    dues_relief_add,
    dues_relief_end,
)
from dangbo.membership.models import EventKind
from tests.conftest import admit, receive, record

A = "thu_quy"
D = date


def months(*ms: int) -> list[date]:
    return [D(2026, m, 1) for m in ms]


@pytest.fixture
def ledger(city_tree):
    """A (salary 8 M, P1-C1), B (pension 6 M, P1-C1, in the Party since 28/4/1976: exempt
    from April 2026), C (others, region I, P1-C2, moved to P2-C1 on 20/5/2026)."""
    t = city_tree
    a = admit(t["w1c1"], D(2025, 3, 10), born=D(1990, 1, 1))
    b = receive(t["w1c1"], D(2018, 1, 1), D(1976, 4, 28), born=D(1950, 2, 2))
    c = admit(t["w1c2"], D(2024, 1, 5), born=D(1995, 1, 1))
    dues_fact_set(
        member=a, valid_from=D(2025, 3, 10), category="luong", base_amount=8_000_000, actor=A
    )
    dues_fact_set(
        member=b, valid_from=D(2018, 1, 1), category="huu_tri", base_amount=6_000_000, actor=A
    )
    dues_fact_set(member=c, valid_from=D(2024, 1, 5), category="khac", region="I", actor=A)
    record(c, EventKind.TRANSFER, D(2026, 5, 20), from_org=t["w1c2"], to_org=t["w2c1"])
    dues_charges_compute(org=t["city"], start=D(2026, 1, 1), end=D(2026, 6, 30), actor=A)
    dues_pay(member=a, months=months(1), paid_on=D(2026, 1, 20), channel="tien_mat", actor=A)
    paid = dues_pay(
        member=a,
        months=months(2, 3, 4, 5, 6),
        paid_on=D(2026, 2, 5),
        channel="chuyen_khoan",
        receipt_number="BL-12",
        actor=A,
    )
    dues_payment_reverse(payment=paid[-1], reason="ghi nhầm tháng", actor=A)
    dues_pay(member=b, months=months(1), paid_on=D(2026, 1, 20), channel="tien_mat", actor=A)
    dues_pay(member=c, months=months(1), paid_on=D(2026, 1, 20), channel="tien_mat", actor=A)
    dues_pay(
        member=c,
        months=months(2),
        amount=10_000,
        paid_on=D(2026, 2, 20),
        channel="dich_vu_cong",
        actor=A,
    )
    return t, a, b, c


def test_charges(ledger):
    t, a, b, c = ledger
    due = {
        (ch.member_id, ch.month.month): (ch.amount, ch.cell_id) for ch in DuesCharge.objects.all()
    }
    assert [due[(a.pk, m)][0] for m in range(1, 7)] == [80_000] * 6
    assert [due[(b.pk, m)][0] for m in range(1, 7)] == [30_000, 30_000, 30_000, 0, 0, 0]
    assert [due[(c.pk, m)][0] for m in range(1, 7)] == [5_000] + [15_930] * 5
    # the transfer month stays at the old cell; June is at the new one
    assert [due[(c.pk, m)][1] for m in range(1, 7)] == [t["w1c2"].pk] * 5 + [t["w2c1"].pk]


@pytest.mark.parametrize(
    ("org", "due", "paid", "arrears", "exempt"),
    [
        ("city", 654_650, 445_000, 209_650, 1),
        ("w1", 638_720, 445_000, 193_720, 1),
        ("w2", 15_930, 0, 15_930, 0),
        ("w1c2", 68_720, 15_000, 53_720, 0),
    ],
)
def test_figures(ledger, org, due, paid, arrears, exempt):
    t = ledger[0]
    f = dues_figures(t[org], D(2026, 1, 1), D(2026, 6, 30))
    assert (f.dues_due, f.dues_paid, f.dues_arrears, f.dues_exempt_members) == (
        due,
        paid,
        arrears,
        exempt,
    )
    assert f.to_dict()["dues_due"] == due


def test_alerts(ledger):
    t, a, b, c = ledger
    (city,) = unpaid_three_months(t["city"], 2026, as_of=D(2026, 7, 1))
    assert city.member_id == c.pk and [m.month for m in city.months] == [3, 4, 5, 6]
    (ward,) = unpaid_three_months(t["w1"], 2026, as_of=D(2026, 7, 1))
    assert [m.month for m in ward.months] == [3, 4, 5]
    assert unpaid_three_months(t["w1"], 2026, as_of=D(2026, 5, 1)) == []
    (short,) = underpaid(t["city"], D(2026, 1, 1), D(2026, 6, 30))
    assert (short.member_id, short.month, short.due, short.paid) == (
        c.pk,
        D(2026, 2, 1),
        15_930,
        10_000,
    )


def test_grid_and_quick_entry(ledger, django_assert_num_queries):
    t, a, b, c = ledger
    with django_assert_num_queries(2):
        rows = cell_grid(t["w1c1"], months(1, 2, 3, 4, 5, 6))
    by = {r.member_id: r for r in rows}
    assert by[a.pk].months[D(2026, 6, 1)] == (80_000, 0)
    assert by[b.pk].months[D(2026, 4, 1)] == (0, 0)
    written = dues_cell_month_pay(
        cell=t["w1c1"],
        month=D(2026, 3, 1),
        member_ids=[a.pk, b.pk],
        paid_on=D(2026, 3, 25),
        actor=A,
    )
    assert [(p.member_id, p.amount) for p in written] == [(b.pk, 30_000)]  # A had paid March
    assert AuditEntry.objects.filter(action="dues_pay").count() == 10


def test_refusals(ledger):
    t, a, b, c = ledger
    with pytest.raises(DomainError, match="miễn"):
        dues_pay(member=b, months=months(5), paid_on=D(2026, 5, 2), channel="tien_mat", actor=A)
    with pytest.raises(DomainError, match="chi bộ khác"):
        dues_pay(
            member=c,
            months=months(6),
            paid_on=D(2026, 6, 2),
            channel="tien_mat",
            cell=t["w1c2"],
            actor=A,
        )
    with pytest.raises(DomainError, match="không sinh hoạt"):
        dues_pay(
            member=a, months=[D(2025, 1, 1)], paid_on=D(2026, 6, 2), channel="tien_mat", actor=A
        )
    payment = DuesPayment.objects.filter(member=a, reverses__isnull=True).first()
    reversal = DuesPayment.objects.get(reverses__isnull=False)
    with pytest.raises(DomainError, match="đã được hủy"):
        dues_payment_reverse(payment=reversal.reverses, actor=A)
    with pytest.raises(DomainError):
        payment.delete()
    with pytest.raises(RuleViolation, match="01-QĐ/TW"):
        dues_relief_add(
            member=a,
            reason="giam",
            percent=50,
            from_month=D(2026, 3, 1),
            months=13,
            decision_number="1-QĐ",
            decision_on=D(2026, 2, 20),
            actor=A,
        )


def test_reduction_recomputes_and_ends(ledger):
    t, a, b, c = ledger
    relief = dues_relief_add(
        member=a,
        reason="giam",
        percent=50,
        from_month=D(2026, 5, 1),
        months=12,
        decision_number="7-QĐ/CB",
        decision_on=D(2026, 4, 28),
        actor=A,
    )
    due = dict(DuesCharge.objects.filter(member=a).values_list("month", "amount"))
    assert (due[D(2026, 4, 1)], due[D(2026, 5, 1)], due[D(2026, 6, 1)]) == (80_000, 40_000, 40_000)
    dues_relief_end(relief=relief, to_month=D(2026, 6, 1), actor=A)
    due = dict(DuesCharge.objects.filter(member=a).values_list("month", "amount"))
    assert (due[D(2026, 5, 1)], due[D(2026, 6, 1)]) == (40_000, 80_000)
    exempt = dues_relief_add(
        member=c,
        reason="ho_can_ngheo",
        from_month=D(2026, 3, 1),
        decision_number="8-QĐ/ĐU",
        decision_on=D(2026, 2, 27),
        actor=A,
    )
    assert exempt.to_month.year == 9999
    assert set(
        DuesCharge.objects.filter(member=c, month__gte=D(2026, 3, 1)).values_list(
            "amount", flat=True
        )
    ) == {0}


def test_book_summary_and_remittance(ledger):
    from dangbo.dues.book import collection_book, remittance, ward_summary

    t, a, b, c = ledger
    book = collection_book(t["w1c1"], months(1, 2, 3, 4, 5, 6))
    assert book.due == sum(r.due for r in book.rows) == 480_000 + 90_000
    assert book.paid == sum(r.paid for r in book.rows) == 400_000 + 30_000
    assert [tot for tot in book.month_totals()][3] == (80_000, 80_000)
    assert {r.note for r in book.rows} == {"", "Miễn: Tuổi đảng từ 50 năm"}
    # 30 % at the cell, the ward base organization up to 90 %, the city half of the rest
    shares = [(s.percent, s.kept, s.passed) for s in book.remittance]
    assert shares == [(30, 129_000, 301_000), (90, 258_000, 43_000), (50, 21_500, 21_500)]
    assert sum(s.kept for s in book.remittance) + book.remittance[-1].passed == book.paid
    # an odd amount: the kept parts are rounded, the passed parts take the rest
    odd = remittance(t["w1c2"], 15_931, D(2026, 3, 1))
    assert sum(s.kept for s in odd) + odd[-1].passed == 15_931
    summary = ward_summary(t["w1"], months(1, 2, 3, 4, 5, 6))
    f = dues_figures(t["w1"], D(2026, 1, 1), D(2026, 6, 30))
    assert (sum(s.due for s in summary), sum(s.paid for s in summary)) == (f.dues_due, f.dues_paid)
