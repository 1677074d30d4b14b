"""Which accounts an administrator sees, and whose audit rows.

An administrator manages the accounts all of whose role assignments (past, present and
future) lie in the subtrees they administer, as the tree stands today; an account with no
assignment, or one with any assignment elsewhere, is not theirs. An administrator over a
root of the tree (with nothing above it) is a root-level administrator: every account,
and every audit row, including those written by commands and the system.

Everyone else sees the audit rows written by the accounts they could manage with the
same rule applied to the subtrees where they may view the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.permissions import PERMISSIONS, Action, Role
from dangbo.accounts.scope import assignments_on
from dangbo.core.dates import today
from dangbo.core.models import AuditEntry
from dangbo.organizations.models import OrgClosure, OrgVersion

User = get_user_model()


def _roots(user: Any, action: Action) -> set[int]:
    return {a.org_id for a in assignments_on(user) if action in PERMISSIONS[Role(a.role)]}


def is_root_level(user: Any, action: Action) -> bool:
    """Whether the user may do `action` over an organization at the top of today's tree
    (asked once per request: the answer is kept on the user object)."""
    cache = user.__dict__.setdefault("_dangbo_root_level", {})
    if action not in cache:
        roots = _roots(user, action)
        on = today()
        cache[action] = bool(roots) and (
            OrgVersion.objects.filter(
                org_id__in=roots, valid_from__lte=on, valid_to__gt=on, parent__isnull=True
            ).exists()
        )
    return bool(cache[action])


def accounts_visible(user: Any, action: Action = Action.MANAGE_ACCOUNTS) -> QuerySet[Any]:
    """The accounts `user` may see for `action` (see the module's rule); none without it."""
    roots = _roots(user, action)
    if not roots:
        return User.objects.none()
    if is_root_level(user, action):
        return User.objects.all()
    on = today()
    in_scope = OrgClosure.objects.filter(
        ancestor_id__in=roots, valid_from__lte=on, valid_to__gt=on
    ).values("descendant_id")
    mine = RoleAssignment.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(Exists(mine)).exclude(Exists(mine.exclude(org_id__in=in_scope)))


def account_list(user: Any) -> QuerySet[Any]:
    """The accounts the administrator manages, by username, with their assignments
    (prefetched) and whether each has a second factor (`has_totp`)."""
    return (
        accounts_visible(user)
        .order_by("username")
        .annotate(
            has_totp=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.order_by("valid_from", "pk"),
            )
        )
    )


def audit_visible(user: Any) -> QuerySet[AuditEntry]:
    """The audit rows `user` may read: all for a root-level reader, else those whose actor
    is an account in their scope."""
    if not _roots(user, Action.VIEW_AUDIT):
        return AuditEntry.objects.none()
    if is_root_level(user, Action.VIEW_AUDIT):
        return AuditEntry.objects.all()
    names = accounts_visible(user, Action.VIEW_AUDIT).values("username")
    return AuditEntry.objects.filter(actor__in=names)


def org_labels(org_ids: Iterable[int], *, on: date | None = None) -> dict[int, str]:
    """ "Name (code)" of each organization as on `on` (default today), or as last known for
    one dissolved by then — one query."""
    on = on or today()
    labels: dict[int, str] = {}
    for v in OrgVersion.objects.filter(org_id__in=set(org_ids)).order_by("valid_from"):
        if v.valid_from <= on or v.org_id not in labels:
            labels[v.org_id] = f"{v.name} ({v.code})"
    return labels
