"""Account administration: the services' refusals and audit rows, the pages, the scope of an
administrator, pinned query counts, and the end-to-end flow in a browser."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dangbo.accounts import services
from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.permissions import Action, Role
from dangbo.accounts.scope import scope_org_ids
from dangbo.accounts.selectors import accounts_visible, audit_visible, is_root_level
from dangbo.core.errors import InvalidInput
from dangbo.core.models import AuditEntry
from tests.web.browser import sign_in
from tests.web.conftest import PASSWORD

User = get_user_model()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """The web world hashes seven passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


NEW_PASSWORD = "Mot-mat-khau-moi-2026"


def _admin(world):
    return world.users[Role.ADMIN]


def _within(world):
    return scope_org_ids(_admin(world), Action.MANAGE_ACCOUNTS)


def _create(world, username="tk_moi", org=None, **kw):
    args = {
        "username": username,
        "password": NEW_PASSWORD,
        "role": Role.OFFICE,
        "org": org or world.tree["w1c2"],
        "valid_from": date(2026, 1, 1),
        "actor": "tk_admin",
        "within": _within(world),
    }
    args.update(kw)
    return services.account_create(**args)


def _refusal(call) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value


# services


def test_create_audits_the_account_and_its_role(web_world):
    user = _create(web_world)
    rows = list(AuditEntry.objects.filter(actor="tk_admin").order_by("pk"))
    assert [r.action for r in rows] == ["account_create", "role_assign"]
    assert rows[0].object_id == str(user.pk) and rows[0].after == {"username": "tk_moi"}
    assert rows[1].after["role"] == "office" and rows[1].after["user"] == "tk_moi"
    assert "password" not in str(rows[0].after) and NEW_PASSWORD not in str(rows)


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"username": "tk_office"}, "username", "đã có người dùng"),
        ({"username": "TK_OFFICE"}, "username", "đã có người dùng"),
        ({"username": "có dấu cách"}, "username", "Tên đăng nhập chỉ gồm"),
        ({"password": "123"}, "password", "Mật khẩu quá ngắn"),
        ({"password": "12345678901234"}, "password", "hoàn toàn là số"),
        ({"password": "password1234"}, "password", "quá phổ biến"),
        ({"valid_to": date(2025, 1, 1)}, "valid_to", "«Đến ngày» phải sau"),
        ({"org": "w2c1"}, "org", "ngoài phạm vi"),
        ({"role": "boss"}, "role", "Vai trò «boss» không có"),
    ],
)
def test_create_refuses_with_a_message_beside_the_field(web_world, change, field, words):
    if change.get("org") == "w2c1":
        change = {"org": web_world.tree["w2c1"]}
    before = (User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count())
    exc = _refusal(lambda: _create(web_world, **change))
    assert exc.field == field and words in exc.message
    after = (User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count())
    assert after == before  # nothing partial


def test_the_password_may_not_look_like_the_username(web_world):
    exc = _refusal(lambda: _create(web_world, username="nguyenvanan", password="nguyenvanan1"))
    assert exc.field == "password" and "quá giống" in exc.message


def test_nobody_changes_their_own_roles_or_locks_themselves_out(web_world):
    admin = _admin(web_world)
    exc = _refusal(
        lambda: services.role_assign(
            user=admin,
            role=Role.ADMIN,
            org=web_world.tree["w1"],
            valid_from=date(2026, 1, 1),
            actor="tk_admin",
            within=_within(web_world),
        )
    )
    assert exc.field == "role" and "chính mình" in exc.message
    own = admin.role_assignments.get()
    assert (
        "chính mình"
        in _refusal(
            lambda: services.role_end(assignment=own, on=date(2026, 1, 1), actor="tk_admin")
        ).message
    )
    assert (
        "chính mình"
        in _refusal(lambda: services.account_disable(user=admin, actor="tk_admin")).message
    )


def test_a_role_is_granted_only_within_the_administrators_scope(web_world):
    office = web_world.users[Role.OFFICE]
    exc = _refusal(
        lambda: services.role_assign(
            user=office,
            role=Role.ADMIN,
            org=web_world.tree["city"],
            valid_from=date(2026, 1, 1),
            actor="tk_admin",
            within=_within(web_world),
        )
    )
    assert exc.field == "org"
    assert office.role_assignments.count() == 1


def test_end_a_role(web_world):
    assignment = web_world.users[Role.OFFICE].role_assignments.get()
    exc = _refusal(
        lambda: services.role_end(assignment=assignment, on=date(2019, 1, 1), actor="tk_admin")
    )
    assert exc.field == "valid_to" and "từ ngày bắt đầu" in exc.message
    services.role_end(assignment=assignment, on=date(2026, 6, 30), actor="tk_admin")
    assignment.refresh_from_db()
    assert assignment.valid_to == date(2026, 6, 30)
    row = AuditEntry.objects.get(action="role_end")
    assert row.before == {"to": None} and row.after["to"] == "2026-06-30"
    exc = _refusal(
        lambda: services.role_end(assignment=assignment, on=date(2026, 7, 1), actor="tk_admin")
    )
    assert "đã kết thúc" in exc.message


