"""The web pages with an opening balance (nhập sổ): the member page shows the opening event,
and an organization's figures of a period starting before the opening date are not given
as zeros."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.membership.models import MemberStatus
from dangbo.membership.opening import member_open
from tests.conftest import ACTOR, make_person


def test_opened_member_page_and_figures_before_the_opening(web_world):
    cell = web_world.org_in
    member = member_open(
        person=make_person(name="Lê Văn Nhập"),
        cell=cell,
        on=date(2024, 1, 1),
        status=MemberStatus.OFFICIAL,
        admitted_on=date(1995, 3, 2),
        official_on=date(1996, 3, 2),
        card_number="98765432",
        actor=ACTOR,
    )
    client = web_world.client(Role.OFFICE)
    page = client.get(reverse("web:member", args=[member.pk]))
    assert page.status_code == 200
    assert "Nhập sổ (số dư đầu kỳ)" in page.content.decode()
    ward = web_world.tree["w1"].pk
    before = client.get(reverse("web:org", args=[ward]), {"period": "2023"}).content.decode()
    assert "Chưa có số liệu trước ngày nhập sổ 01/01/2024" in before
    after = client.get(reverse("web:org", args=[ward]), {"period": "2024"}).content.decode()
    assert "Chưa có số liệu" not in after
    xlsx = client.post(reverse("web:org_figures_xlsx", args=[ward]) + "?period=2023")
    assert xlsx.status_code == 400
    assert "Chưa có số liệu trước ngày nhập sổ" in xlsx.content.decode()
