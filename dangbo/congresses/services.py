"""Writes of committees, congresses and elections.

Every service is keyword-only, atomic and audited. Rule checks come from
:mod:`dangbo.congresses.elections` and cite the election regulation in force on the
congress's opening date; a refusal raises before anything is written (and any write
already made in the call is rolled back with the transaction).

Life of a congress: ``congress_record`` → ``election_open`` (the candidate list) →
``ballot_round_record`` for each round (winners are stored on the candidates and kept as
seats "trúng cử, chờ chuẩn y") → ``congress_approve`` with the higher committee's
decision, from whose date the elected hold their seats. A cell secretary not elected in
three rounds is appointed by the higher committee (``secretary_appoint``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from dangbo.congresses import elections as rules
from dangbo.congresses.error_codes import CongressErrorCode
from dangbo.congresses.models import (
    COMMITTEE_POSITIONS,
    POSITION_RANK,
    SINGLE_HOLDER,
    WHAT_POSITION,
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
from dangbo.congresses.selectors import election_status, electorate
from dangbo.core.dates import FOREVER
from dangbo.core.errors import DomainError, InvalidInput, RuleViolation
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.membership.models import Person
from dangbo.organizations.models import Organization, Term
from dangbo.organizations.selectors import org_name_on, org_version_on, org_version_shown, term_on
from dangbo.organizations.services import term_open


# --- helpers -----------------------------------------------------------------------------
def _org_name(org: Organization, on: date) -> str:
    return org_name_on(org, on)


def _alive(org: Organization, on: date):
    return org_version_on(org, on)


def _is_cell(org: Organization, on: date) -> bool:
    v = org_version_shown(org, on)
    return bool(v and v.kind.holds_members)


def _refuse(violations: list) -> None:
    if violations:
        raise RuleViolation(violations)


def _require_decision(decision: Decision | None, what: str) -> Decision:
    if decision is None:
        raise InvalidInput(f"{what} phải có quyết định của cấp có thẩm quyền.", field="decision")
    return decision


def _term_for(org: Organization, on: date, term: Term | None) -> Term:
    if term is None:
        return term_on(org, on)
    if term.org_id != org.pk:
        raise InvalidInput(
            f"Nhiệm kỳ {term.label} không thuộc «{_org_name(org, on)}».", field="term"
        )
    return term


def _seat_conflicts(
    org_id: int, person_id: int, position: str, start: date, end: date, exclude: Iterable[int] = ()
) -> list[CommitteeSeat]:
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


def _conflict_error(seat: CommitteeSeat, position: str, on: date) -> DomainError:
    (v,) = rules.check_seat_free(
        position_label=Position(position).label,
        org_name=_org_name(seat.org, on),
        holder=seat.person.full_name,
        since=seat.starts_on,
    )
    return DomainError(v.sentence(), code=v.rule)


# --- committee seats ---------------------------------------------------------------------
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
    _alive(org, starts_on)
    term = _term_for(org, starts_on, term)
    conflicts = _seat_conflicts(org.pk, person.pk, position, starts_on, ends_on)
    if conflicts:
        raise _conflict_error(conflicts[0], position, starts_on)
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


# --- congresses --------------------------------------------------------------------------
def _documents(items: Iterable) -> list[dict]:
    out = []
    for item in items:
        if isinstance(item, str):
            item = {"title": item, "adopted": True}
        if not isinstance(item, Mapping) or not str(item.get("title", "")).strip():
            raise InvalidInput("Mỗi văn kiện phải có tên.", field="documents")
        out.append(
            {"title": str(item["title"]).strip(), "adopted": bool(item.get("adopted", False))}
        )
    return out


@transaction.atomic
def congress_record(
    *,
    org: Organization,
    kind: str,
    starts_on: date,
    summoned: int,
    present: int,
    term: Term | None = None,
    term_label: str | None = None,
    ends_on: date | None = None,
    number: int | None = None,
    temporarily_elsewhere: int = 0,
    absent_exempt: int = 0,
    suspended_detained: int = 0,
    absent_approved: int = 0,
    absent_delegates_no_substitute: int = 0,
    documents: Iterable = (),
    actor: str,
) -> Congress:
    """Record a congress of `org` for `term` (or open the term `term_label` on `starts_on`).

    `documents`: titles (presented and adopted) or ``{"title", "adopted"}`` items.
    """
    if kind not in CongressKind.values:
        raise InvalidInput(f"Hình thức đại hội «{kind}» không hợp lệ.", field="kind")
    if (term is None) == (term_label is None):
        raise InvalidInput(
            "Cần chỉ rõ nhiệm kỳ của đại hội (một nhiệm kỳ đã có hoặc nhãn nhiệm kỳ mới).",
            field="term",
        )
    ends_on = ends_on or starts_on
    for v in rules.check_congress_dates(starts_on=starts_on, ends_on=ends_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="ends_on")
    _alive(org, starts_on)
    for v in rules.check_congress_kind(kind=kind, is_cell=_is_cell(org, starts_on)):
        raise InvalidInput(v.sentence(), code=v.rule, field="kind")
    attendance = rules.Attendance(
        kind=kind,
        summoned=summoned,
        present=present,
        temporarily_elsewhere=temporarily_elsewhere,
        absent_exempt=absent_exempt,
        suspended_detained=suspended_detained,
        absent_approved=absent_approved,
        absent_delegates_no_substitute=absent_delegates_no_substitute,
    )
    _refuse(rules.check_attendance(attendance, starts_on))
    docs = _documents(documents)
    if term is not None:
        term = _term_for(org, starts_on, term)
        for v in rules.check_term_free(
            term_label=term.label,
            org_name=_org_name(org, starts_on),
            taken=Congress.objects.filter(org=org, term=term).exists(),
        ):
            raise DomainError(v.sentence(), code=v.rule)
    else:
        assert term_label is not None  # exactly one of term and term_label was given
        term = term_open(
            org=org, label=term_label, starts_on=starts_on, congress_number=number, actor=actor
        )
    congress = Congress.objects.create(
        org=org,
        term=term,
        kind=kind,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        summoned=summoned,
        present=present,
        temporarily_elsewhere=temporarily_elsewhere,
        absent_exempt=absent_exempt,
        suspended_detained=suspended_detained,
        absent_approved=absent_approved,
        absent_delegates_no_substitute=absent_delegates_no_substitute,
        documents=docs,
    )
    audit(
        actor=actor,
        action="congress_record",
        obj=congress,
        after={
            **asdict(attendance),
            "org": org.pk,
            "term": term.label,
            "starts_on": starts_on.isoformat(),
            "documents": docs,
        },
    )
    return congress


# --- elections ---------------------------------------------------------------------------
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
            what=election.what, is_cell=_is_cell(congress.org, on), failed_rounds=done, on=on
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
    _sync_pending_seats(congress)
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
        is_cell=_is_cell(election.congress.org, election.congress.starts_on),
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
    _require_decision(decision, "Việc chỉ định bí thư chi bộ")
    filled = (
        election.appointed_person_id is not None
        or election.candidates.filter(elected_in_round__isnull=False).exists()
    )
    _refuse(
        rules.check_appointment(
            what=election.what,
            is_cell=_is_cell(congress.org, congress.starts_on),
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
    conflicts = _seat_conflicts(org.pk, person.pk, Position.SECRETARY, on, FOREVER)
    if conflicts:
        raise _conflict_error(conflicts[0], Position.SECRETARY, on)
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


def _sync_pending_seats(congress: Congress) -> None:
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


@transaction.atomic
def congress_approve(
    *, congress: Congress, decision: Decision, on: date, actor: str
) -> list[CommitteeSeat]:
    """Approve (chuẩn y) the congress's results: the elected hold their seats from `on`,
    and the seats of earlier terms still open on `on` end that day."""
    congress = (
        Congress.objects.select_for_update().select_related("org", "term").get(pk=congress.pk)
    )
    _require_decision(decision, "Việc chuẩn y kết quả bầu cử")
    if congress.approved_on is not None:
        raise DomainError(
            f"Kết quả đại hội đã được chuẩn y ngày {congress.approved_on:%d/%m/%Y}.",
            code=CongressErrorCode.DA_CHUAN_Y,
        )
    unfinished = [
        e.get_what_display()
        for e in congress.elections.all()
        if election_status(e) not in ("complete", "stopped", "appointed")
    ]
    for v in rules.check_approval(
        ends_on=congress.ends_on,
        decision_on=decision.issued_on,
        approved_on=on,
        unfinished=unfinished,
    ):
        if v.rule == CongressErrorCode.NGAY_CHUAN_Y:
            raise InvalidInput(v.sentence(), code=v.rule, field="on")
        raise DomainError(v.sentence(), code=v.rule)
    org = congress.org
    ended = 0
    for old in CommitteeSeat.objects.filter(
        org=org, status=SeatStatus.APPROVED, starts_on__lt=on, ends_on__gt=on
    ).exclude(term=congress.term):
        old.ends_on, old.end_decision = on, decision
        old.save(update_fields=["ends_on", "end_decision"])
        ended += 1
    _sync_pending_seats(congress)
    seats = list(
        CommitteeSeat.objects.filter(congress=congress, status=SeatStatus.PENDING).select_related(
            "person"
        )
    )
    for seat in seats:
        conflicts = _seat_conflicts(org.pk, seat.person_id, seat.position, on, FOREVER)
        if conflicts:
            raise _conflict_error(conflicts[0], seat.position, on)
        seat.status, seat.starts_on, seat.decision = SeatStatus.APPROVED, on, decision
        seat.save(update_fields=["status", "starts_on", "decision"])
    congress.approval_decision, congress.approved_on = decision, on
    congress.save(update_fields=["approval_decision", "approved_on"])
    audit(
        actor=actor,
        action="congress_approve",
        obj=congress,
        after={
            "decision": decision.pk,
            "on": on.isoformat(),
            "seats": [s.pk for s in seats],
            "ended": ended,
        },
    )
    return seats
