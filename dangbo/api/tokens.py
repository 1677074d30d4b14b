"""API tokens: created (shown once), looked up by their hash, revoked; every change audited.

A token is ``dgb_`` followed by 32 random URL-safe characters; the database keeps its
SHA-256 and its first 12 characters (the prefix, to tell tokens apart in a list). A revoked
token, or a token of an inactive account, authenticates nobody.

Edge cases: the prefix of a new token is unique (a clash, vanishingly rare, draws again);
revoking a revoked token is refused with a message.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangbo.api.models import ApiToken
from dangbo.core.errors import DomainError, InvalidInput, NotFound
from dangbo.core.services import audit

TOKEN_START = "dgb_"
PREFIX_LENGTH = 12


@dataclass(frozen=True)
class NewToken:
    """A token just created: the record and the secret, which is never shown again."""

    token: ApiToken
    secret: str


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: Any, name: str = "", actor: str) -> NewToken:
    """A new token of `user` (an inactive account gets none)."""
    if not user.is_active:
        raise InvalidInput(f"Tài khoản «{user.get_username()}» đang bị khóa.", field="user")
    name = (name or "").strip()
    if len(name) > 80:
        raise InvalidInput("Tên gợi nhớ dài quá 80 ký tự.", field="name")
    while True:
        secret = TOKEN_START + secrets.token_urlsafe(24)
        prefix = secret[:PREFIX_LENGTH]
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, token_hash=token_hash(secret)
    )
    audit(
        actor=actor,
        action="api_token_create",
        obj=token,
        after={"user": user.get_username(), "prefix": prefix, "name": name},
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: str) -> ApiToken:
    """Revoke `token`: from now on it authenticates nobody."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(
            f"Mã truy cập {token.prefix}… đã bị thu hồi ngày "
            f"{timezone.localtime(token.revoked_at):%d/%m/%Y}.",
            field="token",
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(
        actor=actor,
        action="api_token_revoke",
        obj=token,
        after={"user": token.user.get_username(), "prefix": token.prefix},
    )
    return token


def token_find(ref: str) -> ApiToken:
    """The token whose id or prefix is `ref` (for the command line)."""
    ref = ref.strip()
    qs = ApiToken.objects.select_related("user")
    found = qs.filter(pk=int(ref)).first() if ref.isdigit() else None
    found = found or qs.filter(prefix=ref).first()
    if found is None:
        raise NotFound(f"Không có mã truy cập «{ref}».", field="token")
    return found


def token_authenticate(secret: str) -> Any | None:
    """The active account `secret` belongs to, or None (unknown, revoked, account locked).

    Marks when the token was last used (at most once a minute, to spare the writes)."""
    if not secret.startswith(TOKEN_START) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_list(user: Any) -> list[ApiToken]:
    """The tokens of `user`, newest first (revoked ones too)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))
