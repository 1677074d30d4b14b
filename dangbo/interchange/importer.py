"""Import: check a whole interchange file, then write it, all or nothing.

The file is read and every record checked — syntax, fields, refs, and each app's rules
(the organization tree, every member's ledger through the services' own check, the
congresses recounted with the election rules, …) — before anything is written; then the
bulk loader writes everything in one transaction. Congresses, seats and gradings are
stored as recorded: the services are not run again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from dangbo.core.concurrency import serialize, write_conflicts
from dangbo.core.dates import today
from dangbo.core.models import AuditEntry
from dangbo.figures_snapshot import snapshot_refresh
from dangbo.interchange.bulk import Importer, large_cache, refresh_statistics, require_empty
from dangbo.interchange.kinds import REGISTRY
from dangbo.interchange.reader import Checker, InterchangeInvalid, Reader
from dangbo.interchange.schema import Say
from dangbo.interchange.trailer import TrailerCheck

AGAIN = "Hãy kiểm tra cơ sở dữ liệu (dangbo verify) rồi nhập lại nếu cần."


@dataclass
class ImportResult:
    lines: int
    counts: dict[str, int]


def interchange_import(
    lines: Iterable[bytes | str],
    *,
    actor: str,
    progress: Say | None = None,
    every: int = 10000,
    source: str = "",
) -> ImportResult:
    """Read, validate and write an interchange file into an empty database.

    The file must end with its trailer (:mod:`.trailer`): a file cut short, or whose
    counts or checksum do not match, is refused with the errors of reading it, without
    checking its records further (what is missing would only show as broken rules).
    Raises :class:`InterchangeInvalid` listing every problem (nothing written), a
    :class:`DomainError` when the database already holds records — also when another
    import finished first while this one was checking — or a :class:`WriteConflict` when
    another process wrote the same records at the same time (nothing written).
    """
    require_empty(REGISTRY)
    reader = Reader(REGISTRY, progress, every)
    trailer = TrailerCheck()
    reader.read(trailer.lines(lines))
    unsealed = trailer.errors({t: len(recs) for t, recs in reader.recs.items() if recs})
    reader.errors += unsealed
    checker = Checker(reader, REGISTRY, progress)
    if not unsealed and not any(e.field == "format" for e in reader.errors):
        checker.run()  # a file that is not whole is not checked further: its gaps would be noise
    if reader.errors:
        raise InterchangeInvalid(reader.errors)
    with write_conflicts("lần nhập", AGAIN), transaction.atomic(), large_cache():
        serialize("dangbo.interchange.import")  # a second import waits, then finds data
        require_empty(REGISTRY)
        counts = Importer(REGISTRY, reader.recs, checker.state, progress, every).write()
        AuditEntry.objects.create(
            actor=actor or "hệ thống",
            action="interchange_import",
            object_type="dangbo.interchange",
            object_id=source[:40],
            after={"lines": reader.lines, "counts": counts},
        )
    refresh_statistics()
    snapshot_refresh(today())  # the breakdowns of the large subtrees, as of today
    return ImportResult(lines=reader.lines, counts=counts)
