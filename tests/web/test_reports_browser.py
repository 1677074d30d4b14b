"""End to end in the browser: the office of ward P1 starts its half-year report, writes a
narrative section (the preview follows the typing), issues the report and downloads the PDF
through its background task, whose text has the figures, the section and the number."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest

from dangbo.organizations.services import term_open
from tests.conftest import ACTOR, admit
from tests.web.browser import sign_in
from tests.web.conftest import run_worker


def _pdf_text(path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return " ".join(out.stdout.decode("utf-8").split())


@pytest.mark.browser
def test_the_office_writes_previews_issues_and_downloads(web_world, page, monkeypatch, tmp_path):
    monkeypatch.setenv("DANGBO_TODAY", "2024-08-01")
    tree = web_world.tree
    term_open(org=tree["w1"], label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    admit(tree["w1c2"], date(2024, 3, 1), name="Lê Văn Mới")
    admit(tree["w1c2"], date(2024, 4, 2), name="Phạm Thị Mới")

    page.set_default_timeout(30_000)  # a shared machine; the PDF has its own, longer wait
    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    page.click("nav >> text=Báo cáo")
    page.click("text=Soạn báo cáo mới")
    page.select_option("#id_org", label="Đảng bộ phường 1")
    page.fill("#id_period_code", "2024-H1")
    page.click("button[type=submit]:has-text('Tạo bản dự thảo')")
    page.wait_for_url(re.compile(r".*/bao-cao/\d+/$"))

    section = page.locator("#section-chinh_tri_tu_tuong")
    section.locator("textarea").fill(
        "Đảng ủy **quán triệt kịp thời** các nghị quyết của cấp trên.\n"
        "- Tổ chức *hội nghị học tập* cho toàn thể đảng viên"
    )
    preview = page.frame_locator("#preview-frame")
    preview.locator("strong", has_text="quán triệt kịp thời").wait_for()  # typed, not saved
    assert page.locator("#revisions").count() == 0
    section.locator("button:has-text('Lưu phần này')").click()
    page.locator("#section-chinh_tri_tu_tuong .saved").wait_for()
    preview.locator("strong", has_text="quán triệt kịp thời").wait_for()
    emphasis = preview.locator("em", has_text="hội nghị học tập")
    emphasis.wait_for()  # the frame may be reloading after the save
    assert emphasis.count() == 1
    assert "tk_office" in page.locator("#revisions").inner_text()

    page.fill("#id_issued_on", "2024-07-05")
    page.fill("#issue #id_signer_name", "Nguyễn Văn Ký")
    page.click("#issue button[type=submit]")
    page.locator(".messages").wait_for()
    message = page.locator(".messages").inner_text()
    number = re.search(r"Báo cáo số (\S+),", message)
    assert number, message
    number_text = number.group(1)
    assert number_text in page.locator("#issued-number").inner_text()

    page.click("#download-pdf")  # a background task: its page, then the worker renders
    page.wait_for_url(re.compile(r".*/viec-nen/[0-9a-f-]+/$"))
    assert "Tệp PDF" in page.locator("h1").inner_text()
    run_worker()
    result = page.locator("#task-status a:has-text('Tải về')")
    result.wait_for(timeout=30_000)  # the page polls every 2 s
    with page.expect_download() as info:
        result.click()
    pdf = tmp_path / "bao-cao.pdf"
    info.value.save_as(pdf)
    text = _pdf_text(pdf)
    assert f"Số {number_text}" in text or number_text in text
    assert re.search(r"Đảng bộ phường 1 có 0?3 đảng viên", text), text[:2000]
    assert "quán triệt kịp thời" in text
    assert "DỰ THẢO" not in text

    page.go_back()  # rendered once: the issued report's PDF now comes at once
    with page.expect_download() as again:
        page.click("#download-pdf")
    assert again.value.suggested_filename == info.value.suggested_filename
    page.click("text=Danh sách")
    assert number_text in page.locator("#reports").inner_text()
