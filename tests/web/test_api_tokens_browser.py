"""End to end in the browser: a user creates an API token on «Mã truy cập API», sees its
secret once (and the API answers it), then revokes it and the API refuses it."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from dangbo.api.models import ApiToken
from tests.web.browser import sign_in


def api_status(base: str, secret: str) -> int:
    """The status of ``GET /api/orgs`` with the token alone (no session cookie)."""
    request = urllib.request.Request(
        f"{base}/api/orgs", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.browser
def test_create_a_token_see_it_once_and_revoke_it(web_world, page, live_server):
    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    page.goto("/ma-truy-cap/")
    assert "Chưa có mã truy cập nào." in page.locator("main").inner_text()

    page.fill("#id_name", "Cổng thông tin")
    page.click("button[type=submit]:has-text('Tạo mã')")
    secret = page.locator("#token-secret").inner_text().strip()
    assert len(secret) > 20
    assert "Mã chỉ hiện một lần" in page.locator(".token-once").inner_text()
    token = ApiToken.objects.get()
    assert secret not in {str(v) for v in vars(token).values()}  # only its hash is kept
    assert api_status(live_server.url, secret) == 200

    page.goto("/ma-truy-cap/")  # once: the list shows its prefix, never the secret again
    assert page.locator("#token-secret").count() == 0
    assert secret not in page.content()
    row = page.locator("tbody tr", has_text="Cổng thông tin")
    assert "Đang dùng được" in row.inner_text()
    assert f"{token.prefix}…" in row.inner_text()

    row.locator("a:has-text('Thu hồi')").click()
    page.wait_for_url("**/thu-hoi/**")
    assert "không hoàn tác được" in page.locator("main").inner_text()
    page.click("button[type=submit]:has-text('Thu hồi mã')")
    page.wait_for_url("**/ma-truy-cap/")
    assert "Đã thu hồi mã truy cập" in page.locator(".messages").inner_text()
    row = page.locator("tbody tr", has_text="Cổng thông tin")
    assert "Đã thu hồi" in row.inner_text()
    assert row.locator("a:has-text('Thu hồi')").count() == 0
    assert api_status(live_server.url, secret) == 401
