"""Export: the whole database (except the audit log) as an interchange file.

Records point at each other by stable refs (``org-3``, ``person-17``: the ordinal of the
record in primary-key order), never by database ids, so that export → import into an
empty database → export gives a byte-identical file. Each app writes its own types, in
the registry's order; :attr:`Writer.refs` carries the refs of what is already written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import connection, models, transaction

from dangbo.core.models import AuditEntry
from dangbo.interchange.kinds import REGISTRY
from dangbo.interchange.schema import BATCH, FORMAT, HEADER_TYPE, Field, RecordType, Say, dotted
from dangbo.interchange.trailer import trailer_line


@dataclass(frozen=True)
class Withheld:
    """What export leaves out: personal data (national ID, phone, address) and the fields
    of secret records (the bodies of secret documents). Both are withheld by default."""

    personal: bool = True
    secret: bool = True

    def options(self) -> dict[str, bool]:
        return {"with_personal_data": not self.personal, "with_secret": not self.secret}


#: Everything exported: personal data and the bodies of secret documents.
NOTHING_WITHHELD = Withheld(personal=False, secret=False)


def sorted_json(value: Any) -> Any:
    """A free-form value with the keys of every object sorted and dates as ISO strings.

    Iterative, so that a value nested as deep as the importer accepts is exported too.
    """
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        item, parent, key = stack.pop()
        if isinstance(item, dict):
            new_dict: dict = {k: None for k in sorted(item)}
            parent[key] = new_dict
            stack.extend((item[k], new_dict, k) for k in new_dict)
        elif isinstance(item, list):
            new_list: list = [None] * len(item)
            parent[key] = new_list
            stack.extend((v, new_list, i) for i, v in enumerate(item))
        elif isinstance(item, date):
            parent[key] = item.isoformat()
        else:
            parent[key] = item
    return root[0]


class _Token(str):
    """Text already encoded (punctuation between the parts of a value)."""


def dumps(record: dict) -> str:
    """One line of JSON, as ``json.dumps(..., ensure_ascii=False)`` writes it.

    A value nested deeper than the encoder's recursion allows is encoded iteratively.
    """
    try:
        return json.dumps(record, ensure_ascii=False)
    except RecursionError:
        pass
    parts: list[str] = []
    stack: list[Any] = [record]
    while stack:
        item = stack.pop()
        if isinstance(item, _Token):
            parts.append(item)
        elif isinstance(item, dict | list):
            todo: list[Any] = [_Token("{" if isinstance(item, dict) else "[")]
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for i, (k, v) in enumerate(pairs):
                if i:
                    todo.append(_Token(", "))
                if isinstance(item, dict):
                    todo.append(_Token(json.dumps(str(k), ensure_ascii=False) + ": "))
                todo.append(v)
            todo.append(_Token("}" if isinstance(item, dict) else "]"))
            stack.extend(reversed(todo))
        else:
            parts.append(json.dumps(item, ensure_ascii=False))
    return "".join(parts)


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

    def __init__(
        self, out: IO[str], progress: Say | None, every: int, withheld: Withheld = Withheld()
    ):
        self.out, self.progress, self.every = out, progress, max(every, 1)
        self.withheld = withheld
        self.lines = 0
        self.sha = hashlib.sha256()
        self.counts: dict[str, int] = defaultdict(int)
        self.refs: dict[str, dict[Any, Any]] = {}  # type → id → ref (a term: its start date)

    def write(self, record: dict) -> None:
        self._line(dumps(record) + "\n")
        self.counts[record["type"]] += 1

    def _line(self, line: str) -> None:
        self.out.write(line)
        self.sha.update(line.encode("utf-8", "surrogatepass"))
        self.lines += 1
        if self.progress and self.lines % self.every == 0:
            self.progress(f"Đã ghi {dotted(self.lines)} dòng")

    def trailer(self) -> None:
        """The last line: the records of each type and the checksum of all lines before."""
        counts = {k: v for k, v in self.counts.items() if k != HEADER_TYPE}
        self._line(trailer_line(counts, self.sha.hexdigest()))

    def record(self, rt: RecordType, ref: str, values: dict) -> None:
        hide = {"personal"} if self.withheld.personal else set()
        if self.withheld.secret and rt.is_secret is not None and rt.is_secret(values):
            hide.add("secret")
        if hide:
            values = {k: v for k, v in values.items() if k not in _private(rt, hide)}
        self.write({"type": rt.name, "ref": ref, **encode_fields(rt.fields, values)})

    def number(self, model: type[models.Model], rt: RecordType) -> dict[Any, str]:
        """Database id → stable ref: the record's ordinal in primary-key order (kept)."""
        ids = model._default_manager.order_by("pk").values_list("pk", flat=True)
        refs = {
            pk: f"{rt.prefix}-{i}" for i, pk in enumerate(ids.iterator(chunk_size=BATCH), start=1)
        }
        self.refs[rt.name] = refs
        return refs


def _private(rt: RecordType, kinds: set[str]) -> set[str]:
    return {f.name for f in rt.fields if f.private in kinds}


def interchange_export(
    out: IO[str],
    *,
    actor: str,
    progress: Say | None = None,
    every: int = 10000,
    target: str = "",
    withheld: Withheld = Withheld(),
) -> dict[str, int]:
    """Write the whole database (except the audit log) to `out`; return lines per type.

    Personal data and the bodies of secret documents are left out unless `withheld` says
    otherwise (the caller decides who may ask). The last line is the trailer. Every read
    of member records is audited: one audit row names the actor, the options and the counts.
    """
    w = Writer(out, progress, every, withheld)
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
        w.trailer()
        AuditEntry.objects.create(
            actor=actor or "hệ thống",
            action="interchange_export",
            object_type="dangbo.interchange",
            object_id=target[:40],
            after={"lines": w.lines, "counts": counts, "options": withheld.options()},
        )
    return counts


def export_to_path(
    path: str,
    *,
    actor: str,
    progress: Say | None = None,
    every: int = 10000,
    withheld: Withheld = Withheld(),
) -> dict[str, int]:
    """Export to the file `path`: written whole or not at all, readable by its owner only.

    The lines go to a temporary file ``.NAME.*.tmp`` (mode 0600) in the same directory,
    which is synced and then renamed to `path` (replacing a file there) once the trailer is
    written and the export audited; on an error it is removed. A process killed before
    the rename leaves `path` as it was (and perhaps the temporary file).
    Raises OSError when the directory cannot be written.
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            counts = interchange_export(
                out, actor=actor, progress=progress, every=every, target=path, withheld=withheld
            )
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return counts
