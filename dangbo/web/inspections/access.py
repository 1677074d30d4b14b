"""Cases are reached only through these helpers: a case belongs to the user's scope when the
organization conducting it, or its subject (the organization, or the member's cell), is
in it; else 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.inspections.models import Case


def cases_held(org_ids: set[int] | frozenset[int]) -> QuerySet[Case]:
    """Cases conducted by, or about (an organization, a member's cell) one of `org_ids`."""
    ids = list(org_ids)
    return Case.objects.filter(
        Q(conducting_org_id__in=ids) | Q(subject_org_id__in=ids) | Q(subject_cell_id__in=ids)
    )


def get_case_for_user(user: Any, pk: int, action: Action = Action.VIEW_PARTY_WORK) -> Case:
    case = (
        cases_held(scope_org_ids(user, action))
        .select_related("subject_member__person", "decision", "conclusion_decision")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("Không tìm thấy vụ việc.")
    return case
