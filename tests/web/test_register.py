"""The member register page: search link, filters, htmx fragment, pages, masking, export."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangbo.accounts.masking import mask_citizen_id, mask_phone
from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.membership.models import Member
from tests.conftest import admit
from tests.web.browser import sign_in

URL = "/dang-vien/"


def add_members(world, n: int, cell_key: str = "w1c1", start: int = 0) -> None:
    for i in range(start, start + n):
        admit(
            world.tree[cell_key],
            date(2022, 1, 1),
            name=f"Lê Thị Số {i:03d}",
            gender="nu",
            citizen_id=f"0791900{i:05d}",
            phone=f"09120{i:05d}",
        )


def names(response) -> list[str]:
    return [m.person.full_name for m in response.context["page"].rows]


def test_the_url_names_and_the_search_link(web_world):
    assert reverse("web:register") == URL
    response = web_world.client(Role.OFFICE).get(URL, {"q": "nguyen van an"})
    assert response.status_code == 200
    assert names(response) == ["Nguyễn Văn An"]  # P2's Trần Thị Bình is out of scope
    html = response.content.decode()
    assert 'value="nguyen van an"' in html
    assert (
        f"/thanh-vien/{web_world.member_in.pk}/" in html
        or reverse("web:member", kwargs={"pk": web_world.member_in.pk}) in html
    )
    assert "Trần Thị Bình" not in web_world.client(Role.OFFICE).get(URL).content.decode()


def test_an_htmx_request_gets_the_fragment_only(web_world):
    c = web_world.client(Role.CELL_SECRETARY)
    response = c.get(URL, {"q": "an"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Nguyễn Văn An" in html
    assert "<html" in c.get(URL, {"q": "an"}).content.decode()


def test_filters_and_unknown_values(web_world):
    add_members(web_world, 3)
    c = web_world.client(Role.OFFICE)
    assert len(names(c.get(URL, {"gender": "nu"}))) == 3
    assert names(c.get(URL, {"gender": "nam"})) == ["Nguyễn Văn An"]
    # an unknown value is left out, not an error
    response = c.get(URL, {"gender": "x", "age": "zz", "cell": "abc"})
    assert response.status_code == 200 and len(names(response)) == 4
    cell = web_world.tree["w1c2"].pk
    assert names(c.get(URL, {"cell": cell})) == []


def test_next_and_previous_pages_follow_the_cursor(web_world, monkeypatch):
    monkeypatch.setattr("dangbo.web.register.views.PAGE_SIZE", 2)
    add_members(web_world, 4)
    c = web_world.client(Role.OFFICE)
    first = c.get(URL, {"gender": "nu"})
    assert names(first) == ["Lê Thị Số 000", "Lê Thị Số 001"]
    assert first.context["prev_url"] is None
    second = c.get(first.context["next_url"])
    assert names(second) == ["Lê Thị Số 002", "Lê Thị Số 003"]
    assert "gender=nu" in first.context["next_url"]
    assert second.context["next_url"] is None
    assert names(c.get(second.context["prev_url"])) == names(first)
    assert "Trang sau" in first.content.decode()


def test_personal_data_is_masked_unless_the_role_may_read_it(web_world):
    add_members(web_world, 1)
    full_id, phone = "079190000000", "0912000000"
    # a leader reads the register masked and cannot unmask it
    html = web_world.client(Role.LEADERSHIP).get(URL, {"pd": "1"}).content.decode()
    assert full_id not in html and mask_citizen_id(full_id) in html
    assert phone not in html and mask_phone(phone) in html
    assert "Hiện số CCCD" not in html
    # the office sees it masked first, then shows it: audited
    c = web_world.client(Role.OFFICE)
    assert full_id not in c.get(URL).content.decode()
    before = AuditEntry.objects.count()
    html = c.get(URL, {"pd": "1"}).content.decode()
    assert full_id in html and phone in html
    entry = AuditEntry.objects.order_by("pk").last()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "register_view_personal_data" and entry.actor == "tk_office"
    assert len(entry.after["members"]) == 2


def test_masks():
    assert mask_citizen_id("079190001234") == "•••••••••234"
    assert mask_phone("0912345678") == "•••••••678"
    assert mask_phone("") == "" and mask_citizen_id(None) == ""
    assert mask_phone("123") == "•••"


@pytest.mark.parametrize("n", [5, 50])
def test_the_query_count_does_not_grow_with_the_members(web_world, django_assert_num_queries, n):
    add_members(web_world, n - 1)
    add_members(web_world, 2, "w1c2", start=n)
    c = web_world.client(Role.OFFICE)
    c.get(URL)  # the session is read once signed in
    # session, user, assignments, scope, cells of the filter, the page, the count, the
    # rows' cell names
    with django_assert_num_queries(8):
        response = c.get(URL)
    assert len(names(response)) == min(50, n + 2)


def test_the_export_is_audited_with_the_filter_and_the_rows(web_world):
    add_members(web_world, 3)
    c = web_world.client(Role.OFFICE)
    before = AuditEntry.objects.count()
    shown = c.get(reverse("web:register_export"), {"gender": "nu"})  # the button, no write
    assert shown.status_code == 200 and AuditEntry.objects.count() == before
    assert "Xuất Excel" in shown.content.decode()
    response = c.post(reverse("web:register_export") + "?gender=nu")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][0] == "DANH SÁCH ĐẢNG VIÊN"
    assert rows[1][0] == "Đảng bộ phường 1"
    assert rows[2][0] == "Điều kiện lọc: Giới tính: Nữ"
    assert rows[3][0].startswith("Ngày xuất: ") and rows[3][0].endswith("3 đảng viên")
    header = rows[5]
    assert header[:3] == ["STT", "Họ và tên", "Ngày sinh"] and header[-2:] == [
        "Số CCCD",
        "Điện thoại",
    ]
    assert ws.freeze_panes == "A7"
    body = rows[6:]
    assert [r[1] for r in body] == ["Lê Thị Số 000", "Lê Thị Số 001", "Lê Thị Số 002"]
    assert body[0][-2:] == ["079190000000", "0912000000"]
    entry = AuditEntry.objects.order_by("pk").last()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "register_export" and entry.actor == "tk_office"
    assert entry.after == {
        "filter": {"Giới tính": "Nữ"},
        "rows": 3,
        "personal_data": True,
        "format": "xlsx",
    }


def test_a_leader_exports_without_personal_data(web_world):
    response = web_world.client(Role.LEADERSHIP).post(reverse("web:register_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in list(ws.iter_rows())[5]]
    assert "Số CCCD" not in header and "Điện thoại" not in header
    assert AuditEntry.objects.order_by("pk").last().after["personal_data"] is False


def test_an_export_too_long_is_refused_and_not_audited(web_world, monkeypatch):
    monkeypatch.setattr("dangbo.web.register.export.EXPORT_LIMIT", 0)
    before = AuditEntry.objects.count()
    response = web_world.client(Role.OFFICE).post(reverse("web:register_export") + "?q=an")
    assert response.status_code == 302 and response["Location"] == URL + "?q=an"
    assert AuditEntry.objects.count() == before
    assert Member.objects.count() == 2


@pytest.mark.browser
def test_typing_in_the_search_box_updates_the_table_and_the_url(web_world, page):
    add_members(web_world, 3)
    sign_in(page, "tk_office")
    page.goto(URL)
    assert page.locator("table.register tbody tr").count() == 4
    page.fill("#id_q", "nguyen van")
    page.wait_for_url("**q=nguyen+van**")
    page.wait_for_function("document.querySelectorAll('table.register tbody tr').length === 1")
    assert page.locator("table.register tbody tr").inner_text().startswith("Nguyễn Văn An")
    assert page.locator("#id_q").input_value() == "nguyen van"


def test_a_scope_too_large_to_list_its_cells_still_filters_by_cell(web_world, monkeypatch):
    monkeypatch.setattr("dangbo.web.register.views.CELL_LIST_LIMIT", 1)
    add_members(web_world, 2, "w1c2")
    c = web_world.client(Role.OFFICE)
    response = c.get(URL, {"cell": web_world.tree["w1c2"].pk})
    assert len(names(response)) == 2
    html = response.content.decode()
    assert 'name="cell" id="id_cell"' not in html
    assert f'<input type="hidden" name="cell" value="{web_world.tree["w1c2"].pk}">' in html


def test_a_large_scope_is_passed_as_a_subquery_with_the_same_rows(web_world, monkeypatch):
    add_members(web_world, 3)
    c = web_world.client(Role.OFFICE)
    small = names(c.get(URL))
    monkeypatch.setattr("dangbo.web.register.views.SMALL_SCOPE", 1)
    monkeypatch.setattr("dangbo.web.register.views.CELL_LIST_LIMIT", 1)
    assert names(c.get(URL)) == small and len(small) == 4
    response = c.post(reverse("web:register_export"))
    assert response.status_code == 200
