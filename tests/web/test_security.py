"""Sign-in security: throttling, CSRF, session expiry, the production checks, and the second
factor of administrators."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from dangbo.accounts.permissions import Role
from dangbo.accounts.second_factor import PENDING_KEY, totp_device
from dangbo.accounts.services import password_set
from dangbo.core.models import AuditEntry
from tests.web.browser import sign_in
from tests.web.conftest import PASSWORD

LOCKED = "Đăng nhập sai quá nhiều lần"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username, password):
    return client.post(reverse("web:login"), {"username": username, "password": password})


# throttling


def test_repeated_failures_lock_the_username_from_that_address(web_world, client):
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        page = _login(client, "tk_office", "sai-mat-khau-1")
        assert page.status_code == 200 and LOCKED not in page.content.decode()
    page = _login(client, "tk_office", "sai-mat-khau-1")
    assert page.status_code == 429 and LOCKED in page.content.decode()
    # even the right password is refused while locked
    page = _login(client, "tk_office", PASSWORD)
    assert page.status_code == 429 and "_auth_user_id" not in client.session
    # another account from the same address is not locked
    assert _login(Client(), "tk_admin", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off_or_a_new_password(web_world, client):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _login(client, "tk_office", "sai-mat-khau-1")
    assert _login(client, "tk_office", PASSWORD).status_code == 429
    later = timezone.now() + timedelta(hours=django_settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later):
        assert _login(Client(), "tk_office", PASSWORD).status_code == 302
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _login(client, "tk_leadership", "sai-mat-khau-1")
    password_set(
        user=web_world.users[Role.LEADERSHIP], password="Mat-khau-moi-2026", actor="tk_admin"
    )
    assert _login(Client(), "tk_leadership", "Mat-khau-moi-2026").status_code == 302


# CSRF, sessions, cookies


def test_a_post_without_the_csrf_token_is_refused(web_world):
    c = Client(enforce_csrf_checks=True)
    assert _login(c, "tk_office", PASSWORD).status_code == 403
    page = c.get(reverse("web:login"))
    token = page.cookies["csrftoken"].value
    response = c.post(
        reverse("web:login"),
        {"username": "tk_office", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_an_idle_session_expires(web_world):
    c = web_world.client(Role.OFFICE)
    assert c.get(reverse("web:home")).status_code == 200
    idle = timezone.now() + timedelta(seconds=django_settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(idle):
        response = c.get(reverse("web:home"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_session_and_cookie_settings():
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert django_settings.SESSION_COOKIE_HTTPONLY
    assert django_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert "django.middleware.csrf.CsrfViewMiddleware" in django_settings.MIDDLEWARE


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DANGBO_", "DJANGO_"))}
    environment.update(
        DANGBO_VAR_DIR=str(tmp_path),
        DANGBO_DEBUG="0",
        DANGBO_SECRET_KEY=secrets.token_urlsafe(60),
        DANGBO_ALLOWED_HOSTS="dangbo.phuong.vn",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "dangbo.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_the_deploy_checks(tmp_path):
    done = _check_deploy(tmp_path, DANGBO_SECURE="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout and "WARNING" not in done.stderr


def test_without_the_switch_the_deploy_checks_warn(tmp_path):
    done = _check_deploy(tmp_path, DANGBO_SECURE="0")
    assert done.returncode != 0
    assert "security.W004" in done.stderr  # no HSTS over plain http


# second factor


def _code(device, at=None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def _enrol(client) -> object:
    setup = reverse("web:totp_setup")
    assert client.post(setup, {"start": "1"}).status_code == 302
    page = client.get(setup).content.decode()
    assert "<svg" in page and "otpauth" not in page  # the QR code is drawn inline
    user = client.session["_auth_user_id"]
    from django.contrib.auth import get_user_model

    device = totp_device(get_user_model().objects.get(pk=user), confirmed=False)
    wrong = client.post(setup, {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    # after a wrong code the device waits a moment before it checks another (django-otp)
    later = timezone.now() + timedelta(seconds=5)
    with time_machine.travel(later):
        assert client.post(setup, {"token": _code(device, later)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_an_administrator_enrols_and_must_then_give_the_code(web_world):
    admin = web_world.client(Role.ADMIN)
    device = _enrol(admin)
    row = AuditEntry.objects.get(action="totp_enrol")
    assert row.actor == "tk_admin" and row.after == {"xac_thuc_hai_buoc": True}

    c = Client()
    assert _login(c, "tk_admin", PASSWORD).status_code == 302
    assert c.session[PENDING_KEY]
    response = c.get(reverse("web:accounts"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:totp_verify"))
    page = c.get(response["Location"])
    assert page.status_code == 200 and "Nhập mã xác thực" in page.content.decode()
    assert c.post(reverse("web:accounts")).status_code == 302  # no write either
    wrong = c.post(reverse("web:totp_verify"), {"token": "12", "next": "/tai-khoan/"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    later = timezone.now() + timedelta(seconds=90)  # a code not used at enrolment
    with time_machine.travel(later):
        done = c.post(
            reverse("web:totp_verify"), {"token": _code(device, later), "next": "/tai-khoan/"}
        )
    assert done.status_code == 302 and done["Location"] == "/tai-khoan/"
    assert PENDING_KEY not in c.session
    assert c.get(reverse("web:accounts")).status_code == 200


def test_an_external_next_is_not_followed(web_world):
    admin = web_world.client(Role.ADMIN)
    device = _enrol(admin)
    c = Client()
    _login(c, "tk_admin", PASSWORD)
    later = timezone.now() + timedelta(seconds=90)
    with time_machine.travel(later):
        done = c.post(
            reverse("web:totp_verify"),
            {"token": _code(device, later), "next": "https://example.com/"},
        )
    assert done["Location"] == reverse("web:home")


def test_accounts_without_a_device_sign_in_with_the_password_alone(web_world, client):
    assert _login(client, "tk_admin", PASSWORD).status_code == 302
    assert PENDING_KEY not in client.session
    assert client.get(reverse("web:accounts")).status_code == 200


def test_another_administrator_removes_a_lost_device(web_world):
    from datetime import date

    from dangbo.accounts.services import account_create

    _enrol(web_world.client(Role.ADMIN))
    admin = web_world.users[Role.ADMIN]
    account_create(
        username="tk_admin2",
        password=PASSWORD,
        role=Role.ADMIN,
        org=web_world.tree["w1"],
        valid_from=date(2020, 1, 1),
        actor="dòng lệnh",
    )
    other = Client()
    assert _login(other, "tk_admin2", PASSWORD).status_code == 302
    url = reverse("web:account_totp_remove", args=[admin.pk])
    assert other.post(url).status_code == 302
    assert totp_device(admin) is None
    assert AuditEntry.objects.filter(action="totp_remove", actor="tk_admin2").exists()
    response = other.post(url)  # nothing left to remove: a message, nothing written
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="totp_remove").count() == 1


# in a browser


@pytest.mark.browser
def test_sign_in_and_out_in_a_browser(page, web_world):
    sign_in(page, "tk_office", "sai-mat-khau-1")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.content()
    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    assert "Đăng xuất" in page.content()
    page.click("text=Đăng xuất")
    page.wait_for_url("**/dang-nhap/")
    page.goto(reverse("web:home"))
    assert "/dang-nhap/" in page.url


@pytest.mark.browser
def test_a_browser_is_locked_out_after_repeated_failures(page, web_world):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(page, "tk_office", "sai-mat-khau-1")
    assert LOCKED in page.content()
    sign_in(page, "tk_office")
    assert LOCKED in page.content() and "Đăng xuất" not in page.content()


@pytest.mark.browser
def test_an_administrator_turns_on_the_second_factor_in_a_browser(page, web_world):
    import base64
    import time

    sign_in(page, "tk_admin")
    page.goto(reverse("web:accounts"))
    page.click("text=Xác thực hai bước của tôi")
    page.click("button[name=start]")
    assert page.locator(".qr svg").count() == 1
    key = base64.b32decode(page.inner_text("main code").strip())

    def code(offset: int) -> str:
        totp = TOTP(key)
        totp.time = time.time() + offset
        return f"{totp.token():06d}"

    page.fill("#id_token", code(0))
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=Đã bật xác thực hai bước.")

    page.click("text=Đăng xuất")
    sign_in(page, "tk_admin")
    page.wait_for_url("**/xac-thuc-hai-buoc/nhap-ma/**")
    page.goto(reverse("web:audit"))
    assert "/xac-thuc-hai-buoc/nhap-ma/" in page.url
    # the next time step's code: within the tolerance, and not the one used to enrol
    page.fill("#id_token", code(30))
    page.click("button[type=submit].primary")
    page.wait_for_url("**" + reverse("web:audit"))
    assert "Bật xác thực hai bước" in page.inner_text("table.audit")
