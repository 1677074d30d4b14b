"""An xlsx workbook as the download of a page."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from dangbo.reports.xlsx_tables import CONTENT_TYPE


def xlsx_response(data: bytes, name: str) -> HttpResponse:
    """`data` as an attachment named `name` (Vietnamese letters kept, RFC 6266)."""
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["Cache-Control"] = "private, no-store"
    return response
