"""Gradings in the interchange file: yearly grades of members and of organizations.

Stored as recorded; the checks hold them to the grading rules in force on the grading
date (:mod:`dangbo.grading.rules`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dangbo.grading.error_codes import GradingErrorCode
from dangbo.grading.models import NOT_GRADED, Grade, MemberGrade, NotGradedReason, OrgGrade
from dangbo.grading.rules import (
    REASON_FIELDS,
    check_base_org,
    check_exemplary,
    check_graded_kind,
    check_grading_dates,
    check_member_disciplined,
    check_not_graded_reason,
    check_org_not_graded,
    check_timeliness,
    grading_rules_on,
)
from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import Checker, Rec
from dangbo.interchange.schema import BATCH, App, Field, RecordType, pct, string
from dangbo.organizations.interchange import org_kinds, org_ok, version_on

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer


MEMBER_GRADE = RecordType(
    "member_grade",
    "member-grade",
    "kết quả xếp loại đảng viên",
    (
        Field("member", "ref", required=True, target="member"),
        Field("year", "int", required=True),
        Field("base_org", "ref", required=True, target="organization"),
        string(MemberGrade, "grade", required=True, choices=(*Grade.values, NOT_GRADED)),
        string(MemberGrade, "reason", choices=NotGradedReason.values),
        string(MemberGrade, "note"),
        pct("points"),
        pct("tasks_done_pct"),
        pct("tasks_exceeded_pct"),
        pct("tasks_late_pct"),
        Field("disciplined", "bool", default=False),
        Field("self_reported", "bool", default=False),
        Field("graded_on", "date", required=True),
        Field("decision", "ref", target="decision"),
        string(MemberGrade, "rule_set"),
        string(MemberGrade, "actor"),
    ),
)
ORG_GRADE = RecordType(
    "org_grade",
    "org-grade",
    "kết quả xếp loại tổ chức đảng",
    (
        Field("org", "ref", required=True, target="organization"),
        Field("year", "int", required=True),
        string(OrgGrade, "grade", required=True, choices=Grade.values),
        pct("points"),
        pct("tasks_done_pct"),
        pct("tasks_exceeded_pct"),
        pct("tasks_late_pct"),
        Field("exemplary", "bool", default=False),
        Field("graded_on", "date", required=True),
        Field("decision", "ref", target="decision"),
        string(OrgGrade, "rule_set"),
        string(OrgGrade, "actor"),
    ),
)


# -- export

GRADE_VALUES = (
    "grade",
    "points",
    "tasks_done_pct",
    "tasks_exceeded_pct",
    "tasks_late_pct",
    "graded_on",
    "rule_set",
    "actor",
)


def _export(w: Writer) -> None:
    orgs, decisions, members = w.refs["organization"], w.refs["decision"], w.refs["member"]
    refs = w.number(MemberGrade, MEMBER_GRADE)
    rows = MemberGrade.objects.order_by("pk").values_list(
        "pk",
        "member_id",
        "year",
        "base_org_id",
        "reason",
        "note",
        "disciplined",
        "self_reported",
        "decision_id",
        *GRADE_VALUES,
    )
    for (
        pk,
        member_id,
        year,
        base_org,
        reason,
        note,
        disciplined,
        self_reported,
        decision,
        *values,
    ) in rows.iterator(chunk_size=BATCH):
        w.record(
            MEMBER_GRADE,
            refs[pk],
            {
                "member": members[member_id],
                "year": year,
                "base_org": orgs[base_org],
                "reason": reason,
                "note": note,
                "disciplined": disciplined,
                "self_reported": self_reported,
                "decision": decisions.get(decision),
                **dict(zip(GRADE_VALUES, values, strict=True)),
            },
        )
    refs = w.number(OrgGrade, ORG_GRADE)
    org_rows = OrgGrade.objects.order_by("pk").values_list(
        "pk", "org_id", "year", "exemplary", "decision_id", *GRADE_VALUES
    )
    for pk, org_id, year, exemplary, decision, *values in org_rows.iterator(chunk_size=BATCH):
        w.record(
            ORG_GRADE,
            refs[pk],
            {
                "org": orgs[org_id],
                "year": year,
                "exemplary": exemplary,
                "decision": decisions.get(decision),
                **dict(zip(GRADE_VALUES, values, strict=True)),
            },
        )


# -- checks


def _check(ck: Checker) -> None:
    for type_, org_field, who in (
        ("member_grade", "base_org", "member"),
        ("org_grade", "org", "org"),
    ):
        seen: dict[tuple[int, int], int] = {}
        for g in ck.recs[type_]:
            if g.bad:
                continue
            ok = _check_grade(ck, g, org_field)
            key = (g.get(who), g.get("year"))
            if key in seen and type_ == "org_grade":
                for v in check_org_not_graded(
                    org_name=_org_name(ck, g, g.get("graded_on")), year=key[1], graded=True
                ):
                    ck.violation(g.line, "year", v, where=f"dòng {seen[key]}")
                ok = False
            elif key in seen:
                ck.err(g.line, "year", f"đã có kết quả xếp loại năm {key[1]} ở dòng {seen[key]}.")
                ok = False
            seen.setdefault(key, g.line)
            g.bad = not ok


def _check_grade(ck: Checker, g: Rec, org_field: str) -> bool:
    ok = True
    year, on = g.get("year"), g.get("graded_on")
    for v in check_grading_dates(year=year, graded_on=on):
        ck.violation(g.line, "year" if v.rule == GradingErrorCode.NAM_DANH_GIA else "graded_on", v)
        ok = False
    given, rule_set = g.get("rule_set"), grading_rules_on(on).code
    if given and given != rule_set:
        ck.err(
            g.line,
            "rule_set",
            f"ngày đánh giá {on:%d/%m/%Y} áp dụng «{rule_set}», không phải «{given}».",
        )
        ok = False
    g.v["rule_set"] = rule_set
    grade = g.get("grade")
    if g.type == "member_grade":
        for v in check_not_graded_reason(
            grade=grade, reason=g.get("reason") or "", note=g.get("note") or ""
        ):
            ck.violation(g.line, REASON_FIELDS.get(v.rule, "reason"), v)
            ok = False
        if grade == NOT_GRADED:
            for name in ("points", "tasks_done_pct", "tasks_exceeded_pct", "tasks_late_pct"):
                if g.get(name) is not None:
                    ck.err(g.line, name, "đảng viên không xếp loại không có điểm, tỷ lệ nhiệm vụ.")
                    ok = False
        if g.get("disciplined") and grade != NOT_GRADED:
            for v in check_member_disciplined(
                grading_rules_on(on),
                who=f"«{g.ref}»",
                grade=grade,
                year=year,
                self_reported=bool(g.get("self_reported")),
            ):
                ck.violation(g.line, "grade", v)
                ok = False
    else:
        for v in check_exemplary(
            exemplary=g.get("exemplary"), grade=grade, org_name=_org_name(ck, g, on), on=on
        ):
            ck.violation(g.line, "exemplary", v)
            ok = False
    if grade != NOT_GRADED:
        for v in check_timeliness(
            grading_rules_on(on),
            who=f"«{g.ref}»",
            grade=grade,
            done=g.get("tasks_done_pct"),
            late=g.get("tasks_late_pct"),
        ):
            ck.violation(g.line, "tasks_late_pct", v)
            ok = False
    org = g.get(org_field)
    if org_ok(ck, org):
        version = version_on(ck, org, on)
        ref = ck.recs["organization"][org - 1].ref
        if version is None:
            ck.err(
                g.line,
                org_field,
                f"tổ chức «{ref}» không tồn tại vào ngày đánh giá {on:%d/%m/%Y}.",
            )
            ok = False
        else:
            _holds, kind_name, is_base = org_kinds(ck)[version["kind"]]
            found = (
                check_base_org(name=version["name"], kind_name=kind_name, is_base=is_base, on=on)
                if g.type == "member_grade"
                else check_graded_kind(
                    kind_code=version["kind"], kind_name=kind_name, name=version["name"], on=on
                )
            )
            for v in found:
                ck.violation(g.line, org_field, v)
                ok = False
    return ok


def _org_name(ck: Checker, g: Rec, on: date) -> str:
    """The graded organization's name on `on` (its ref when the file has no such version)."""
    org = g.get("org")
    version = version_on(ck, org, on) if org_ok(ck, org) else None
    name: str = version["name"] if version else ck.recs["organization"][org - 1].ref
    return name


