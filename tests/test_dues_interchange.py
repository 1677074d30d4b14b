"""Dues records in the interchange file: the round trip and the refusals."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dangbo.core.append_only import ledger_maintenance
from dangbo.dues.figures import dues_figures
from dangbo.dues.models import DuesCharge, DuesFact, DuesPayment, DuesRelief
from dangbo.dues.services import (
    dues_charges_compute,
    dues_fact_set,
    dues_pay,
    dues_payment_reverse,
    dues_relief_add,
)
from dangbo.interchange.reader import InterchangeInvalid
from dangbo.organizations.selectors import org_resolve
from tests.conftest import ACTOR, admit
from tests.test_interchange import export_text, import_text, wipe


def _wipe_all() -> None:
    with ledger_maintenance("tests"):
        DuesPayment.objects.filter(reverses__isnull=False).delete()
        for model in (DuesPayment, DuesCharge, DuesRelief, DuesFact):
            model.objects.all().delete()
    wipe()


@pytest.fixture
def dues_office(city_tree):
    t = city_tree
    a = admit(t["w1c1"], date(2024, 1, 5))
    b = admit(t["w1c2"], date(2024, 1, 5))
    dues_fact_set(
        member=a, valid_from=date(2024, 1, 5), category="luong", base_amount=9_000_000, actor=ACTOR
    )
    dues_fact_set(member=b, valid_from=date(2024, 1, 5), category="khac", region="II", actor=ACTOR)
    dues_relief_add(member=a, reason="giam", percent=30, from_month=date(2026, 3, 1), months=2,
                    decision_number="3-QĐ/CB", decision_on=date(2026, 2, 25), actor=ACTOR)  # fmt: skip
    dues_relief_add(member=b, reason="ho_ngheo", from_month=date(2026, 4, 1),
                    decision_number="4-QĐ/ĐU", decision_on=date(2026, 3, 25), actor=ACTOR)  # fmt: skip
    paid = dues_pay(member=a, months=[date(2026, 2, 1), date(2026, 3, 1)], paid_on=date(2026, 2, 10),
                    channel="tien_mat", receipt_number="BL-12", actor=ACTOR)  # fmt: skip
    dues_payment_reverse(payment=paid[0], actor=ACTOR)
    dues_pay(
        member=b,
        months=[date(2026, 2, 1)],
        paid_on=date(2026, 2, 12),
        channel="dich_vu_cong",
        actor=ACTOR,
    )
    return t


def test_round_trip_then_compute_gives_the_same_figures(dues_office):
    city = dues_office["city"]
    dues_charges_compute(org=city, start=date(2026, 1, 1), end=date(2026, 6, 30), actor=ACTOR)
    before = dues_figures(city, date(2026, 1, 1), date(2026, 6, 30))
    first = export_text()
    lines = [json.loads(x) for x in first.splitlines()]
    reversal = next(x for x in lines if x["type"] == "dues_payment" and "reverses" in x)
    assert reversal["amount"] == 90_000 and reversal["reverses"] == "dues-payment-1"
    _wipe_all()
    try:
        import_text(first)
    except InterchangeInvalid as exc:
        raise AssertionError([str(e) for e in exc.errors]) from exc
    assert export_text() == first
    assert DuesPayment.objects.get(reverses__isnull=False).amount == -90_000
    city = org_resolve("TP")
    dues_charges_compute(org=city, start=date(2026, 1, 1), end=date(2026, 6, 30), actor=ACTOR)
    assert dues_figures(city, date(2026, 1, 1), date(2026, 6, 30)) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "dues_relief", "percent": 40}, "percent"),
        ({"type": "dues_relief", "to_month": "2027-05-01"}, "months"),
        ({"type": "dues_payment", "month": "2026-02-15"}, "month"),
    ],
)
def test_bad_records_are_refused_with_the_rule(dues_office, change, field):
    text = export_text()
    _wipe_all()
    lines = [json.loads(x) for x in text.splitlines()[:-1]]
    target = next(x for x in lines if x["type"] == change["type"])
    target.update({k: v for k, v in change.items() if k != "type"})
    from dangbo.interchange.kinds import RECORD_TYPES
    from dangbo.interchange.trailer import seal

    body = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    sealed = seal(body.encode("utf-8"), RECORD_TYPES).decode("utf-8")
    with pytest.raises(InterchangeInvalid) as exc:
        import_text(sealed)
    assert exc.value.errors[0].field == field
