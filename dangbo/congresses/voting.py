"""Elections at a congress: candidate list, ballot rounds, stopping, appointed cell secretary.

Rule checks come from :mod:`dangbo.congresses.elections` and cite the election regulation
in force on the congress's opening date. Winners are stored on the candidates and kept as
pending seats ("trúng cử, chờ chuẩn y") until the congress is approved; nothing is
recorded once it is. A cell secretary not elected in three rounds is appointed by the
higher committee (``secretary_appoint``). Every service is keyword-only, atomic and
audited; a refusal raises before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from dangbo.congresses import elections as rules
from dangbo.congresses import organs
from dangbo.congresses.error_codes import CongressErrorCode
from dangbo.congresses.models import (
    BallotRound,
    CommitteeSeat,
    Congress,
    CongressKind,
    Election,
    ElectionCandidate,
    ElectionWhat,
    Position,
    ProposedBy,
    SeatStatus,
    Vote,
)
from dangbo.congresses.seats import (
    require_decision,
    seat_conflict_error,
    seat_conflicts,
    sync_pending_seats,
)
from dangbo.congresses.selectors import electorate, is_cell
from dangbo.core.dates import FOREVER
from dangbo.core.errors import DomainError, InvalidInput, RuleViolation, Violation
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.membership.models import Person


def _refuse(violations: list[Violation]) -> None:
    if violations:
        raise RuleViolation(violations)


def _candidate_rows(candidates: Iterable) -> list[dict]:
    rows = []
    for item in candidates:
        if isinstance(item, Person):
            item = {"person": item}
        if not isinstance(item, Mapping) or not isinstance(item.get("person"), Person):
            raise InvalidInput(
                "Mỗi người trong danh sách bầu cử phải là một nhân thân đã ghi nhận.",
                field="candidates",
            )
        proposed_by = item.get("proposed_by", ProposedBy.COMMITTEE)
        if proposed_by not in ProposedBy.values:
            raise InvalidInput(
                f"Nguồn giới thiệu «{proposed_by}» không hợp lệ.", field="candidates"
            )
        pct = item.get("nominee_agreement_pct")
        if pct is not None:
            try:
                pct = Decimal(str(pct))
            except InvalidOperation:
                raise InvalidInput(
                    f"Tỷ lệ đồng ý «{pct}» không hợp lệ.", field="candidates"
                ) from None
            if not Decimal(0) <= pct <= Decimal(100):
                raise InvalidInput(f"Tỷ lệ đồng ý {pct}% phải từ 0 đến 100.", field="candidates")
        if proposed_by == ProposedBy.COMMITTEE:
            pct = None
        rows.append({"person": item["person"], "proposed_by": proposed_by, "pct": pct})
    return rows


def _check_cell_organs(congress: Congress, what: str, seats: int, people: list[Person]) -> None:
    """A cell's congress elects a committee only from 9 full members, its secretary and
    deputy from among that committee (:mod:`dangbo.congresses.organs`)."""
    on = congress.starts_on
    _refuse(
        organs.check_cell_election(what=what, seats=seats, full_members=congress.summoned, on=on)
    )
    committee = set(
        ElectionCandidate.objects.filter(
            election__congress=congress,
            election__what=ElectionWhat.COMMITTEE,
            elected_in_round__isnull=False,
        ).values_list("person_id", flat=True)
    )
    _refuse(
        organs.check_officers_from_committee(
            what=what,
            full_members=congress.summoned,
            committee_elected=bool(committee),
            outside=[p.full_name for p in people if p.pk not in committee],
            on=on,
        )
    )


def _check_open(congress: Congress) -> None:
    if congress.approved_on is not None:
        raise DomainError(
            "Kết quả đại hội đã được chuẩn y; không ghi thêm kết quả bầu cử.",
            code=CongressErrorCode.DA_CHUAN_Y,
        )


@transaction.atomic
def election_open(
    *,
    congress: Congress,
    what: str,
    seats: int,
    candidates: Iterable,
    summoned: int | None = None,
    present: int | None = None,
    actor: str,
) -> Election:
    """Open an election at `congress` with its candidate list.

    `candidates`: persons (proposed by the committee) or ``{"person", "proposed_by",
    "nominee_agreement_pct"}`` items. `summoned`/`present` only when the electing body is
    not the congress (e.g. the new committee electing its secretary).
    """
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    _check_open(congress)
    if what not in ElectionWhat.values:
        raise InvalidInput(f"Nội dung bầu «{what}» không hợp lệ.", field="what")
    if (summoned is None) != (present is None):
        raise InvalidInput(
            "Cần ghi cả số được triệu tập và số có mặt của hội nghị bầu.", field="summoned"
        )
    on = congress.starts_on
    if summoned is not None and present is not None:
        _refuse(
            rules.check_attendance(
                rules.Attendance(kind=CongressKind.ALL_MEMBER, summoned=summoned, present=present),
                on,
            )
        )
    rows = _candidate_rows(candidates)
    _refuse(
        rules.check_candidate_list(
            what=what,
            seats=seats,
            candidates=[
                rules.CandidateIn(
                    r["person"].full_name, r["proposed_by"], r["pct"], key=r["person"].pk
                )
                for r in rows
            ],
            on=on,
        )
    )
    if congress.kind == CongressKind.ALL_MEMBER and is_cell(congress.org, on):
        _check_cell_organs(congress, what, seats, [r["person"] for r in rows])
    election = Election.objects.create(
        congress=congress, what=what, seats=seats, summoned=summoned, present=present
    )
    ElectionCandidate.objects.bulk_create(
        [
            ElectionCandidate(
                election=election,
                person=r["person"],
                proposed_by=r["proposed_by"],
                nominee_agreement_pct=r["pct"],
            )
            for r in rows
        ]
    )
    audit(
        actor=actor,
        action="election_open",
        obj=election,
        after={
            "congress": congress.pk,
            "what": what,
            "seats": seats,
            "candidates": [r["person"].pk for r in rows],
        },
    )
    return election


def _resolve_votes(election: Election, votes: Mapping) -> dict[int, int]:
    by_id = {c.pk: c for c in election.candidates.all()}
    by_person = {c.person_id: c for c in by_id.values()}
    out: dict[int, int] = {}
    for key, n in votes.items():
        if isinstance(key, ElectionCandidate) and key.pk in by_id:
            cand = by_id[key.pk]
        elif isinstance(key, Person) and key.pk in by_person:
            cand = by_person[key.pk]
        else:
            raise InvalidInput(f"«{key}» không có trong danh sách bầu cử.", field="votes")
        if cand.pk in out:
            raise InvalidInput(
                f"Số phiếu của {cand.person.full_name} được ghi hai lần.", field="votes"
            )
        if not isinstance(n, int) or isinstance(n, bool):
            raise InvalidInput(
                f"Số phiếu của {cand.person.full_name} phải là số nguyên.", field="votes"
            )
        out[cand.pk] = n
    return out


@transaction.atomic
def ballot_round_record(
    *,
    election: Election,
    issued: int,
    cast: int,
    valid: int,
    invalid: int,
    votes: Mapping,
    held_on: date | None = None,
    actor: str,
) -> BallotRound:
    """Record the next ballot round of `election` and who it elected.

    `votes` maps each candidate of the round (an ElectionCandidate or its Person) to
    its votes. Round 1 lists every candidate; a further round only candidates not yet
    elected and fills only the seats still open. The returned round carries `outcome`
    (a :class:`~dangbo.congresses.elections.RoundOutcome` of candidate ids).
    """
    election = (
        Election.objects.select_for_update().select_related("congress__org").get(pk=election.pk)
    )
    congress = election.congress
    _check_open(congress)
    on = congress.starts_on
    held_on = held_on or on
    for v in rules.check_round_date(held_on=held_on, starts_on=congress.starts_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="held_on")
    if election.stopped:
        raise DomainError(
            "Đại hội đã quyết định dừng cuộc bầu cử này.", code=CongressErrorCode.DA_DUNG_BAU
        )
    if election.appointed_person_id is not None:
        raise DomainError(
            "Cấp ủy cấp trên đã chỉ định; không bầu tiếp.", code=CongressErrorCode.DA_CHI_DINH
        )
    candidates = {c.pk: c for c in election.candidates.select_related("person")}
    elected = {pk for pk, c in candidates.items() if c.elected_in_round is not None}
    seats_open = election.seats - len(elected)
    for v in rules.check_seats_open(what_label=election.get_what_display(), seats_open=seats_open):
        raise DomainError(v.sentence(), code=v.rule)
    done = election.rounds.count()
    _refuse(
        rules.check_further_round(
            what=election.what, is_cell=is_cell(congress.org, on), failed_rounds=done, on=on
        )
    )
    counted = _resolve_votes(election, votes)
    number = done + 1
    names = {pk: c.person.full_name for pk, c in candidates.items()}
    if number == 1:
        for v in rules.check_first_round_votes(votes=counted, names=names):
            raise InvalidInput(v.sentence(), code=v.rule, field="votes")
    else:
        _refuse(rules.check_further_round_votes(votes=counted, elected=elected, names=names, on=on))
    base, present = electorate(election)
    round_in = rules.RoundIn(issued=issued, cast=cast, valid=valid, invalid=invalid, votes=counted)
    _refuse(rules.check_round(round_in, present=present, seats_open=seats_open, names=names, on=on))
    outcome = rules.round_outcome(counted, seats_open=seats_open, needed=rules.votes_needed(base))
    ballot = BallotRound.objects.create(
        election=election,
        number=number,
        held_on=held_on,
        issued=issued,
        cast=cast,
        valid=valid,
        invalid=invalid,
    )
    Vote.objects.bulk_create(
        [Vote(round=ballot, candidate_id=pk, votes=n) for pk, n in counted.items()]
    )
    if outcome.elected:
        ElectionCandidate.objects.filter(pk__in=outcome.elected).update(elected_in_round=number)
    sync_pending_seats(congress)
    audit(
        actor=actor,
        action="ballot_round_record",
        obj=ballot,
        after={
            "election": election.pk,
            "number": number,
            "issued": issued,
            "cast": cast,
            "valid": valid,
            "invalid": invalid,
            "votes": {str(k): n for k, n in counted.items()},
            "elected": list(outcome.elected),
            "tied": list(outcome.tied_at_last_seat),
        },
    )
    ballot.outcome = outcome
    return ballot


@transaction.atomic
def election_stop(*, election: Election, actor: str) -> Election:
    """The congress decides not to hold further rounds: the seats left stay unfilled."""
    election = (
        Election.objects.select_for_update().select_related("congress__org").get(pk=election.pk)
    )
    _check_open(election.congress)
    filled = election.candidates.filter(elected_in_round__isnull=False).count()
    for v in rules.check_stop(
        what=election.what,
        is_cell=is_cell(election.congress.org, election.congress.starts_on),
        rounds=election.rounds.count(),
        filled=filled,
        seats=election.seats,
    ):
        raise DomainError(v.sentence(), code=v.rule)
    election.stopped = True
    election.save(update_fields=["stopped"])
    audit(actor=actor, action="election_stop", obj=election, after={"filled": filled})
    return election


@transaction.atomic
def secretary_appoint(
    *, election: Election, person: Person, decision: Decision, on: date, actor: str
) -> CommitteeSeat:
    """The higher committee appoints the cell secretary after the failed rounds."""
    election = (
        Election.objects.select_for_update().select_related("congress__org").get(pk=election.pk)
    )
    congress = election.congress
    require_decision(decision, "Việc chỉ định bí thư chi bộ")
    filled = (
        election.appointed_person_id is not None
        or election.candidates.filter(elected_in_round__isnull=False).exists()
    )
    _refuse(
        rules.check_appointment(
            what=election.what,
            is_cell=is_cell(congress.org, congress.starts_on),
            failed_rounds=election.rounds.count(),
            filled=filled,
            on=congress.starts_on,
        )
    )
    if on < congress.starts_on or on < decision.issued_on:
        raise InvalidInput(
            "Ngày chỉ định không được trước ngày đại hội hoặc ngày ban hành quyết định.", field="on"
        )
    org = congress.org
    for old in CommitteeSeat.objects.filter(
        org=org,
        status=SeatStatus.APPROVED,
        position=Position.SECRETARY,
        starts_on__lt=on,
        ends_on__gt=on,
    ).exclude(term=congress.term):
        old.ends_on, old.end_decision = on, decision
        old.save(update_fields=["ends_on", "end_decision"])
    conflicts = seat_conflicts(org.pk, person.pk, Position.SECRETARY, on, FOREVER)
    if conflicts:
        raise seat_conflict_error(conflicts[0], Position.SECRETARY, on)
    election.appointed_person = person
    election.appointment_decision = decision
    election.save(update_fields=["appointed_person", "appointment_decision"])
    seat = CommitteeSeat.objects.create(
        org=org,
        person=person,
        position=Position.SECRETARY,
        term=congress.term,
        starts_on=on,
        status=SeatStatus.APPROVED,
        decision=decision,
        congress=congress,
    )
    audit(
        actor=actor,
        action="secretary_appoint",
        obj=seat,
        after={
            "election": election.pk,
            "person": person.pk,
            "decision": decision.pk,
            "on": on.isoformat(),
        },
    )
    return seat