# -- writing


def _write(imp: Importer) -> None:
    values = (
        "grade",
        "points",
        "tasks_done_pct",
        "tasks_exceeded_pct",
        "tasks_late_pct",
        "graded_on",
    )
    tail = ("rule_set", "actor")
    Table(
        MemberGrade,
        (
            "id",
            "member_id",
            "year",
            "base_org_id",
            "reason",
            "note",
            "disciplined",
            "self_reported",
            "decision_id",
            *values,
            *tail,
            "recorded_at",
        ),
    ).insert(
        (
            imp.id("member_grade", g.idx),
            imp.id("member", g.get("member")),
            g.get("year"),
            imp.id("organization", g.get("base_org")),
            g.get("reason"),
            g.get("note"),
            g.get("disciplined"),
            bool(g.get("self_reported")),
            imp.id("decision", g.get("decision")),
            *(g.get(n) for n in values),
            *(g.get(n) for n in tail),
            imp.now,
        )
        for g in imp.recs["member_grade"]
    )
    Table(
        OrgGrade,
        ("id", "org_id", "year", "exemplary", "decision_id", *values, *tail, "recorded_at"),
    ).insert(
        (
            imp.id("org_grade", g.idx),
            imp.id("organization", g.get("org")),
            g.get("year"),
            g.get("exemplary"),
            imp.id("decision", g.get("decision")),
            *(g.get(n) for n in values),
            *(g.get(n) for n in tail),
            imp.now,
        )
        for g in imp.recs["org_grade"]
    )


APP = App(
    name="grading",
    types=(MEMBER_GRADE, ORG_GRADE),
    export=_export,
    check=_check,
    write=_write,
    ids=(("member_grade", MemberGrade), ("org_grade", OrgGrade)),
    tables=(MemberGrade, OrgGrade),
    occupied=(
        (MemberGrade, "kết quả xếp loại đảng viên"),
        (OrgGrade, "kết quả xếp loại tổ chức"),
    ),
)
