"""`dangbo user add|list|disable` and the scope an assignment gives."""

from __future__ import annotations

import io
import sys
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.permissions import PERMISSIONS, Action, Role
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.accounts.services import role_assign
from dangbo.core.models import AuditEntry
from tests.conftest import run

User = get_user_model()


def _add(monkeypatch, *args, password="Mat-khau-moi-2026\n"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password))
    try:
        return run("user", "add", *args, "--password-stdin")
    except CommandError as exc:  # a refused command line (the console script prints it)
        return exc.returncode, "", str(exc)


def test_it_adds_an_account_with_its_role_over_an_organization(city_tree, monkeypatch):
    code, out, err = _add(monkeypatch, "thu_ky", "--role", "office", "--org", "P1")
    assert code == 0, err
    user = User.objects.get(username="thu_ky")
    assert user.check_password("Mat-khau-moi-2026")
    (a,) = RoleAssignment.objects.filter(user=user)
    assert (a.role, a.org_id, a.valid_to) == ("office", city_tree["w1"].pk, None)
    assert "Văn phòng cấp ủy" in out
    assert AuditEntry.objects.filter(action="account_create", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("x1", "--role", "boss", "--org", "P1"), "Mat-khau-moi-2026\n", "boss"),
        (("x2", "--role", "office", "--org", "KHONG-CO"), "Mat-khau-moi-2026\n", "KHONG-CO"),
        (("x3", "--role", "office", "--org", "P1"), "123\n", "mật khẩu"),
        (("x 4", "--role", "office", "--org", "P1"), "Mat-khau-moi-2026\n", "Tên đăng nhập"),
    ],
)
def test_it_refuses_a_bad_account_in_vietnamese_and_writes_nothing(
    city_tree, monkeypatch, args, password, message
):
    code, out, err = _add(monkeypatch, *args, password=password)
    assert code != 0
    assert message.lower() in err.lower()
    assert not User.objects.exists() and not RoleAssignment.objects.exists()


def test_a_second_account_with_the_same_name_is_refused(city_tree, monkeypatch):
    assert _add(monkeypatch, "thu_ky", "--role", "office", "--org", "P1")[0] == 0
    code, _, err = _add(monkeypatch, "THU_KY", "--role", "leadership", "--org", "P2")
    assert code != 0 and "đã có người dùng" in err
    assert RoleAssignment.objects.count() == 1


def test_list_shows_accounts_and_disable_locks_one(city_tree, monkeypatch):
    _add(monkeypatch, "thu_ky", "--role", "office", "--org", "P1")
    code, out, _ = run("user", "list")
    assert code == 0 and "thu_ky" in out and "hoạt động" in out
    assert run("user", "disable", "thu_ky")[0] == 0
    assert not User.objects.get(username="thu_ky").is_active
    assert "đã khóa" in run("user", "list")[1]
    code, _, err = run("user", "disable", "thu_ky")
    assert code != 0 and "đã bị khóa" in err


def test_a_role_reaches_its_organization_and_subtree_only(web_world):
    office = web_world.users[Role.OFFICE]
    tree = web_world.tree
    scope = scope_org_ids(office, Action.VIEW_MEMBERS)
    assert scope == {tree["w1"].pk, tree["w1c1"].pk, tree["w1c2"].pk}
    secretary = web_world.users[Role.CELL_SECRETARY]
    assert scope_org_ids(secretary, Action.VIEW_MEMBERS) == {tree["w1c1"].pk}
    # the table decides: a cell secretary proposes, it does not record
    assert not can(secretary, Action.RECORD_EVENTS, tree["w1c1"].pk)
    assert can(secretary, Action.PROPOSE_EVENTS, tree["w1c1"].pk)
    for role, user in web_world.users.items():
        for action in Action:
            assert can(user, action) == (action in PERMISSIONS[role])


def test_an_assignment_counts_only_while_it_is_valid(web_world):
    user = User.objects.create_user("tam_thoi", password="Mat-khau-moi-2026")
    role_assign(
        user=user,
        role=Role.LEADERSHIP,
        org=web_world.tree["w2"],
        valid_from=date(2021, 1, 1),
        valid_to=date(2021, 12, 31),
        actor="test",
    )
    assert can(user, Action.VIEW_MEMBERS, web_world.tree["w2c1"].pk, on=date(2021, 6, 1))
    assert not can(User.objects.get(pk=user.pk), Action.VIEW_MEMBERS)  # today: ended
