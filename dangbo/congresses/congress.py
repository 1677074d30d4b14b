"""A congress: recording it (attendance, documents, its term) and approving its results.

Life of a congress: ``congress_record`` → elections (:mod:`dangbo.congresses.voting`) →
``congress_approve`` with the higher committee's decision, from whose date the elected
hold their seats and the seats of earlier terms end. Every service is keyword-only,
atomic and audited; a refusal raises before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date

from django.db import transaction

from dangbo.congresses import elections as rules
from dangbo.congresses.error_codes import CongressErrorCode
from dangbo.congresses.models import CommitteeSeat, Congress, CongressKind, SeatStatus
from dangbo.congresses.seats import (
    require_decision,
    seat_conflict_error,
    seat_conflicts,
    sync_pending_seats,
)
from dangbo.congresses.selectors import election_status, is_cell, term_for
from dangbo.core.dates import FOREVER
from dangbo.core.errors import DomainError, InvalidInput, RuleViolation
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.organizations.models import Organization, Term
from dangbo.organizations.selectors import org_name_on, org_version_on
from dangbo.organizations.services import term_open


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
    absent_convening_committee: int = 0,
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
    org_version_on(org, starts_on)
    for v in rules.check_congress_kind(kind=kind, is_cell=is_cell(org, starts_on)):
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
        absent_convening_committee=absent_convening_committee,
    )
    violations = rules.check_attendance(attendance, starts_on)
    if violations:
        raise RuleViolation(violations)
    docs = _documents(documents)
    if term is not None:
        term = term_for(org, starts_on, term)
        for v in rules.check_term_free(
            term_label=term.label,
            org_name=org_name_on(org, starts_on),
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
        absent_convening_committee=absent_convening_committee,
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


@transaction.atomic
def congress_approve(
    *, congress: Congress, decision: Decision, on: date, actor: str
) -> list[CommitteeSeat]:
    """Approve (chuẩn y) the congress's results: the elected hold their seats from `on`,
    and the seats of earlier terms still open on `on` end that day."""
    congress = (
        Congress.objects.select_for_update().select_related("org", "term").get(pk=congress.pk)
    )
    require_decision(decision, "Việc chuẩn y kết quả bầu cử")
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
    sync_pending_seats(congress)
    seats = list(
        CommitteeSeat.objects.filter(congress=congress, status=SeatStatus.PENDING).select_related(
            "person"
        )
    )
    for seat in seats:
        conflicts = seat_conflicts(org.pk, seat.person_id, seat.position, on, FOREVER)
        if conflicts:
            raise seat_conflict_error(conflicts[0], seat.position, on)
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
