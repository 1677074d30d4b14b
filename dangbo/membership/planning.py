"""Checks new ledger events against a member's history and folds the ledger; writes nothing.

The organizations are looked up through an :class:`OrgIndex` (versions cached per run).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.core.dates import FOREVER
from dangbo.core.errors import LedgerError, RuleViolation, Violation
from dangbo.core.models import Decision
from dangbo.membership.ledger import (
    LEAVING_KINDS,
    EventData,
    OrgLookup,
    Spell,
    State,
    apply,
    fold,
)
from dangbo.membership.models import DisciplineForm, EventKind, MemberEvent, Person
from dangbo.membership.rules import (
    PersonData,
    check_event,
    waiver_problem,
)
from dangbo.organizations.models import OrgVersion

STAYING_KINDS = {
    EventKind.RECOGNITION,
    EventKind.CARD,
    EventKind.BADGE,
    EventKind.EXEMPTION,
    EventKind.EXEMPTION_END,
    EventKind.DISCIPLINE,
}


class OrgIndex:
    """Answers "did org X exist on D, and does it hold members?" from the versions, cached."""

    def __init__(self, preload: bool = False):
        self._versions: dict[int, list[tuple[date, date, bool, str]]] = {}
        if preload:
            self._load(None)

    def _load(self, org_ids: Iterable[int] | None) -> None:
        qs = OrgVersion.objects.all()
        if org_ids is not None:
            qs = qs.filter(org_id__in=org_ids)
            for org_id in org_ids:
                self._versions.setdefault(org_id, [])
        for org_id, start, end, holds, name in qs.values_list(
            "org_id", "valid_from", "valid_to", "kind__holds_members", "name"
        ):
            self._versions.setdefault(org_id, []).append((start, end, holds, name))

    def load(self, org_ids: Iterable[int | None]) -> None:
        """Read the versions of the organizations of `org_ids` not read yet, in one query."""
        missing = {i for i in org_ids if i is not None and i not in self._versions}
        if missing:
            self._load(sorted(missing))

    def __call__(self, org_id: int, on: date) -> tuple[bool, bool, str]:
        if org_id not in self._versions:
            self._load([org_id])
        name = ""
        for start, end, holds, vname in self._versions[org_id]:
            name = vname
            if start <= on < end:
                return True, holds, vname
        return False, False, name


@dataclass
class NewEvent:
    """An event to append, with its decisions; `tag` names it in error messages (e.g. a line)."""

    data: EventData
    decision: Decision | None = None
    exception_decision: Decision | None = None
    reorganization_id: int | None = None
    tag: str = ""
    waived: list[str] = field(default_factory=list)
    #: the violations that refused this event (set when plan_member raises for it)
    refused: list[Violation] = field(default_factory=list)


def event_data_of(e: MemberEvent) -> EventData:
    """The fold's view of a stored ledger row."""
    return EventData(
        kind=e.kind,
        effective_on=e.effective_on,
        from_org=e.from_org_id,
        to_org=e.to_org_id,
        form=e.form,
        card_number=e.card_number,
        badge_years=e.badge_years,
        posthumous=e.posthumous,
        early=e.early,
        until=e.until,
        details=e.details or {},
        seq=e.pk,
    )


def live_events(member_ids: Iterable[int]) -> dict[int, list[EventData]]:
    """Each member's events not reversed (reversals themselves left out), by member id."""
    out: dict[int, list[EventData]] = defaultdict(list)
    for e in MemberEvent.objects.filter(member_id__in=member_ids, reversed_by__isnull=True).exclude(
        kind=EventKind.REVERSAL
    ):
        out[e.member_id].append(event_data_of(e))
    return out


def person_data(p: Person) -> PersonData:
    """What the rules read of a person."""
    return PersonData(full_name=p.full_name, birth_date=p.birth_date)


def _fill_orgs(data: EventData, before: State) -> None:
    """Default the cells of events that do not move the member."""
    if data.kind in STAYING_KINDS and not (
        data.kind == EventKind.DISCIPLINE and data.form == DisciplineForm.EXPULSION
    ):
        data.from_org = data.from_org or before.cell
        data.to_org = data.to_org or before.cell
    elif (
        data.kind in LEAVING_KINDS
        or (data.kind == EventKind.DISCIPLINE and data.form == DisciplineForm.EXPULSION)
        or data.kind == EventKind.TEMPORARY_OUT
    ):
        data.from_org = data.from_org or before.cell
    elif data.kind == EventKind.TEMPORARY_BACK:
        data.from_org = data.from_org or (before.host_cell if (before.host_cell or 0) > 0 else None)
        data.to_org = data.to_org or before.cell


def _label(person: PersonData, data: EventData | None, tag: str) -> str:
    """Who and which event a message is about: "[dòng 8] Lê Văn A, kết nạp ngày 05/03/2022"."""
    where = f"[{tag}] " if tag else ""
    return f"{where}{person.full_name}" + (f", {data.label}" if data is not None else "")


def plan_member(
    person: PersonData,
    existing: list[EventData],
    new: list[NewEvent],
    orgs: OrgLookup,
    *,
    check_rules: bool = True,
) -> tuple[State, list[Spell]]:
    """Check `new` events against the member's history and fold the whole ledger.

    Fills defaults and the waived rules into `new`; raises a :class:`DomainError` whose
    message names the member, the event and the rule. Writes nothing.
    """
    events = list(existing)
    next_seq = max((e.seq for e in existing), default=0) + 1
    for item in new:
        item.data.seq = next_seq
        next_seq += 1
    # in ledger order, so each event is checked against the state it will really follow
    for item in sorted(new, key=lambda i: i.data.sort_key):
        # state just before this event: fold everything that sorts earlier
        prior = [e for e in events if e.sort_key < item.data.sort_key]
        try:
            before, _, _ = fold(prior, orgs)
            _fill_orgs(item.data, before)
            # an event that does not fit the history is a ledger error, before any rule
            apply(before, item.data, orgs)
        except LedgerError as exc:
            raise LedgerError(
                f"{_label(person, item.data, item.tag)}: {exc.message}", field=exc.field
            ) from None
        if check_rules:
            violations = check_event(item.data, before, person)
            if violations:
                level = item.exception_decision.issuer_level if item.exception_decision else None
                refused = waiver_problem(violations, level)
                if refused:
                    item.refused = refused
                    err = RuleViolation(refused)
                    err.message = f"{_label(person, item.data, item.tag)}: {err.message}"
                    raise err
                item.waived = [v.rule for v in violations]
        events.append(item.data)
    try:
        state, spells, _ = fold(events, orgs)
        check_spell_cells(spells, orgs)
    except LedgerError as exc:
        # the fold names the event it refuses
        raise LedgerError(
            f"{_label(person, None, new[0].tag if new else '')}: {exc.message}", field=exc.field
        ) from None
    return state, spells


def check_spell_cells(spells: list[Spell], orgs: OrgLookup) -> None:
    """Refuse membership in a cell past its end (e.g. a backdated fact in a cell merged since)."""
    for spell in spells:
        last_day = spell.valid_to - timedelta(days=1)
        exists, _, name = orgs(spell.cell, last_day)
        if not exists:
            until = "nay" if spell.valid_to == FOREVER else f"ngày {last_day:%d/%m/%Y}"
            raise LedgerError(
                f"«{name}» đã chấm dứt hoạt động (sắp xếp, giải thể) nhưng theo sổ, đảng viên vẫn "
                f"sinh hoạt tại đó đến {until}; hãy ghi sự kiện vào tổ chức sau sắp xếp.",
                field="to_org",
            )
