"""The admission pipeline: candidates and their steps, training classes, admission, reception.

A member enters the roll here, admitted at the end of the pipeline or received from a party
organization outside this system; both write the entering event through the ledger.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.membership.aggregates import steps_added
from dangbo.membership.error_codes import MembershipErrorCode
from dangbo.membership.events import event_record, event_reverse
from dangbo.membership.models import (
    STAGE_ORDER,
    Candidate,
    CandidateStage,
    CandidateStep,
    ClassAttendance,
    ClassKind,
    EventKind,
    Member,
    MemberEvent,
    MemberStatus,
    Person,
    TrainingClass,
)
from dangbo.membership.planning import OrgIndex
from dangbo.membership.rules import (
    check_certified_on,
    check_class_dates,
    check_not_candidate,
    check_not_member,
)
from dangbo.organizations.models import Organization


@transaction.atomic
def member_admit(
    *,
    cell: Organization,
    on: date,
    decision: Decision | None,
    actor: str,
    candidate: Candidate | None = None,
    person: Person | None = None,
    exception_decision: Decision | None = None,
    ceremony_on: date | None = None,
    considered_on: date | None = None,
) -> Member:
    """Admit a candidate (or, for records older than the system, a person) as a probationary member.

    `on` is the admission decision's date (party age runs from it); `ceremony_on` the
    ceremony the cell held (the probation runs from it; the decision date when unknown);
    `considered_on` the cell meeting's resolution that considered the candidate (the age
    rule reads it; a candidate's own step when not given, else the decision date).
    """
    if (candidate is None) == (person is None):
        raise InvalidInput("Cần chỉ rõ quần chúng được kết nạp.", field="candidate")
    if candidate is not None:
        if candidate.stage != CandidateStage.COMMITTEE_RESOLUTION:
            raise DomainError(
                f"{candidate.person.full_name} chưa có nghị quyết của đảng ủy cơ sở đề nghị kết nạp "
                f"(đang ở bước «{CandidateStage(candidate.stage).label}»).",
                code=MembershipErrorCode.QUY_TRINH_KET_NAP,
            )
        person = candidate.person
        if considered_on is None:
            step = (
                candidate.steps.filter(stage=CandidateStage.CELL_RESOLUTION)
                .order_by("-effective_on")
                .first()
            )
            considered_on = step.effective_on if step else None
    assert person is not None  # exactly one of candidate and person was given
    for v in check_not_member(
        name=person.full_name, member=Member.objects.filter(person=person).exists()
    ):
        raise DomainError(v.sentence(), code=v.rule)
    member = Member.objects.create(person=person)
    details = {}
    if considered_on is not None:
        details["considered_on"] = considered_on.isoformat()
    if ceremony_on is not None:
        details["ceremony_on"] = ceremony_on.isoformat()
    event_record(
        member=member,
        kind=EventKind.ADMISSION,
        effective_on=on,
        to_org=cell,
        details=details,
        decision=decision,
        exception_decision=exception_decision,
        actor=actor,
    )
    if candidate is not None:
        candidate.member = member
        _candidate_step(
            candidate, CandidateStage.ADMITTED, on, cell, decision=decision, actor=actor
        )
    member.refresh_from_db()
    return member


@transaction.atomic
def member_receive(
    *,
    person: Person,
    cell: Organization,
    on: date,
    status: str,
    admitted_on: date,
    official_on: date | None = None,
    party_anchor: date | None = None,
    ceremony_on: date | None = None,
    decision: Decision | None = None,
    actor: str,
) -> Member:
    """Receive a member transferred in from a party organization outside this system
    (`ceremony_on`: a probationary member's admission ceremony, when known)."""
    member, _ = Member.objects.get_or_create(person=person)
    details = {"status": status, "admitted_on": admitted_on.isoformat()}
    if ceremony_on:
        details["ceremony_on"] = ceremony_on.isoformat()
    if official_on:
        details["official_on"] = official_on.isoformat()
    if party_anchor:
        details["party_anchor"] = party_anchor.isoformat()
    event_record(
        member=member,
        kind=EventKind.TRANSFER,
        effective_on=on,
        to_org=cell,
        details=details,
        decision=decision,
        actor=actor,
    )
    member.refresh_from_db()
    return member


def _candidate_step(
    candidate: Candidate,
    stage: str,
    on: date,
    org: Organization,
    *,
    actor: str,
    decision: Decision | None = None,
    sponsor: Member | None = None,
    note: str = "",
) -> CandidateStep:
    last = candidate.steps.order_by("-effective_on", "-pk").first()
    if last and on < last.effective_on:
        raise InvalidInput(
            f"Ngày {on:%d/%m/%Y} trước bước trước đó ({last.effective_on:%d/%m/%Y}).",
            field="effective_on",
        )
    candidate.stage = stage
    if sponsor is not None:
        candidate.sponsor = sponsor
    candidate.save()
    step = CandidateStep.objects.create(
        candidate=candidate,
        stage=stage,
        effective_on=on,
        org=org,
        sponsor=sponsor,
        decision=decision,
        note=note,
        actor=actor,
    )
    steps_added([step.pk])
    return step


@transaction.atomic
def candidate_create(*, person: Person, cell: Organization, on: date, actor: str) -> Candidate:
    """Put a person on the list of candidates (quần chúng ưu tú) of a cell."""
    exists, holds, name = OrgIndex()(cell.pk, on)
    if not exists or not holds:
        raise InvalidInput(
            f"«{name}» không phải chi bộ đang hoạt động vào ngày {on:%d/%m/%Y}.", field="cell"
        )
    for v in check_not_candidate(
        name=person.full_name, candidate=Candidate.objects.filter(person=person).exists()
    ):
        raise DomainError(v.sentence(), code=v.rule)
    candidate = Candidate.objects.create(person=person, cell=cell, stage=CandidateStage.IDENTIFIED)
    CandidateStep.objects.create(
        candidate=candidate, stage=CandidateStage.IDENTIFIED, effective_on=on, org=cell, actor=actor
    )
    audit(actor=actor, action="candidate_create", obj=candidate, after={"person": person.pk})
    return candidate


@transaction.atomic
def candidate_advance(
    *,
    candidate: Candidate,
    stage: str,
    on: date,
    actor: str,
    sponsor: Member | None = None,
    decision: Decision | None = None,
    note: str = "",
) -> CandidateStep:
    """Move a candidate to the next stage of the admission pipeline (or stop considering them)."""
    if stage == CandidateStage.ADMITTED:
        raise InvalidInput(
            "Việc kết nạp được ghi bằng quyết định kết nạp (member_admit).", field="stage"
        )
    candidate.refresh_from_db()
    if candidate.stage in (CandidateStage.DROPPED, CandidateStage.CEREMONY):
        raise DomainError("Hồ sơ quần chúng này đã kết thúc.", code=MembershipErrorCode.KET_THUC)
    if stage != CandidateStage.DROPPED:
        expected = STAGE_ORDER[STAGE_ORDER.index(CandidateStage(candidate.stage)) + 1]
        if stage != expected:
            raise DomainError(
                f"{candidate.person.full_name}: bước tiếp theo phải là «{CandidateStage(expected).label}», "
                f"không phải «{CandidateStage(stage).label}».",
                code=MembershipErrorCode.SAI_TRINH_TU,
            )
    if stage == CandidateStage.SPONSORED:
        if sponsor is None:
            raise InvalidInput(
                "Cần chỉ rõ đảng viên chính thức được phân công giúp đỡ.", field="sponsor"
            )
        spell = sponsor.spells.filter(valid_from__lte=on, valid_to__gt=on).first()
        if spell is None or spell.status != MemberStatus.OFFICIAL:
            raise DomainError(
                f"{sponsor.person.full_name} không phải đảng viên chính thức vào ngày {on:%d/%m/%Y}; "
                "người giúp đỡ phải là đảng viên chính thức.",
                code=MembershipErrorCode.NGUOI_GIUP_DO,
            )
    if stage == CandidateStage.CEREMONY and candidate.member is not None:
        _ceremony_record(candidate.member, on, actor=actor)
    step = _candidate_step(
        candidate,
        stage,
        on,
        candidate.cell,
        actor=actor,
        decision=decision,
        sponsor=sponsor,
        note=note,
    )
    audit(
        actor=actor,
        action="candidate_advance",
        obj=candidate,
        after={"stage": stage, "on": on.isoformat(), "step": step.pk},
    )
    return step


def _ceremony_record(member: Member, on: date, *, actor: str) -> None:
    """Put the ceremony held on `on` on the member's admission event (the probation runs from
    it): the ledger only grows, so the admission recorded without it is reversed and recorded
    again with it, the same decision and cell. Refused when the admission already names
    another ceremony day, or later events were recorded on it (reverse those first)."""
    admission = (
        MemberEvent.objects.filter(
            member=member, kind=EventKind.ADMISSION, reversed_by__isnull=True
        )
        .select_related("to_org", "decision", "exception_decision")
        .first()
    )
    if admission is None:
        return
    recorded = (admission.details or {}).get("ceremony_on")
    if recorded == on.isoformat():
        return
    if recorded:
        raise InvalidInput(
            f"Quyết định kết nạp đã ghi ngày lễ kết nạp {date.fromisoformat(recorded):%d/%m/%Y}.",
            field="effective_on",
        )
    later = (
        MemberEvent.objects.filter(member=member, reversed_by__isnull=True, pk__gt=admission.pk)
        .exclude(kind=EventKind.REVERSAL)
        .exists()
    )
    if later:
        raise DomainError(
            f"Sổ của {member.person.full_name} đã có sự kiện sau quyết định kết nạp; hãy ghi ngày "
            "lễ kết nạp bằng cách hủy bỏ và ghi lại quyết định kết nạp.",
            code=MembershipErrorCode.SAI_TRINH_TU,
            field="effective_on",
        )
    event_reverse(event=admission, reason="Ghi ngày tổ chức lễ kết nạp", on=on, actor=actor)
    event_record(
        member=member,
        kind=EventKind.ADMISSION,
        effective_on=admission.effective_on,
        to_org=admission.to_org,
        details={**(admission.details or {}), "ceremony_on": on.isoformat()},
        decision=admission.decision,
        exception_decision=admission.exception_decision,
        actor=actor,
    )


@transaction.atomic
def class_create(
    *, kind: str, name: str, organizer: Organization, starts_on: date, ends_on: date, actor: str
) -> TrainingClass:
    if kind not in ClassKind.values:
        raise InvalidInput(f"Loại lớp «{kind}» không hợp lệ.", field="kind")
    for v in check_class_dates(starts_on=starts_on, ends_on=ends_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="ends_on")
    tc = TrainingClass.objects.create(
        kind=kind, name=name, organizer=organizer, starts_on=starts_on, ends_on=ends_on
    )
    audit(actor=actor, action="class_create", obj=tc, after={"name": name})
    return tc


@transaction.atomic
def class_enroll(*, training_class: TrainingClass, person: Person, actor: str) -> ClassAttendance:
    """Add an attendee to a class (the certificate comes later with class_certify)."""
    attendance, created = ClassAttendance.objects.get_or_create(
        training_class=training_class, person=person
    )
    if created:
        audit(actor=actor, action="class_enroll", obj=attendance, after={"person": person.pk})
    return attendance


@transaction.atomic
def class_certify(
    *, training_class: TrainingClass, person: Person, certificate_number: str, on: date, actor: str
) -> ClassAttendance:
    """Record an attendee's certificate; an awareness-class certificate advances the candidate."""
    for v in check_certified_on(certified_on=on, ends_on=training_class.ends_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="certified_on")
    attendance, _ = ClassAttendance.objects.get_or_create(
        training_class=training_class, person=person
    )
    attendance.certificate_number = certificate_number
    attendance.certified_on = on
    attendance.save(update_fields=["certificate_number", "certified_on"])
    candidate = Candidate.objects.filter(person=person).first()
    if (
        training_class.kind == ClassKind.AWARENESS
        and candidate is not None
        and candidate.stage == CandidateStage.IDENTIFIED
    ):
        candidate_advance(
            candidate=candidate,
            stage=CandidateStage.TRAINED,
            on=on,
            actor=actor,
            note=f"Giấy chứng nhận số {certificate_number}",
        )
    return attendance
