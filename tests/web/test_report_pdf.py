"""The report's PDF runs as a background task: the link goes to the task's page, the worker
renders it, the page offers the file; a report already rendered is served at once; a failed
conversion leaves nothing and may be retried. LibreOffice is replaced by a stub here (the
browser flow converts for real)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from dangbo.accounts.permissions import Role
from dangbo.organizations.services import term_open
from dangbo.reports.render_pdf import PdfConversionError
from dangbo.reports.services import report_draft, report_issue
from dangbo.web.reports import pdf as report_pdf
from tests.conftest import ACTOR
from tests.web.conftest import run_worker

FAKE = b"%PDF-1.4\n% dangbo test\n"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2024-08-01")


@pytest.fixture
def conversions(monkeypatch):
    """The DOCX files LibreOffice was asked to convert (each gives the fake PDF)."""
    seen: list[bytes] = []

    def convert(files):
        seen.extend(files)
        return [FAKE for _ in files]

    monkeypatch.setattr(report_pdf, "docx_to_pdf_many", convert)
    return seen


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_pdf_button_runs_a_task_then_the_same_report_comes_at_once(web_world, conversions):
    report = report_draft(org=web_world.tree["w1"], period_code="2024-H1", actor=ACTOR)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:report_pdf", kwargs={"pk": report.pk})
    shown = c.get(url)  # a GET (a prefetcher, a reload) only shows the button
    assert shown.status_code == 200 and 'method="post"' in shown.content.decode()
    assert not DBTaskResult.objects.exists()
    response = c.post(url)
    assert response.status_code == 302
    task_url = response["Location"]
    page = c.get(task_url).content.decode()
    assert "Tệp PDF:" in page and "2024-H1" in page
    assert "Đang chờ" in page and not conversions
    back = reverse("web:report", kwargs={"pk": report.pk})
    assert f'href="{back}"' in page  # back to the report, not to the link that started it

    run_worker()

    row = DBTaskResult.objects.get()
    assert row.status == "SUCCESSFUL" and row.return_value == "bao-cao-2024-H1-du-thao.pdf"
    assert "Tải về bao-cao-2024-H1-du-thao.pdf" in c.get(task_url).content.decode()
    download = c.get(reverse("web:task_download", kwargs={"task_id": row.pk}))
    assert _body(download) == FAKE and len(conversions) == 1

    again = c.get(url)  # unchanged: the kept PDF at once, even on a GET; no new task
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"
    assert "bao-cao-2024-H1-du-thao.pdf" in again["Content-Disposition"]
    assert _body(again) == FAKE and DBTaskResult.objects.count() == 1


def test_an_issued_report_once_rendered_downloads_at_once(web_world, conversions):
    ward = web_world.tree["w1"]
    term_open(org=ward, label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    report = report_draft(org=ward, period_code="2024-H1", actor=ACTOR)
    report = report_issue(report=report, on=date(2024, 7, 5), signer_name="Ký", actor=ACTOR)
    c = web_world.client(Role.LEADERSHIP)
    url = reverse("web:report_pdf", kwargs={"pk": report.pk})
    assert c.post(url).status_code == 302
    run_worker()
    for _ in range(2):
        response = c.get(url)
        assert response.status_code == 200 and _body(response) == FAKE
        assert "bao-cao-01-BC-%C4%90U.pdf" in response["Content-Disposition"]
    assert len(conversions) == 1 and DBTaskResult.objects.count() == 1


def test_a_failed_conversion_leaves_nothing_and_is_retried(web_world, monkeypatch):
    def fail(files):
        raise PdfConversionError("LibreOffice không chạy được.")

    monkeypatch.setattr(report_pdf, "docx_to_pdf_many", fail)
    report = report_draft(org=web_world.tree["w1"], period_code="2024-H1", actor=ACTOR)
    c = web_world.client(Role.OFFICE)
    task_url = c.post(reverse("web:report_pdf", kwargs={"pk": report.pk}))["Location"]
    run_worker()
    page = c.get(task_url).content.decode()
    assert "Không thành công" in page and "Chạy lại" in page
    assert not list((report_pdf._kept_dir()).glob("*.pdf"))

    monkeypatch.setattr(report_pdf, "docx_to_pdf_many", lambda files: [FAKE for _ in files])
    failed = DBTaskResult.objects.get()
    retried = c.post(reverse("web:task_retry", kwargs={"task_id": failed.pk}))
    run_worker()
    assert "Tải về" in c.get(retried["Location"]).content.decode()


def test_a_task_of_a_report_out_of_scope_cannot_be_started(web_world):
    report = report_draft(org=web_world.tree["w2"], period_code="2024-H1", actor=ACTOR)
    response = web_world.client(Role.OFFICE).post(
        reverse("web:report_pdf", kwargs={"pk": report.pk})
    )
    assert response.status_code == 404 and not DBTaskResult.objects.exists()
