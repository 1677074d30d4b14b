"""Committee seats: appointing, ending, who may hold one, and the seats pending approval.

A seat conferred on the higher committee's authority (an appointment after failed rounds,
an approval of the results) needs that decision; a seat clashes with an approved seat of
the same position over an overlapping span (any holder for a single-holder position).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from dangbo.congresses import elections as rules
from dangbo.congresses.error_codes import CongressErrorCode
from dangbo.congresses.models import (
    COMMITTEE_POSITIONS,
    POSITION_RANK,
    SINGLE_HOLDER,
    WHAT_POSITION,
    CommitteeSeat,
    Congress,
    ElectionCandidate,
    Position,
    SeatStatus,
)
from dangbo.congresses.selectors import term_for
from dangbo.core.dates import FOREVER
from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.membership.models import Person
from dangbo.organizations.models import Organization, Term
from dangbo.organizations.selectors import org_name_on, org_version_on


def require_decision(decision: Decision | None, what: str) -> Decision:
    """`decision`, or refuse `what` (a seat conferred by the higher committee) without one."""
    if decision is None:
        raise InvalidInput(f"{what} phải có quyết định của cấp có thẩm quyền.", field="decision")
    return decision


def seat_conflicts(
    org_id: int, person_id: int, position: str, start: date, end: date, exclude: Iterable[int] = ()
) -> list[CommitteeSeat]:
    """Approved seats that clash with `person_id` holding `position` over [start, end)."""
    overlapping = (
        CommitteeSeat.objects.filter(
            org_id=org_id,
            status=SeatStatus.APPROVED,
            position=position,
            starts_on__lt=end,
            ends_on__gt=start,
        )
        .exclude(pk__in=list(exclude))
        .select_related("person")
    )
    if position in SINGLE_HOLDER:
        return list(overlapping)
    return list(overlapping.filter(person_id=person_id))


def seat_conflict_error(seat: CommitteeSeat, position: str, on: date) -> DomainError:
    """The refusal naming who already holds `seat`."""
    (v,) = rules.check_seat_free(
        position_label=Position(position).label,
        org_name=org_name_on(seat.org, on),
        holder=seat.person.full_name,
        since=seat.starts_on,
    )
    return DomainError(v.sentence(), code=v.rule)


@transaction.atomic
def seat_appoint(
    *,
    org: Organization,
    person: Person,
    position: str,
    starts_on: date,
    decision: Decision | None = None,
    term: Term | None = None,
    ends_on: date = FOREVER,
    actor: str,
) -> CommitteeSeat:
    """Record that `person` holds `position` on `org`'s committee over [starts_on, ends_on).

    For appointments, by-elections confirmed by a decision and historical records; the
    term defaults to the one in force on `starts_on`.
    """
    if position not in Position.values:
        raise InvalidInput(f"Chức vụ «{position}» không hợp lệ.", field="position")
    for v in rules.check_seat_dates(starts_on=starts_on, ends_on=ends_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="ends_on")
    org_version_on(org, starts_on)
    term = term_for(org, starts_on, term)
    conflicts = seat_conflicts(org.pk, person.pk, position, starts_on, ends_on)
    if conflicts:
        raise seat_conflict_error(conflicts[0], position, starts_on)
    seat = CommitteeSeat.objects.create(
        org=org,
        person=person,
        position=position,
        term=term,
        starts_on=starts_on,
        ends_on=ends_on,
        status=SeatStatus.APPROVED,
        decision=decision,
    )
    audit(
        actor=actor,
        action="seat_appoint",
        obj=seat,
        after={
            "org": org.pk,
            "person": person.pk,
            "position": position,
            "starts_on": starts_on.isoformat(),
            "term": term.label,
        },
    )
    return seat


@transaction.atomic
def seat_end(
    *, seat: CommitteeSeat, on: date, decision: Decision | None = None, actor: str
) -> CommitteeSeat:
    """End a seat on `on` (the holder no longer holds it from that day)."""
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.status != SeatStatus.APPROVED:
        raise DomainError(
            "Người trúng cử chưa được chuẩn y; chưa có chức vụ để kết thúc.",
            code=CongressErrorCode.CHUA_CHUAN_Y,
        )
    if on <= seat.starts_on:
        raise InvalidInput(
            f"Ngày kết thúc phải sau ngày bắt đầu chức vụ ({seat.starts_on:%d/%m/%Y}).", field="on"
        )
    if on >= seat.ends_on:
        raise DomainError(
            f"Chức vụ đã kết thúc từ ngày {seat.ends_on:%d/%m/%Y}.",
            code=CongressErrorCode.DA_KET_THUC,
        )
    before = seat.ends_on
    seat.ends_on = on
    seat.end_decision = decision
    seat.save(update_fields=["ends_on", "end_decision"])
    audit(
        actor=actor,
        action="seat_end",
        obj=seat,
        before={"ends_on": before.isoformat()},
        after={"ends_on": on.isoformat(), "decision": decision.pk if decision else None},
    )
    return seat


def _elected_positions(congress: Congress) -> list[tuple[int, str]]:
    """(person id, position) of everyone elected at `congress`: one committee position per
    person (the highest) and one inspection-commission position per person."""
    best: dict[tuple[int, bool], str] = {}
    winners = ElectionCandidate.objects.filter(
        election__congress=congress, elected_in_round__isnull=False
    ).values_list("person_id", "election__what")
    for person_id, what in winners:
        position = WHAT_POSITION.get(what)
        if position is None:
            continue
        key = (person_id, position in COMMITTEE_POSITIONS)
        if key not in best or POSITION_RANK[position] < POSITION_RANK[best[key]]:
            best[key] = position
    return sorted((person_id, pos) for (person_id, _), pos in best.items())


def sync_pending_seats(congress: Congress) -> None:
    """Rewrite the pending seats of `congress` from who is elected so far."""
    CommitteeSeat.objects.filter(congress=congress, status=SeatStatus.PENDING).delete()
    CommitteeSeat.objects.bulk_create(
        [
            CommitteeSeat(
                org_id=congress.org_id,
                person_id=person_id,
                position=position,
                term_id=congress.term_id,
                starts_on=congress.ends_on,
                status=SeatStatus.PENDING,
                congress=congress,
            )
            for person_id, position in _elected_positions(congress)
        ]
    )
