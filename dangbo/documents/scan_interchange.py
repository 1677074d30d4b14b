"""The signed scans of documents in the interchange file: one ``document_scan`` line per
scan, its bytes in base64 with their SHA-256, so the file alone carries everything and the
trailer's counts and checksum cover the scans too.

Export writes the scan of every document whose file is in the storage (a missing file is
left out and said); the scan of a secret document only with ``--with-secret``. Import checks
each scan (base64, checksum, PDF/PNG/JPEG, the size limit, one per document) before writing
anything, then stores the files in the default storage under the names they had: an
existing file with the same bytes is reused, another name is chosen when one with other
bytes is in the way.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dangbo.documents.models import Document, SecurityMark
from dangbo.documents.scans import scan_type
from dangbo.interchange.reader import Checker
from dangbo.interchange.schema import Field, RecordType

if TYPE_CHECKING:
    from dangbo.interchange.bulk import Importer
    from dangbo.interchange.export import Writer

DOCUMENT_SCAN = RecordType(
    "document_scan",
    "scan",
    "bản ký của văn bản",
    (
        Field("document", "ref", required=True, target="document"),
        Field(
            "name",
            "str",
            required=True,
            max_length=Document._meta.get_field("scan").max_length,
        ),
        Field("sha256", "str", required=True, max_length=64),
        Field("data", "str", required=True),
    ),
)


def export_scans(w: Writer, documents: dict[int, str]) -> None:
    """The scans of the documents (refs `documents`), in the documents' order."""
    refs = w.number(Document, DOCUMENT_SCAN)  # a scan's ref follows its document's ordinal
    rows = Document.objects.exclude(scan="").order_by("pk").only("pk", "scan", "security_mark")
    for d in rows:
        if w.withheld.secret and d.security_mark != SecurityMark.NONE:
            continue
        try:
            with d.scan.open("rb") as f:
                data = f.read()
        except OSError:
            if w.progress:
                w.progress(f"Không thấy tệp bản ký «{d.scan.name}» trong kho; bỏ qua.")
            continue
        w.record(
            DOCUMENT_SCAN,
            refs[d.pk],
            {
                "document": documents[d.pk],
                "name": d.scan.name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "data": base64.b64encode(data).decode("ascii"),
            },
        )


def _decoded(ck: Checker, line: int, text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        ck.err(line, "data", "không phải chuỗi base64 hợp lệ.")
        return None


def check_scans(ck: Checker) -> None:
    """Each scan: a safe relative name, base64 that decodes to bytes with the checksum
    written, a PDF, PNG or JPEG within the upload limit; one scan per document."""
    limit = settings.DANGBO_UPLOAD_MAX_BYTES
    seen: dict[int, int] = {}
    for s in ck.recs["document_scan"]:
        if s.bad:
            continue
        before = ck.errors
        name = PurePosixPath(s.get("name"))
        if not s.get("name") or name.is_absolute() or ".." in name.parts or "\\" in str(name):
            ck.err(s.line, "name", "phải là đường dẫn tương đối trong kho tệp, không có «..».")
        doc = s.get("document")
        if doc in seen:
            ck.err(s.line, "document", f"văn bản này đã có bản ký ở dòng {seen[doc]}.")
        seen.setdefault(doc, s.line)
        data = _decoded(ck, s.line, s.get("data"))
        if data is not None:
            if hashlib.sha256(data).hexdigest() != s.get("sha256"):
                ck.err(s.line, "sha256", "mã kiểm tra không khớp với nội dung tệp bản ký.")
            if not data:
                ck.err(s.line, "data", "tệp bản ký rỗng.")
            elif len(data) > limit:
                ck.err(s.line, "data", f"tệp bản ký nặng {len(data)} byte, vượt giới hạn {limit}.")
            elif scan_type(data[:16]) is None:
                ck.err(s.line, "data", "tệp bản ký phải là PDF, PNG hoặc JPEG.")
        s.bad = ck.errors > before


def _store(name: str, data: bytes) -> str:
    """Store `data` under `name`, or reuse the file there when it holds the same bytes;
    returns the name the file is stored under."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as f:
            if f.read() == data:
                return name
    return default_storage.save(name, ContentFile(data))


def write_scans(imp: Importer) -> None:
    """Store every scan's file and point its document at it."""
    for s in imp.recs["document_scan"]:
        stored = _store(s.get("name"), base64.b64decode(s.get("data")))
        doc_id = imp.id("document", s.get("document"))
        assert doc_id is not None  # a required ref
        Document.objects.filter(pk=doc_id).update(scan=stored)
