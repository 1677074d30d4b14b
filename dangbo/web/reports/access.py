"""Review reports are reached only through here: 404 for missing and out of scope alike."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.reports.models import ReviewReport


def get_report_for_user(
    user: Any, pk: int, action: Action = Action.VIEW_PARTY_WORK
) -> ReviewReport:
    """The review report `pk` (with its organization and number) if the user may do `action`
    in its organization; else 404."""
    report = ReviewReport.objects.select_related("org", "number").filter(pk=pk).first()
    if report is None or report.org_id not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy báo cáo.")
    return report
