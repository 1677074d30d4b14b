"""The rows of an imported sheet checked as the services check them, writing nothing.

Each row is read by its columns (a value that cannot be read is an error naming the file's
header), a new person is validated like ``person_create`` and each event planned with
``membership.planning.plan_member`` against the member's history, so a refused row carries
the service's Vietnamese message and regulation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Field

from dangbo.core.errors import DomainError, RuleViolation
from dangbo.membership.ledger import EventData
from dangbo.membership.models import EventKind, Member, MemberStatus, Person
from dangbo.membership.opening import opening_details
from dangbo.membership.planning import NewEvent, OrgIndex, live_events, person_data, plan_member
from dangbo.membership.rules import PersonData
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion
from dangbo.xlsx_import.dues import check_dues
from dangbo.xlsx_import.fields import COLUMNS, EVENT_OF, NEW_PEOPLE, SheetKind
from dangbo.xlsx_import.sheet import Mapping, Table, missing_required
from dangbo.xlsx_import.values import fold, parse_choice, parse_date, parse_years, text

PERSON_KEYS = (
    "full_name",
    "gender",
    "birth_date",
    "citizen_id",
    "ethnicity",
    "religion",
    "home_town",
    "education",
    "qualification",
    "theory",
    "occupation",
    "phone",
    "address",
)


@dataclass
class Row:
    """A data row: its sheet row number, the values read, its errors and what it writes."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    person: Person | None = None  # a new person (unsaved)
    member: Member | None = None  # the member an event list names
    event: NewEvent | None = None


@dataclass
class Plan:
    """What an import would write: the rows with their errors, for `org` (cells below it)."""

    kind: SheetKind
    org: Organization
    on: date
    table: Table
    mapping: Mapping
    rows: list[Row]

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.bad


def holds_members(org: Organization, on: date) -> bool:
    return OrgVersion.objects.filter(
        org=org, valid_from__lte=on, valid_to__gt=on, kind__holds_members=True
    ).exists()


def cells_below(org: Organization, on: date) -> dict[str, int]:
    """The cells in `org`'s subtree on `on` by folded name, name without «chi bộ», and code."""
    ids = OrgClosure.objects.filter(ancestor=org, valid_from__lte=on, valid_to__gt=on).values(
        "descendant_id"
    )
    out: dict[str, int] = {}
    for org_id, name, code in OrgVersion.objects.filter(
        org_id__in=ids, valid_from__lte=on, valid_to__gt=on, kind__holds_members=True
    ).values_list("org_id", "name", "code"):
        for key in (fold(code), fold(name), fold(name).removeprefix("chi bo ")):
            out.setdefault(key, org_id)
    return out


def _read(row: Row, raw: tuple[Any, ...], table: Table, mapping: Mapping, kind: SheetKind) -> None:
    columns = {c.field: c for c in COLUMNS[kind]}
    for pos, name in mapping.items():
        value = raw[pos] if pos < len(raw) else None
        col = columns[name]
        label = f"Cột «{table.headers[pos] or col.header}»"
        try:
            if col.type == "date":
                row.values[name] = parse_date(value, label)
            elif col.type == "choice":
                row.values[name] = parse_choice(value, col.choices or {}, label)
            elif col.type == "years":
                row.values[name] = parse_years(value, label)
            else:
                row.values[name] = text(value)
        except DomainError as exc:
            row.errors.append(exc.message)
            row.values[name] = None
    for col in COLUMNS[kind]:
        if (
            col.required
            and row.values.get(col.field) in (None, "")
            and col.field in mapping.values()
        ):
            if not any(f"«{_header(table, mapping, col.field)}»" in e for e in row.errors):
                row.errors.append(
                    f"Cột «{_header(table, mapping, col.field)}» không được để trống."
                )


def _header(table: Table, mapping: Mapping, name: str) -> str:
    return next((table.headers[p] for p, f in mapping.items() if f == name), name)


