"""Write a composed report to a file, choosing the renderer by the file's extension."""

from __future__ import annotations

from pathlib import Path

from dangbo.core.errors import InvalidInput
from dangbo.reports.document import Document
from dangbo.reports.render_docx import render_docx
from dangbo.reports.render_html import render_html
from dangbo.reports.render_pdf import render_pdf

FORMATS = (".docx", ".pdf", ".html")


def render_to(doc: Document, path: Path) -> Path:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(f"Tệp «{path.name}» phải có đuôi .docx, .pdf hoặc .html.", field="--out")
    if suffix == ".docx":
        data = render_docx(doc)
    elif suffix == ".pdf":
        data = render_pdf(doc)
    else:
        data = render_html(doc).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # never leave a half-written report behind
    return path
