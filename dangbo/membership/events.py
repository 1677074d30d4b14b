"""Ledger writes: events appended in batches, recorded one by one, reversed, reorganized.

Every write appends ledger rows and rewrites the member's projection (state and spells)
in the same transaction; a refused write leaves nothing behind.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from dangbo.core.errors import DomainError, InvalidInput, LedgerError
from dangbo.core.models import Decision
from dangbo.core.rows import insert
from dangbo.core.services import audit
from dangbo.membership.aggregates import events_changed
from dangbo.membership.ledger import EventData, OrgLookup, Spell, State, fold
from dangbo.membership.models import EventKind, Member, MemberEvent
from dangbo.membership.planning import (
    NewEvent,
    OrgIndex,
    check_spell_cells,
    live_events,
    person_data,
    plan_member,
)
from dangbo.membership.projection import (
    PROJECTION_FIELDS,
    save_projections,
    spell_tuple,
    spells_replace,
    write_projection,
)
from dangbo.membership.rules import check_reversible
from dangbo.organizations.models import Organization, OrgClosure, Reorganization

#: every column of an event but its id, in the model's order (`MemberEvent.from_db` reads them)
EVENT_COLUMNS = tuple(f.name for f in MemberEvent._meta.concrete_fields if not f.primary_key)
EVENT_ATTNAMES = tuple(f.attname for f in MemberEvent._meta.concrete_fields)


@transaction.atomic
def ledger_append(
    batch: dict[int, list[NewEvent]],
    *,
    actor: str,
    check_rules: bool = True,
    orgs: OrgLookup | None = None,
) -> list[MemberEvent]:
    """Append events for several members at once, all or nothing.

    Each member's history is loaded once, every new event checked by the rules in force
    on its date (unless `check_rules` is false: the caller has checked them), the ledger
    folded, and the projection rewritten. The returned events carry their ids.
    """
    orgs = orgs or OrgIndex()
    members = {
        m.pk: m
        for m in Member.objects.select_for_update()
        .select_related("person")
        .filter(pk__in=list(batch))
    }
    existing = live_events(list(batch))
    rows: list[tuple[Any, ...]] = []
    changed: list[Member] = []
    spells: list[tuple[Any, ...]] = []
    now = timezone.now()
    for member_id, new in batch.items():
        member = members[member_id]
        state, member_spells = plan_member(
            person_data(member.person),
            existing.get(member_id, []),
            new,
            orgs,
            check_rules=check_rules,
        )
        for item in new:
            d = item.data
            rows.append(
                (
                    member_id,
                    d.kind,
                    d.effective_on,
                    d.from_on,
                    d.from_org,
                    d.to_org,
                    d.form,
                    d.card_number,
                    d.badge_years,
                    d.posthumous,
                    d.early,
                    d.until,
                    _jsonable(d.details),
                    item.decision.pk if item.decision else None,
                    item.exception_decision.pk if item.exception_decision else None,
                    item.waived,
                    None,
                    item.reorganization_id,
                    actor,
                    now,
                )
            )
        write_projection(member, state, member_spells)
        changed.append(member)
        spells.extend((member_id, member.person_id, *spell_tuple(s)) for s in member_spells)
    ids = insert(MemberEvent, EVENT_COLUMNS, rows)
    created = [
        MemberEvent.from_db(connection.alias, EVENT_ATTNAMES, (pk, *row))
        for pk, row in zip(ids, rows, strict=True)
    ]
    spells_replace(list(batch), spells)
    events_changed(ids, 1)
    save_projections(changed)
    return created


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in (details or {}).items()}


def event_record(
    *,
    member: Member,
    kind: str,
    effective_on: date,
    from_org: Organization | None = None,
    to_org: Organization | None = None,
    form: str = "",
    card_number: str = "",
    badge_years: int | None = None,
    posthumous: bool = False,
    early: bool = False,
    until: date | None = None,
    details: dict[str, Any] | None = None,
    decision: Decision | None = None,
    exception_decision: Decision | None = None,
    actor: str,
) -> MemberEvent:
    """Record one ledger event for `member` (see :class:`EventKind`)."""
    if kind not in EventKind.values or kind in (EventKind.REVERSAL, EventKind.REORGANIZATION):
        raise InvalidInput(f"Loại sự kiện «{kind}» không ghi trực tiếp được.", field="kind")
    data = EventData(
        kind=kind,
        effective_on=effective_on,
        from_org=from_org.pk if from_org else None,
        to_org=to_org.pk if to_org else None,
        form=form,
        card_number=card_number,
        badge_years=badge_years,
        posthumous=posthumous,
        early=early,
        until=until,
        details=details or {},
    )
    with transaction.atomic():
        (event,) = ledger_append(
            {member.pk: [NewEvent(data, decision=decision, exception_decision=exception_decision)]},
            actor=actor,
        )
        audit(
            actor=actor,
            action=f"event_{kind}",
            obj=event,
            after={
                "member": member.pk,
                "kind": kind,
                "on": effective_on.isoformat(),
                "waived": event.waived_rules,
            },
        )
    member.refresh_from_db()
    return event


def _cell_on(spells: list[Spell], on: date) -> int | None:
    return next((s.cell for s in spells if s.valid_from <= on < s.valid_to), None)


def _ancestors(cell: int, on: date) -> set[int]:
    return set(
        OrgClosure.objects.filter(
            descendant_id=cell, valid_from__lte=on, valid_to__gt=on
        ).values_list("ancestor_id", flat=True)
    )


def _fits(event: EventData, before: State) -> bool:
    """Whether the member sat in the event's `from_org` when it happened (or it has none)."""
    if event.from_org is None:
        return True
    return before.active and event.from_org in (before.cell, before.host_cell)


