"""The ledger and the audit trail are append-only below the services: the models refuse to
save an existing row or delete one, database triggers refuse UPDATE and DELETE, and the one
way around both is `ledger_maintenance` (the demo reset); random valid sequences of events,
reversals and reorganizations never need to change a written event and keep `verify` clean."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.core.append_only import APPEND_ONLY_TABLES, ledger_maintenance
from dangbo.core.errors import DomainError
from dangbo.core.models import AuditEntry, LedgerMaintenance
from dangbo.membership.events import event_reverse
from dangbo.membership.models import EventKind, MemberEvent
from dangbo.organizations import services as org_services
from dangbo.reports.verification import verify
from tests.conftest import ACTOR, admit, record
from tests.test_properties import CELLS, LAST, REORG_ON, REORGS, START, World, steps

EVENT_FIELDS = (
    "id",
    "member_id",
    "kind",
    "effective_on",
    "from_org_id",
    "to_org_id",
    "reverses_id",
)


def rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        return cursor.fetchall()


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture
def ledger(city_tree):
    """Two members of cell w1c1 admitted in 2022 (events and audit rows written)."""
    members = [admit(city_tree["w1c1"], date(2022, 3, 1)) for _ in range(2)]
    record(members[0], EventKind.RECOGNITION, date(2023, 3, 1))
    return members


def test_the_triggers_exist_after_the_migrations(db):
    names = trigger_names()
    for table in APPEND_ONLY_TABLES:
        if connection.vendor == "postgresql":
            assert f"{table}_append_only" in names
        else:  # SQLite drops the triggers of a table a later migration rebuilds
            assert {f"{table}_append_only_update", f"{table}_append_only_delete"} <= names


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
@pytest.mark.parametrize(
    "sql",
    ["UPDATE {table} SET actor = 'ai_do' WHERE id = %s", "DELETE FROM {table} WHERE id = %s"],
)
def test_the_database_refuses_update_and_delete_of_appended_rows(ledger, table, sql):
    before = rows(table)
    assert before
    with pytest.raises(DatabaseError, match="dangbo_append_only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.format(table=table), [before[0][0]])
    assert rows(table) == before


def test_the_models_refuse_to_save_an_existing_row_or_delete(ledger):
    event = MemberEvent.objects.order_by("pk").first()
    entry = AuditEntry.objects.order_by("pk").first()
    assert event is not None and entry is not None
    before = (rows("membership_memberevent"), rows("core_auditentry"))
    event.form = "sua_tay"
    entry.actor = "ai_do"
    attempts = [
        event.save,
        event.delete,
        entry.save,
        entry.delete,
        lambda: MemberEvent.objects.filter(pk=event.pk).update(form="sua_tay"),
        lambda: MemberEvent.objects.all().delete(),
        lambda: AuditEntry.objects.update(actor="ai_do"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "chi_ghi_them"
        assert "chỉ được ghi thêm" in refused.value.message
    assert (rows("membership_memberevent"), rows("core_auditentry")) == before


def test_a_wrong_event_is_corrected_by_appending_a_reversal(ledger):
    before = rows("membership_memberevent")
    wrong = MemberEvent.objects.get(kind=EventKind.RECOGNITION)
    event_reverse(event=wrong, reason="ghi nhầm", on=date(2023, 4, 1), actor=ACTOR)
    after = rows("membership_memberevent")
    assert after[: len(before)] == before and len(after) == len(before) + 1
    assert verify(today=date(2024, 1, 1)).failures == []


def test_the_maintenance_path_lets_changes_through_only_inside_its_transaction(ledger):
    with ledger_maintenance("tests: demo reset"):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditentry")
        AuditEntry.objects.all().delete()  # the ORM agrees inside the block
        first = MemberEvent.objects.order_by("pk").first()
        assert first is not None
        first.actor = "bao_tri"
        first.save()
    assert AuditEntry.objects.count() == 0
    assert MemberEvent.objects.filter(actor="bao_tri").count() == 1
    assert LedgerMaintenance.objects.count() == 0  # the flag never outlives the block
    with pytest.raises(DatabaseError, match="dangbo_append_only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM membership_memberevent")
    with pytest.raises(DomainError):
        MemberEvent.objects.all().delete()


def test_a_failure_inside_maintenance_rolls_the_flag_back_too(ledger):
    count = MemberEvent.objects.count()
    with pytest.raises(RuntimeError):
        with ledger_maintenance("tests: interrupted"):
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM membership_memberevent")
            raise RuntimeError("bị ngắt")
    assert MemberEvent.objects.count() == count
    assert LedgerMaintenance.objects.count() == 0
    with pytest.raises(DomainError):
        MemberEvent.objects.all().delete()


def play(tree, steps, reorg, seed, reversals) -> list[str]:
    """Write the sequence and the reversals; check nothing written changes; verify's failures."""
    world = World(tree, reorg)
    for i, cell in enumerate(CELLS):
        world.receive(date(2018, 6, 1), cell, seed + 7919 * i)
    if reorg:
        world.schedule(REORG_ON, "reorg", prio=0)
    total, done, on = sum(w for w, *_ in steps), 0, START
    snapshot: list = []
    for weight, action, p, q in steps:
        done += weight
        on = max(
            on + timedelta(days=1), START + timedelta(days=(LAST - START).days * done // total)
        )
        if on > LAST:
            break
        world.run_pending(on)
        world.act(action, on, p, q)
        now = list(MemberEvent.objects.order_by("pk").values_list(*EVENT_FIELDS))
        assert now[: len(snapshot)] == snapshot  # what was written stays as written
        snapshot = now
    world.run_pending(LAST)
    # corrections: reverse some events; a refused reversal writes nothing
    for pick in reversals:
        live = list(
            MemberEvent.objects.filter(reverses=None, reversed_by=None)
            .exclude(kind__in=[EventKind.REVERSAL, EventKind.REORGANIZATION])
            .order_by("pk")
        )
        count = MemberEvent.objects.count()
        try:
            event_reverse(event=live[pick % len(live)], reason="ghi nhầm", on=LAST, actor=ACTOR)
        except DomainError:
            assert MemberEvent.objects.count() == count
    now = list(MemberEvent.objects.order_by("pk").values_list(*EVENT_FIELDS))
    assert now[: len(snapshot)] == snapshot
    report = verify(today=date(2026, 1, 1), years=8)
    assert report.checked["identity_checks"] > 0
    return report.failures


@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=steps,
    reorg=st.sampled_from(REORGS),
    seed=st.integers(0, 10**6),
    reversals=st.lists(st.integers(0, 10**6), max_size=6),
)
def test_any_valid_sequence_keeps_verify_clean_and_the_ledger_appended_only(
    city_tree, steps, reorg, seed, reversals
):
    with transaction.atomic():
        assert play(city_tree, steps, reorg, seed, reversals) == []
        transaction.set_rollback(True)


