"""The PDF of a review report, behind one function so it can run as a background task.

LibreOffice takes seconds; the page calls :func:`render_report_pdf` synchronously. The DOCX
is deterministic, so the PDF of the same DOCX is kept (a few, in this process) and a second
download of an unchanged report does not start LibreOffice again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.models import ReviewReport
from dangbo.reports.render_docx import render_docx
from dangbo.reports.render_pdf import docx_to_pdf_many

KEEP = 8
_kept: OrderedDict[str, bytes] = OrderedDict()


def render_report_docx(report: ReviewReport) -> bytes:
    """The DOCX of the report as it prints now (an issued one from its frozen figures)."""
    return render_docx(compose_review(build_review(report)))


def render_report_pdf(report: ReviewReport) -> bytes:
    """The PDF of the report (its DOCX converted by LibreOffice; refused with
    :class:`dangbo.reports.render_pdf.PdfConversionError` when LibreOffice fails)."""
    docx = render_report_docx(report)
    key = hashlib.sha256(docx).hexdigest()
    if key in _kept:
        _kept.move_to_end(key)
        return _kept[key]
    pdf = docx_to_pdf_many([docx])[0]
    _kept[key] = pdf
    while len(_kept) > KEEP:
        _kept.popitem(last=False)
    return pdf
