"""`dangbo demo --reset`: refuses over data that is not the demo's, asks first (or takes
--yes), reloads in one transaction, and never wipes the audit log."""

from __future__ import annotations

import functools
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from dangbo.core.errors import DomainError
from dangbo.core.models import AuditEntry
from dangbo.demo.common import ACTOR as DEMO_ACTOR
from dangbo.demo.generate import CITY_CODE, DemoSize, demo_generate
from dangbo.demo.reset import LOAD_MARK, RESET_MARK, demo_foreign
from dangbo.membership.models import MemberEvent, Person
from dangbo.organizations import services as org_services
from dangbo.organizations.models import Organization, OrgVersion
from tests.conftest import ACTOR, kind, make_person

pytestmark = pytest.mark.django_db

TINY = DemoSize(
    districts=1, wards_per_district=(2, 2), cells_per_ward=(3, 4), members_per_ward=(15, 20)
)
COMMAND = "dangbo.demo.management.commands.demo"


class Keyboard(io.StringIO):
    """Standard input from a terminal where the user types `text`."""

    def isatty(self) -> bool:
        return True


def counts() -> tuple[int, int, int, int]:
    return (
        Organization.objects.count(),
        Person.objects.count(),
        MemberEvent.objects.count(),
        OrgVersion.objects.filter(code=CITY_CODE).count(),
    )


def demo(*args: str) -> str:
    """Run the command in-process; with `traceback` its refusal is raised (CommandError)
    instead of printed with an exit status."""
    out = io.StringIO()
    call_command("demo", *args, stdout=out, traceback=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The tiny demo loaded by the command once for the module (rolled back at the end)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(f"{COMMAND}.demo_generate", functools.partial(demo_generate, size=TINY))
                first = demo()
            yield first
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(f"{COMMAND}.demo_generate", functools.partial(demo_generate, size=TINY))


@pytest.fixture
def stdin(monkeypatch):
    def typed(text: str | None) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO("") if text is None else Keyboard(text))

    return typed


# first in the module: it runs before the module's demo is loaded
def test_a_reset_refuses_a_database_without_the_demo(city_tree, tiny):
    before = counts()
    with pytest.raises(CommandError, match="mà không có dữ liệu mẫu"):
        demo("--reset", "--yes")
    with pytest.raises(CommandError, match="không nạp dữ liệu mẫu vào đó"):
        demo()
    assert counts() == before and not AuditEntry.objects.filter(action=RESET_MARK).exists()
    assert AuditEntry.objects.filter(actor=ACTOR).exists()


def test_a_load_is_marked_and_a_second_run_loads_nothing(loaded, tiny):
    assert "Đã nạp dữ liệu mẫu" in loaded
    assert AuditEntry.objects.filter(action=LOAD_MARK, actor=DEMO_ACTOR).count() == 1
    assert demo_foreign() == []
    before = counts()
    assert "đã được nạp trước đó" in demo()
    assert counts() == before


def test_without_a_terminal_a_reset_needs_yes(loaded, tiny, stdin):
    stdin(None)
    before, audit = counts(), AuditEntry.objects.count()
    with pytest.raises(CommandError, match="hãy thêm --yes để xác nhận"):
        demo("--reset")
    assert counts() == before and AuditEntry.objects.count() == audit


def test_the_prompt_asks_and_no_keeps_everything(loaded, tiny, stdin):
    before = counts()
    for answer in ("\n", "n\n", "không\n"):
        stdin(answer)
        out = demo("--reset")
        assert "[y/N]" in out and "Đã hủy; không xóa gì." in out
        assert counts() == before
    assert not AuditEntry.objects.filter(action=RESET_MARK).exists()


def test_yes_at_the_prompt_reloads_and_keeps_the_audit_log(loaded, tiny, stdin):
    old_audit = set(AuditEntry.objects.values_list("pk", flat=True))
    old_people = set(Person.objects.values_list("pk", flat=True))
    stdin("y\n")
    out = demo("--reset")
    assert "Đã xóa toàn bộ dữ liệu cũ" in out and "Đã nạp dữ liệu mẫu" in out
    # the same demo again, under new rows
    assert OrgVersion.objects.filter(code=CITY_CODE, parent__isnull=True).count() == 1
    assert Person.objects.count() == len(old_people)
    # the audit log keeps every earlier row and records the reset and the reload
    assert old_audit <= set(AuditEntry.objects.values_list("pk", flat=True))
    reset = AuditEntry.objects.get(action=RESET_MARK)
    assert reset.actor == DEMO_ACTOR and reset.pk > max(old_audit)
    assert AuditEntry.objects.filter(action=LOAD_MARK).count() == 2
    assert demo_foreign() == []


def test_a_reset_refuses_over_a_write_that_is_not_the_demos(loaded, tiny):
    make_person(name="Người Ngoài Mẫu")  # audited by another actor
    before = counts()
    with pytest.raises(CommandError) as caught:
        demo("--reset", "--yes")
    message = str(caught.value)
    assert "không phải dữ liệu mẫu" in message and "person_create" in message
    assert counts() == before
    assert Person.objects.filter(full_name="Người Ngoài Mẫu").exists()


def test_a_reset_refuses_over_another_root_organization(loaded, tiny):
    # founded under the demo's own actor: the foreign root alone is enough
    org_services.org_found(
        kind=kind("tinh"),
        name="Đảng bộ tỉnh Khác",
        code="TK",
        doc_code="TU",
        on=date(2020, 1, 1),
        actor=DEMO_ACTOR,
    )
    before = counts()
    with pytest.raises(CommandError, match="tổ chức không thuộc dữ liệu mẫu: TK"):
        demo("--reset", "--yes")
    assert counts() == before


def test_a_reload_that_fails_leaves_the_old_data(loaded, monkeypatch):
    def failing(**kwargs):
        demo_generate(size=TINY, **kwargs)
        raise DomainError("Lỗi giả lập khi nạp.")

    monkeypatch.setattr(f"{COMMAND}.demo_generate", failing)
    before = counts()
    people = set(Person.objects.values_list("pk", flat=True))
    audit = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="Dữ liệu cũ được giữ nguyên"):
        demo("--reset", "--yes")
    assert counts() == before
    assert set(Person.objects.values_list("pk", flat=True)) == people
    assert AuditEntry.objects.count() == audit
