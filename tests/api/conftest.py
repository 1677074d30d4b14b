"""The API world: the web world (a city with wards P1, P2; one account per role scoped to
P1, the cell secretary to P1-C1) with one API token per role, and objects in and out of
every role's scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from dangbo.accounts.permissions import Role
from dangbo.api.tokens import token_create
from dangbo.reports.models import ReportStatus, ReviewReport
from dangbo.web.reports.pdf import keep_pdf, render_report_docx
from tests.conftest import ACTOR
from tests.web.conftest import _fast_password_hasher, _tasks_dir, web_world  # noqa: F401
from tests.web.matrix.candidates import _candidate
from tests.web.matrix.documents import _doc
from tests.web.matrix.reports import report
from tests.web.matrix.targets import target

#: the kept PDF of the report in scope
PDF = b"%PDF-1.4 bao cao\n%%EOF\n"


class ApiWorld:
    def __init__(self, web: Any):
        self.web = web
        self.tokens = {
            role: token_create(user=user, name="thử", actor=ACTOR).secret
            for role, user in web.users.items()
        }

    def client(self, role: Role | None) -> Client:
        if role is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {self.tokens[role]}"})

    def ids(self, in_scope: bool) -> dict[str, int]:
        """The path parameters of every operation, for objects in or out of scope."""
        w = self.web
        rep = report(w, in_scope)["pk"]
        ReviewReport.objects.filter(pk=rep).update(
            status=ReportStatus.ISSUED, issued_on=date(2024, 7, 10)
        )
        ids = {
            "org_id": (w.org_in if in_scope else w.org_out).pk,
            "member_id": (w.member_in if in_scope else w.member_out).pk,
            "candidate_id": _candidate(w, in_scope)["pk"],
            "target_id": target(w, in_scope)["pk"],
            "document_id": _doc(w, in_scope)["pk"],
            "report_id": rep,
        }
        if in_scope:  # its PDF rendered already (a stand-in: LibreOffice takes seconds)
            keep_pdf(render_report_docx(ReviewReport.objects.get(pk=rep)), PDF)
        return ids


@pytest.fixture
def api_world(web_world) -> ApiWorld:  # noqa: F811
    return ApiWorld(web_world)
