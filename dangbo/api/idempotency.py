"""Every write carries an ``Idempotency-Key``: a request retried with the same key and body is
answered with the stored response and writes nothing again.

The key is stored with the response in the same transaction as the write, so a write and
its key commit together or not at all. Two requests with the same key at once: the second
waits on the key's unique index until the first commits, then is answered with the first
one's stored response. The same key with another request (method, path or body) is refused
with 422. A refusal of the domain (422, 409) is stored like a success: retrying it gives
the same answer; a refusal before the write (401, 403, 404, a missing key) is not stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from dangbo.api.errors import ApiError, error_body, error_status
from dangbo.api.models import IdempotencyKey
from dangbo.core.errors import DomainError

HEADER = "Idempotency-Key"
MAX_KEY = 200

Outcome = tuple[int, dict[str, Any]]


def request_hash(request: HttpRequest, payload: Any) -> str:
    """SHA-256 of the method, the path and the parsed body (key order does not matter)."""
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    raw = f"{request.method} {request.path}\n{body}".encode()
    return hashlib.sha256(raw).hexdigest()


def _check_key(key: str | None) -> str:
    key = (key or "").strip()
    if not key:
        raise ApiError(
            422,
            "thieu_khoa_idempotency",
            f"Yêu cầu ghi phải có tiêu đề «{HEADER}» (một chuỗi duy nhất cho mỗi thao tác).",
            HEADER,
        )
    if len(key) > MAX_KEY or not key.isprintable():
        raise ApiError(
            422,
            "khoa_idempotency_khong_hop_le",
            f"Tiêu đề «{HEADER}» dài quá {MAX_KEY} ký tự hoặc có ký tự không in được.",
            HEADER,
        )
    return key


def _replay(row: IdempotencyKey, digest: str) -> Outcome:
    if row.request_hash != digest:
        raise ApiError(
            422,
            "khoa_idempotency_da_dung",
            f"Khóa «{row.key}» đã được dùng cho một yêu cầu khác (ghi lúc "
            f"{row.created_at:%H:%M %d/%m/%Y}); mỗi thao tác ghi mới cần một khóa mới.",
            HEADER,
        )
    return row.response_status, row.response_body


def run_once(
    request: HttpRequest,
    key: str | None,
    payload: Any,
    write: Callable[[], Outcome],
) -> Outcome:
    """Answer the stored outcome of (user, `key`), or run `write` and store its outcome.

    `write` returns (status, JSON body); a :class:`DomainError` it raises is stored as its
    refusal (and nothing of the write is kept)."""
    key = _check_key(key)
    user: Any = request.user
    digest = request_hash(request, payload)
    found = IdempotencyKey.objects.filter(user_id=user.pk, key=key).first()
    if found is not None:
        return _replay(found, digest)
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                user_id=user.pk, key=key, request_hash=digest, response_status=0, response_body={}
            )
            try:
                with transaction.atomic():
                    status, body = write()
            except DomainError as exc:
                status, body = error_status(exc), error_body(exc)
            row.response_status, row.response_body = status, body
            row.save(update_fields=["response_status", "response_body"])
    except IntegrityError:
        # the same key, committed by a concurrent request meanwhile
        found = IdempotencyKey.objects.filter(user_id=user.pk, key=key).first()
        if found is None:
            raise
        return _replay(found, digest)
    return status, body
