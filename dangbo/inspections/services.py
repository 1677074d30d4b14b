"""Recording inspection, supervision, complaint and denunciation cases and their discipline.

Writes are keyword-only, atomic and audited. A request the rules in force refuse raises
:class:`RuleViolation` whose violations cite the regulation in force on the fact's date
(Quy định 22-QĐ/TW until 2/2/2025, Quy định 262-QĐ/TW until 29/5/2025, Quy định
296-QĐ/TW from 30/5/2025); unreadable
input raises :class:`InvalidInput`. Either way nothing is written.

The checks are deliberately few:

- ``cap_tien_hanh``: the conducting organization is at a level whose committee has an
  inspection commission (base committee and above), as its kind stood on the start date,
  or a cell;
- ``cap_tren_doi_tuong``: the subject (the organization, or the member's cell) lies
  strictly below the conducting organization in the tree as it stood on the start date;
- ``chi_bo_loai_vu_viec``, ``chi_bo_dang_vien_cua_minh``: a cell conducts the kinds of
  case the rule set gives it (supervision, inspection, complaints and denunciations), on
  the members of its own roll only;
- ``ket_luan_truoc_ky_luat``: discipline follows a conclusion that found a violation,
  and is dated on or after it;
- ``thoi_hieu_ky_luat``: discipline falls within the statute of limitations of its form,
  counted from the case's violation date (none for expulsion and dissolution).

Dissolution (giải tán) is a discipline form of every party organization, a cell included;
the organization's end in the tree is a reorganization decision of its own.

A member's discipline is a ``ky_luat`` event appended to the membership ledger by
:func:`dangbo.membership.events.event_record` in the same transaction, so the ledger's
own rules (a probationary member only reprimanded or warned, …) apply and their refusal
propagates unchanged.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from dangbo.core.errors import DomainError, InvalidInput, RuleViolation, Violation
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.inspections.error_codes import InspectionErrorCode, InspectionRule
from dangbo.inspections.models import (
    Case,
    CaseKind,
    CaseStep,
    MemberDisciplineLink,
    OrgDiscipline,
)
from dangbo.inspections.rules import (
    check_case_date,
    check_cell_conducts,
    check_concluded_with_violation,
    check_discipline_subject,
    check_limitation,
    check_not_disciplined,
    check_violation_date,
    inspection_rules_on,
)
from dangbo.membership.events import event_record
from dangbo.membership.models import DisciplineForm, EventKind, Member, MemberEvent, MembershipSpell
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion
from dangbo.organizations.selectors import org_version_on


# --- helpers -----------------------------------------------------------------------------
def _required(value: str, label: str, field: str) -> str:
    if not (value or "").strip():
        raise InvalidInput(f"Trường «{label}» không được để trống.", field=field)
    return value.strip()


def _is_strictly_below(unit_id: int, ancestor: Organization, on: date) -> bool:
    return OrgClosure.objects.filter(
        ancestor=ancestor, descendant_id=unit_id, depth__gte=1, valid_from__lte=on, valid_to__gt=on
    ).exists()


def _member_cell(member: Member, kind: str, on: date) -> int:
    """The member's cell on `on`; for a complaint (e.g. against an expulsion) the last cell."""
    spells = MembershipSpell.objects.filter(member=member)
    cell = (
        spells.filter(valid_from__lte=on, valid_to__gt=on).values_list("cell_id", flat=True).first()
    )
    if cell is None and kind == CaseKind.COMPLAINT:
        cell = (
            spells.filter(valid_to__lte=on)
            .order_by("-valid_to")
            .values_list("cell_id", flat=True)
            .first()
        )
    if cell is None:
        raise InvalidInput(
            f"{member.person.full_name} không có trong danh sách đảng viên vào ngày {on:%d/%m/%Y}.",
            field="subject_member",
        )
    return cell


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("subject_member__person")
        .get(pk=case.pk)
    )


def _check_concluded_with_violation(case: Case, on: date) -> None:
    violations = check_concluded_with_violation(
        concluded_on=case.concluded_on, violation_found=case.violation_found, on=on
    )
    if violations:
        raise RuleViolation(violations)


def _check_limitation(case: Case, *, of_org: bool, form: str, on: date) -> None:
    violations = check_limitation(
        of_org=of_org,
        form=form,
        violation_on=case.violation_on,
        on=on,
        exempt=case.limitation_exempt,
    )
    if violations:
        raise RuleViolation(violations)


def _check_decision(decision: Decision | None) -> Decision:
    if decision is None:
        raise InvalidInput("Kỷ luật phải có quyết định kỷ luật kèm theo.", field="decision")
    return decision


