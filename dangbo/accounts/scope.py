"""What a user may reach: the organizations of their valid role assignments and subtrees.

Computed once per request and action (cached on the user object, which lives as long as
the request); the tree is read as it stands on the given day (default today).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.permissions import PERMISSIONS, Action, Role
from dangbo.core.dates import today
from dangbo.organizations.models import Organization, OrgClosure


def assignments_on(user: Any, on: date | None = None) -> list[RoleAssignment]:
    """The user's role assignments valid on `on` (default today); none for an inactive or
    anonymous user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    on = on or today()
    cache = user.__dict__.setdefault("_dangbo_assignments", {})
    if on not in cache:
        cache[on] = list(
            RoleAssignment.objects.filter(user=user, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("valid_from", "pk")
        )
    return cache[on]


def roles_on(user: Any, on: date | None = None) -> set[Role]:
    return {Role(a.role) for a in assignments_on(user, on)}


def scope_org_ids(user: Any, action: Action, *, on: date | None = None) -> frozenset[int]:
    """Every organization where `user` may do `action`: the subtrees (as the tree stands on
    `on`, default today) of their valid assignments whose role allows it."""
    on = on or today()
    cache = user.__dict__.setdefault("_dangbo_scope", {}) if user is not None else {}
    key = (action, on)
    if key not in cache:
        roots = {a.org_id for a in assignments_on(user, on) if action in PERMISSIONS[Role(a.role)]}
        ids: frozenset[int] = frozenset()
        if roots:
            ids = frozenset(
                OrgClosure.objects.filter(
                    ancestor_id__in=roots, valid_from__lte=on, valid_to__gt=on
                ).values_list("descendant_id", flat=True)
            )
        cache[key] = ids
    return cache[key]


def can(user: Any, action: Action, org_id: int | None = None, *, on: date | None = None) -> bool:
    """Whether `user` may do `action` in organization `org_id` (None: anywhere)."""
    if org_id is None:
        return any(action in PERMISSIONS[Role(a.role)] for a in assignments_on(user, on))
    return org_id in scope_org_ids(user, action, on=on)


def home_org(user: Any, on: date | None = None) -> Organization | None:
    """The organization the user works for: that of their first valid assignment."""
    found = assignments_on(user, on)
    return Organization.objects.get(pk=found[0].org_id) if found else None
