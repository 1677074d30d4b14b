"""Append-only records: the membership ledger and the audit trail.

Rows of these tables are never changed nor removed by the product. The models refuse
``save()`` of an existing row and ``delete()`` (also on a queryset) with a
:class:`~dangbo.core.errors.DomainError`; below the ORM, database triggers (migrations
``core.0002`` and ``membership.0002``) refuse UPDATE and DELETE of their rows.

The one way around both is :func:`ledger_maintenance`: it writes a row into
``core_ledgermaintenance`` inside the caller's transaction and removes it before leaving,
so the triggers let changes through only inside that transaction (other connections
never see the row). It is used by the demo reset and by tests that empty the database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction

from dangbo.core.error_codes import CoreErrorCode
from dangbo.core.errors import DomainError

#: The tables whose rows are only ever added (the triggers are created for these).
APPEND_ONLY_TABLES = ("membership_memberevent", "core_auditentry")


class _State(threading.local):
    depth = 0


_active = _State()

#: The table whose row (inside one transaction) lets the triggers pass: `LedgerMaintenance`.
FLAG_TABLE = "core_ledgermaintenance"


def _refuse(model: type[models.Model], verb: str) -> DomainError:
    name = getattr(model, "append_only_label", model._meta.verbose_name)
    return DomainError(
        f"Không được {verb} {name}: sổ sự kiện và nhật ký thao tác chỉ được ghi thêm; "
        "sai sót được sửa bằng một bản ghi mới (hủy bỏ sự kiện sai rồi ghi lại).",
        code=CoreErrorCode.CHI_GHI_THEM,
    )


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset whose ``update()`` and ``delete()`` refuse outside maintenance."""

    def update(self, **kwargs: Any) -> int:
        if not _active.depth:
            raise _refuse(self.model, "sửa")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if not _active.depth:
            raise _refuse(self.model, "xóa")
        return super().delete()


class AppendOnlyModel(models.Model):
    """A model whose rows, once written, are neither saved again nor deleted."""

    #: what a refusal calls one row, in Vietnamese
    append_only_label = "bản ghi chỉ được ghi thêm"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and not _active.depth:
            raise _refuse(type(self), "sửa")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not _active.depth:
            raise _refuse(type(self), "xóa")
        return super().delete(*args, **kwargs)


@contextmanager
def ledger_maintenance(reason: str) -> Iterator[None]:
    """Allow changes to append-only rows inside this block, which is one transaction.

    Nested uses share the outer one. `reason` says why; it lives only as long as the
    transaction. An exception inside rolls back everything, the flag included.
    """
    if _active.depth:
        _active.depth += 1
        try:
            yield
        finally:
            _active.depth -= 1
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FLAG_TABLE} (reason) VALUES (%s)", [reason[:200]])
        _active.depth = 1
        try:
            yield
        finally:
            _active.depth = 0
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FLAG_TABLE}")
