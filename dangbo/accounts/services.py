"""Writes on accounts: create an account, assign and end roles, disable an account.

Each validates its input with a Vietnamese message naming the field and audits in the same
transaction. The first administrator is created on the command line (`dangbo user add`).
"""

from __future__ import annotations

from datetime import date

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
) -> AbstractUser:
    """Create an active account holding one role over `org` from `valid_from`."""
    username = _check_username(username)
    _check_role(role)
    user = User(username=username, first_name=full_name.strip()[:150])
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit(actor=actor, action="account_create", obj=user, after={"username": username})
    role_assign(user=user, role=role, org=org, valid_from=valid_from, actor=actor)
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
) -> RoleAssignment:
    """Give `user` `role` over `org`'s subtree over [valid_from, valid_to]."""
    _check_role(role)
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("«Đến ngày» phải sau hoặc bằng «từ ngày».", field="valid_to")
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
