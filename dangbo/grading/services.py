"""Recording the annual grading of organizations and of the members of base organizations.

Writes are keyword-only, atomic and audited. A grading the rules refuse raises
:class:`RuleViolation` listing every broken rule, each citing the grading rule set in
force on the grading date; input that cannot be read raises :class:`InvalidInput`. In
both cases nothing is written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from dangbo.core.errors import DomainError, InvalidInput, RuleViolation, Violation
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.grading.error_codes import GradingErrorCode, GradingRule
from dangbo.grading.inputs import Entry, check_dates, check_points, decimal_input, parse_entries
from dangbo.grading.models import NOT_GRADED, Grade, MemberGrade, NotGradedReason, OrgGrade
from dangbo.grading.rules import (
    AGE_AT_YEAR_END,
    check_base_org,
    check_excellent_cap,
    check_exemplary,
    check_graded_kind,
    check_member_disciplined,
    check_org_collective,
    check_org_not_graded,
    check_timeliness,
    grade_label,
    grading_rules_on,
    member_grading_from,
    org_age_months,
)
from dangbo.grading.selectors import base_org_members, collective_facts, disciplined_in
from dangbo.membership.models import Member
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.selectors import org_version_on
from dangbo.vn_format import sorted_names


# --- reads the checks need ---------------------------------------------------------------
def _require_base(org: Organization, on: date) -> OrgVersion:
    version = org_version_on(org, on)
    for v in check_base_org(
        name=version.name, kind_name=version.kind.name, is_base=version.kind.is_base, on=on
    ):
        raise InvalidInput(v.sentence(), code=v.rule, field="org")
    return version


# --- members -------------------------------------------------------------------------------
@transaction.atomic
def grading_record_members(
    *,
    base_org: Organization,
    year: int,
    graded_on: date,
    grades: list[dict],
    decision: Decision | None,
    actor: str,
) -> list[MemberGrade]:
    """Record the grading of every member of `base_org` for `year`, held on `graded_on`.

    `grades` has one dict per member: ``member`` (a Member or its id), ``grade`` (a
    :class:`Grade` value, or ``khong_xep_loai`` with a ``reason`` from
    :class:`NotGradedReason` and, for ``khac``, a ``note``), and on a points scale
    ``points``, ``tasks_done_pct``, ``tasks_exceeded_pct``. Members of the base
    organization left out of `grades` who are not graded by rule (exempt that day,
    admitted too recently) are recorded as not graded with that reason; any other
    member left out is refused. Returns the rows written (one per member).
    """
    check_dates(year, graded_on)
    base_version = _require_base(base_org, graded_on)
    rs = grading_rules_on(graded_on)
    entries = parse_entries(grades)
    roll = base_org_members(base_org, on=graded_on)
    # a member who moved in after being graded for the year in their former base organization
    # keeps that grade: not required here, and not graded twice
    graded_elsewhere = dict(
        MemberGrade.objects.filter(member_id__in=set(roll), year=year)
        .exclude(base_org=base_org)
        .values_list("member_id", "base_org_id")
    )
    for mid in graded_elsewhere:
        roll.pop(mid)
    submitted = {e.member_id for e in entries}
    twice = submitted & set(graded_elsewhere)
    if twice:
        names = Member.objects.filter(pk__in=twice).values_list("person__full_name", flat=True)
        raise DomainError(
            f"Đã được xếp loại năm {year} tại tổ chức cơ sở đảng nơi sinh hoạt trước: "
            f"{', '.join(sorted_names(names))}; mỗi đảng viên chỉ xếp loại một lần trong năm.",
            code=GradingErrorCode.DA_XEP_LOAI,
        )
    info = {
        row["id"]: row
        for row in Member.objects.filter(pk__in=submitted | set(roll)).values(
            "id", "admitted_on", "last_admitted_on", "person__full_name"
        )
    }
    unknown = submitted - set(info)
    if unknown:
        raise InvalidInput(
            f"Không tìm thấy đảng viên #{', #'.join(map(str, sorted(unknown)))}.", field="member"
        )

    def name(mid: int) -> str:
        return info[mid]["person__full_name"]

    outside = [mid for mid in submitted if mid not in roll]
    if outside:
        raise InvalidInput(
            f"Không sinh hoạt tại «{base_version.name}» vào ngày đánh giá {graded_on:%d/%m/%Y}: "
            f"{', '.join(sorted_names(name(m) for m in outside))}.",
            field="member",
        )

    def too_new(mid: int) -> date | None:
        """The admission date when the member is too new to be graded on `graded_on`."""
        admitted = info[mid]["last_admitted_on"]
        if admitted is None or admitted > graded_on:
            admitted = info[mid]["admitted_on"]
        if admitted is not None and member_grading_from(rs, admitted) > graded_on:
            return admitted
        return None

    missing = []
    for mid in sorted(set(roll) - submitted):
        if roll[mid]:
            entries.append(Entry(mid, NOT_GRADED, reason=NotGradedReason.EXEMPT, auto=True))
        elif too_new(mid):
            entries.append(Entry(mid, NOT_GRADED, reason=NotGradedReason.NEW_MEMBER, auto=True))
        else:
            missing.append(mid)
    if missing:
        raise InvalidInput(
            f"Chưa có kết quả xếp loại năm {year} của đảng viên thuộc «{base_version.name}»: "
            f"{', '.join(sorted_names(name(m) for m in missing))}. Mỗi lần ghi phải đủ toàn bộ đảng viên "
            "của tổ chức cơ sở đảng (đảng viên không xếp loại ghi «khong_xep_loai» kèm lý do).",
            field="grades",
        )
    already = list(
        MemberGrade.objects.filter(member_id__in=set(roll), year=year).values_list(
            "member__person__full_name", flat=True
        )
    )
    if already:
        raise DomainError(
            f"Đã có kết quả xếp loại năm {year} của: {', '.join(sorted_names(already))}. Hãy hủy kết quả "
            "đã ghi trước khi ghi lại.",
            code=GradingErrorCode.DA_XEP_LOAI,
        )

    disciplined = disciplined_in(set(roll), year)
    violations: list[Violation] = []

    def v(rule: GradingRule, message: str) -> None:
        violations.append(Violation(rule=rule, regulation=rs.code, message=message))

    on = f"{graded_on:%d/%m/%Y}"
    for e in entries:
        who = name(e.member_id)
        admitted = too_new(e.member_id)
        if e.grade == NOT_GRADED:
            if e.reason == NotGradedReason.EXEMPT and not roll[e.member_id]:
                v(
                    GradingRule.LY_DO_KHONG_XEP_LOAI,
                    f"{who} không thuộc diện miễn công tác và sinh hoạt đảng vào ngày {on}",
                )
            if e.reason == NotGradedReason.NEW_MEMBER and admitted is None:
                v(
                    GradingRule.LY_DO_KHONG_XEP_LOAI,
                    f"{who} đã đủ {rs.member_min_months} tháng kể từ ngày kết nạp đến ngày đánh giá "
                    f"{on}, phải được xếp loại",
                )
            continue
        label = grade_label(e.grade)
        if roll[e.member_id]:
            v(
                GradingRule.KHONG_XEP_LOAI_MIEN,
                f"{who} được miễn công tác và sinh hoạt đảng vào ngày {on}, không đánh giá, xếp loại "
                f"(không thể xếp «{label}»)",
            )
            continue
        if admitted is not None:
            v(
                GradingRule.KHONG_XEP_LOAI_MOI_KET_NAP,
                f"{who} được kết nạp ngày {admitted:%d/%m/%Y}, chưa đủ {rs.member_min_months} tháng "
                f"đến ngày đánh giá {on}, không đánh giá, xếp loại (không thể xếp «{label}»)",
            )
            continue
        if e.member_id in disciplined:
            violations.extend(
                check_member_disciplined(
                    rs, who=who, grade=e.grade, year=year, self_reported=e.self_reported
                )
            )
            if not (e.self_reported and rs.disciplined_self_reported_exception):
                # the discipline rule fixes the grade whatever the points
                if rs.uses_points and e.points is None:
                    v(
                        GradingRule.DIEM_BAT_BUOC,
                        f"{who}: phải ghi điểm đánh giá (thang {rs.points_max} điểm) để xếp loại",
                    )
                continue
        check_points(rs, who, e.grade, e.points, e.tasks_done_pct, e.tasks_exceeded_pct, False, v)
        violations.extend(
            check_timeliness(
                rs, who=who, grade=e.grade, done=e.tasks_done_pct, late=e.tasks_late_pct
            )
        )
    excellent = sum(1 for e in entries if e.grade == Grade.EXCELLENT)
    good = sum(1 for e in entries if e.grade == Grade.GOOD)
    violations += check_excellent_cap(
        rs, org_name=base_version.name, excellent=excellent, good=good
    )
    if violations:
        raise RuleViolation(violations)

    rows = MemberGrade.objects.bulk_create(
        [
            MemberGrade(
                member_id=e.member_id,
                year=year,
                base_org=base_org,
                grade=e.grade,
                reason=e.reason,
                note=e.note,
                points=e.points,
                tasks_done_pct=e.tasks_done_pct,
                tasks_exceeded_pct=e.tasks_exceeded_pct,
                tasks_late_pct=e.tasks_late_pct,
                disciplined=e.member_id in disciplined,
                self_reported=e.self_reported and e.member_id in disciplined,
                graded_on=graded_on,
                decision=decision,
                rule_set=rs.code,
                actor=actor,
            )
            for e in sorted(entries, key=lambda e: e.member_id)
        ]
    )
    audit(
        actor=actor,
        action="grading_record_members",
        obj=base_org,
        after={
            "year": year,
            "graded_on": graded_on.isoformat(),
            "rule_set": rs.code,
            "decision": decision.pk if decision else None,
            "grades": {str(e.member_id): e.grade for e in entries},
            "filled_in_not_graded": sorted(e.member_id for e in entries if e.auto),
        },
    )
    return rows


@transaction.atomic
def grading_withdraw_members(*, base_org: Organization, year: int, reason: str, actor: str) -> int:
    """Remove a base organization's recorded member grading of `year` (to record it again);
    the audit trail keeps what was removed. Returns the number of rows removed."""
    if not reason.strip():
        raise InvalidInput("Trường «lý do hủy kết quả» không được để trống.", field="reason")
    rows = MemberGrade.objects.filter(base_org=base_org, year=year)
    before = {str(m): g for m, g in rows.values_list("member_id", "grade")}
    if not before:
        raise DomainError(
            f"Chưa có kết quả xếp loại đảng viên năm {year} của «{base_org}».",
            code=GradingErrorCode.KHONG_TIM_THAY,
        )
    n, _ = rows.delete()
    audit(
        actor=actor,
        action="grading_withdraw_members",
        obj=base_org,
        before={"year": year, "grades": before},
        after={"reason": reason.strip()},
    )
    return n


# --- organizations -------------------------------------------------------------------------
@transaction.atomic
def grading_record_org(
    *,
    org: Organization,
    year: int,
    graded_on: date,
    grade: str,
    points=None,
    decision: Decision | None,
    actor: str,
    exemplary: bool = False,
    tasks_done_pct=None,
    tasks_exceeded_pct=None,
    tasks_late_pct=None,
) -> OrgGrade:
    """Record the grading of organization `org` for `year`, held on `graded_on`: a base
    organization, or another level the rule set in force grades (a cell or branch committee
    under a base committee, a district or provincial committee).

    `exemplary` marks an excellent organization recognised "trong sạch, vững mạnh tiêu
    biểu". On a points scale `points` is required and must match the grade; an excellent
    grade also needs `tasks_done_pct` and `tasks_exceeded_pct`; where the rule set bounds
    the grade by timeliness, `tasks_late_pct` too. The collective rules read what is
    recorded on the day: the organization's and its units' disciplines, its members' and
    its direct units' grades of the year (record those first).
    """
    check_dates(year, graded_on)
    version = org_version_on(org, graded_on)
    for refused_kind in check_graded_kind(
        kind_code=version.kind.code, kind_name=version.kind.name, name=version.name, on=graded_on
    ):
        raise RuleViolation([refused_kind])
    rs = grading_rules_on(graded_on)
    if grade not in Grade.values:
        raise InvalidInput(
            f"Mức xếp loại «{grade}» không hợp lệ (dùng {', '.join(Grade.values)}).", field="grade"
        )
    pts = decimal_input(points, field="points", label="điểm", upper=Decimal(100))
    done = decimal_input(
        tasks_done_pct,
        field="tasks_done_pct",
        label="tỷ lệ nhiệm vụ hoàn thành",
        upper=Decimal(100),
    )
    exceeded = decimal_input(
        tasks_exceeded_pct,
        field="tasks_exceeded_pct",
        label="tỷ lệ nhiệm vụ vượt",
        upper=Decimal(100),
    )
    late = decimal_input(
        tasks_late_pct,
        field="tasks_late_pct",
        label="tỷ lệ nhiệm vụ chậm tiến độ",
        upper=Decimal(100),
    )
    for refused in check_org_not_graded(
        org_name=version.name,
        year=year,
        graded=OrgGrade.objects.filter(org=org, year=year).exists(),
    ):
        raise DomainError(refused.sentence(), code=refused.rule)
    violations: list[Violation] = []

    def v(rule: GradingRule, message: str) -> None:
        violations.append(Violation(rule=rule, regulation=rs.code, message=message))

    age = org_age_months(rs, org.founded_on, year=year, graded_on=graded_on)
    if age < rs.org_min_months:
        at = (
            f"ngày 31/12/{year}"
            if rs.org_age_at == AGE_AT_YEAR_END
            else f"ngày đánh giá {graded_on:%d/%m/%Y}"
        )
        v(
            GradingRule.TO_CHUC_MOI_THANH_LAP,
            f"«{version.name}» thành lập ngày {org.founded_on:%d/%m/%Y}, chưa đủ {rs.org_min_months} "
            f"tháng đến {at}, không đánh giá, xếp loại",
        )
    violations += check_exemplary(
        exemplary=exemplary, grade=grade, org_name=version.name, on=graded_on
    )
    check_points(rs, f"«{version.name}»", grade, pts, done, exceeded, False, v)
    violations += check_timeliness(rs, who=f"«{version.name}»", grade=grade, done=done, late=late)
    facts = collective_facts(org, year, on=graded_on)
    violations += check_org_collective(
        rs,
        name=version.name,
        grade=grade,
        year=year,
        disciplined=facts.disciplined,
        members_not_completed=facts.members_not_completed,
        units_not_completed=facts.units_not_completed,
        units_disciplined=facts.units_disciplined,
        committee_disciplined=facts.committee_disciplined,
    )
    if violations:
        raise RuleViolation(violations)
    row = OrgGrade.objects.create(
        org=org,
        year=year,
        grade=grade,
        points=pts,
        tasks_done_pct=done,
        tasks_exceeded_pct=exceeded,
        tasks_late_pct=late,
        exemplary=exemplary,
        graded_on=graded_on,
        decision=decision,
        rule_set=rs.code,
        actor=actor,
    )
    audit(
        actor=actor,
        action="grading_record_org",
        obj=row,
        after={
            "org": org.pk,
            "year": year,
            "grade": grade,
            "points": str(pts) if pts is not None else None,
            "exemplary": exemplary,
            "graded_on": graded_on.isoformat(),
            "rule_set": rs.code,
            "decision": decision.pk if decision else None,
        },
    )
    return row


@transaction.atomic
def grading_withdraw_org(*, org: Organization, year: int, reason: str, actor: str) -> None:
    """Remove an organization's recorded grading of `year`; the audit trail keeps it."""
    if not reason.strip():
        raise InvalidInput("Trường «lý do hủy kết quả» không được để trống.", field="reason")
    row = OrgGrade.objects.filter(org=org, year=year).first()
    if row is None:
        raise DomainError(
            f"Chưa có kết quả xếp loại năm {year} của «{org}».",
            code=GradingErrorCode.KHONG_TIM_THAY,
        )
    before = {
        "org": org.pk,
        "year": year,
        "grade": row.grade,
        "exemplary": row.exemplary,
        "rule_set": row.rule_set,
    }
    audit(
        actor=actor,
        action="grading_withdraw_org",
        obj=row,
        before=before,
        after={"reason": reason.strip()},
    )
    row.delete()
