"""Account administration and the second factor: MANAGE_ACCOUNTS.

In scope: the office's account (its one role is over ward P1, which the administrator
manages). Out of scope: an account with a role over ward P2.
"""

from datetime import date

from dangbo.accounts.permissions import Action, Role
from dangbo.accounts.services import account_create
from tests.conftest import ACTOR
from tests.web.matrix.case import Case


def _account(world, in_scope: bool):
    if in_scope:
        return world.users[Role.OFFICE]
    if "account_out" not in world.extra:
        world.extra["account_out"] = account_create(
            username="tk_p2",
            password="Mat-khau-thu-2026",
            role=Role.OFFICE,
            org=world.tree["w2"],
            valid_from=date(2020, 1, 1),
            actor=ACTOR,
        )
    return world.extra["account_out"]


def _pk(world, in_scope):
    return {"pk": _account(world, in_scope).pk}


def _assignment(world, in_scope):
    account = _account(world, in_scope)
    return {"pk": account.pk, "assignment_pk": account.role_assignments.get().pk}


def _admin_goes_on(role, in_scope, method):
    """A session that owes no code is sent on (to the home page)."""
    return 302 if role == Role.ADMIN else 403


CASES = [
    Case("web:accounts", Action.MANAGE_ACCOUNTS),
    Case("web:account_create", Action.MANAGE_ACCOUNTS, methods=("GET", "POST")),
    Case("web:account", Action.MANAGE_ACCOUNTS, kwargs=_pk),
    Case("web:account_role_add", Action.MANAGE_ACCOUNTS, kwargs=_pk, methods=("POST",)),
    Case("web:account_role_end", Action.MANAGE_ACCOUNTS, kwargs=_assignment, methods=("POST",)),
    Case("web:account_active", Action.MANAGE_ACCOUNTS, kwargs=_pk, methods=("POST",)),
    Case("web:account_password", Action.MANAGE_ACCOUNTS, kwargs=_pk, methods=("GET", "POST")),
    Case("web:account_totp_remove", Action.MANAGE_ACCOUNTS, kwargs=_pk, methods=("POST",)),
    Case("web:totp_setup", Action.MANAGE_ACCOUNTS, methods=("GET", "POST")),
    Case(
        "web:totp_verify",
        Action.MANAGE_ACCOUNTS,
        methods=("GET", "POST"),
        expect=_admin_goes_on,
    ),
]
