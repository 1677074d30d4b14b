"""The signed scan of a registered document: a PDF, PNG or JPEG file kept in the default
storage (``STORAGES["default"]``, under ``var/media`` unless configured otherwise).

The type is read from the file's first bytes, never from its name; the size limit is the
setting ``DANGBO_UPLOAD_MAX_BYTES`` (20 MB by default). A refused file writes nothing.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction

from dangbo.core.errors import InvalidInput
from dangbo.core.services import audit
from dangbo.documents.error_codes import DocumentErrorCode
from dangbo.documents.models import Document

#: file types accepted, by their leading bytes: (magic, extension, content type)
SCAN_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)


def scan_type(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a file starting with `head`, or None if not accepted."""
    for magic, ext, content_type in SCAN_TYPES:
        if head.startswith(magic):
            return ext, content_type
    return None


def content_type_of(name: str) -> str:
    """The content type a stored scan is served with (from the extension it was stored
    under, which the upload's magic bytes decided)."""
    ext = name.rsplit(".", 1)[-1].lower()
    return next((ct for _, e, ct in SCAN_TYPES if e == ext), "application/octet-stream")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}".replace(".", ",")


def check_scan(data: IO[bytes], size: int) -> str:
    """The extension of an acceptable scan; refused: an empty file, one over the size limit,
    one whose content is not a PDF, PNG or JPEG (whatever its name says)."""
    limit = settings.DANGBO_UPLOAD_MAX_BYTES
    if size <= 0:
        raise InvalidInput("Tệp bản ký rỗng.", code=DocumentErrorCode.TEP_BAN_KY, field="scan")
    if size > limit:
        raise InvalidInput(
            f"Tệp bản ký nặng {_mb(size)} MB, vượt quá giới hạn {_mb(limit)} MB.",
            code=DocumentErrorCode.TEP_BAN_KY,
            field="scan",
        )
    data.seek(0)
    head = data.read(16)
    data.seek(0)
    kind = scan_type(head)
    if kind is None:
        raise InvalidInput(
            "Tệp bản ký phải là PDF, PNG hoặc JPEG (nội dung tệp không phải các định dạng này).",
            code=DocumentErrorCode.TEP_BAN_KY,
            field="scan",
        )
    return kind[0]


def _stored_name(doc: Document, ext: str) -> str:
    return f"{doc.number_text}-{doc.issued_on:%Y%m%d}".replace("/", "-") + f".{ext}"


@transaction.atomic
def document_attach_scan(*, doc: Document, upload: IO[bytes], size: int, actor: str) -> Document:
    """Store `upload` as `doc`'s signed scan; an earlier scan is deleted from the storage
    once this transaction commits. If the database write fails, the new file is removed."""
    ext = check_scan(upload, size)
    old = doc.scan.name or ""
    storage = doc.scan.storage
    doc.scan.save(_stored_name(doc, ext), File(upload), save=False)
    new = doc.scan.name
    try:
        with transaction.atomic():
            doc.save(update_fields=["scan"])
            audit(
                actor=actor,
                action="document_attach_scan",
                obj=doc,
                before={"scan": old},
                after={"scan": new},
            )
    except Exception:
        storage.delete(new)
        doc.scan.name = old
        raise
    if old and old != new:
        transaction.on_commit(lambda: storage.delete(old))
    return doc
