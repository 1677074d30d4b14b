"""API writes: idempotency keys (a retry writes once; a key reused with another body is
refused) and the 422 body of a broken rule."""

from __future__ import annotations

from dangbo.accounts.permissions import Role
from dangbo.api.models import IdempotencyKey
from dangbo.core.models import AuditEntry
from dangbo.membership.models import MemberEvent

CARD = {"kind": "mien", "effective_on": "2024-05-01", "details": {"reason": "Ốm dài ngày"}}


def _post(client, url, body, key):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, body, content_type="application/json", headers=headers)


def test_a_retried_write_is_written_once(api_world):
    client = api_world.client(Role.OFFICE)
    member = api_world.web.member_in
    url = f"/api/members/{member.pk}/events"
    before = MemberEvent.objects.filter(member=member).count()
    first = _post(client, url, CARD, "the-same-key")
    assert first.status_code == 201, first.content
    audits = AuditEntry.objects.count()
    again = _post(client, url, CARD, "the-same-key")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert MemberEvent.objects.filter(member=member).count() == before + 1
    assert AuditEntry.objects.count() == audits
    assert first.json()["kind"] == "mien" and first.json()["actor"] == "tk_office"


def test_the_same_key_with_another_body_is_refused(api_world):
    client = api_world.client(Role.OFFICE)
    url = f"/api/members/{api_world.web.member_in.pk}/events"
    assert _post(client, url, CARD, "k1").status_code == 201
    other = _post(client, url, {**CARD, "effective_on": "2024-05-02"}, "k1")
    assert other.status_code == 422
    assert other.json()["code"] == "khoa_idempotency_da_dung"
    assert "đã được dùng" in other.json()["message"]


def test_a_key_is_required_and_belongs_to_its_user(api_world):
    url = f"/api/members/{api_world.web.member_in.pk}/events"
    missing = _post(api_world.client(Role.OFFICE), url, CARD, None)
    assert missing.status_code == 422
    assert missing.json()["field"] == "Idempotency-Key"
    assert _post(api_world.client(Role.OFFICE), url, CARD, "shared").status_code == 201
    # another account's key of the same text is its own key: a second write, refused by the
    # ledger (the card is already issued) — not the first account's stored answer
    second = _post(api_world.client(Role.ORGANIZATION), url, CARD, "shared")
    assert IdempotencyKey.objects.filter(key="shared").count() == 2
    assert second.status_code in (201, 422)


def test_a_rule_violation_is_a_422_with_code_message_regulation_and_field(api_world):
    client = api_world.client(Role.OFFICE)
    member = api_world.web.member_in  # admitted 1/3/2021: recognised before probation ends
    url = f"/api/members/{member.pk}/events"
    body = {"kind": "chinh_thuc", "effective_on": "2021-06-01"}
    before = MemberEvent.objects.filter(member=member).count()
    response = _post(client, url, body, "early")
    assert response.status_code == 422
    data = response.json()
    assert set(data) == {"code", "message", "regulation", "field", "violations"}
    assert data["code"] and data["message"] and data["regulation"]
    assert data["violations"][0]["code"] == data["code"]
    assert MemberEvent.objects.filter(member=member).count() == before
    # the refusal is stored: the retry gets the same answer and writes nothing
    assert _post(client, url, body, "early").json() == data


def test_a_domain_refusal_names_its_field(api_world):
    client = api_world.client(Role.OFFICE)
    url = f"/api/targets/{api_world.ids(True)['target_id']}/evaluations"
    body = {"kind": "nam", "period_start": "2024-01-01", "period_end": "2024-12-31", "actual": 3}
    assert _post(client, url, body, "e1").status_code == 201
    again = _post(client, url, {**body, "actual": 4}, "e2")  # a second entry needs a reason
    assert again.status_code == 422
    assert again.json()["field"] == "reason"
    assert again.json()["regulation"] == ""


def test_concurrent_duplicates_write_once(api_world, django_db_blocker):
    """The key is stored in the write's transaction: a duplicate arriving after the first
    committed reads the stored answer (its unique index refuses a second row)."""
    client = api_world.client(Role.OFFICE)
    url = f"/api/members/{api_world.web.member_in.pk}/events"
    responses = [_post(client, url, CARD, "dup") for _ in range(3)]
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert IdempotencyKey.objects.filter(key="dup").count() == 1
