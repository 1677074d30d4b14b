"""Congresses and elections are reached only through these helpers: 404 for both "missing"
and "not yours" (the congress's organization outside the user's scope for the action)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.congresses.models import Congress, Election


def get_congress_for_user(user: Any, pk: int, action: Action = Action.VIEW_PARTY_WORK) -> Congress:
    """The congress `pk` if the user may do `action` in its organization; else 404."""
    congress = (
        Congress.objects.select_related("org", "term", "approval_decision").filter(pk=pk).first()
    )
    if congress is None or congress.org_id not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy đại hội.")
    return congress


def get_election_for_user(user: Any, pk: int, action: Action = Action.VIEW_PARTY_WORK) -> Election:
    """The election `pk` if the user may do `action` in its congress's organization; else
    404."""
    election = (
        Election.objects.select_related("congress__org", "congress__term").filter(pk=pk).first()
    )
    if election is None or election.congress.org_id not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy cuộc bầu cử.")
    return election
