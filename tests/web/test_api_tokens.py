"""The API token pages: a token created (its secret shown once, only its hash kept, audited),
listed, revoked after confirmation (by its owner or an administrator of its account), then
refused by the API; pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.api.models import ApiToken
from dangbo.api.tokens import token_create, token_hash
from dangbo.core.models import AuditEntry
from tests.conftest import ACTOR


def _secret(page) -> str:
    html = page.content.decode()
    start = html.index('id="token-secret">') + len('id="token-secret">')
    return html[start : html.index("<", start)]


def test_a_token_is_shown_once_and_works_until_revoked(web_world, client):
    c = web_world.client(Role.CELL_SECRETARY)
    page = c.post(reverse("web:api_tokens"), {"name": "Cổng thông tin"})
    assert page.status_code == 200
    secret = _secret(page)
    assert "sao chép mã này ngay" in page.content.decode()
    token = ApiToken.objects.get(user=web_world.users[Role.CELL_SECRETARY])
    assert token.token_hash == token_hash(secret) and token.name == "Cổng thông tin"
    assert AuditEntry.objects.filter(action="api_token_create", actor="tk_cell_secretary").exists()

    listed = c.get(reverse("web:api_tokens")).content.decode()
    assert secret not in listed and f"{token.prefix}…" in listed and "Cổng thông tin" in listed

    api = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/orgs", **api).status_code == 200

    url = reverse("web:api_token_revoke", args=[token.pk])
    assert "Thu hồi mã" in c.get(url).content.decode()
    assert c.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token_revoke").count() == 1
    assert client.get("/api/orgs", **api).status_code == 401
    assert "Đã thu hồi" in c.get(reverse("web:api_tokens")).content.decode()

    again = c.post(url, follow=True).content.decode()  # revoked twice: a message, no write
    assert "đã bị thu hồi" in again
    assert AuditEntry.objects.filter(action="api_token_revoke").count() == 1


def test_a_name_too_long_is_refused_beside_its_field(web_world):
    c = web_world.client(Role.OFFICE)
    page = c.post(reverse("web:api_tokens"), {"name": "x" * 81})
    assert page.status_code == 200 and 'id="token-secret"' not in page.content.decode()
    assert not ApiToken.objects.exists()


def test_an_administrator_revokes_a_token_from_the_account_page(web_world):
    office = web_world.users[Role.OFFICE]
    token = token_create(user=office, name="Kịch bản", actor=ACTOR).token
    c = web_world.client(Role.ADMIN)
    account_url = reverse("web:account", args=[office.pk])
    assert f"{token.prefix}…" in c.get(account_url).content.decode()
    revoke = reverse("web:api_token_revoke", args=[token.pk])
    assert c.post(revoke, {"next": account_url})["Location"] == account_url
    token.refresh_from_db()
    assert token.revoked_at is not None
    # another user's token is nobody else's business
    other = token_create(user=web_world.users[Role.LEADERSHIP], actor=ACTOR).token
    own = web_world.client(Role.OFFICE)
    assert own.get(reverse("web:api_token_revoke", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 6])
def test_the_token_page_query_count_does_not_grow(web_world, django_assert_num_queries, extra):
    user = web_world.users[Role.LEADERSHIP]
    for i in range(extra):
        token_create(user=user, name=f"mã {i}", actor=ACTOR)
    c = web_world.client(Role.LEADERSHIP)
    # session, user, own assignments (navigation), the tokens
    with django_assert_num_queries(4):
        page = c.get(reverse("web:api_tokens"))
    assert page.content.decode().count("<code>dgb_") == extra
