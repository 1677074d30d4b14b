"""A report's PDF through the API: 409 until rendered, a POST queues the rendering (once per
idempotency key), then the GET answers the kept PDF."""

from __future__ import annotations

import shutil
from pathlib import Path
from unittest.mock import patch

from django.conf import settings
from django_tasks_db.models import DBTaskResult

from dangbo.accounts.permissions import Role
from dangbo.web.reports.pdf import KEPT_DIR
from tests.api.conftest import PDF
from tests.web.conftest import run_worker

RENDERED = b"%PDF-1.4 da dung\n%%EOF\n"


def test_the_kept_pdf_is_answered(api_world):
    url = f"/api/reports/{api_world.ids(True)['report_id']}/pdf"
    response = api_world.client(Role.OFFICE).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == PDF
    assert ".pdf" in response["Content-Disposition"]


def test_a_pdf_not_rendered_is_queued_then_served(api_world):
    report_id = api_world.ids(True)["report_id"]
    shutil.rmtree(Path(settings.TASKS_DIR) / KEPT_DIR)
    client = api_world.client(Role.OFFICE)
    url = f"/api/reports/{report_id}/pdf"

    refused = client.get(url)
    assert refused.status_code == 409
    body = refused.json()
    assert (
        body["code"] == "pdf_chua_tao" and f"POST /api/reports/{report_id}/pdf" in body["message"]
    )

    before = DBTaskResult.objects.count()
    queued = client.post(url, headers={"Idempotency-Key": "pdf-1"})
    assert queued.status_code == 202, queued.content
    assert queued.json()["pdf_url"] == url
    again = client.post(url, headers={"Idempotency-Key": "pdf-1"})
    assert again.status_code == 202 and again.json() == queued.json()
    assert DBTaskResult.objects.count() == before + 1
    assert client.get(url).status_code == 409  # queued, not rendered yet

    with patch("dangbo.web.reports.pdf.docx_to_pdf_many", return_value=[RENDERED]):
        run_worker()
    assert str(DBTaskResult.objects.get().id) == queued.json()["task_id"]
    served = client.get(url)
    assert served.status_code == 200 and served.content == RENDERED


def test_a_draft_has_no_pdf_through_the_api(api_world):
    from dangbo.reports.models import ReportStatus, ReviewReport

    report_id = api_world.ids(True)["report_id"]
    ReviewReport.objects.filter(pk=report_id).update(status=ReportStatus.DRAFT)
    client = api_world.client(Role.OFFICE)
    assert client.get(f"/api/reports/{report_id}/pdf").status_code == 404
    posted = client.post(f"/api/reports/{report_id}/pdf", headers={"Idempotency-Key": "d"})
    assert posted.status_code == 404
