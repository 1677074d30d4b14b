"""`{% load access %}`: `user|may:"export_members"` — whether the user's role allows the
action anywhere (the view still checks the organization). No query: the assignments are
cached on the user for the request."""

from __future__ import annotations

from typing import Any

from django import template

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    return bool(user and user.is_authenticated and can(user, Action(action)))
