"""Export: the whole database (except the audit log) as an interchange file.

Records point at each other by stable refs (``org-3``, ``person-17``: the ordinal of the
record in primary-key order), never by database ids, so that export → import into an
empty database → export gives a byte-identical file. Each app writes its own types, in
the registry's order; :attr:`Writer.refs` carries the refs of what is already written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import connection, models, transaction

from dangbo.core.models import AuditEntry
from dangbo.interchange.kinds import REGISTRY
from dangbo.interchange.schema import BATCH, FORMAT, HEADER_TYPE, Field, RecordType, Say, dotted


def sorted_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: sorted_json(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def encode_fields(fields: tuple[Field, ...], values: dict) -> dict:
    out: dict = {}
    for f in fields:
        value = values.get(f.name, f.default)
        if not f.required and (value == f.default or (value is None and f.default is None)):
            continue
        if f.kind == "list":
            value = [encode_fields(f.items, item) for item in value]
        elif f.kind == "decimal":
            value = number(value)
        elif f.kind == "object":
            value = sorted_json(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out[f.name] = value
    return out


def number(value: Decimal) -> int | float:
    """A stored decimal as the shortest JSON number: 80.00 → 80, 35.50 → 35.5."""
    return int(value) if value == value.to_integral_value() else float(value)


class Writer:
    """Writes record lines and keeps, per type, database id → ref of what it numbered."""

    def __init__(self, out: IO[str], progress: Say | None, every: int):
        self.out, self.progress, self.every = out, progress, max(every, 1)
        self.lines = 0
        self.counts: dict[str, int] = defaultdict(int)
        self.refs: dict[str, dict[Any, Any]] = {}  # type → id → ref (a term: its start date)

    def write(self, record: dict) -> None:
        self.out.write(json.dumps(record, ensure_ascii=False))
        self.out.write("\n")
        self.lines += 1
        self.counts[record["type"]] += 1
        if self.progress and self.lines % self.every == 0:
            self.progress(f"Đã ghi {dotted(self.lines)} dòng")

    def record(self, rt: RecordType, ref: str, values: dict) -> None:
        self.write({"type": rt.name, "ref": ref, **encode_fields(rt.fields, values)})

    def number(self, model: type[models.Model], rt: RecordType) -> dict[Any, str]:
        """Database id → stable ref: the record's ordinal in primary-key order (kept)."""
        ids = model._default_manager.order_by("pk").values_list("pk", flat=True)
        refs = {
            pk: f"{rt.prefix}-{i}" for i, pk in enumerate(ids.iterator(chunk_size=BATCH), start=1)
        }
        self.refs[rt.name] = refs
        return refs


def interchange_export(
    out: IO[str],
    *,
    actor: str,
    progress: Say | None = None,
    every: int = 10000,
    target: str = "",
) -> dict[str, int]:
    """Write the whole database (except the audit log) to `out`; return lines per type.

    Every read of member records is audited: one audit row names the actor and the counts.
    """
    w = Writer(out, progress, every)
    w.write({"type": HEADER_TYPE, "format": FORMAT})
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # every table read from the same snapshot, even while others write
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for app in REGISTRY.apps:
            app.export(w)
        counts = {k: v for k, v in w.counts.items() if k != HEADER_TYPE}
        AuditEntry.objects.create(
            actor=actor or "hệ thống",
            action="interchange_export",
            object_type="dangbo.interchange",
            object_id=target[:40],
            after={"lines": w.lines, "counts": counts},
        )
    return counts
