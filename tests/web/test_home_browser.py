"""End to end in the browser: the office of ward P1 signs in, reads the home figures and the
chart, receives a member transferred from ward P2 and sees the figures change."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.membership.transfers import transfer_send
from tests.conftest import ACTOR, receive
from tests.web.browser import sign_in


@pytest.mark.browser
def test_the_office_reads_its_home_and_receives_a_transfer(web_world, page, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2024-06-10")
    tree = web_world.tree
    member = receive(
        tree["w2c2"], date(2020, 1, 1), admitted=date(2014, 5, 1), name="Lê Văn Chuyển"
    )
    transfer_send(member=member, to_org=tree["w1"], on=date(2024, 5, 6), actor=ACTOR)

    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    figures = page.locator("#h-figures").locator("xpath=..")
    assert "Số liệu năm 2024" in figures.inner_text()
    assert page.locator("svg.chart polyline").count() == 1
    assert page.locator("svg.chart circle").count() == 12
    tiles = page.locator(".tile")
    assert tiles.nth(3).inner_text().startswith("0\nChuyển đến")
    assert "Lê Văn Chuyển" in page.locator("#h-transfers").locator("xpath=..").inner_text()

    page.click("nav >> text=Chuyển sinh hoạt")
    page.click("a.button:has-text('Tiếp nhận')")
    page.select_option("#id_cell", label="Chi bộ TDP 2 phường 1")
    page.fill("#id_on", "2024-05-20")
    page.click("button[type=submit]:has-text('Tiếp nhận')")
    page.wait_for_url("**/chuyen-sinh-hoat/")
    assert "Đã tiếp nhận đảng viên Lê Văn Chuyển." in page.locator(".messages").inner_text()
    assert "Không có đảng viên nào chờ tiếp nhận." in page.content()

    page.click("nav >> text=Trang chủ")
    assert page.locator(".tile").nth(3).inner_text().startswith("1\nChuyển đến")
    assert page.locator("#h-transfers").count() == 0
