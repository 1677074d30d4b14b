"""Account administration and the second factor: MANAGE_ACCOUNTS; the user's API tokens:
every role (VIEW_ORGS).

In scope: the office's account (its one role is over ward P1, which the administrator
manages). Out of scope: an account with a role over ward P2. A token is revoked by its owner
or by an administrator of its account: the office's token is in scope for those two only.
"""

from datetime import date

from dangbo.accounts.permissions import Action, Role
from dangbo.accounts.services import account_create
from dangbo.api.tokens import token_create
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


def _token(world, in_scope: bool):
    key = f"api_token_{in_scope}"
    if key not in world.extra:
        world.extra[key] = token_create(user=_account(world, in_scope), actor=ACTOR).token
    return {"pk": world.extra[key].pk}


def _owner_or_admin(role, in_scope, method):
    """Someone else's token is 404, like a missing one."""
    if in_scope and role in (Role.OFFICE, Role.ADMIN):
        return 200 if method == "GET" else 302
    return 404


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
    Case("web:api_tokens", Action.VIEW_ORGS, methods=("GET", "POST")),
    Case(
        "web:api_token_revoke",
        Action.VIEW_ORGS,
        kwargs=_token,
        methods=("GET", "POST"),
        expect=_owner_or_admin,
    ),
    Case("web:totp_setup", Action.MANAGE_ACCOUNTS, methods=("GET", "POST")),
    Case(
        "web:totp_verify",
        Action.MANAGE_ACCOUNTS,
        methods=("GET", "POST"),
        expect=_admin_goes_on,
    ),
]
