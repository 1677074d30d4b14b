"""Write a composed report to a file, choosing the renderer by the file's extension."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dangbo.core.errors import InvalidInput
from dangbo.reports.document import Document
from dangbo.reports.render_docx import render_docx
from dangbo.reports.render_html import render_html
from dangbo.reports.render_pdf import render_pdf

FORMATS = (".docx", ".pdf", ".html")


def render_bytes(doc: Document, path: Path) -> bytes:
    """The document rendered in the format `path`'s extension names."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(f"Tệp «{path.name}» phải có đuôi .docx, .pdf hoặc .html.", field="--out")
    if suffix == ".docx":
        return render_docx(doc)
    if suffix == ".pdf":
        return render_pdf(doc)
    return render_html(doc).encode("utf-8")


def stage(data: bytes, path: Path) -> Path:
    """Write `data` whole to a new hidden temporary file beside `path`, flushed to disk.

    The caller renames it into place (:func:`publish`) or deletes it; `path` itself is not
    touched, so a crash meanwhile leaves at most the temporary file.
    """
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def publish(tmp: Path, path: Path) -> Path:
    """Rename a staged file into place (atomic on one file system)."""
    os.replace(tmp, path)
    return path


def render_to(doc: Document, path: Path) -> Path:
    data = render_bytes(doc, path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # never leave a half-written report behind
    return path
