"""The yearly party finance report (báo cáo công tác tài chính Đảng) of an organization: the
DOCX at once, the PDF by a background task (LibreOffice takes seconds).

The report is computed from the ledger when it is asked for: a payment recorded after the
task was queued shows in the PDF the task renders.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django_tasks import TaskContext, task

from dangbo.accounts.permissions import Action
from dangbo.organizations.models import Organization
from dangbo.reports.compose_finance import compose_finance
from dangbo.reports.finance import FinanceData, finance_report
from dangbo.reports.render_docx import render_docx
from dangbo.web.access import get_org_for_user
from dangbo.web.decorators import require
from dangbo.web.reports.pdf import pdf_of_docx
from dangbo.web.tasks.api import enqueue_and_redirect, start_page
from dangbo.web.tasks.store import publish_result, report_progress

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
YEARS = range(1945, 2201)


def file_stem(data: FinanceData) -> str:
    """ "bao-cao-tai-chinh-dang-P1-2026"."""
    code = "".join(c if c.isalnum() or c in "-_" else "-" for c in data.org_code)
    return f"bao-cao-tai-chinh-dang-{code}-{data.year}"


def finance_docx(org: Organization, year: int) -> tuple[FinanceData, bytes]:
    """The report's data and its DOCX, from the ledger now."""
    data = finance_report(org, year)
    return data, render_docx(compose_finance(data))


@task(takes_context=True)
def finance_report_pdf_task(context: TaskContext, org_id: int, year: int) -> str:
    """The PDF of the finance report of organization `org_id` for `year`, as the task's
    result file."""
    task_id = str(context.task_result.id)
    report_progress(task_id, 0, 2, "Dựng văn bản DOCX")
    data, docx = finance_docx(Organization.objects.get(pk=org_id), year)
    report_progress(task_id, 1, 2, "Chuyển sang PDF")
    pdf = pdf_of_docx(docx)
    report_progress(task_id, 2, 2)
    return publish_result(task_id, f"{file_stem(data)}.pdf", pdf)


def _org(request: HttpRequest, org: int, year: int) -> Organization:
    if year not in YEARS:
        raise Http404("Năm không hợp lệ.")
    return get_org_for_user(request.user, org, Action.VIEW_PARTY_WORK)


@require(Action.VIEW_PARTY_WORK)
def dues_finance_docx(request: HttpRequest, org: int, year: int) -> HttpResponse:
    """The finance report of `org` for `year` as a DOCX download."""
    data, content = finance_docx(_org(request, org, year), year)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{file_stem(data)}.docx") or ""
    )
    return response


@require(Action.VIEW_PARTY_WORK)
def dues_finance_pdf(request: HttpRequest, org: int, year: int) -> HttpResponse:
    """The finance report's PDF: a POST puts it on the task queue, whose page shows the
    progress, then the file; a GET shows the button that starts it and writes nothing."""
    organization = _org(request, org, year)
    title = f"Tệp PDF: Báo cáo công tác tài chính Đảng năm {year}"
    back = reverse("web:dues") + f"?org={organization.pk}&nam={year}"
    if request.method != "POST":
        return start_page(request, title=title, button="Tạo tệp PDF", back=back)
    return enqueue_and_redirect(
        request,
        finance_report_pdf_task,
        organization.pk,
        year,
        title=title,
        org_id=organization.pk,
        action=Action.VIEW_PARTY_WORK,
        back=back,
    )
