"""Uploaded workbooks waiting for their import: the file and what the user chose (kind,
organization, opening date, sheet, mapping) under the media storage, ``imports/<token>``,
until the import is written (then both are deleted)."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

FOLDER = "imports"


@dataclass
class Upload:
    token: str
    owner_id: int
    org_id: int
    kind: str
    on: str  # ISO date
    filename: str
    sheet: str | None = None
    mapping: dict[str, str] | None = None  # column position (as text) → field
    extra: dict[str, Any] = field(default_factory=dict)

    def positions(self) -> dict[int, str] | None:
        return {int(k): v for k, v in self.mapping.items()} if self.mapping is not None else None


def _path(token: str, ext: str) -> str:
    return f"{FOLDER}/{token}.{ext}"


def upload_create(data: bytes, **fields: Any) -> Upload:
    """Keep `data` and the choices made with it; returns the upload with its new token."""
    upload = Upload(token=uuid.uuid4().hex, **fields)
    default_storage.save(_path(upload.token, "xlsx"), ContentFile(data))
    upload_save(upload)
    return upload


def upload_save(upload: Upload) -> None:
    path = _path(upload.token, "json")
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(asdict(upload)).encode()))


def upload_get(token: str) -> Upload | None:
    path = _path(token, "json")
    if not default_storage.exists(path):
        return None
    with default_storage.open(path) as fh:
        return Upload(**json.loads(fh.read()))


def upload_data(upload: Upload) -> bytes:
    with default_storage.open(_path(upload.token, "xlsx")) as fh:
        data: bytes = fh.read()
    return data


def upload_delete(upload: Upload) -> None:
    for ext in ("xlsx", "json"):
        if default_storage.exists(_path(upload.token, ext)):
            default_storage.delete(_path(upload.token, ext))
