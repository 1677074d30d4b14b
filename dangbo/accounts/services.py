"""Writes on accounts: create an account, assign and end roles, disable and enable an
account, set its password.

Each validates its input with a Vietnamese message naming the field and audits in the same
transaction. The first administrator is created on the command line (`dangbo user add`).

From the web the actor is the administrator's username and `within` the organizations they
manage (`scope_org_ids(admin, MANAGE_ACCOUNTS)`): a role is granted only over one of them,
and nobody changes their own roles or locks themselves out (so nobody widens their own
scope). On the command line `within` is None (anywhere).
"""

from __future__ import annotations

from datetime import date

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User as AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.permissions import Role
from dangbo.core.errors import InvalidInput
from dangbo.core.services import audit
from dangbo.organizations.models import Organization

User = get_user_model()  # the default User model (settings set no other)


def _check_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise InvalidInput("Trường «tên đăng nhập» không được để trống.", field="username")
    if len(username) > 150 or not all(c.isalnum() or c in "@.+-_" for c in username):
        raise InvalidInput(
            "Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (tối đa 150 ký tự).",
            field="username",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(f"Tên đăng nhập «{username}» đã có người dùng.", field="username")
    return username


def _check_password(password: str, user: AbstractUser) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None


def _check_not_self(user: AbstractUser, actor: str, *, field: str | None) -> None:
    if user.get_username() == actor:
        raise InvalidInput(
            "Không được tự thay đổi vai trò hay trạng thái tài khoản của chính mình; "
            "hãy nhờ một người quản trị khác.",
            field=field,
        )


def _check_within(org: Organization, within: frozenset[int] | None) -> None:
    if within is not None and org.pk not in within:
        raise InvalidInput(
            "Tổ chức này nằm ngoài phạm vi bạn quản lý; chỉ giao vai trò trên tổ chức "
            "thuộc phạm vi của mình.",
            field="org",
        )


def _check_dates(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("«Đến ngày» phải sau hoặc bằng «từ ngày».", field="valid_to")


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidInput(
            f"Vai trò «{role}» không có; chọn một trong: {', '.join(r.value for r in Role)}.",
            field="role",
        ) from None


@transaction.atomic
def account_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    role: str,
    org: Organization,
    valid_from: date,
    actor: str,
    valid_to: date | None = None,
    within: frozenset[int] | None = None,
) -> AbstractUser:
    """Create an active account holding one role over `org` from `valid_from`."""
    username = _check_username(username)
    _check_role(role)
    _check_within(org, within)
    _check_dates(valid_from, valid_to)
    user = User(username=username, first_name=full_name.strip()[:150])
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit(actor=actor, action="account_create", obj=user, after={"username": username})
    role_assign(
        user=user,
        role=role,
        org=org,
        valid_from=valid_from,
        valid_to=valid_to,
        actor=actor,
        within=within,
    )
    return user


@transaction.atomic
def role_assign(
    *,
    user: AbstractUser,
    role: str,
    org: Organization,
    valid_from: date,
    valid_to: date | None = None,
    actor: str,
    within: frozenset[int] | None = None,
) -> RoleAssignment:
    """Give `user` `role` over `org`'s subtree over [valid_from, valid_to]."""
    _check_not_self(user, actor, field="role")
    _check_role(role)
    _check_within(org, within)
    _check_dates(valid_from, valid_to)
    assignment = RoleAssignment.objects.create(
        user=user, role=role, org=org, valid_from=valid_from, valid_to=valid_to, created_by=actor
    )
    audit(
        actor=actor,
        action="role_assign",
        obj=assignment,
        after={
            "user": user.get_username(),
            "role": role,
            "org": org.pk,
            "from": valid_from.isoformat(),
            "to": valid_to.isoformat() if valid_to else None,
        },
    )
    return assignment


@transaction.atomic
def account_disable(*, user: AbstractUser, actor: str) -> None:
    """Disable the account: it can no longer sign in (its history stays)."""
    _check_not_self(user, actor, field=None)
    if not user.is_active:
        raise InvalidInput(f"Tài khoản «{user.get_username()}» đã bị khóa.", field="username")
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit(
        actor=actor,
        action="account_disable",
        obj=user,
        before={"active": True},
        after={"active": False},
    )


@transaction.atomic
def account_enable(*, user: AbstractUser, actor: str) -> None:
    """Enable a disabled account again."""
    _check_not_self(user, actor, field=None)
    if user.is_active:
        raise InvalidInput(f"Tài khoản «{user.get_username()}» đang hoạt động.", field="username")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit(
        actor=actor,
        action="account_enable",
        obj=user,
        before={"active": False},
        after={"active": True},
    )


@transaction.atomic
def role_end(*, assignment: RoleAssignment, on: date, actor: str) -> RoleAssignment:
    """End the assignment: `on` becomes its last day.

    `on` before the first day, or an assignment that already ended on or before `on`, is
    refused on the field `valid_to`.
    """
    _check_not_self(assignment.user, actor, field="valid_to")
    if on < assignment.valid_from:
        raise InvalidInput(
            f"Ngày kết thúc phải từ ngày bắt đầu ({assignment.valid_from:%d/%m/%Y}) trở đi.",
            field="valid_to",
        )
    if assignment.valid_to is not None and assignment.valid_to <= on:
        raise InvalidInput(
            f"Phân công này đã kết thúc ngày {assignment.valid_to:%d/%m/%Y}.", field="valid_to"
        )
    before = assignment.valid_to
    RoleAssignment.objects.filter(pk=assignment.pk).update(valid_to=on)
    assignment.valid_to = on
    audit(
        actor=actor,
        action="role_end",
        obj=assignment,
        before={"to": before.isoformat() if before else None},
        after={
            "user": assignment.user.get_username(),
            "role": assignment.role,
            "org": assignment.org_id,
            "to": on.isoformat(),
        },
    )
    return assignment


@transaction.atomic
def password_set(*, user: AbstractUser, password: str, actor: str) -> None:
    """Give the account a new password (Django's validators apply) and lift a sign-in lock
    of its username. The audit row records that it changed, never the password."""
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(actor=actor, action="password_set", obj=user, after={"username": user.get_username()})
    axes_reset(username=user.get_username())
