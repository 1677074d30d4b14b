"""A case of the authorization matrix: what a URL needs and how to reach an object in and out
of scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dangbo.accounts.permissions import Action, Role

Kwargs = Callable[[Any, bool], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """`name` (e.g. ``web:member``) needs `action`; `kwargs(world, in_scope)` builds the URL's
    arguments for an object in (True) or out of (False) every role's scope — None for a URL
    without an object; `data(world, in_scope)` is the POST body (default empty: a form that
    re-renders with its errors); `query` is appended to the URL; `expect(role, in_scope,
    method)` overrides the derived status where a page answers otherwise on purpose."""

    name: str
    action: Action
    kwargs: Kwargs | None = None
    methods: tuple[str, ...] = ("GET",)
    data: Kwargs | None = None
    query: str = ""
    expect: Callable[[Role, bool, str], int | tuple[int, ...]] | None = None


def queued(action: Action) -> Callable[[Role, bool, str], int]:
    """The statuses of a URL whose POST puts its work on the task queue: in scope a redirect
    to the task's page (302) — a GET only shows the button (200) —, out of scope 404, without
    `action` 403."""

    def expect(role: Role, in_scope: bool, method: str) -> int:
        from dangbo.accounts.permissions import PERMISSIONS

        if action not in PERMISSIONS[role]:
            return 403
        if not in_scope:
            return 404
        return 200 if method == "GET" else 302

    return expect
