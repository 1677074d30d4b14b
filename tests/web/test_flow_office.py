"""The office's day in a browser, across the areas (issue 10's flow): sign in as the office
of a ward, admit a member, see the home figures change, recognize, transfer to another cell,
see the event on the timeline; a rule violation shows its message on the form; a cell
secretary cannot open a member of another cell (404).

It walks the pages of three areas: the sign-in, the home page and the member pages.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from tests.web.browser import sign_in

pytestmark = [pytest.mark.browser]

ADMITTED_ON = "2025-10-01"
TOO_EARLY = "2026-03-01"  # before 12 months of probation
RECOGNIZED_ON = "2026-10-01"  # exactly 12 months after the admission
TRANSFERRED_ON = "2026-11-02"


def _select_by_text(page, selector: str, text: str) -> None:
    value = page.eval_on_selector(
        selector,
        "(el, t) => [...el.options].find(o => o.textContent.includes(t)).value",
        text,
    )
    page.select_option(selector, value)


def _event_form(page, action: str) -> None:
    """Open the member page's event form `action` (its link's data-action)."""
    page.click(f"a[data-action={action}]")
    page.wait_for_load_state()


def test_the_office_of_a_ward_admits_recognizes_and_transfers(page, web_world):
    admit_url = reverse("web:member_admit")
    home_url = reverse("web:home")

    sign_in(page, "tk_office")
    page.wait_for_url("**" + home_url)
    before = page.inner_text("main")

    # admit a member into cell 1 of ward 1
    page.goto(admit_url)
    page.fill("#id_full_name", "Phạm Thị Kết Nạp")
    page.select_option("#id_gender", index=1)
    page.fill("#id_birth_date", "1995-04-12")
    page.select_option("#id_theory", index=1)
    _select_by_text(page, "#id_cell", "Chi bộ TDP 1 phường 1")
    page.fill("#id_effective_on", ADMITTED_ON)
    page.click("main button[type=submit].primary")
    page.wait_for_selector("text=Đã ghi: kết nạp đảng viên mới Phạm Thị Kết Nạp")
    member_url = page.url
    assert re.search(r"/dang-vien/\d+/$", member_url)
    assert "Phạm Thị Kết Nạp" in page.inner_text("main")

    # the home figures count the new probationary member
    page.goto(home_url)
    assert page.inner_text("main") != before

    # a rule violation: recognition before 12 months of probation, shown on the form
    page.goto(member_url)
    _event_form(page, "chinh-thuc")
    form_url = page.url
    page.fill("#id_effective_on", TOO_EARLY)
    page.click("main button[type=submit].primary")
    assert page.url == form_url
    assert "12 tháng dự bị" in page.locator("#id_effective_on-errors").inner_text()

    # recognize on time
    page.fill("#id_effective_on", RECOGNIZED_ON)
    page.click("main button[type=submit].primary")
    page.wait_for_selector("text=Đã ghi: công nhận đảng viên chính thức")

    # transfer to cell 2 of the same ward; the timeline shows it
    _event_form(page, "chuyen-chi-bo")
    page.fill("#id_effective_on", TRANSFERRED_ON)
    _select_by_text(page, "#id_to_org", "Chi bộ TDP 2 phường 1")
    page.click("main button[type=submit].primary")
    page.wait_for_selector("text=Đã ghi: chuyển sinh hoạt sang chi bộ khác")
    assert page.url == member_url
    timeline = page.locator("table.timeline").inner_text()
    assert "Chi bộ TDP 2 phường 1" in timeline
    assert "02/11/2026" in timeline and "01/10/2026" in timeline

    # the secretary of cell 1 cannot open a member of another cell
    page.click("text=Đăng xuất")
    sign_in(page, web_world.users[Role.CELL_SECRETARY].username)
    page.wait_for_url("**" + home_url)
    other = page.goto(reverse("web:member", args=[web_world.member_out.pk]))
    assert other is not None and other.status == 404
    moved = page.goto(member_url)  # now in cell 2
    assert moved is not None and moved.status == 404
    own = page.goto(reverse("web:member", args=[web_world.member_in.pk]))
    assert own is not None and own.status == 200
