"""End to end in the browser: the office registers a secret document it received, with its
signed scan; a user without clearance then never sees it — not in the list, the search, the
export, the implementation chain of the document it implements, by its address, nor in the
report's list of documents."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from dangbo.documents.models import Document
from dangbo.documents.selectors import documents_for_report
from dangbo.documents.services import document_receive
from tests.conftest import ACTOR
from tests.web.browser import sign_in

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.mark.browser
def test_a_user_without_clearance_never_sees_a_secret_document(web_world, page, tmp_path):
    cell = web_world.org_in
    plan = document_receive(
        org=cell,
        number="154-KH/TU",
        issued_on=date(2024, 1, 10),
        received_on=date(2024, 1, 15),
        issuer_body="Ban Thường vụ Thành ủy",
        title="Kế hoạch thực hiện Nghị quyết về công tác xây dựng Đảng",
        actor=ACTOR,
    )
    scan = tmp_path / "ban-ky.pdf"
    scan.write_bytes(PDF)

    # the office (cleared) registers a secret document implementing the plan, with its scan
    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    page.click("nav >> text=Văn bản")
    page.click("a.button:has-text('Vào sổ văn bản đến')")
    page.select_option("#id_org", label="Chi bộ TDP 1 phường 1")
    page.fill("#id_number", "07-CV/TU")
    page.fill("#id_issued_on", "2024-02-01")
    page.fill("#id_received_on", "2024-02-03")
    page.fill("#id_title", "Công văn mật về nhân sự")
    page.fill("#id_issuer_body", "Ban Thường vụ Thành ủy")
    page.select_option("#id_security_mark", "mat")
    page.set_input_files("#id_scan", str(scan))
    page.click("button[type=submit]:has-text('Ghi')")
    page.wait_for_url("**/van-ban/*/")
    assert "Đã vào sổ" in page.locator(".messages").inner_text()
    secret = Document.objects.get(number_text="07-CV/TU")
    assert secret.is_secret and secret.scan
    page.click("a.button:has-text('Liên kết')")
    page.select_option("#id_relation", "thuc_hien")
    page.fill("#id_number", "154-KH/TU")
    page.fill("#id_issued_on", "2024-01-10")
    page.click("button[type=submit]:has-text('Ghi')")
    page.wait_for_url(f"**/van-ban/{secret.pk}/")
    page.goto("/van-ban/")
    assert "07-CV/TU" in page.locator("table.documents").inner_text()
    page.goto(f"/van-ban/{plan.pk}/")
    assert "07-CV/TU" in page.locator("ul.chain").inner_text()
    page.click("form[action*='dang-xuat'] button, button:has-text('Đăng xuất')")

    # the organization department (no clearance) looks for it everywhere
    sign_in(page, "tk_organization")
    page.wait_for_url("**/")
    page.click("nav >> text=Văn bản")
    listing = page.locator("main").inner_text()
    assert "154-KH/TU" in listing and "07-CV/TU" not in listing
    page.fill("#id_q", "nhân sự")
    page.click("button[type=submit]:has-text('Lọc')")
    assert "Công văn mật" not in page.locator("main").inner_text()
    page.fill("#id_q", "07-CV")
    page.click("button[type=submit]:has-text('Lọc')")
    assert "0 văn bản" in page.locator(".results-head").inner_text()
    with page.expect_download() as got:
        page.click("a:has-text('Xuất Excel')")
    wb = load_workbook(BytesIO(open(got.value.path(), "rb").read()))
    cells = {str(v) for row in wb.active.iter_rows(values_only=True) for v in row}
    assert "07-CV/TU" not in cells and "Công văn mật về nhân sự" not in cells
    page.goto("/van-ban/")
    page.click("a:has-text('154-KH/TU')")
    assert page.locator("ul.chain").count() == 0  # the only plan implementing it is secret
    assert "07-CV/TU" not in page.locator("main").inner_text()
    for url in (f"/van-ban/{secret.pk}/", f"/van-ban/{secret.pk}/ban-ky/"):
        response = page.goto(url)
        assert response is not None and response.status == 404
        assert "Công văn mật" not in page.content()
    # the review report's list of documents leaves it out too
    listed = documents_for_report(cell, date(2024, 1, 1), date(2024, 12, 31))
    assert [d["citation"] for d in listed] == [plan.citation().format()]
