"""Event lists from one workbook, one sheet per kind (admissions, transfers in and out, cards,
badges), checked together and written all or nothing in the ledger's date order.

A row of one sheet may name a person another sheet brings in (a card handed to a member
admitted in the same workbook): each member's events of every sheet are planned together,
in date order, against the member's history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.membership.events import ledger_append
from dangbo.membership.models import MemberEvent
from dangbo.membership.planning import NewEvent, OrgIndex, live_events, person_data, plan_member
from dangbo.organizations.models import Organization
from dangbo.xlsx_import.check import Plan, Roll, Row, check_plan
from dangbo.xlsx_import.fields import NEW_PEOPLE, SheetKind
from dangbo.xlsx_import.sheet import Mapping, Table, fold, named_sheet, read_table, sheet_keys
from dangbo.xlsx_import.write import CHUNK, Progress, _audit_rows, _create_people

#: the value of `--kind` and of the upload form for a workbook of event lists
BUNDLE = "su_kien"
BUNDLE_LABEL = "Danh sách sự kiện (mỗi loại một trang tính)"
#: the kinds a workbook of event lists holds, in the order their events go in on one day
KINDS = [
    SheetKind.ADMISSIONS,
    SheetKind.TRANSFERS_IN,
    SheetKind.CARDS,
    SheetKind.BADGES,
    SheetKind.TRANSFERS_OUT,
]
_RANK = {k: i for i, k in enumerate(KINDS)}

Sheets = dict[SheetKind, tuple[Table, Mapping]]


def find_sheets(
    names: list[str], chosen: dict[SheetKind, str] | None = None
) -> dict[SheetKind, str]:
    """The sheet of each kind: the one `chosen`, else the one named after it (an exact name
    first; one sheet serves one kind). Kinds without a sheet are left out."""
    chosen = chosen or {}
    out: dict[SheetKind, str] = {}
    for kind, wanted in chosen.items():
        name = next((n for n in names if fold(n) == fold(wanted)), None)
        if name is None:
            raise InvalidInput(f"Tệp không có trang tính «{wanted}».", field="sheet")
        out[kind] = name
    for kind in KINDS:  # exact names before names that only contain one
        if kind not in out:
            exact = [n for n in names if fold(n) in sheet_keys(kind)]
            if exact and exact[0] not in out.values():
                out[kind] = exact[0]
    for kind in KINDS:
        if kind not in out:
            rest = [n for n in names if n not in out.values()]
            name = named_sheet(rest, kind)
            if name:
                out[kind] = name
    return {k: out[k] for k in KINDS if k in out}


def read_sheets(data: bytes, names: dict[SheetKind, str]) -> dict[SheetKind, Table]:
    """The table of each sheet found (see :func:`find_sheets`)."""
    if not names:
        kinds = ", ".join(f"«{k.label}»" for k in KINDS)
        raise InvalidInput(
            f"Không có trang tính nào mang tên một loại danh sách ({kinds}).", field="file"
        )
    return {kind: read_table(data, kind, name) for kind, name in names.items()}


@dataclass(frozen=True)
class BundleOutcome:
    plans: list[Plan]
    written: int
    dry_run: bool


class BundleRefused(DomainError):
    """Some rows of some sheets are wrong: nothing was written."""

    def __init__(self, plans: list[Plan]):
        bad = [p for p in plans if p.bad]
        n = sum(len(p.bad) for p in bad)
        where = ", ".join(f"«{p.table.sheet}» {len(p.bad)}" for p in bad)
        super().__init__(f"{n} dòng có lỗi ({where}); chưa ghi gì vào sổ.", field="file")
        self.plans = plans


def check_sheets(*, org: Organization, on: date, sheets: Sheets) -> list[Plan]:
    """Read and check every row of every sheet; each member's events of all sheets are
    planned together against the member's history (a row refused names the rule)."""
    plans: dict[SheetKind, Plan] = {}
    roll = Roll(org, on)
    origin: dict[int, Row] = {}  # id() of an unsaved member → the row bringing it in
    for kind in (k for k in KINDS if k in sheets and k in NEW_PEOPLE):
        table, mapping = sheets[kind]
        plans[kind] = check_plan(kind=kind, org=org, on=on, table=table, mapping=mapping)
    _unique_across(list(plans.values()))
    for plan in plans.values():
        for row in plan.rows:
            if not row.errors and row.person is not None and row.event is not None:
                row.member = roll.add(row.person, row.event.data.to_org)
                origin[id(row.member)] = row
    groups: dict[int, list[Row]] = defaultdict(list)
    for kind in (k for k in KINDS if k in sheets and k not in NEW_PEOPLE):
        table, mapping = sheets[kind]
        plans[kind] = plan = check_plan(
            kind=kind, org=org, on=on, table=table, mapping=mapping, roll=roll, plan_events=False
        )
        for row in plan.rows:
            if not row.errors and row.member is not None and row.event is not None:
                groups[row.member.pk or id(row.member)].append(row)
                if kind == SheetKind.CARDS:  # later sheets may name the member by this card
                    roll.by_card.setdefault(row.values["card_number"], row.member)
    kind_of = _kinds(list(plans.values()))
    history = live_events([k for k, rows in groups.items() if rows[0].member and rows[0].member.pk])
    orgs = OrgIndex()
    for key, rows in groups.items():
        member = rows[0].member
        assert member is not None
        first = origin.get(id(member))
        every = ([first] if first else []) + rows
        try:
            plan_member(
                person_data(member.person),
                [] if first else history.get(key, []),
                _ordered(every, kind_of),
                orgs,
            )
        except DomainError as exc:
            refused = [r for r in every if r.event and r.event.refused] or rows
            for r in refused:
                r.errors.append(exc.message)
    return [plans[k] for k in KINDS if k in plans]


