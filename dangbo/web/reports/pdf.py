"""The PDF of a review report, rendered by a background task.

LibreOffice takes seconds, so the page never waits for it: the PDF link puts
:func:`report_pdf_task` on the queue and sends the user to the task's page. The DOCX is
deterministic, so the PDF of a given DOCX is kept in a file named after the DOCX's digest:
an unchanged report (an issued one above all) is served from that file at once, without a
task, and a task whose PDF is already kept does not start LibreOffice again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django_tasks import TaskContext, task

from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.models import ReviewReport
from dangbo.reports.render_docx import render_docx
from dangbo.reports.render_pdf import docx_to_pdf_many
from dangbo.web.tasks.store import publish_result, report_progress, write_atomic

#: how many rendered PDFs are kept (the oldest go first)
KEEP = 64
KEPT_DIR = "pdf-bao-cao"


def file_stem(report: ReviewReport) -> str:
    """ "bao-cao-2024-H1-du-thao" for a draft, "bao-cao-12-BC-DU" once issued."""
    if report.number is not None:
        tail = report.number.text.replace("/", "-")
    else:
        tail = f"{report.period_code}-du-thao"
    return "bao-cao-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in tail)


def render_report_docx(report: ReviewReport) -> bytes:
    """The DOCX of the report as it prints now (an issued one from its frozen figures)."""
    return render_docx(compose_review(build_review(report)))


def _kept_dir() -> Path:
    folder = Path(settings.TASKS_DIR) / KEPT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def kept_pdf(docx: bytes) -> Path | None:
    """The PDF already rendered from exactly this DOCX, or None."""
    path = _kept_dir() / f"{hashlib.sha256(docx).hexdigest()}.pdf"
    return path if path.is_file() else None


def keep_pdf(docx: bytes, pdf: bytes) -> None:
    """Keep the PDF of this DOCX (written whole, then renamed); forget the oldest beyond
    :data:`KEEP`."""
    folder = _kept_dir()
    write_atomic(folder / f"{hashlib.sha256(docx).hexdigest()}.pdf", pdf)
    files = sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)


def pdf_of_docx(docx: bytes) -> bytes:
    """The PDF of this DOCX: the kept one, or LibreOffice's (then kept); refused with
    :class:`dangbo.reports.render_pdf.PdfConversionError` when LibreOffice fails."""
    kept = kept_pdf(docx)
    if kept is not None:
        return kept.read_bytes()
    pdf = docx_to_pdf_many([docx])[0]
    keep_pdf(docx, pdf)
    return pdf


def render_report_pdf(report: ReviewReport) -> bytes:
    """The PDF of the report as it prints now, in this process (the task's work)."""
    return pdf_of_docx(render_report_docx(report))


@task(takes_context=True)
def report_pdf_task(context: TaskContext, report_id: int) -> str:
    """The PDF of review report `report_id` as the task's result file.

    A report issued or changed after the task was queued prints as it is when the task runs.
    """
    task_id = str(context.task_result.id)
    report = ReviewReport.objects.select_related("number").get(pk=report_id)
    report_progress(task_id, 0, 2, "Dựng văn bản DOCX")
    docx = render_report_docx(report)
    report_progress(task_id, 1, 2, "Chuyển sang PDF")
    pdf = pdf_of_docx(docx)
    report_progress(task_id, 2, 2)
    return publish_result(task_id, f"{file_stem(report)}.pdf", pdf)
