"""Who calls and what they may do: the bearer token, the operation's action, the scope.

Every operation is declared with :func:`action_of` its permission-table action (kept in the
schema as ``x-dangbo-action`` for the authorization matrix). The token's account must hold
a role allowing it somewhere (else 403); objects are then fetched through the same
``get_<thing>_for_user`` helpers as the web pages (outside the scope: 404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.api.tokens import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer dgb_…``: the token's account becomes the request's user."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def action_extra(action: Action) -> dict[str, Any]:
    """The operation's action, kept in its OpenAPI description."""
    return {"x-dangbo-action": action.value}


def require(request: HttpRequest, action: Action) -> Any:
    """The request's user if a role of theirs allows `action` somewhere; else 403."""
    user = request.user
    if not can(user, action):
        raise PermissionDenied(f"Tài khoản không có quyền: {action.label.lower()}.")
    return user


def actor(request: HttpRequest) -> str:
    """The audit's actor: the account's username (the client address is set by the web
    application's middleware for every request)."""
    return str(request.user.get_username())