def test_disable_enable_and_password(web_world):
    office = web_world.users[Role.OFFICE]
    services.account_disable(user=office, actor="tk_admin")
    assert (
        "đã bị khóa"
        in _refusal(lambda: services.account_disable(user=office, actor="tk_admin")).message
    )
    services.account_enable(user=office, actor="tk_admin")
    assert (
        "đang hoạt động"
        in _refusal(lambda: services.account_enable(user=office, actor="tk_admin")).message
    )
    assert _refusal(
        lambda: services.password_set(user=office, password="abc", actor="tk_admin")
    ).field == ("password")
    services.password_set(user=office, password=NEW_PASSWORD, actor="tk_admin")
    office.refresh_from_db()
    assert office.check_password(NEW_PASSWORD)
    actions = list(
        AuditEntry.objects.filter(actor="tk_admin").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["account_disable", "account_enable", "password_set"]


# scope


def test_an_administrator_sees_only_accounts_wholly_in_scope(web_world):
    admin = _admin(web_world)
    outside = _create(web_world, username="tk_p2", org=web_world.tree["w2"], within=None)
    straddling = _create(web_world, username="tk_hai_noi")
    services.role_assign(
        user=straddling,
        role=Role.LEADERSHIP,
        org=web_world.tree["w2"],
        valid_from=date(2026, 1, 1),
        actor="dòng lệnh",
    )
    names = set(accounts_visible(admin).values_list("username", flat=True))
    assert names == {u.username for u in web_world.users.values()}
    assert outside.username not in names and straddling.username not in names
    assert not is_root_level(admin, Action.MANAGE_ACCOUNTS)


def test_a_root_level_administrator_sees_every_account_and_audit_row(web_world):
    root = _create(
        web_world, username="tk_goc", role=Role.ADMIN, org=web_world.tree["city"], within=None
    )
    assert is_root_level(root, Action.MANAGE_ACCOUNTS)
    assert accounts_visible(root).count() == User.objects.count()
    assert audit_visible(root).count() == AuditEntry.objects.count()


def test_nobody_without_the_action_sees_any_account(web_world):
    assert not accounts_visible(web_world.users[Role.OFFICE]).exists()


# pages


def test_create_page_makes_the_account_and_shows_refusals_beside_fields(web_world):
    c = web_world.client(Role.ADMIN)
    url = reverse("web:account_create")
    form = {
        "username": "tk_moi",
        "full_name": "Nguyễn Thị Mới",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "role": "office",
        "org": "P1-C2",
        "valid_from": "2026-01-01",
    }
    bad = {**form, "org": "KHONG-CO", "password2": "khac"}
    page = c.post(url, bad)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Không tìm thấy tổ chức đảng có mã hoặc số hiệu «KHONG-CO»" in text
    assert "Hai lần nhập mật khẩu không khớp nhau." in text
    page = c.post(url, {**form, "org": "P2-C1"})
    assert page.status_code == 200 and "ngoài phạm vi" in page.content.decode()
    page = c.post(url, {**form, "valid_to": "2025-12-31"})
    assert "«Đến ngày» phải sau" in page.content.decode()
    assert not User.objects.filter(username="tk_moi").exists()
    page = c.post(url, form)
    user = User.objects.get(username="tk_moi")
    assert page.status_code == 302 and page["Location"] == reverse("web:account", args=[user.pk])
    assert AuditEntry.objects.filter(actor="tk_admin", action="account_create").exists()
    assert AuditEntry.objects.get(actor="tk_admin", action="account_create").address == "127.0.0.1"


def test_detail_page_adds_and_ends_roles(web_world):
    c = web_world.client(Role.ADMIN)
    office = web_world.users[Role.OFFICE]
    url = reverse("web:account_role_add", args=[office.pk])
    page = c.post(
        url,
        {
            "role-role": "leadership",
            "role-org": "P1",
            "role-valid_from": "2026-02-01",
            "role-valid_to": "2026-01-01",
        },
    )
    assert page.status_code == 200 and "«Đến ngày» phải sau" in page.content.decode()
    page = c.post(
        url, {"role-role": "leadership", "role-org": "P1", "role-valid_from": "2026-02-01"}
    )
    assert page.status_code == 302
    added = office.role_assignments.get(role="leadership")
    end = reverse("web:account_role_end", args=[office.pk, added.pk])
    page = c.post(end, {f"end{added.pk}-valid_to": "2026-01-01"})
    assert page.status_code == 200 and "từ ngày bắt đầu (01/02/2026)" in page.content.decode()
    page = c.post(end, {f"end{added.pk}-valid_to": "2026-03-01"})
    assert page.status_code == 302
    added.refresh_from_db()
    assert added.valid_to == date(2026, 3, 1)


def test_an_administrator_cannot_edit_their_own_roles_on_the_page(web_world):
    admin = _admin(web_world)
    c = web_world.client(Role.ADMIN)
    page = c.get(reverse("web:account", args=[admin.pk])).content.decode()
    assert "Giao thêm vai trò" not in page and "Khóa tài khoản" not in page
    page = c.post(
        reverse("web:account_role_add", args=[admin.pk]),
        {"role-role": "admin", "role-org": "P1", "role-valid_from": "2026-01-01"},
    )
    assert page.status_code == 200 and "chính mình" in page.content.decode()
    assert admin.role_assignments.count() == 1


def test_disable_enable_and_reset_password_pages(web_world):
    c = web_world.client(Role.ADMIN)
    office = web_world.users[Role.OFFICE]
    c.post(reverse("web:account_active", args=[office.pk]), {"active": "0"})
    office.refresh_from_db()
    assert not office.is_active
    c.post(reverse("web:account_active", args=[office.pk]), {"active": "1"})
    office.refresh_from_db()
    assert office.is_active
    url = reverse("web:account_password", args=[office.pk])
    page = c.post(url, {"password": "1234", "password2": "1234"})
    assert page.status_code == 200 and "Mật khẩu quá ngắn" in page.content.decode()
    assert c.post(url, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302
    office.refresh_from_db()
    assert office.check_password(NEW_PASSWORD)


def _more_accounts(world, n):
    for i in range(n):
        org = world.tree["w1c1"] if i % 2 else world.tree["w1"]
        user = _create(world, username=f"tk_them_{i}", org=org)
        services.role_assign(
            user=user,
            role=Role.LEADERSHIP,
            org=world.tree["w1c2"],
            valid_from=date(2026, 1, 1),
            actor="tk_admin",
        )


@pytest.mark.parametrize("extra", [0, 12])
def test_the_account_list_query_count_does_not_grow(web_world, django_assert_num_queries, extra):
    _more_accounts(web_world, extra)
    c = web_world.client(Role.ADMIN)
    url = reverse("web:accounts")
    # session, user, own assignments, root level, accounts (with their second factor), their
    # assignments, the organizations' names; the session saved (two)
    with django_assert_num_queries(7):
        page = c.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('href="/tai-khoan/') >= 6 + extra


@pytest.mark.parametrize("extra", [0, 5])
def test_the_account_page_query_count_does_not_grow(web_world, django_assert_num_queries, extra):
    office = web_world.users[Role.OFFICE]
    for i in range(extra):
        services.role_assign(
            user=office,
            role=Role.LEADERSHIP,
            org=web_world.tree["w1c2"],
            valid_from=date(2026, 1, 1 + i),
            actor="tk_admin",
        )
    c = web_world.client(Role.ADMIN)
    # session, user, own assignments, root level, the account, its assignments, the
    # organizations' names, its second factor, its API tokens; the session saved (two)
    with django_assert_num_queries(9):
        assert c.get(reverse("web:account", args=[office.pk])).status_code == 200


# in a browser


@pytest.mark.browser
def test_an_administrator_creates_an_account_and_its_user_signs_in(page, web_world):
    sign_in(page, "tk_admin")
    page.goto(reverse("web:accounts"))
    page.click("text=Thêm tài khoản")
    page.fill("#id_username", "tk_trinh")
    page.fill("#id_full_name", "Lê Văn Trình")
    page.fill("#id_password", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.select_option("#id_role", "office")
    page.fill("#id_org", "P1-C2")
    page.fill("#id_valid_from", "2026-01-01")
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=Đã tạo tài khoản «tk_trinh».")
    assert "Chi bộ TDP 2 phường 1 (P1-C2)" in page.content()

    page.goto(reverse("web:audit"))
    rows = page.locator("table.audit tbody tr")
    assert "Giao vai trò" in rows.nth(0).inner_text()
    assert "tk_trinh" in rows.nth(1).inner_text() and "Tạo tài khoản" in rows.nth(1).inner_text()
    assert "tk_admin" in rows.nth(1).inner_text() and "127.0.0.1" in rows.nth(1).inner_text()

    page.click("text=Đăng xuất")
    sign_in(page, "tk_trinh", NEW_PASSWORD)
    page.wait_for_url("**/")
    assert "Lê Văn Trình" in page.locator(".who").inner_text()
    assert PASSWORD  # the world's accounts keep theirs
