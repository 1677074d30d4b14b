"""An import run: check every row, then write them all in one transaction, or nothing.

New people and members are inserted in bulk, their events appended with
``membership.events.ledger_append`` (the services' ledger write) in chunks, and each write
audited as the services audit it. The events of existing members are planned again with the
rules there; those of members created by the import have no history and were checked with
the rules by ``check_plan`` in the same transaction, so they are only folded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from dangbo.core.dates import today
from dangbo.core.errors import DomainError
from dangbo.core.models import AuditEntry
from dangbo.core.request_context import current_address
from dangbo.core.rows import insert
from dangbo.figures_snapshot import snapshot_refresh
from dangbo.membership.events import ledger_append
from dangbo.membership.models import Member, MemberEvent, Person
from dangbo.membership.planning import NewEvent, OrgIndex
from dangbo.membership.search import search_columns
from dangbo.organizations.models import Organization
from dangbo.xlsx_import.check import PERSON_KEYS, Plan, check_plan
from dangbo.xlsx_import.dues import write_dues
from dangbo.xlsx_import.fields import EVENT_OF, NEW_PEOPLE, SheetKind
from dangbo.xlsx_import.sheet import Mapping, Table

CHUNK = 1000
Progress = Callable[[int, int, str], None]


class ImportRefused(DomainError):
    """Some rows are wrong: nothing was written; `plan` holds each row's errors."""

    def __init__(self, plan: Plan):
        n = len(plan.bad)
        super().__init__(f"{n} dòng có lỗi; chưa ghi gì vào sổ.", field="file")
        self.plan = plan


@dataclass(frozen=True)
class Outcome:
    """What an import wrote (or would write, on a dry run)."""

    plan: Plan
    written: int
    dry_run: bool


AUDIT_COLUMNS = ("at", "address", "actor", "action", "object_type", "object_id", "after")
PERSON_COLUMNS = (*PERSON_KEYS, "search_text", "sort_key")
MEMBER_COLUMNS = ("person", "out_reason", "card_number", "badges", "exempt", "readmissions")


def _audit_rows(actor: str, action: str, label: str, items: list[tuple[int, dict]]) -> None:
    """One audit row per item, as ``core.services.audit`` writes it."""
    at, address = timezone.now(), current_address()
    insert(
        AuditEntry,
        AUDIT_COLUMNS,
        [(at, address, actor, action, label, str(pk), after) for pk, after in items],
    )


def _create_people(plan: Plan, actor: str) -> dict[int, int]:
    """Insert the new people and their member rows; returns sheet row number → member id."""
    rows = [r for r in plan.rows if r.person is not None]
    values = []
    for r in rows:
        p = r.person
        assert p is not None
        p.search_text, p.sort_key = search_columns(p.full_name)
        values.append([getattr(p, "person_id" if c == "person" else c) for c in PERSON_COLUMNS])
    person_ids = insert(Person, PERSON_COLUMNS, values)
    _audit_rows(
        actor,
        "person_create",
        Person._meta.label_lower,
        [
            (pk, {"full_name": r.person.full_name if r.person else ""})
            for pk, r in zip(person_ids, rows, strict=True)
        ],
    )
    member_ids = insert(Member, MEMBER_COLUMNS, [(pk, "", "", [], False, 0) for pk in person_ids])
    return {r.number: m for r, m in zip(rows, member_ids, strict=True)}


def _append(plan: Plan, member_of: dict[int, int], actor: str, progress: Progress | None) -> int:
    batch: list[tuple[int, int, NewEvent]] = []
    for r in plan.rows:
        assert r.event is not None
        member_id = member_of.get(r.number) or (r.member.pk if r.member else 0)
        batch.append((r.number, member_id, r.event))
    orgs = OrgIndex()
    kind = EVENT_OF[plan.kind]
    written = 0
    for start in range(0, len(batch), CHUNK):
        part = batch[start : start + CHUNK]
        created: dict[int, list[NewEvent]] = {}
        existing: dict[int, list[NewEvent]] = {}
        for number, member_id, event in part:
            into = created if number in member_of else existing
            into.setdefault(member_id, []).append(event)
        events: list[MemberEvent] = []
        if created:
            # members of this import: no history, their rules checked by check_plan above
            events += ledger_append(created, actor=actor, orgs=orgs, check_rules=False)
        if existing:
            events += ledger_append(existing, actor=actor, orgs=orgs)
        _audit_rows(
            actor,
            f"event_{kind}",
            MemberEvent._meta.label_lower,
            [
                (
                    e.pk,
                    {
                        "member": e.member_id,
                        "kind": kind,
                        "on": e.effective_on.isoformat(),
                        "waived": e.waived_rules,
                    },
                )
                for e in events
            ],
        )
        written += len(events)
        if progress:
            progress(start + len(part), len(batch), "Ghi vào sổ đảng viên")
    return written


def import_table(
    *,
    kind: SheetKind,
    org: Organization,
    on: date,
    table: Table,
    mapping: Mapping,
    actor: str,
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
) -> Outcome:
    """Check every row of `table`, then (unless `dry_run`) write them all, in one transaction.

    Raises :class:`ImportRefused` (nothing written) when a row is wrong, or
    :class:`~dangbo.core.errors.InvalidInput` when a required column is not mapped or the
    sheet has no data row.
    """
    with transaction.atomic():
        if progress:
            progress(0, max(len(table.rows), 1), "Kiểm tra từng dòng")
        plan = check_plan(kind=kind, org=org, on=on, table=table, mapping=mapping)
        if not plan.rows:
            raise DomainError(
                "Trang tính không có dòng dữ liệu nào dưới dòng tiêu đề.", field="file"
            )
        if plan.bad:
            raise ImportRefused(plan)
        if dry_run:
            return Outcome(plan, 0, True)
        if kind == SheetKind.DUES:
            written = write_dues(plan, actor)
        else:
            member_of = _create_people(plan, actor) if kind in NEW_PEOPLE else {}
            written = _append(plan, member_of, actor, progress)
        _audit_rows(
            actor,
            "xlsx_import",
            Organization._meta.label_lower,
            [
                (
                    org.pk,
                    {"kind": kind.value, "file": filename, "rows": written, "on": on.isoformat()},
                )
            ],
        )
    if kind != SheetKind.DUES and written:
        snapshot_refresh(today())  # the breakdowns of the large subtrees, as of today
    return Outcome(plan, written, False)
