"""The exports of the web application's lists and tables: each workbook opened with openpyxl
(title rows, headers, frozen header row, number and date cells), the audit of lists that
name people, secret documents left out, the units' table through the task queue; query
counts pinned."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.documents.models import SecurityMark
from dangbo.documents.services import document_receive
from dangbo.membership.admission import candidate_create
from dangbo.membership.models import EventKind
from dangbo.targets.services import target_adopt
from tests.conftest import ACTOR, admit, make_person, provincial_decision, receive, record
from tests.web.test_tasks import run_worker


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


def sheet_of(response, name=None):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    return wb[name] if name else wb.worksheets[0]


def rows_of(ws, first=6):
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def header_of(ws, row=5):
    return [c.value for c in ws[row] if c.value is not None]


def last_audit():
    return AuditEntry.objects.order_by("pk").last()


def candidates(world, n):
    for i in range(n):
        candidate_create(
            person=make_person(name=f"Quần Chúng {i:02d}"),
            cell=world.tree["w1c1"],
            on=date(2024, 1, 2),
            actor=ACTOR,
        )


def test_candidates_list_with_title_rows_dates_and_audit(web_world):
    candidates(web_world, 2)
    response = web_world.client(Role.OFFICE).get(
        reverse("web:candidates_xlsx"), {"org": web_world.tree["w1"].pk}
    )
    ws = sheet_of(response)
    assert ws["A1"].value == "DANH SÁCH QUẦN CHÚNG ƯU TÚ ĐANG PHÁT TRIỂN"
    assert ws["A2"].value == "Đảng bộ phường 1" and ws["A3"].value.startswith("Ngày ")
    assert ws.freeze_panes == "A7"  # four title rows, an empty one, the header
    assert header_of(ws, 6)[:3] == ["STT", "Họ và tên", "Chi bộ"]
    body = rows_of(ws, 7)
    assert [r[1] for r in body] == ["Quần Chúng 00", "Quần Chúng 01"]
    assert body[0][4] == datetime(2024, 1, 2) and ws["E7"].number_format == "dd/mm/yyyy"
    assert isinstance(body[0][0], int)
    entry = last_audit()
    assert entry.action == "candidates_export" and entry.after["rows"] == 2
    assert entry.actor == "tk_office"


def test_badges_due_and_awarded(web_world):
    c1 = web_world.tree["w1c1"]
    receive(c1, date(2019, 1, 1), admitted=date(1990, 1, 1), name="Lão Thành Một")
    given = receive(c1, date(2019, 1, 1), admitted=date(1994, 1, 1), name="Lão Thành Hai")
    record(given, EventKind.BADGE, date(2024, 2, 3), badge_years=30)
    wb = load_workbook(
        io.BytesIO(
            web_world.client(Role.LEADERSHIP)
            .get(reverse("web:badges_xlsx"), {"nam": "2024"})
            .content
        )
    )
    due, _, awarded = wb.worksheets
    assert due["A1"].value == "DANH SÁCH ĐẢNG VIÊN ĐỦ TIÊU CHUẨN TẶNG HUY HIỆU ĐẢNG"
    assert due.freeze_panes == "A7"
    body = rows_of(due, 7)
    assert [(r[1], r[4]) for r in body] == [("Lão Thành Một", 30)]
    assert due.cell(7, 5).data_type == "n"
    assert awarded["A1"].value == "DANH SÁCH ĐẢNG VIÊN ĐƯỢC TẶNG HUY HIỆU ĐẢNG NĂM 2024"
    (row,) = rows_of(awarded, 7)
    assert row[1:5] == ["Lão Thành Hai", "Chi bộ TDP 1 phường 1", datetime(2024, 2, 3), 30]
    entry = last_audit()
    assert entry.action == "badges_export" and entry.after == {
        "rows": 2,
        "format": "xlsx",
        "year": 2024,
    }


def test_grading_grid_of_a_ward(web_world):
    admit(web_world.tree["w1c2"], date(2020, 5, 1), name="Đỗ Văn Giang")
    url = reverse("web:grading_grid_xlsx", kwargs={"pk": web_world.tree["w1"].pk, "year": 2024})
    ws = sheet_of(web_world.client(Role.ORGANIZATION).get(url))
    assert ws["A1"].value == "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024"
    assert ws["A2"].value == "Đảng bộ phường 1" and ws.freeze_panes == "A6"
    assert header_of(ws)[:4] == ["STT", "Họ và tên", "Chi bộ", "Xếp loại"]
    body = [r for r in rows_of(ws) if isinstance(r[0], int)]
    assert [r[1] for r in body] == ["Nguyễn Văn An", "Đỗ Văn Giang"]
    assert last_audit().action == "grading_export" and last_audit().after["rows"] == 2
    # the cell secretary may not export member lists
    assert web_world.client(Role.CELL_SECRETARY).get(url).status_code == 403


def test_targets_grid_plans_are_numbers(web_world):
    target_adopt(
        org=web_world.tree["w1"],
        source_kind="chuong_trinh_cong_tac",
        source=provincial_decision(),
        category="xay_dung_dang",
        name="Kết nạp đảng viên mới",
        direction="at_least",
        planned=12,
        year=2024,
        adopted_on=date(2024, 1, 10),
        actor=ACTOR,
    )
    before = AuditEntry.objects.count()
    response = web_world.client(Role.INSPECTION).get(reverse("web:targets_xlsx"), {"nam": "2024"})
    ws = sheet_of(response)
    assert ws["A1"].value == "ĐÁNH GIÁ THỰC HIỆN CHỈ TIÊU NGHỊ QUYẾT NĂM 2024"
    assert header_of(ws)[:5] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Yêu cầu", "Kế hoạch"]
    (row, *_) = rows_of(ws)
    assert row[1] == "Kết nạp đảng viên mới" and row[4] == 12 and ws["E6"].data_type == "n"
    assert AuditEntry.objects.count() == before  # no personal data: not audited


def test_document_register_leaves_secret_documents_out_without_clearance(web_world):
    c1 = web_world.org_in
    for number, mark in (("10-KH/TU", SecurityMark.NONE), ("11-KH/TU", SecurityMark.SECRET)):
        document_receive(
            org=c1,
            number=number,
            issued_on=date(2024, 3, 1),
            received_on=date(2024, 3, 5),
            issuer_body="Ban Thường vụ Thành ủy",
            title=f"Kế hoạch {number}",
            security_mark=mark,
            actor=ACTOR,
        )
    url = reverse("web:documents_xlsx")
    ws = sheet_of(web_world.client(Role.ORGANIZATION).get(url))  # no clearance
    assert ws["A1"].value == "SỔ VĂN BẢN ĐI, ĐẾN" and ws.freeze_panes == "A7"
    assert header_of(ws, 6)[:3] == ["STT", "Sổ", "Số, ký hiệu"]
    numbers = [r[2] for r in rows_of(ws, 7)]
    assert numbers == ["10-KH/TU"]
    assert rows_of(ws, 7)[0][3] == datetime(2024, 3, 1)
    cleared = sheet_of(web_world.client(Role.LEADERSHIP).get(url))
    assert sorted(r[2] for r in rows_of(cleared, 7)) == ["10-KH/TU", "11-KH/TU"]


def test_units_figures_run_on_the_queue_and_add_up(web_world):
    admit(web_world.tree["w1c2"], date(2021, 6, 1), name="Lê Văn Cường")
    client = web_world.client(Role.OFFICE)
    url = reverse("web:org_units_figures", kwargs={"pk": web_world.tree["w1"].pk})
    assert client.get(url).status_code == 405
    response = client.post(url, {"period": "2023"})
    assert response.status_code == 302
    run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == "SUCCESSFUL"
    download = client.get(reverse("web:task_download", kwargs={"task_id": row.pk}))
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws["A2"].value == "Đảng bộ phường 1 (P1)"
    assert ws["A3"].value == "Từ ngày 01/01/2023 đến ngày 31/12/2023"
    header = header_of(ws)
    end = header.index("Tổng số đảng viên cuối kỳ")
    c1, c2, total, own = rows_of(ws)[:4]
    assert (c1[end], c2[end], total[end], own[end]) == (1, 1, 2, 2)  # counted from the world
    for col in range(3, len(header)):
        assert total[col] == c1[col] + c2[col]


def test_a_refused_period_enqueues_nothing(web_world):
    url = reverse("web:org_units_figures", kwargs={"pk": web_world.tree["w1"].pk})
    response = web_world.client(Role.OFFICE).post(url, {"period": "năm ngoái"})
    assert response.status_code == 400 and not DBTaskResult.objects.exists()


@pytest.mark.parametrize("n", [1, 6])
def test_query_counts_do_not_grow_with_the_rows(web_world, django_assert_num_queries, n):
    candidates(web_world, n)
    for i in range(n):
        admit(web_world.tree["w1c2"], date(2020, 1, 1 + i), name=f"Đảng Viên {i}")
    client = web_world.client(Role.OFFICE)
    client.get(reverse("web:home"))  # the session is warm
    ward = web_world.tree["w1"].pk
    pins = [
        (reverse("web:candidates_xlsx"), 10),
        (reverse("web:badges_xlsx"), 12),
        (reverse("web:grading_grid_xlsx", kwargs={"pk": ward, "year": 2024}), 15),
        (reverse("web:targets_xlsx"), 9),
        (reverse("web:documents_xlsx"), 9),
    ]
    for url, count in pins:
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_a_long_register_export_is_written_on_the_queue_for_its_requester(web_world, monkeypatch):
    monkeypatch.setattr("dangbo.web.register.views.QUEUE_ABOVE", 1)
    admit(web_world.tree["w1c2"], date(2020, 5, 1), name="Đỗ Văn Giang")
    client = web_world.client(Role.OFFICE)
    response = client.post(reverse("web:register_export"))
    assert response.status_code == 302
    task_url = response["Location"]
    assert not AuditEntry.objects.filter(action="register_export").exists()
    run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == "SUCCESSFUL"
    download = client.get(reverse("web:task_download", kwargs={"task_id": row.pk}))
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws["A1"].value == "DANH SÁCH ĐẢNG VIÊN" and ws.freeze_panes == "A7"
    assert [r[1] for r in rows_of(ws, 7)] == ["Nguyễn Văn An", "Đỗ Văn Giang"]
    entry = AuditEntry.objects.get(action="register_export")
    assert entry.actor == "tk_office" and entry.after["rows"] == 2
    assert entry.after["personal_data"] is True
    # personal data: the result is the requester's only
    assert web_world.client(Role.LEADERSHIP).get(task_url).status_code == 404