def _check_later_events_fit(
    live: list[EventData], states: list[State], remaining: list[EventData], after: list[State]
) -> None:
    """Refuse a history in which a later event leaves a cell the member is no longer in.

    `states` and `after` are the fold's states before each event of `live` and `remaining`;
    an event that fitted the recorded history must still fit the history without the
    reversed event (figures count its flow out of `from_org`).
    """
    was = {e.seq: b for e, b in zip(sorted(live, key=lambda e: e.sort_key), states, strict=True)}
    for e, b in zip(sorted(remaining, key=lambda e: e.sort_key), after, strict=True):
        if _fits(e, was[e.seq]) and not _fits(e, b):
            raise LedgerError(
                f"sự kiện «{EventKind(e.kind).label}» ngày {e.effective_on:%d/%m/%Y} ghi đảng viên "
                "rời một chi bộ mà khi đó đảng viên không sinh hoạt ở đó",
                field="event",
            )


def _check_reorganizations_kept(before: list[Spell], after: list[Spell], *, since: date) -> None:
    """Refuse a history in which the member sits differently in a cell that a later
    reorganization moved or ended than when its reorganization events were written.

    Each such reorganization wrote a `to_chuc_lai` event for exactly the members then in the
    cell; a reversal that puts the member in (or takes them out of) such a cell on that day
    would leave the figures' identity broken.
    """
    days = Reorganization.objects.filter(effective_on__gt=since).values_list(
        "effective_on", flat=True
    )
    for day in sorted(set(days)):
        eve = day - timedelta(days=1)
        was = (_cell_on(before, eve), _cell_on(before, day))
        now = (_cell_on(after, eve), _cell_on(after, day))
        if was == now:
            continue
        for cell in {c for c in (*was, *now) if c is not None}:
            if _ancestors(cell, eve) != _ancestors(cell, day):
                raise LedgerError(
                    f"đảng viên sẽ ở trong chi bộ đã được sắp xếp lại ngày {day:%d/%m/%Y} khác với "
                    "khi ghi sự kiện sắp xếp tổ chức",
                    field="event",
                )


@transaction.atomic
def event_reverse(*, event: MemberEvent, reason: str, on: date, actor: str) -> MemberEvent:
    """Correct a wrongly recorded event by a reversing event (the original stays in the ledger)."""
    if not reason.strip():
        raise InvalidInput("Trường «lý do hủy bỏ» không được để trống.", field="reason")
    for v in check_reversible(
        kind=event.kind, reversed_already=MemberEvent.objects.filter(reverses=event).exists()
    ):
        raise DomainError(v.sentence(), code=v.rule)
    member = Member.objects.select_for_update().select_related("person").get(pk=event.member_id)
    live = live_events([member.pk])[member.pk]
    remaining = [e for e in live if e.seq != event.pk]
    try:
        orgs = OrgIndex()
        state, spells, after = fold(remaining, orgs)
        check_spell_cells(spells, orgs)
        _, before, states = fold(live, orgs)
        _check_later_events_fit(live, states, remaining, after)
        _check_reorganizations_kept(before, spells, since=event.effective_on)
    except LedgerError as exc:
        raise LedgerError(
            f"Không thể hủy bỏ: lịch sử còn lại của {member.person.full_name} không hợp lệ ({exc.message}). "
            "Hãy hủy các sự kiện sau đó trước.",
            field="event",
        ) from None
    reversal = MemberEvent.objects.create(
        member=member,
        kind=EventKind.REVERSAL,
        effective_on=on,
        from_on=on,
        reverses=event,
        details={"reason": reason.strip()},
        actor=actor,
    )
    write_projection(member, state, spells)
    member.save(update_fields=PROJECTION_FIELDS)
    spells_replace([member.pk], [(member.pk, member.person_id, *spell_tuple(s)) for s in spells])
    events_changed([event.pk], -1)
    audit(
        actor=actor,
        action="event_reverse",
        obj=reversal,
        before={"event": event.pk, "kind": event.kind},
    )
    return reversal


def members_reorganize(
    *, moves: list[tuple[int, int, int]], on: date, reorganization: Reorganization, actor: str
) -> None:
    """Write the reorganization events of a merge, split or move: (member, from cell, to cell)."""
    batch: dict[int, list[NewEvent]] = defaultdict(list)
    for member_id, from_cell, to_cell in moves:
        batch[member_id].append(
            NewEvent(
                EventData(
                    kind=EventKind.REORGANIZATION,
                    effective_on=on,
                    from_org=from_cell,
                    to_org=to_cell,
                ),
                decision=reorganization.decision,
                reorganization_id=reorganization.pk,
            )
        )
    ledger_append(dict(batch), actor=actor)
