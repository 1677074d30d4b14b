"""Several processes writing at once: one writer at a time, and a clear refusal otherwise.

On SQLite every transaction takes the write lock when it begins (settings: ``BEGIN
IMMEDIATE``, WAL, a busy timeout), so writers queue. On PostgreSQL a write that must not
run beside another one of its kind takes a transaction-level advisory lock
(:func:`serialize`). What still collides — a unique key another transaction committed first,
a serialization failure, a deadlock, a lock held past the timeout — is turned into a
:class:`~dangbo.core.errors.DomainError` at the boundary of the write
(:func:`write_conflicts`), after its transaction was rolled back.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, IntegrityError, OperationalError, connection

from dangbo.core.error_codes import CoreErrorCode
from dangbo.core.errors import DomainError

#: PostgreSQL SQLSTATEs of a collision with another transaction (retrying may succeed).
_PG_CONFLICTS = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


class WriteConflict(DomainError):
    """Another process wrote the same records at the same time; nothing of this write stayed."""

    code: str = CoreErrorCode.XUNG_DOT_GHI


def serialize(name: str) -> None:
    """Wait until no other transaction holds the lock `name`, then hold it until commit.

    PostgreSQL only (an advisory lock); on SQLite the transaction already holds the one
    write lock of the file. Must be called inside ``transaction.atomic()``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])


def _sqlstate(exc: BaseException) -> str:
    cause = exc.__cause__
    return str(getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None) or "")


def is_conflict(exc: DatabaseError) -> bool:
    """Whether `exc` is a collision with another writer rather than a fault of this one."""
    if "dangbo_append_only" in str(exc):
        return False  # a trigger's refusal: a fault of this write, not a collision
    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        return _sqlstate(exc) in _PG_CONFLICTS or any(s in text for s in _SQLITE_BUSY)
    return False


@contextmanager
def write_conflicts(what: str, again: str) -> Iterator[None]:
    """Turn a collision with another writer inside the block into a :class:`WriteConflict`.

    `what` names the write ("lần nhập", "việc ban hành báo cáo"), `again` says what to do.
    Wrap the outermost ``transaction.atomic()`` of the write, so that the transaction has
    been rolled back when the message is given. Other database errors pass unchanged.
    """
    try:
        yield
    except DatabaseError as exc:
        if not is_conflict(exc):
            raise
        if isinstance(exc, OperationalError) and not _sqlstate(exc):
            reason = "cơ sở dữ liệu đang bận: một tiến trình khác giữ quyền ghi quá lâu"
        else:
            reason = "một tiến trình khác vừa ghi cùng dữ liệu vào cơ sở dữ liệu"
        raise WriteConflict(
            f"Không thực hiện được {what} vì {reason}; chưa có gì được ghi. {again}"
        ) from None
