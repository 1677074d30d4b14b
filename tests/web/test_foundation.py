"""Sign-in, the gate of every page, the permission table in docs, audit addresses."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role, permission_table_markdown
from dangbo.core.models import AuditEntry
from dangbo.core.request_context import acting_from
from dangbo.core.services import audit
from dangbo.web.context import active_url
from tests.web.browser import sign_in
from tests.web.conftest import PASSWORD

DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_the_documented_permission_table_is_the_one_in_force():
    assert permission_table_markdown() in DOCS.read_text(encoding="utf-8")


def test_it_signs_in_with_the_password_and_refuses_a_wrong_one(web_world, client):
    response = client.post(
        reverse("web:login"), {"username": "tk_office", "password": "sai-mat-khau-1"}
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    response = client.post(reverse("web:login"), {"username": "tk_office", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")


def test_an_anonymous_visitor_is_sent_to_the_sign_in_page(db, client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_a_disabled_account_cannot_sign_in(web_world, client):
    from dangbo.accounts.services import account_disable

    account_disable(user=web_world.users[Role.OFFICE], actor="test")
    response = client.post(reverse("web:login"), {"username": "tk_office", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_unknown_page_is_a_vietnamese_404(web_world):
    response = web_world.client(Role.OFFICE).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_the_navigation_shows_only_what_the_role_may_open(web_world):
    page = web_world.client(Role.ADMIN).get(reverse("web:home")).content.decode()
    assert "Trang chủ" in page
    assert ">Đảng viên<" not in page  # the administrator reads no member records


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("/", "Trang chủ"),
        ("/dai-hoi/", "Đại hội"),
        ("/dai-hoi/12/", "Đại hội"),
        ("/bau-cu/3/lan-bau/", "Đại hội"),
        ("/bao-cao/7/xem-truoc/", "Báo cáo"),
        ("/dang-vien/5/", "Đảng viên"),
        ("/viec-nen/x/", None),
    ],
)
def test_the_navigation_highlights_the_area_of_the_page_by_its_url(path, area):
    urls = {"web:home": "/", "web:congresses": "/dai-hoi/", "web:reports": "/bao-cao/"}
    urls["web:register"] = "/dang-vien/"
    labels = {"web:home": "Trang chủ", "web:congresses": "Đại hội", "web:reports": "Báo cáo"}
    labels["web:register"] = "Đảng viên"
    name = active_url(path, urls)
    assert (labels[name] if name else None) == area


def test_a_congress_page_highlights_its_area_once(web_world):
    page = web_world.client(Role.OFFICE).get("/dai-hoi/moi/").content.decode()
    assert page.count('aria-current="page"') == 1
    assert 'class="active" aria-current="page">Đại hội<' in page


def test_an_audit_row_written_during_a_request_records_its_address(web_world):
    with acting_from("10.0.0.7"):
        audit(actor="x", action="test", obj=web_world.member_in)
    assert AuditEntry.objects.filter(action="test").get().address == "10.0.0.7"


def test_every_static_asset_of_a_page_is_served_by_the_app(web_world):
    html = web_world.client(Role.OFFICE).get(reverse("web:home")).content.decode()
    import re

    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs
    assert not [r for r in refs if r.startswith(("http:", "https:", "//"))]


@pytest.mark.browser
def test_an_office_clerk_signs_in_in_the_browser(web_world, page):
    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    assert page.locator("header").inner_text().count("Trang chủ") == 1
    assert "Người dùng Văn phòng cấp ủy" in page.locator(".who").inner_text()
