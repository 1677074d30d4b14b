"""End to end in the browser: the secretary of cell P1-C1 records the May meeting with its
attendance and a follow-up task, then the June meeting, where the task waits for review."""

from __future__ import annotations

import pytest

from tests.web.browser import sign_in


@pytest.mark.browser
def test_a_cell_secretary_records_a_month_and_reviews_its_task_next_month(
    web_world, page, monkeypatch
):
    monkeypatch.setenv("DANGBO_TODAY", "2024-06-20")
    sign_in(page, "tk_cell_secretary")
    page.wait_for_url("**/")

    page.click("nav >> text=Hội nghị")
    page.click("a.button:has-text('Ghi sinh hoạt chi bộ')")
    page.fill("#id_held_on", "2024-05-10")
    page.fill("#id_present", "1")
    page.fill("#id_speakers", "1")
    page.fill("#id_title", "Sinh hoạt thường kỳ tháng 5")
    page.fill("#id_task_text", "Rà soát hồ sơ quần chúng ưu tú")
    page.fill("#id_task_owner", "Đồng chí Nguyễn Văn An")
    page.fill("#id_task_deadline", "2024-06-30")
    page.click("button[type=submit]:has-text('Ghi')")
    page.wait_for_url("**/hoi-nghi/P1-C1-2024-05-10-sinh_hoat_chi_bo/")
    assert (
        "Đã ghi sinh hoạt chi bộ thường kỳ tháng 5/2024" in page.locator(".messages").inner_text()
    )
    assert "1/1 đảng viên có mặt" in page.locator("dl.facts").inner_text()
    assert "Rà soát hồ sơ quần chúng ưu tú" in page.locator("#tasks").inner_text()

    page.goto("/hoi-nghi/sinh-hoat-chi-bo/ghi-moi/")
    page.fill("#id_held_on", "2024-06-12")
    page.fill("#id_present", "1")
    page.fill("#id_speakers", "0")
    page.click("button[type=submit]:has-text('Ghi')")
    page.wait_for_url("**/hoi-nghi/P1-C1-2024-06-12-sinh_hoat_chi_bo/")
    review = page.locator("#review")
    assert "Rà soát hồ sơ quần chúng ưu tú" in review.inner_text()
    assert "10/05/2024" in review.inner_text()
    review.locator("select[name=status]").select_option(label="Đã hoàn thành")
    review.locator("input[name=note]").fill("Đã hoàn thiện 2 hồ sơ")
    review.locator("button:has-text('Ghi đánh giá')").click()
    page.wait_for_url("**/hoi-nghi/P1-C1-2024-06-12-sinh_hoat_chi_bo/")
    assert "Đã hoàn thành — Đã hoàn thiện 2 hồ sơ" in page.locator("#review").inner_text()

    page.click("a.button:has-text('Kỳ trước')")
    assert "Đã hoàn thành (12/06/2024)" in page.locator("#tasks").inner_text()
