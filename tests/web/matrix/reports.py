"""Matrix cases of the review report pages: the list, a new draft, a draft's page, preview,
downloads, and the editors (POST only; an empty POST re-renders the page with errors)."""

from dangbo.accounts.permissions import Action
from dangbo.reports.services import report_draft
from tests.conftest import ACTOR
from tests.web.matrix.case import Case, queued


def report(world, in_scope: bool) -> dict:
    key = f"report_{in_scope}"
    if key not in world.extra:
        org = world.org_in if in_scope else world.org_out
        world.extra[key] = report_draft(org=org, period_code="2024-H1", actor=ACTOR)
    return {"pk": world.extra[key].pk}


CASES = [
    Case("web:reports", Action.VIEW_PARTY_WORK),
    Case("web:report_new", Action.DRAFT_REPORTS, methods=("GET", "POST")),
    Case("web:report", Action.VIEW_PARTY_WORK, report),
    Case("web:report_preview", Action.VIEW_PARTY_WORK, report, methods=("GET", "POST")),
    Case("web:report_docx", Action.VIEW_PARTY_WORK, report),
    Case(
        "web:report_pdf",
        Action.VIEW_PARTY_WORK,
        report,
        methods=("GET", "POST"),
        expect=queued(Action.VIEW_PARTY_WORK),
    ),
    Case("web:report_narrative", Action.DRAFT_REPORTS, report, methods=("POST",)),
    Case("web:report_override", Action.DRAFT_REPORTS, report, methods=("POST",)),
    Case("web:report_addressing", Action.DRAFT_REPORTS, report, methods=("POST",)),
    Case("web:report_issue", Action.ISSUE_REPORTS, report, methods=("POST",)),
]