# --- services ----------------------------------------------------------------------------
@transaction.atomic
def case_open(
    *,
    kind: str,
    conducting_org: Organization,
    conducting_body: str,
    starts_on: date,
    topic: str,
    actor: str,
    subject_org: Organization | None = None,
    subject_member: Member | None = None,
    decision: Decision | None = None,
    ends_on: date | None = None,
    violation_on: date | None = None,
    limitation_exempt: bool = False,
) -> Case:
    """Open a supervision, inspection, complaint or denunciation case on one subject.

    `conducting_body` names the body, e.g. "Ủy ban Kiểm tra Đảng ủy phường 1", "Ban
    Thường vụ Thành ủy" or "Chi bộ TDP 3"; `conducting_org` is the organization it belongs
    to. A cell conducts cases on the members of its own roll only. `violation_on` (the
    violation's date, also recordable at the conclusion) and `limitation_exempt` serve the
    statute of limitations of a later discipline.
    """
    if kind not in CaseKind.values:
        raise InvalidInput(f"Loại vụ việc «{kind}» không hợp lệ.", field="kind")
    if (subject_org is None) == (subject_member is None):
        raise InvalidInput(
            "Cần chỉ rõ đúng một đối tượng: một tổ chức đảng hoặc một đảng viên.", field="subject"
        )
    body = _required(conducting_body, "chủ thể tiến hành", "conducting_body")
    topic = _required(topic, "nội dung", "topic")
    for v in check_case_date(on=ends_on or starts_on, starts_on=starts_on, what="kết thúc"):
        raise InvalidInput(v.sentence(), code=v.rule, field="ends_on")
    rs = inspection_rules_on(starts_on)
    conducting = org_version_on(conducting_org, starts_on, field="conducting_org")
    if subject_org is not None:
        subject = org_version_on(subject_org, starts_on, field="subject_org")
        unit_id, cell_id = subject_org.pk, None
        subject_label = f"«{subject.name}»"
    else:
        assert subject_member is not None  # exactly one subject was given
        cell_id = _member_cell(subject_member, kind, starts_on)
        unit_id = cell_id
        cell_version = (
            OrgVersion.objects.filter(org_id=cell_id, valid_from__lte=starts_on)
            .order_by("-valid_from")
            .first()
        )
        assert cell_version is not None  # the member's cell existed then
        subject_label = (
            f"đảng viên {subject_member.person.full_name} (chi bộ «{cell_version.name}»)"
        )

    violations = []
    if conducting.kind.holds_members:
        violations += check_cell_conducts(
            kind=kind,
            cell_name=conducting.name,
            own_member=subject_member is not None and cell_id == conducting_org.pk,
            subject_label=subject_label,
            on=starts_on,
        )
    elif conducting.kind.code not in rs.conducting_kinds:
        violations.append(
            Violation(
                rule=InspectionRule.CAP_TIEN_HANH,
                regulation=rs.code,
                message=(
                    f"ủy ban kiểm tra được lập từ cấp đảng ủy cơ sở trở lên; «{conducting.name}» "
                    f"({conducting.kind.name.lower()}) không phải cấp tiến hành kiểm tra, giám sát, "
                    "giải quyết khiếu nại, tố cáo"
                ),
            )
        )
    if not conducting.kind.holds_members and not _is_strictly_below(
        unit_id, conducting_org, starts_on
    ):
        violations.append(
            Violation(
                rule=InspectionRule.CAP_TREN_DOI_TUONG,
                regulation=rs.code,
                message=(
                    f"cấp tiến hành phải là cấp trên của đối tượng; ngày {starts_on:%d/%m/%Y} "
                    f"{subject_label} không trực thuộc «{conducting.name}»"
                ),
            )
        )
    if violations:
        raise RuleViolation(violations)

    case = Case.objects.create(
        kind=kind,
        subject_org=subject_org,
        subject_member=subject_member,
        subject_cell_id=cell_id,
        conducting_org=conducting_org,
        conducting_body=body,
        decision=decision,
        topic=topic,
        starts_on=starts_on,
        ends_on=ends_on,
        violation_on=violation_on,
        limitation_exempt=bool(limitation_exempt),
        regulation=rs.code,
        actor=actor,
    )
    audit(
        actor=actor,
        action="case_open",
        obj=case,
        after={
            "kind": kind,
            "subject_org": subject_org.pk if subject_org else None,
            "subject_member": subject_member.pk if subject_member else None,
            "conducting_org": conducting_org.pk,
            "starts_on": starts_on.isoformat(),
            "violation_on": violation_on.isoformat() if violation_on else None,
        },
    )
    return case


@transaction.atomic
def case_add_step(*, case: Case, on: date, name: str, actor: str, note: str = "") -> CaseStep:
    """Record a step of the case (announcement, report received, working session, …)."""
    name = _required(name, "bước tiến hành", "name")
    case = _locked(case)
    for v in check_case_date(on=on, starts_on=case.starts_on, step=name):
        raise InvalidInput(v.sentence(), code=v.rule, field="on")
    step = CaseStep.objects.create(case=case, on=on, name=name, note=note.strip(), actor=actor)
    audit(
        actor=actor, action="case_add_step", obj=step, after={"case": case.pk, "on": on.isoformat()}
    )
    return step