def _new_person(row: Row) -> None:
    """The row's person, validated like ``person_create`` (uniqueness is checked apart)."""
    fields = {k: row.values[k] for k in PERSON_KEYS if row.values.get(k) not in (None, "")}
    person = Person(**fields)
    try:
        person.full_clean(validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name in ("full_name", "gender", "birth_date") and row.values.get(name) is None:
                continue  # already said: the cell was empty or unreadable
            label = (
                cast("Field[Any, Any]", Person._meta.get_field(name)).verbose_name
                if name != "__all__"
                else "nhân thân"
            )
            row.errors.append(f"Trường «{label}»: {messages[0]}")
    row.person = person


def _unique_citizen_ids(rows: list[Row]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        cid = row.person.citizen_id if row.person else None
        if not cid:
            continue
        if cid in seen:
            row.errors.append(f"Số CCCD {cid} trùng với dòng {seen[cid]}.")
        seen.setdefault(cid, row.number)
    taken = set(
        Person.objects.filter(citizen_id__in=list(seen)).values_list("citizen_id", flat=True)
    )
    for row in rows:
        cid = row.person.citizen_id if row.person else None
        if cid in taken:
            row.errors.append(f"Số CCCD {cid} đã có trong hệ thống (người đã có hồ sơ).")


def _cell(row: Row, cells: dict[str, int], default: int | None, header: str) -> int | None:
    name = row.values.get("cell") or ""
    if not name:
        if default is None:
            row.errors.append(f"Cột «{header}» không được để trống (đơn vị có nhiều chi bộ).")
        return default
    found = cells.get(fold(name)) or cells.get(fold(name).removeprefix("chi bo "))
    if found is None:
        row.errors.append(f"Không có chi bộ «{name}» trong đơn vị nhập.")
    return found


def _event(kind: SheetKind, row: Row, on: date, cell: int | None) -> EventData:
    v = row.values
    event_kind = EVENT_OF[kind]
    if kind == SheetKind.MEMBERS:
        return EventData(
            kind=event_kind,
            effective_on=on,
            to_org=cell,
            details=opening_details(
                status=v["status"],
                admitted_on=v["admitted_on"],
                official_on=v.get("official_on"),
                card_number=v.get("card_number") or "",
                badges=v.get("badges") or (),
            ),
        )
    if kind == SheetKind.ADMISSIONS:
        details = {"ceremony_on": v["ceremony_on"].isoformat()} if v.get("ceremony_on") else {}
        return EventData(kind=event_kind, effective_on=v["on"], to_org=cell, details=details)
    if kind == SheetKind.TRANSFERS_IN:
        details = {"status": v["status"], "admitted_on": v["admitted_on"].isoformat()}
        if v.get("official_on"):
            details["official_on"] = v["official_on"].isoformat()
        if v.get("origin"):
            details["origin"] = v["origin"]
        return EventData(kind=event_kind, effective_on=v["on"], to_org=cell, details=details)
    member = row.member
    assert member is not None
    if kind == SheetKind.TRANSFERS_OUT:
        details = {k: v[k] for k in ("destination", "letter_number") if v.get(k)}
        return EventData(
            kind=event_kind, effective_on=v["on"], from_org=member.cell_id, details=details
        )
    if kind == SheetKind.CARDS:
        return EventData(kind=event_kind, effective_on=v["on"], card_number=v["card_number"])
    return EventData(kind=event_kind, effective_on=v["on"], badge_years=int(v["badge_years"]))


class Roll:
    """The members of an organization's subtree, found by card number, national ID, or name
    and birth date."""

    def __init__(self, org: Organization, on: date):
        ids = OrgClosure.objects.filter(ancestor=org, valid_from__lte=on, valid_to__gt=on).values(
            "descendant_id"
        )
        self.by_card: dict[str, Member] = {}
        self.by_cid: dict[str, Member] = {}
        self.by_name: dict[tuple[str, date], list[Member]] = defaultdict(list)
        for m in Member.objects.filter(cell_id__in=ids).select_related("person"):
            if m.card_number:
                self.by_card[m.card_number] = m
            if m.person.citizen_id:
                self.by_cid[m.person.citizen_id] = m
            self.by_name[(fold(m.person.full_name), m.person.birth_date)].append(m)

    def add(self, person: Person, cell_id: int | None) -> Member:
        """A person about to come in (a row of another sheet of the same workbook), as an
        unsaved member of `cell_id` that rows may name."""
        member = Member(person=person, cell_id=cell_id)
        if person.citizen_id:
            self.by_cid.setdefault(person.citizen_id, member)
        self.by_name[(fold(person.full_name), person.birth_date)].append(member)
        return member

    def find(self, row: Row, *, by_card: bool) -> Member | None:
        v = row.values
        name = v.get("full_name") or ""
        found = None
        if by_card and v.get("card_number"):
            found = self.by_card.get(v["card_number"])
            if found is None:
                row.errors.append(
                    f"Không có đảng viên mang thẻ số {v['card_number']} trong đơn vị."
                )
                return None
        elif v.get("citizen_id"):
            found = self.by_cid.get(v["citizen_id"])
            if found is None:
                row.errors.append(f"Không có đảng viên có số CCCD {v['citizen_id']} trong đơn vị.")
                return None
        else:
            born = v.get("birth_date")
            same = self.by_name.get((fold(name), born), []) if born else []
            if len(same) != 1:
                row.errors.append(
                    f"Không tìm thấy đảng viên «{name}» sinh ngày {v['birth_date']:%d/%m/%Y} "
                    "trong đơn vị."
                    if not same and v.get("birth_date")
                    else f"Không xác định được đảng viên «{name}»: ghi số thẻ đảng viên, số CCCD "
                    "hoặc ngày sinh để phân biệt."
                )
                return None
            found = same[0]
        if name and fold(found.person.full_name) != fold(name):
            row.errors.append(f"Đảng viên đó là «{found.person.full_name}», không phải «{name}».")
            return None
        return found


def check_plan(
    *,
    kind: SheetKind,
    org: Organization,
    on: date,
    table: Table,
    mapping: Mapping,
    roll: Roll | None = None,
    plan_events: bool = True,
) -> Plan:
    """Read and check every row of `table` for an import into `org` (`on`: the opening date
    of a member list; for event lists, the day the cells and members are looked up).

    A list naming members finds them in `roll` (default: the members of `org`'s subtree)
    and, unless `plan_events` is false (the caller plans them with other sheets' events),
    checks each member's events against the member's history.
    """
    cell_default = org.pk if holds_members(org, on) else None
    plan = Plan(kind=kind, org=org, on=on, table=table, mapping=mapping, rows=[])
    missing = missing_required(mapping, kind, cell_needed=kind in NEW_PEOPLE and not cell_default)
    if missing:
        from dangbo.core.errors import InvalidInput

        names = ", ".join(f"«{c.header}»" for c in missing)
        raise InvalidInput(f"Chưa chọn cột cho: {names}.", field="map")
    for number, raw in table.rows:
        row = Row(number)
        _read(row, raw, table, mapping, kind)
        plan.rows.append(row)
    if kind == SheetKind.DUES:
        check_dues(plan, Roll(org, on))
        return plan
    orgs = OrgIndex()
    if kind in NEW_PEOPLE:
        cells = cells_below(org, on)
        header = _header(table, mapping, "cell")
        for row in plan.rows:
            if not row.errors:
                _new_person(row)
        _unique_citizen_ids([r for r in plan.rows if r.person])
        for row in plan.rows:
            cell = _cell(row, cells, cell_default, header)
            if row.errors:
                continue
            assert row.person is not None
            row.event = NewEvent(_event(kind, row, on, cell))
            who = PersonData(full_name=row.person.full_name, birth_date=row.person.birth_date)
            try:
                plan_member(who, [], [row.event], orgs)
            except DomainError as exc:
                row.errors.append(_message(exc))
        return plan
    roll = roll or Roll(org, on)
    for row in plan.rows:
        if not row.errors:
            row.member = roll.find(row, by_card=kind != SheetKind.CARDS)
    by_member: dict[int, list[Row]] = defaultdict(list)
    for row in plan.rows:
        if not row.errors and row.member is not None:
            row.event = NewEvent(_event(kind, row, on, None), tag="")
            by_member[row.member.pk].append(row)
    if not plan_events:
        return plan
    history = live_events(list(by_member))
    for member_id, rows in by_member.items():
        member = rows[0].member
        assert member is not None
        try:
            plan_member(
                person_data(member.person),
                history.get(member_id, []),
                [r.event for r in rows if r.event],
                orgs,
            )
        except DomainError as exc:
            refused = [r for r in rows if r.event and r.event.refused] or rows
            for r in refused:
                r.errors.append(_message(exc))
    return plan


def _message(exc: DomainError) -> str:
    if isinstance(exc, RuleViolation):
        return exc.message
    return exc.message


def status_label(value: str | None) -> str:
    return MemberStatus(value).label if value in MemberStatus.values else ""


def event_label(kind: SheetKind) -> str:
    return EventKind(EVENT_OF[kind]).label
