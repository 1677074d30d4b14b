"""End to end in the browser: the office of ward P1 grades the year of the members of its
cells, sees the "excellent ≤ 20% of good" cap refused live as it chooses and again on
submitting (nothing written), corrects the grid and records it."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.grading.models import MemberGrade
from tests.conftest import admit
from tests.web.browser import sign_in


@pytest.mark.browser
def test_grade_a_year_and_hit_the_cap(web_world, page, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2025-01-10")
    tree = web_world.tree
    for i in range(5):
        admit(tree["w1c1" if i % 2 else "w1c2"], date(2020, 5, 1), name=f"Lê Văn Thành {i}")

    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    page.click("nav >> text=Xếp loại")
    assert "Xếp loại chất lượng năm 2024" in page.locator("h1").inner_text()
    page.click("#base-orgs >> text=Đảng bộ phường 1")
    page.click("a.button:has-text('Ghi kết quả xếp loại')")
    assert "Quy định 124-QĐ/TW" in page.content()

    selects = page.locator("#grid select.grade")
    assert selects.count() == 6
    for i in range(6):
        selects.nth(i).select_option("xuat_sac" if i < 2 else "tot")
    refusal = page.locator("#cap-refusal")
    refusal.wait_for()
    assert "vượt quá 20%" in refusal.inner_text()
    assert "tối đa 0 đảng viên" in refusal.inner_text()

    page.click("button[type=submit]:has-text('Ghi kết quả xếp loại')")
    errors = page.locator("#grid-errors")
    errors.wait_for()
    assert "Quy định 124-QĐ/TW" in errors.inner_text()
    assert "vượt quá 20%" in errors.inner_text()
    assert not MemberGrade.objects.exists()

    selects = page.locator("#grid select.grade")
    selects.nth(0).select_option("tot")
    selects.nth(1).select_option("tot")
    page.wait_for_function("!document.querySelector('#cap-refusal')")
    page.click("button[type=submit]:has-text('Ghi kết quả xếp loại')")
    page.wait_for_url("**/xep-loai/*/2024/")
    assert "Đã ghi kết quả xếp loại năm 2024" in page.locator(".messages").inner_text()
    assert MemberGrade.objects.filter(grade="tot").count() == 6
