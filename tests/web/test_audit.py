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
