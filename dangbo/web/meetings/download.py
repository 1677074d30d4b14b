"""The news item of a meeting as a file: DOCX (python-docx) or plain UTF-8 text."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def news_docx(title: str, text: str) -> bytes:
    """A one-page document: the meeting's name as its heading, then one paragraph per block
    of `text` (blocks separated by a blank line; a single line break stays a break)."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    doc.add_heading(title[:1].upper() + title[1:], level=1)
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        para = doc.add_paragraph()
        for i, line in enumerate(block.strip().split("\n")):
            if i:
                para.add_run().add_break()
            para.add_run(line)
        para.paragraph_format.first_line_indent = Pt(28)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def news_response(title: str, text: str, filename: str, fmt: str) -> HttpResponse:
    if fmt == "docx":
        body, kind = news_docx(title, text), DOCX
    else:
        body, kind = (text.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8"
    return HttpResponse(
        body,
        content_type=kind,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
