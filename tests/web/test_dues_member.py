"""A member's dues page and its forms: facts and relief decisions recorded through the
services, refusals beside their fields, audited, and the charges recomputed."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.dues.models import DuesCharge, DuesFact, DuesRelief
from dangbo.dues.services import dues_charges_compute, dues_fact_set, dues_relief_add
from tests.conftest import ACTOR


@pytest.fixture
def member_world(web_world):
    """The member of P1-C1 on "others" in region I since 2024, charges of Jan–Apr 2026."""
    m = web_world.member_in
    dues_fact_set(member=m, valid_from=date(2024, 1, 5), category="khac", region="I", actor=ACTOR)
    dues_charges_compute(
        org=web_world.tree["city"], start=date(2026, 1, 1), end=date(2026, 4, 30), actor=ACTOR
    )
    return web_world


def test_member_page(member_world, django_assert_num_queries):
    m = member_world.member_in
    c = member_world.client(Role.CELL_SECRETARY)
    url = reverse("web:dues_member", args=[m.pk])
    c.get(url)
    with django_assert_num_queries(10):
        page = c.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đối tượng khác" in html and reverse("web:dues_fact", args=[m.pk]) in html
    # reachable from the cell's grid and from the member's page
    grid = c.get(reverse("web:dues_cell", args=[member_world.org_in.pk]) + "?nam=2026")
    assert url in grid.content.decode()
    assert url in c.get(reverse("web:member", args=[m.pk])).content.decode()


def test_fact_form(member_world, django_assert_num_queries):
    m = member_world.member_in
    c = member_world.client(Role.CELL_SECRETARY)
    url = reverse("web:dues_fact", args=[m.pk])
    c.get(url)
    with django_assert_num_queries(6):
        assert c.get(url).status_code == 200
    # a salary without its amount: refused beside the field, nothing written
    r = c.post(url, {"valid_from": "2026-03-01", "category": "luong", "region": "I"})
    assert r.status_code == 200
    assert 'id="id_base_amount-errors"' in r.content.decode()
    assert DuesFact.objects.filter(member=m).count() == 1
    r = c.post(
        url,
        {"valid_from": "2026-03-01", "category": "luong", "base_amount": "8000000", "region": ""},
    )
    assert r.status_code == 302
    assert DuesFact.objects.filter(member=m).count() == 2
    assert DuesCharge.objects.get(member=m, month=date(2026, 3, 1)).amount == 80_000
    assert AuditEntry.objects.filter(action="dues_fact_set", actor="tk_cell_secretary").exists()


def test_relief_form(member_world):
    m = member_world.member_in
    c = member_world.client(Role.OFFICE)
    url = reverse("web:dues_relief", args=[m.pk])
    base = {"decision_number": "12-QĐ/ĐU", "decision_on": "2026-02-20", "from_month": "2026-03-01"}
    # a reduction over 12 months and a percent the rule set does not have
    r = c.post(url, {**base, "reason": "giam", "percent": "50", "months": "13"})
    assert r.status_code == 200 and 'id="id_months-errors"' in r.content.decode()
    r = c.post(url, {**base, "reason": "giam", "percent": "40", "months": "6"})
    assert r.status_code == 200 and 'id="id_percent-errors"' in r.content.decode()
    # an exemption the 342 rule set did not grant on decision
    r = c.post(url, {**base, "from_month": "2025-03-01", "reason": "ho_can_ngheo", "percent": "50"})
    assert r.status_code == 200 and 'id="id_reason-errors"' in r.content.decode()
    assert not DuesRelief.objects.filter(member=m).exists()
    r = c.post(url, {**base, "reason": "giam", "percent": "50", "months": "2"})
    assert r.status_code == 302
    relief = DuesRelief.objects.get(member=m)
    assert (relief.percent, relief.from_month, relief.to_month) == (
        50,
        date(2026, 3, 1),
        date(2026, 5, 1),
    )
    charge = DuesCharge.objects.get(member=m, month=date(2026, 3, 1))
    assert charge.reduction_percent == 50 and charge.amount == charge.full_amount // 2
    assert AuditEntry.objects.filter(action="dues_relief_add").count() == 1
    page = c.get(reverse("web:dues_member", args=[m.pk])).content.decode()
    assert "12-QĐ/ĐU" in page and "04/2026" in page


def test_ending_a_relief_early_recomputes_the_charges(member_world, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2026-04-15")
    m = member_world.member_in
    relief = dues_relief_add(
        member=m,
        reason="giam",
        from_month=date(2026, 3, 1),
        months=12,
        percent=50,
        decision_number="3-QĐ/ĐU",
        decision_on=date(2025, 12, 20),
        actor=ACTOR,
    )
    assert DuesCharge.objects.get(member=m, month=date(2026, 4, 1)).reduction_percent == 50
    c = member_world.client(Role.CELL_SECRETARY)
    url = reverse("web:dues_relief_end", args=[relief.pk])
    page = c.get(reverse("web:dues_member", args=[m.pk])).content.decode()
    assert f'action="{url}"' in page and 'name="ket-thuc-' in page
    p = f"ket-thuc-{relief.pk}-"
    # an end after the decision's own end, and no decision: refused beside the fields
    r = c.post(url, {p + "to_month": "2027-06-01", p + "decision_on": "2026-04-10"})
    html = r.content.decode()
    assert r.status_code == 200 and f'id="id_{p}decision_number-errors"' in html
    r = c.post(
        url,
        {
            p + "to_month": "2027-06-01",
            p + "decision_number": "9-QĐ/ĐU",
            p + "decision_on": "2026-04-10",
        },
    )
    assert r.status_code == 200 and f'id="id_{p}to_month-errors"' in r.content.decode()
    relief.refresh_from_db()
    assert (
        relief.to_month == date(2027, 3, 1)
        and not AuditEntry.objects.filter(action="dues_relief_end").exists()
    )
    # ended from April: March stays reduced, April is due in full again
    r = c.post(
        url,
        {
            p + "to_month": "2026-04-10",
            p + "decision_number": "9-QĐ/ĐU",
            p + "decision_on": "2026-02-25",
        },
    )
    assert r.status_code == 302
    relief.refresh_from_db()
    assert relief.to_month == date(2026, 4, 1) and not relief.revoked
    charges = {
        c.month.month: (c.amount, c.full_amount, c.reduction_percent)
        for c in DuesCharge.objects.filter(member=m, month__year=2026)
    }
    assert {k: v[2] for k, v in charges.items()} == {1: 0, 2: 0, 3: 50, 4: 0}
    assert charges[4][0] == charges[4][1] and charges[3][0] == charges[3][1] // 2
    entry = AuditEntry.objects.get(action="dues_relief_end")
    assert entry.actor == "tk_cell_secretary" and entry.after["decision_number"] == "9-QĐ/ĐU"
    # the decision is no longer in force this month: no end form on the page
    page = c.get(reverse("web:dues_member", args=[m.pk])).content.decode()
    assert f'action="{url}"' not in page


def test_ending_a_relief_from_its_first_month_revokes_it(member_world, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2026-04-15")
    m = member_world.member_in
    relief = dues_relief_add(
        member=m,
        reason="giam",
        from_month=date(2026, 3, 1),
        months=6,
        percent=30,
        decision_number="4-QĐ/ĐU",
        decision_on=date(2026, 1, 20),
        actor=ACTOR,
    )
    c = member_world.client(Role.OFFICE)
    url = reverse("web:dues_relief_end", args=[relief.pk])
    p = f"ket-thuc-{relief.pk}-"
    body = {
        p + "to_month": "2026-03-01",
        p + "decision_number": "5-QĐ/ĐU",
        p + "decision_on": "2026-04-01",
    }
    assert c.post(url, body).status_code == 302
    relief.refresh_from_db()
    assert relief.revoked
    assert not DuesCharge.objects.filter(member=m, reduction_percent__gt=0).exists()
    # a revoked decision cannot be ended again; another ward's member is out of scope
    assert c.get(url).status_code == 404
