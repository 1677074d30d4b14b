"""The audit log: readable changes, filters, keyset pagination, scope, and no way to change it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from dangbo.core.models import AuditEntry
from dangbo.web.audit.display import NOTHING, Change, changes, show
from dangbo.web.audit.selectors import AuditFilters, audit_page, decode_cursor


def test_show_values():
    assert show(None) == NOTHING
    assert show(True) == "có"
    assert show([1, "a"]) == "1, a"
    assert show({"a": 1, "b": None}) == f"a: 1; b: {NOTHING}"
    assert show([]) == "(trống)"


def test_changes_key_by_key():
    rows = changes({"name": "A", "code": "X"}, {"name": "B", "code": "X", "new": 1})
    assert rows == [
        Change("name", "A", "B", True),
        Change("code", "X", "X", False),
        Change("new", NOTHING, "1", True),
    ]
    assert changes(None, None) == []
    assert changes(None, {"a": 1}) == [Change("a", NOTHING, "1", True)]
    assert changes([1], [2]) == [Change("", "1", "2", True)]


def test_bad_cursor_is_ignored():
    assert decode_cursor("rubbish") is None
    assert decode_cursor("2026-01-01T00:00:00_5") is None  # naive
    assert decode_cursor("2026-01-01T00:00:00+07:00_x") is None


def _entry(actor="a", action="x", object_type="t", address="", **kw):
    return AuditEntry.objects.create(
        actor=actor, action=action, object_type=object_type, object_id="1", **kw
    )


@pytest.mark.django_db
def test_pages_newest_first_without_gaps_or_repeats():
    made = []
    for i in range(7):
        with time_machine.travel(datetime(2026, 3, 1 + i % 3, 9, tzinfo=UTC), tick=False):
            made.append(_entry(action=f"a{i}"))
    expected = sorted(made, key=lambda e: (e.at, e.pk), reverse=True)
    seen, cursor = [], ""
    while True:
        page = audit_page(AuditEntry.objects.all(), AuditFilters(), cursor=cursor, size=3)
        seen += page.entries
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert [e.pk for e in seen] == [e.pk for e in expected]


@pytest.mark.django_db
def test_filters():
    with time_machine.travel(datetime(2026, 3, 1, 20, tzinfo=UTC), tick=False):
        late = _entry(actor="u1", action="account_create", object_type="auth.user")
    with time_machine.travel(datetime(2026, 3, 1, 1, tzinfo=UTC), tick=False):
        early = _entry(actor="u2", action="org_found", object_type="organizations.organization")
    everything = AuditEntry.objects.all()

    def pks(**kw):
        return [e.pk for e in audit_page(everything, AuditFilters(**kw)).entries]

    assert pks(actor="u1") == [late.pk]
    assert pks(action="org_found") == [early.pk]
    assert pks(object_type="auth.user") == [late.pk]
    # 20:00 UTC on 1/3 is 03:00 on 2/3 in Hà Nội
    assert pks(date_from=date(2026, 3, 2)) == [late.pk]
    assert pks(date_to=date(2026, 3, 1)) == [early.pk]
    assert pks(date_from=date(2026, 3, 1), date_to=date(2026, 3, 2)) == [late.pk, early.pk]


# the page


@pytest.fixture
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(_fast_hashing, web_world):
    """The web world, one account of ward P2 and rows written by each."""
    from dangbo.accounts.permissions import Role
    from dangbo.accounts.services import account_create, account_disable

    outsider = account_create(
        username="tk_p2",
        password="Mat-khau-thu-2026",
        role=Role.OFFICE,
        org=web_world.tree["w2"],
        valid_from=date(2020, 1, 1),
        actor="dòng lệnh",
    )
    account_disable(user=web_world.users[Role.OFFICE], actor="tk_admin")
    account_disable(user=web_world.users[Role.LEADERSHIP], actor="tk_p2")
    web_world.extra["outsider"] = outsider
    return web_world


def _page(client, **params):
    from django.urls import reverse

    return client.get(reverse("web:audit"), params)


def test_the_page_shows_rows_of_accounts_in_scope_only(world):
    from dangbo.accounts.permissions import Role

    page = _page(world.client(Role.ADMIN)).content.decode()
    assert "tk_admin" in page and "Khóa tài khoản" in page
    assert "tk_p2" not in page  # an account of ward P2
    assert "dòng lệnh" not in page and "van_phong_test" not in page  # not accounts
    assert "<del>có</del> → <ins>không</ins>" in page  # active: yes → no


def test_filters_on_the_page(world):
    from dangbo.accounts.permissions import Role

    c = world.client(Role.ADMIN)
    page = _page(c, action="account_disable").content.decode()
    assert page.count("<tr>") == 2  # the head and one row
    page = _page(c, actor="tk_office").content.decode()
    assert "Không có dòng nhật ký nào khớp." in page
    page = _page(c, address="127.").content.decode()
    assert "Không có dòng nhật ký nào khớp." in page  # rows written outside a request
    page = _page(c, date_from="2026-02-01", date_to="2026-01-01")
    assert page.status_code == 200 and "«Đến ngày» phải sau" in page.content.decode()


def test_the_address_of_a_web_write_is_shown_and_filtered(world):
    from django.urls import reverse

    from dangbo.accounts.permissions import Role

    c = world.client(Role.ADMIN)
    office = world.users[Role.OFFICE]
    c.post(reverse("web:account_active", args=[office.pk]), {"active": "1"})
    page = _page(c, address="127.0.0").content.decode()
    assert "Mở khóa tài khoản" in page and "127.0.0.1" in page


def test_nothing_changes_the_log_through_the_app(world):
    from django.urls import reverse

    from dangbo.accounts.permissions import Role

    c = world.client(Role.ADMIN)
    rows = list(AuditEntry.objects.order_by("pk").values())
    url = reverse("web:audit")
    assert c.post(url, {"actor": "x"}).status_code == 405
    assert c.delete(url).status_code == 405
    assert c.put(url).status_code == 405
    assert list(AuditEntry.objects.order_by("pk").values()) == rows


@pytest.mark.parametrize("extra", [0, 80])
def test_the_page_query_count_does_not_grow(world, django_assert_num_queries, extra):
    from dangbo.accounts.permissions import Role

    for i in range(extra):
        AuditEntry.objects.create(
            actor="tk_admin", action=f"a{i}", object_type="t", object_id=str(i), after={"i": i}
        )
    c = world.client(Role.ADMIN)
    # session, user, own assignments, root level, one page of rows (the accounts in scope
    # are a subquery); the session saved (three, in a savepoint)
    with django_assert_num_queries(5):
        first = _page(c)
    assert first.status_code == 200
    if extra:
        next_url = first.content.decode().split('rel="next"')[0].rsplit('href="', 1)[1]
        next_url = next_url.split('"')[0].replace("&amp;", "&")
        with django_assert_num_queries(5):
            deeper = c.get("/nhat-ky/" + next_url)
        assert "« Mới nhất" in deeper.content.decode()


def test_an_htmx_request_gets_only_the_rows(world):
    from dangbo.accounts.permissions import Role

    c = world.client(Role.ADMIN)
    from django.urls import reverse

    fragment = c.get(reverse("web:audit"), {"action": "account_disable"}, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "<html" not in text and "table audit" in text and "Khóa tài khoản" in text