def _unique_across(plans: list[Plan]) -> None:
    """A national ID on two sheets bringing people in is refused on the second."""
    seen: dict[str, str] = {}
    for plan in plans:
        for row in plan.rows:
            cid = row.person.citizen_id if row.person else None
            if not cid:
                continue
            if cid in seen and not seen[cid].startswith(f"«{plan.table.sheet}»"):
                row.errors.append(f"Số CCCD {cid} trùng với {seen[cid]}.")
            seen.setdefault(cid, f"«{plan.table.sheet}» dòng {row.number}")


def _ordered(rows: list[Row], kind_of: dict[int, SheetKind]) -> list[NewEvent]:
    """The rows' events in the ledger's order: by date, then admissions and transfers in,
    cards, badges, transfers out on the same day."""

    def key(row: Row) -> tuple[date, int, int]:
        assert row.event is not None
        return (row.event.data.effective_on, _RANK[kind_of[id(row)]], row.number)

    return [r.event for r in sorted(rows, key=key) if r.event]


def _kinds(plans: list[Plan]) -> dict[int, SheetKind]:
    return {id(r): p.kind for p in plans for r in p.rows}


def import_sheets(
    *,
    org: Organization,
    on: date,
    sheets: Sheets,
    actor: str,
    dry_run: bool = False,
    filename: str = "",
    progress: Progress | None = None,
) -> BundleOutcome:
    """Check every row of every sheet, then (unless `dry_run`) write them all in one
    transaction, each member's events in date order across the sheets.

    Raises :class:`BundleRefused` (nothing written) when a row is wrong, or
    :class:`~dangbo.core.errors.InvalidInput` when a required column is not mapped or no
    sheet has a data row.
    """
    with transaction.atomic():
        total = sum(len(t.rows) for t, _ in sheets.values())
        if progress:
            progress(0, max(total, 1), "Kiểm tra từng dòng")
        plans = check_sheets(org=org, on=on, sheets=sheets)
        if not any(p.rows for p in plans):
            raise DomainError("Các trang tính không có dòng dữ liệu nào.", field="file")
        if any(p.bad for p in plans):
            raise BundleRefused(plans)
        if dry_run:
            return BundleOutcome(plans, 0, True)
        written = _write(plans, actor, progress)
        _audit_rows(
            actor,
            "xlsx_import",
            Organization._meta.label_lower,
            [
                (
                    org.pk,
                    {
                        "kind": BUNDLE,
                        "sheets": {p.kind.value: p.table.sheet for p in plans},
                        "file": filename,
                        "rows": written,
                        "on": on.isoformat(),
                    },
                )
            ],
        )
    return BundleOutcome(plans, written, False)


def _write(plans: list[Plan], actor: str, progress: Progress | None) -> int:
    member_of: dict[int, int] = {}  # id() of a row's member → its new member id
    for plan in plans:
        if plan.kind in NEW_PEOPLE:
            created = _create_people(plan, actor)
            for row in plan.rows:
                assert row.member is not None
                member_of[id(row.member)] = created[row.number]
    rows_of: dict[int, list[Row]] = defaultdict(list)
    for plan in plans:
        for row in plan.rows:
            assert row.member is not None
            rows_of[row.member.pk or member_of[id(row.member)]].append(row)
    kind_of = _kinds(plans)
    batch = {m: _ordered(rows, kind_of) for m, rows in rows_of.items()}
    orgs = OrgIndex()
    ids = list(batch)
    total = sum(len(v) for v in batch.values())
    written = 0
    for start in range(0, len(ids), CHUNK):
        events: list[MemberEvent] = ledger_append(
            {m: batch[m] for m in ids[start : start + CHUNK]}, actor=actor, orgs=orgs
        )
        for kind in sorted({e.kind for e in events}):
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
                    if e.kind == kind
                ],
            )
        written += len(events)
        if progress:
            progress(written, total, "Ghi vào sổ đảng viên")
    return written
