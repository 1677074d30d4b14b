"""Objects are reached only through these helpers: 404 for both "missing" and "not yours"."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.membership.models import Member
from dangbo.organizations.models import Organization


def get_org_for_user(user: Any, pk: int, action: Action = Action.VIEW_ORGS) -> Organization:
    """The organization `pk` if the user may do `action` there (its subtree as it stands
    today); else 404."""
    if pk not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy tổ chức.")
    try:
        return Organization.objects.get(pk=pk)
    except Organization.DoesNotExist:
        raise Http404("Không tìm thấy tổ chức.") from None


def get_member_for_user(user: Any, pk: int, action: Action = Action.VIEW_MEMBERS) -> Member:
    """The member `pk` if the user may do `action` in the member's cell (or the cell hosting
    them on a temporary transfer); else 404. A member no longer on the rolls is reached
    through the last cell."""
    member = Member.objects.select_related("person").filter(pk=pk).first()
    scope = scope_org_ids(user, action)
    if member is None or not ({member.cell_id, member.host_cell_id} & scope):
        raise Http404("Không tìm thấy đảng viên.")
    return member