def ledger_rows() -> tuple[list, list]:
    return rows("membership_memberevent"), rows("core_auditentry")


def test_a_reversal_that_would_leave_a_later_event_out_of_place_is_refused(city_tree):
    # given: a member moved from cell 1 to cell 2 of ward 2 and died there
    member = admit(city_tree["w2c1"], date(2019, 3, 1))
    moved = record(
        member,
        EventKind.TRANSFER,
        date(2020, 10, 2),
        from_org=city_tree["w2c1"],
        to_org=city_tree["w2c2"],
    )
    record(member, EventKind.DEATH, date(2024, 1, 30), from_org=city_tree["w2c2"])
    before = ledger_rows()
    # when the move is reversed, the death would leave a cell the member never joined
    with pytest.raises(DomainError, match="Không thể hủy bỏ.*Từ trần.*30/01/2024"):
        event_reverse(event=moved, reason="ghi nhầm", on=date(2025, 1, 2), actor=ACTOR)
    assert ledger_rows() == before
    assert verify(today=date(2025, 6, 1), years=7).failures == []


def test_a_reversal_that_would_cross_a_later_reorganization_unrecorded_is_refused(city_tree):
    # given: a member of cell 2 of ward 1 removed in 2020; the cell moved to ward 2 in 2024
    member = admit(city_tree["w1c2"], date(2019, 3, 1))
    removed = record(member, EventKind.REMOVAL, date(2020, 2, 24), from_org=city_tree["w1c2"])
    org_services.org_move(
        org=city_tree["w1c2"], parent=city_tree["w2"], on=date(2024, 7, 1), actor=ACTOR
    )
    before = ledger_rows()
    # when the removal is reversed, the member would have moved with the cell unrecorded
    with pytest.raises(DomainError, match="Không thể hủy bỏ.*sắp xếp lại ngày 01/07/2024"):
        event_reverse(event=removed, reason="ghi nhầm", on=date(2025, 1, 2), actor=ACTOR)
    assert ledger_rows() == before
    assert verify(today=date(2025, 6, 1), years=7).failures == []