@transaction.atomic
def case_conclude(
    *,
    case: Case,
    on: date,
    violation_found: bool,
    conclusion: str,
    actor: str,
    decision: Decision | None = None,
    violation_on: date | None = None,
) -> Case:
    """Record the conclusion: whether a violation was found, its text and document, and
    the violation's date when the case did not record it at its opening."""
    if not isinstance(violation_found, bool):
        raise InvalidInput("Cần ghi rõ kết luận có hay không có vi phạm.", field="violation_found")
    text = _required(conclusion, "kết luận", "conclusion")
    case = _locked(case)
    if case.concluded_on is not None:
        raise DomainError(
            f"Vụ việc đã có kết luận ngày {case.concluded_on:%d/%m/%Y}.",
            code=InspectionErrorCode.DA_KET_LUAN,
        )
    for v in check_case_date(on=on, starts_on=case.starts_on, what="kết luận"):
        raise InvalidInput(v.sentence(), code=v.rule, field="on")
    violation_on = violation_on or case.violation_on
    for v in check_violation_date(violation_on=violation_on, on=on, what="kết luận"):
        raise InvalidInput(v.sentence(), code=v.rule, field="violation_on")
    case.concluded_on, case.violation_found = on, violation_found
    case.conclusion, case.conclusion_decision = text, decision
    case.violation_on = violation_on
    case.save(
        update_fields=[
            "concluded_on",
            "violation_found",
            "conclusion",
            "conclusion_decision",
            "violation_on",
        ]
    )
    audit(
        actor=actor,
        action="case_conclude",
        obj=case,
        after={
            "on": on.isoformat(),
            "violation_found": violation_found,
            "violation_on": violation_on.isoformat() if violation_on else None,
        },
    )
    return case


def _check_not_disciplined(case: Case) -> None:
    disciplined = (
        MemberDisciplineLink.objects.filter(case=case).exists()
        or OrgDiscipline.objects.filter(case=case).exists()
    )
    for v in check_not_disciplined(disciplined=disciplined):
        raise DomainError(v.sentence(), code=v.rule)


@transaction.atomic
def case_discipline_member(
    *, case: Case, form: str, on: date, decision: Decision | None, actor: str
) -> MemberEvent:
    """Discipline the member the case concluded against: a ``ky_luat`` ledger event on `on`."""
    case = _locked(case)
    member = case.subject_member
    for v in check_discipline_subject(of_org=False, subject_is_org=member is None):
        raise DomainError(v.sentence(), code=v.rule)
    assert member is not None  # refused above otherwise
    if form not in DisciplineForm.values:
        raise InvalidInput(f"Hình thức kỷ luật đảng viên «{form}» không hợp lệ.", field="form")
    _check_decision(decision)
    rs = inspection_rules_on(on)
    _check_concluded_with_violation(case, on)
    _check_limitation(case, of_org=False, form=form, on=on)
    _check_not_disciplined(case)
    assert case.subject_member is not None  # checked above: a member's case
    event = event_record(
        member=member,
        kind=EventKind.DISCIPLINE,
        effective_on=on,
        form=form,
        decision=decision,
        details={"case": case.pk},
        actor=actor,
    )
    link = MemberDisciplineLink.objects.create(
        case=case, event=event, regulation=rs.code, actor=actor
    )
    audit(
        actor=actor,
        action="case_discipline_member",
        obj=link,
        after={"case": case.pk, "event": event.pk, "form": form, "on": on.isoformat()},
    )
    return event


@transaction.atomic
def case_discipline_org(
    *, case: Case, form: str, on: date, decision: Decision | None, actor: str
) -> OrgDiscipline:
    """Discipline the organization the case concluded against (reprimand, warning, dissolution).

    Dissolution is a form for any party organization, a cell included; it records the
    discipline only, the organization's end in the tree being a reorganization decision of
    its own.
    """
    case = _locked(case)
    subject_org = case.subject_org
    for v in check_discipline_subject(of_org=True, subject_is_org=subject_org is not None):
        raise DomainError(v.sentence(), code=v.rule)
    assert subject_org is not None  # refused above otherwise
    rs = inspection_rules_on(on)
    if form not in rs.org_discipline_forms:
        raise InvalidInput(f"Hình thức kỷ luật tổ chức đảng «{form}» không hợp lệ.", field="form")
    decision = _check_decision(decision)
    _check_concluded_with_violation(case, on)
    org_version_on(subject_org, on, field="on")
    _check_limitation(case, of_org=True, form=form, on=on)
    _check_not_disciplined(case)
    discipline = OrgDiscipline.objects.create(
        case=case,
        org=subject_org,
        form=form,
        decided_on=on,
        decision=decision,
        regulation=rs.code,
        actor=actor,
    )
    audit(
        actor=actor,
        action="case_discipline_org",
        obj=discipline,
        after={"case": case.pk, "org": case.subject_org_id, "form": form, "on": on.isoformat()},
    )
    return discipline
