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
