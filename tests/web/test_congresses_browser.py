"""End to end in the browser: the office of ward P1 records a cell's congress, elects its
secretary in two ballot rounds (the threshold and the winners computed as it types), has it
approved and reads the congress paragraph of the ward's report."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.membership.models import EventKind
from tests.conftest import admit, record
from tests.web.browser import sign_in


@pytest.mark.browser
def test_a_cell_congress_with_two_ballot_rounds(web_world, page, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2026-03-20")
    cell = web_world.org_in
    for i, name in enumerate(("Lê Văn Hải", "Phạm Thị Hoa", "Đỗ Văn Khoa", "Vũ Thị Lan")):
        m = admit(cell, date(2019, 3, 1 + i), name=name)
        record(m, EventKind.RECOGNITION, date(2020, 3, 1 + i))
    record(m, EventKind.EXEMPTION, date(2025, 6, 1))  # Vũ Thị Lan: exempt, absent

    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    page.click("nav >> text=Đại hội")
    page.click("a.button:has-text('Ghi đại hội')")
    page.select_option("#org-switch", label="Chi bộ TDP 1 phường 1 (P1-C1)")
    page.wait_for_selector("#roll-summoned")
    assert page.locator("#roll-summoned").inner_text() == "4"
    assert "Vũ Thị Lan" in page.locator("#roll-excluded").inner_text()
    page.fill("#id_starts_on", "2026-03-10")
    page.dispatch_event("#id_starts_on", "change")
    page.fill("#id_term_label", "2026–2028")
    page.fill("#id_present", "3")
    page.click("button[type=submit]:has-text('Ghi đại hội')")
    page.wait_for_url("**/dai-hoi/*/")
    assert "quá một nửa: 2" in page.content()  # 4 summoned − 1 exempt absent = 3

    page.click("a.button:has-text('Mở cuộc bầu cử')")
    page.select_option("#id_what", "secretary")
    page.fill("#id_seats", "1")
    page.check("label:has-text('Lê Văn Hải') >> input")
    page.check("label:has-text('Phạm Thị Hoa') >> input")
    page.wait_for_selector("#list-check .badge.ok")
    page.check("label:has-text('Đỗ Văn Khoa') >> input")
    page.wait_for_selector("#list-violations")
    assert "tối đa 2 người" in page.locator("#list-check").inner_text()
    page.uncheck("label:has-text('Đỗ Văn Khoa') >> input")
    page.wait_for_selector("#list-check .badge.ok")
    page.click("button[type=submit]:has-text('Mở cuộc bầu cử')")
    page.wait_for_url("**/dai-hoi/*/")

    page.click("a.button:has-text('Ghi lần bầu thứ nhất')")
    assert page.locator("#votes-needed").inner_text() == "2"
    for field, value in (("issued", "3"), ("cast", "3"), ("valid", "2"), ("invalid", "1")):
        page.fill(f"#id_{field}", value)
    votes = page.locator("input[name^=votes_]")
    votes.nth(0).fill("1")
    votes.nth(1).fill("1")
    page.wait_for_function(
        "document.querySelector('#round-outcome').innerText.includes('Chưa đủ số lượng')"
    )
    page.click("button[type=submit]:has-text('Ghi kết quả lần bầu')")
    page.wait_for_url("**/dai-hoi/*/")
    assert "Chưa đủ số lượng, cần bầu tiếp" in page.content()

    page.click("a.button:has-text('Ghi lần bầu tiếp theo')")
    for field, value in (("issued", "3"), ("cast", "3"), ("valid", "3"), ("invalid", "0")):
        page.fill(f"#id_{field}", value)
    votes = page.locator("input[name^=votes_]")
    votes.nth(0).fill("2")
    votes.nth(1).fill("1")
    page.wait_for_function(
        "document.querySelector('#round-outcome').innerText.includes('Trúng cử: Lê Văn Hải')"
    )
    page.click("button[type=submit]:has-text('Ghi kết quả lần bầu')")
    page.wait_for_url("**/dai-hoi/*/")
    assert "Đã bầu đủ số lượng" in page.content()

    page.click("a.button:has-text('Chuẩn y')")
    page.fill("#id_number", "21-QĐ/ĐU")
    page.fill("#id_issued_on", "2026-03-16")
    page.fill("#id_issuer", "Đảng ủy phường 1")
    page.fill("#id_on", "2026-03-16")
    page.click("button[type=submit]:has-text('Chuẩn y')")
    page.wait_for_url("**/dai-hoi/*/")
    assert "đã chuẩn y 16/3/2026" in page.content()

    page.click("nav >> text=Đại hội")
    paragraph = page.locator("#congress-paragraph").inner_text()
    assert paragraph.startswith("Có 1/1 chi bộ tổ chức đại hội nhiệm kỳ 2026–2028")
    assert "0/1 đại hội bầu đủ số lượng ngay lần đầu" in paragraph
    assert "Bầu 01 đồng chí bí thư (nữ 0, tái cử 0, mới 01)" in paragraph
