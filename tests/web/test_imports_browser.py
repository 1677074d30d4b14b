"""End to end in the browser: the office of ward P1 uploads a member list (built here with
openpyxl), confirms the columns' mapping, reads the preview, writes it on the task queue
and finds the members in the register."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook

from dangbo.membership.models import Member
from tests.web.browser import sign_in
from tests.web.conftest import run_worker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.TASKS_DIR = tmp_path / "tasks"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def member_list() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Chi bộ",
            "Loại đảng viên",
            "Ngày vào Đảng",
            "Ngày chính thức",
        ]
    )
    ws.append(
        ["Phạm Thị Hoa", "Nữ", "12/03/1985", "P1-C1", "Chính thức", "01/02/2010", "01/02/2011"]
    )
    ws.append(["Vũ Văn Khánh", "Nam", "05/09/1998", "P1-C2", "Dự bị", "15/06/2023", None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.browser
def test_upload_map_preview_and_import_a_member_list(web_world, page):
    before = Member.objects.count()
    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    page.goto("/dang-vien/")
    page.click("a.button:has-text('Nhập từ Excel')")
    page.wait_for_url("**/nhap-excel/")

    page.select_option("#id_kind", "dang_vien")
    page.select_option("#id_org", str(web_world.tree["w1"].pk))
    page.fill("#id_on", "2024-01-01")
    page.set_input_files(
        "#id_file", files=[{"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": member_list()}]
    )
    page.click("button[type=submit]:has-text('Tải lên và ghép cột')")
    page.wait_for_url(re.compile(r".*/nhap-excel/[^/]+/$"))
    main = page.locator("main")
    assert "«danh-sach.xlsx»" in page.locator("h1").inner_text()
    assert "2 dòng hợp lệ" in main.inner_text()
    preview = page.locator("table.preview").inner_text()
    assert "Phạm Thị Hoa" in preview and "Vũ Văn Khánh" in preview
    assert page.locator("button[value=import]").count() == 0  # the mapping not confirmed yet
    assert page.locator("#id_col_0").input_value() == "full_name"

    page.click("button[type=submit]:has-text('Xem trước')")  # confirms the mapping shown
    page.locator("button[value=import]").wait_for()
    assert "Ghi vào sổ (2 dòng)" in page.locator("button[value=import]").inner_text()
    assert Member.objects.count() == before  # nothing written before the import
    page.click("button[value=import]")
    page.wait_for_url(re.compile(r".*/viec-nen/[0-9a-f-]+/$"))
    run_worker()
    page.locator("#task-status", has_text="Hoàn thành").wait_for(timeout=30_000)
    assert Member.objects.count() == before + 2

    page.goto("/dang-vien/?q=pham thi hoa")
    assert "Phạm Thị Hoa" in page.locator("table.register").inner_text()
    page.goto("/dang-vien/?q=vu van khanh")
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 1 and "Vũ Văn Khánh" in rows.inner_text()
