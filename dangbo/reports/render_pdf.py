"""Render a composed `Document` as PDF: the DOCX of `render_docx`, converted by LibreOffice.

The PDF therefore says exactly what the DOCX says. LibreOffice runs headless with a
private profile directory per call, so parallel conversions (several workers, several
tests) never share a profile. Times New Roman is substituted by the metric-compatible
Liberation Serif, embedded in the PDF.

`render_pdf_many` converts a batch (e.g. the reports of all wards) in one LibreOffice
process, which saves the start-up cost (about a second) for every document after the first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from dangbo.reports.document import Document
from dangbo.reports.render_docx import render_docx

SOFFICE_CANDIDATES = (
    "soffice",
    "libreoffice",
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
)
TIMEOUT_SECONDS = 120  # one conversion run; a batch gets this plus PER_DOCUMENT_SECONDS each
PER_DOCUMENT_SECONDS = 20


class PdfConversionError(RuntimeError):
    """The PDF could not be produced; the message is for the office staff (Vietnamese)."""

    code = "loi_chuyen_pdf"

    def __init__(self, message: str, *, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


def soffice_path() -> str:
    """The LibreOffice executable, or a Vietnamese error saying how to install it."""
    configured = os.environ.get("DANGBO_SOFFICE")
    for candidate in ((configured,) if configured else ()) + SOFFICE_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise PdfConversionError(
        "Không tìm thấy LibreOffice (soffice) để xuất PDF. Cài đặt gói "
        "libreoffice-writer-nogui (apt-get install -y --no-install-recommends "
        "libreoffice-writer-nogui) hoặc đặt biến môi trường DANGBO_SOFFICE trỏ tới soffice."
    )


def render_pdf(doc: Document) -> bytes:
    """The PDF bytes of `doc` (its DOCX converted by LibreOffice)."""
    return docx_to_pdf_many([render_docx(doc)])[0]


def render_pdf_many(docs: Iterable[Document]) -> list[bytes]:
    """PDF bytes for each document, in order, converted in one LibreOffice run."""
    return docx_to_pdf_many([render_docx(doc) for doc in docs])


def docx_to_pdf_many(docx_files: list[bytes]) -> list[bytes]:
    """Convert DOCX bytes to PDF bytes with a single headless LibreOffice process."""
    if not docx_files:
        return []
    executable = soffice_path()
    with tempfile.TemporaryDirectory(prefix="dangbo-pdf-") as work:
        root = Path(work)
        src, out, profile = root / "docx", root / "pdf", root / "profile"
        for folder in (src, out, profile):
            folder.mkdir()
        names = [f"vb{i:05d}" for i in range(len(docx_files))]
        for name, data in zip(names, docx_files, strict=True):
            (src / f"{name}.docx").write_bytes(data)
        command = [
            executable,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            *(str(src / f"{name}.docx") for name in names),
        ]
        env = dict(os.environ, HOME=str(root), SAL_USE_VCLPLUGIN="svp")
        timeout = TIMEOUT_SECONDS + PER_DOCUMENT_SECONDS * len(names)
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                cwd=root,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfConversionError(
                f"LibreOffice không xuất xong PDF sau {timeout} giây; hãy thử lại hoặc "
                "xuất ít văn bản hơn trong một lần.",
                detail=str(exc),
            ) from exc
        except OSError as exc:
            raise PdfConversionError(
                f"Không chạy được LibreOffice ({executable}) để xuất PDF: {exc.strerror or exc}.",
                detail=str(exc),
            ) from exc
        pdfs, missing = [], []
        for name in names:
            target = out / f"{name}.pdf"
            if target.is_file() and target.stat().st_size > 0:
                pdfs.append(target.read_bytes())
            else:
                missing.append(name)
        if missing:
            detail = f"exit {result.returncode}\n{result.stdout}\n{result.stderr}".strip()
            raise PdfConversionError(
                f"LibreOffice không xuất được {len(missing)}/{len(names)} văn bản sang PDF "
                f"(mã thoát {result.returncode}). Chi tiết: {_last_line(result.stderr)}",
                detail=detail,
            )
        return pdfs


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "không có thông báo lỗi"
