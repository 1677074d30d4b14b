"""The collection book (sổ thu đảng phí) of a cell: the xlsx and the DOCX at once, the PDF by
a background task (LibreOffice takes seconds).

The book is read from the ledger when the task runs: a payment recorded after the task was
queued shows in the PDF.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django_tasks import TaskContext, task

from dangbo.accounts.permissions import Action
from dangbo.core.dates import today
from dangbo.dues.book import Book, collection_book
from dangbo.dues.compute import months_of
from dangbo.dues.docx import book_docx
from dangbo.dues.rules import month_label
from dangbo.dues.xlsx import book_xlsx
from dangbo.organizations.models import Organization
from dangbo.reports.render_pdf import docx_to_pdf_many
from dangbo.web.decorators import require
from dangbo.web.dues.views import cell_of, year_of
from dangbo.web.tasks.api import enqueue_and_redirect, start_page
from dangbo.web.tasks.store import publish_result, report_progress

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def book_of(cell: Organization, year: int, month: int) -> tuple[Book, str]:
    """The book of `year` (of its `month` alone when not 0) and its file name stem,
    "so-thu-dang-phi-P1-C1-2026" or "…-2026-03"."""
    if month:
        months = [date(year, month, 1)]
    else:
        months = months_of(date(year, 1, 1), date(year, 12, 1))
    book = collection_book(cell, months)
    stem = f"so-thu-dang-phi-{book.cell_code}-{year}" + (f"-{month:02d}" if month else "")
    return book, stem


@task(takes_context=True)
def book_pdf_task(context: TaskContext, org_id: int, year: int, month: int) -> str:
    """The PDF of the collection book of cell `org_id` for `year` (its `month` alone when not
    0), as the task's result file."""
    task_id = str(context.task_result.id)
    report_progress(task_id, 0, 2, "Dựng văn bản DOCX")
    book, stem = book_of(Organization.objects.get(pk=org_id), year, month)
    docx = book_docx(book)
    report_progress(task_id, 1, 2, "Chuyển sang PDF")
    (pdf,) = docx_to_pdf_many([docx])
    report_progress(task_id, 2, 2)
    return publish_result(task_id, f"{stem}.pdf", pdf)


def _period(request: HttpRequest, org: int) -> tuple[Organization, int, int]:
    cell, _name = cell_of(request, org, Action.VIEW_PARTY_WORK)
    year = year_of(request, today().year)
    text = request.GET.get("thang", "")
    if text and (not text.isdigit() or not 1 <= int(text) <= 12):
        raise Http404("Tháng không hợp lệ.")
    return cell, year, int(text or 0)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require(Action.VIEW_PARTY_WORK)
def dues_book(request: HttpRequest, org: int) -> HttpResponse:
    """The cell's collection book of `?nam=` (and `?thang=`) as xlsx."""
    book, stem = book_of(*_period(request, org))
    return _attachment(book_xlsx(book), XLSX, f"{stem}.xlsx")


@require(Action.VIEW_PARTY_WORK)
def dues_book_docx(request: HttpRequest, org: int) -> HttpResponse:
    """The cell's collection book of `?nam=` (and `?thang=`) as DOCX."""
    book, stem = book_of(*_period(request, org))
    return _attachment(book_docx(book), DOCX, f"{stem}.docx")


@require(Action.VIEW_PARTY_WORK)
def dues_book_pdf(request: HttpRequest, org: int) -> HttpResponse:
    """The collection book's PDF: a POST puts it on the task queue, whose page shows the
    progress, then the file; a GET shows the button that starts it and writes nothing."""
    cell, year, month = _period(request, org)
    period = f"{month_label(date(year, month, 1))}" if month else f"năm {year}"
    title = f"Tệp PDF: Sổ thu đảng phí {period}"
    back = reverse("web:dues_cell", args=[cell.pk]) + f"?nam={year}"
    if request.method != "POST":
        return start_page(request, title=title, button="Tạo tệp PDF", back=back)
    return enqueue_and_redirect(
        request,
        book_pdf_task,
        cell.pk,
        year,
        month,
        title=title,
        org_id=cell.pk,
        action=Action.VIEW_PARTY_WORK,
        back=back,
    )
