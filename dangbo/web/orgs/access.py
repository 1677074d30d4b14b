"""Which organizations a user reaches on a date, and the organization page's object.

The user's roles are those valid today; the tree below them is read as it stood on the
date asked for, so an organization dissolved or merged away stays reachable on the dates
it existed, and its page (its history) stays reachable for those who had it in scope.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import Http404

from dangbo.accounts.permissions import PERMISSIONS, Action, Role
from dangbo.accounts.scope import assignments_on, scope_org_ids
from dangbo.core.dates import today
from dangbo.organizations.models import Organization, OrgClosure


def _roots(user: Any, action: Action) -> set[int]:
    return {a.org_id for a in assignments_on(user) if action in PERMISSIONS[Role(a.role)]}


def scope_ids_on(user: Any, action: Action, on: date) -> frozenset[int]:
    """The organizations under the user's roles of today (allowing `action`) on `on`."""
    if on == today():
        return scope_org_ids(user, action)
    roots = _roots(user, action)
    if not roots:
        return frozenset()
    return frozenset(
        OrgClosure.objects.filter(
            ancestor_id__in=roots, valid_from__lte=on, valid_to__gt=on
        ).values_list("descendant_id", flat=True)
    )


def get_org_page_for_user(user: Any, pk: int, action: Action = Action.VIEW_ORGS) -> Organization:
    """The organization `pk` if it is in the user's scope today or, once dissolved, was on
    its last day; else 404 (missing and out of scope alike)."""
    org = Organization.objects.filter(pk=pk).first()
    if org is None:
        raise Http404("Không tìm thấy tổ chức.")
    if pk in scope_org_ids(user, action):
        return org
    if org.dissolved_on is not None:
        last = org.dissolved_on - timedelta(days=1)
        if OrgClosure.objects.filter(
            ancestor_id__in=_roots(user, action),
            descendant_id=pk,
            valid_from__lte=last,
            valid_to__gt=last,
        ).exists():
            return org
    raise Http404("Không tìm thấy tổ chức.")


def reachable_org_ids(user: Any, ids: set[int], action: Action = Action.VIEW_ORGS) -> set[int]:
    """Those of `ids` whose page the user may open (see `get_org_page_for_user`), in two
    queries whatever their number."""
    today_scope = scope_org_ids(user, action)
    found = ids & today_scope
    rest = ids - found
    if not rest:
        return found
    ended = dict(
        Organization.objects.filter(pk__in=rest, dissolved_on__isnull=False).values_list(
            "pk", "dissolved_on"
        )
    )
    rows = OrgClosure.objects.filter(
        ancestor_id__in=_roots(user, action), descendant_id__in=ended
    ).values_list("descendant_id", "valid_from", "valid_to")
    for org_id, start, end in rows:
        last = ended[org_id] - timedelta(days=1)
        if start <= last < end:
            found.add(org_id)
    return found
