"""Inspections in the interchange file: cases with their steps, and the disciplines they led to."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from dangbo.inspections.models import (
    Case,
    CaseKind,
    CaseStep,
    MemberDisciplineLink,
    OrgDiscipline,
    OrgDisciplineForm,
)
from dangbo.inspections.rules import (
    check_case_date,
    check_concluded_with_violation,
    check_discipline_subject,
    check_limitation,
    check_not_disciplined,
    check_violation_date,
)
from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import Checker
from dangbo.interchange.schema import App, Field, RecordType, string
from dangbo.membership.models import EventKind

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer


CASE_STEP_FIELDS = (
    Field("on", "date", required=True),
    string(CaseStep, "name", required=True),
    Field("note", "str", default=""),
    string(CaseStep, "actor"),
)
CASE = RecordType(
    "case",
    "case",
    "vụ việc kiểm tra, giám sát",
    (
        string(Case, "kind", required=True, choices=CaseKind.values),
        Field("subject_org", "ref", target="organization"),
        Field("subject_member", "ref", target="member"),
        Field("subject_cell", "ref", target="organization"),
        Field("conducting_org", "ref", required=True, target="organization"),
        string(Case, "conducting_body", required=True),
        Field("decision", "ref", target="decision"),
        string(Case, "topic", required=True),
        Field("starts_on", "date", required=True),
        Field("ends_on", "date"),
        string(Case, "regulation", required=True),
        Field("violation_on", "date"),
        Field("limitation_exempt", "bool", default=False),
        Field("concluded_on", "date"),
        Field("violation_found", "bool"),
        Field("conclusion", "str", default=""),
        Field("conclusion_decision", "ref", target="decision"),
        string(Case, "actor"),
        Field("steps", "list", default=[], items=CASE_STEP_FIELDS),
    ),
)
ORG_DISCIPLINE = RecordType(
    "org_discipline",
    "org-discipline",
    "kỷ luật tổ chức đảng",
    (
        Field("case", "ref", required=True, target="case"),
        Field("org", "ref", required=True, target="organization"),
        string(OrgDiscipline, "form", required=True, choices=OrgDisciplineForm.values),
        Field("decided_on", "date", required=True),
        Field("decision", "ref", required=True, target="decision"),
        string(OrgDiscipline, "regulation", required=True),
        string(OrgDiscipline, "actor"),
    ),
)
MEMBER_DISCIPLINE = RecordType(
    "member_discipline",
    "member-discipline",
    "kỷ luật đảng viên theo vụ việc",
    (
        Field("case", "ref", required=True, target="case"),
        Field("event", "ref", required=True, target="event"),
        string(MemberDisciplineLink, "regulation", required=True),
        string(MemberDisciplineLink, "actor"),
    ),
)


# -- export


def _export(w: Writer) -> None:
    orgs, decisions = w.refs["organization"], w.refs["decision"]
    members, events = w.refs["member"], w.refs["event"]
    steps: dict[int, list[dict]] = defaultdict(list)
    for s in CaseStep.objects.order_by("pk"):
        steps[s.case_id].append({"on": s.on, "name": s.name, "note": s.note, "actor": s.actor})
    cases = w.number(Case, CASE)
    for c in Case.objects.order_by("pk"):
        w.record(
            CASE,
            cases[c.pk],
            {
                "kind": c.kind,
                "subject_org": orgs.get(c.subject_org_id),
                "subject_member": members.get(c.subject_member_id),
                "subject_cell": orgs.get(c.subject_cell_id),
                "conducting_org": orgs[c.conducting_org_id],
                "conducting_body": c.conducting_body,
                "decision": decisions.get(c.decision_id),
                "topic": c.topic,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "regulation": c.regulation,
                "violation_on": c.violation_on,
                "limitation_exempt": c.limitation_exempt,
                "concluded_on": c.concluded_on,
                "violation_found": c.violation_found,
                "conclusion": c.conclusion,
                "conclusion_decision": decisions.get(c.conclusion_decision_id),
                "actor": c.actor,
                "steps": steps.get(c.pk, []),
            },
        )
    refs = w.number(OrgDiscipline, ORG_DISCIPLINE)
    for d in OrgDiscipline.objects.order_by("pk"):
        w.record(
            ORG_DISCIPLINE,
            refs[d.pk],
            {
                "case": cases[d.case_id],
                "org": orgs[d.org_id],
                "form": d.form,
                "decided_on": d.decided_on,
                "decision": decisions[d.decision_id],
                "regulation": d.regulation,
                "actor": d.actor,
            },
        )
    refs = w.number(MemberDisciplineLink, MEMBER_DISCIPLINE)
    for link in MemberDisciplineLink.objects.order_by("pk"):
        w.record(
            MEMBER_DISCIPLINE,
            refs[link.pk],
            {
                "case": cases[link.case_id],
                "event": events[link.event_id],
                "regulation": link.regulation,
                "actor": link.actor,
            },
        )


# -- checks


def _check(ck: Checker) -> None:
    linked: dict[int, int] = {}  # event → line of its member discipline
    for c in ck.recs["case"]:
        if c.bad:
            continue
        before = ck.errors
        org, member, cell = c.get("subject_org"), c.get("subject_member"), c.get("subject_cell")
        if (org is None) == (member is None):
            ck.err(
                c.line,
                "subject_org",
                "cần đúng một đối tượng: subject_org hoặc subject_member.",
            )
        elif (member is None) != (cell is None):
            ck.err(
                c.line,
                "subject_cell",
                "ghi chi bộ (subject_cell) khi và chỉ khi đối tượng là đảng viên.",
            )
        starts_on = c.get("starts_on")
        if c.get("ends_on") is not None:
            for v in check_case_date(on=c.get("ends_on"), starts_on=starts_on, what="kết thúc"):
                ck.violation(c.line, "ends_on", v)
        concluded = c.get("concluded_on")
        if (concluded is None) != (c.get("violation_found") is None):
            ck.err(
                c.line,
                "violation_found",
                "ngày kết luận và kết luận có vi phạm hay không đi "
                "cùng nhau: ghi cả hai hoặc không ghi.",
            )
        elif concluded is not None:
            for v in check_case_date(on=concluded, starts_on=starts_on, what="kết luận"):
                ck.violation(c.line, "concluded_on", v)
            for v in check_violation_date(
                violation_on=c.get("violation_on"), on=concluded, what="kết luận"
            ):
                ck.violation(c.line, "violation_on", v)
        for i, s in enumerate(c.get("steps"), start=1):
            for v in check_case_date(on=s["on"], starts_on=starts_on, step=s["name"]):
                ck.violation(c.line, f"steps[{i}].on", v)
        c.bad = ck.errors > before
    cases, events = ck.recs["case"], ck.recs["event"]
    for type_, subject in (
        ("org_discipline", "subject_org"),
        ("member_discipline", "subject_member"),
    ):
        taken: dict[int, int] = {}
        for d in ck.recs[type_]:
            if d.bad:
                continue
            before = ck.errors
            c = cases[d.get("case") - 1]
            for v in check_not_disciplined(disciplined=d.get("case") in taken):
                ck.violation(d.line, "case", v, where=f"«{c.ref}», dòng {taken[d.get('case')]}")
            taken.setdefault(d.get("case"), d.line)
            if c.bad:
                continue
            dated = (
                d.get("decided_on")
                if type_ == "org_discipline"
                else events[d.get("event") - 1].get("effective_on")
            )
            found = bool(c.get("violation_found"))
            concluded = check_concluded_with_violation(
                concluded_on=c.get("concluded_on"),
                violation_found=c.get("violation_found"),
                on=dated or c.get("starts_on"),
            )
            wrong_subject = check_discipline_subject(
                of_org=type_ == "org_discipline",
                subject_is_org=c.get("subject_org") is not None,
            )
            for v in wrong_subject:
                ck.violation(d.line, "case", v, where=f"«{c.ref}»")
            if not wrong_subject and not found:
                for v in concluded:
                    ck.violation(d.line, "case", v)
            if type_ == "org_discipline":
                if c.get(subject) is not None and d.get("org") != c.get(subject):
                    ck.err(d.line, "org", f"phải là tổ chức là đối tượng của vụ việc «{c.ref}».")
            else:
                e = events[d.get("event") - 1]
                if e.bad:
                    continue
                if e.get("kind") != EventKind.DISCIPLINE:
                    ck.err(d.line, "event", f"«{e.ref}» không phải sự kiện kỷ luật (ky_luat).")
                elif c.get(subject) is not None and e.get("member") != c.get(subject):
                    ck.err(
                        d.line,
                        "event",
                        f"«{e.ref}» là của đảng viên khác với đối tượng của vụ việc «{c.ref}».",
                    )
                elif d.get("event") in linked:
                    ck.err(
                        d.line,
                        "event",
                        f"«{e.ref}» đã gắn với vụ việc ở dòng {linked[d.get('event')]}.",
                    )
                linked.setdefault(d.get("event"), d.line)
            if found:
                for v in concluded:
                    ck.violation(d.line, "decided_on" if type_ == "org_discipline" else "event", v)
            if found and dated is not None:
                form = (
                    d.get("form")
                    if type_ == "org_discipline"
                    else events[d.get("event") - 1].get("form")
                )
                for v in check_limitation(
                    of_org=type_ == "org_discipline",
                    form=form or "",
                    violation_on=c.get("violation_on"),
                    on=dated,
                    exempt=bool(c.get("limitation_exempt")),
                ):
                    ck.violation(d.line, "decided_on" if type_ == "org_discipline" else "event", v)
            d.bad = ck.errors > before


# -- writing


def _write(imp: Importer) -> None:
    org = lambda idx: imp.id("organization", idx)  # noqa: E731
    dec = lambda idx: imp.id("decision", idx)  # noqa: E731
    now = imp.now
    cases = imp.recs["case"]
    Table(
        Case,
        (
            "id",
            "kind",
            "subject_org_id",
            "subject_member_id",
            "subject_cell_id",
            "conducting_org_id",
            "conducting_body",
            "decision_id",
            "topic",
            "starts_on",
            "ends_on",
            "regulation",
            "violation_on",
            "limitation_exempt",
            "concluded_on",
            "violation_found",
            "conclusion",
            "conclusion_decision_id",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            imp.id("case", c.idx),
            c.get("kind"),
            org(c.get("subject_org")),
            imp.id("member", c.get("subject_member")),
            org(c.get("subject_cell")),
            org(c.get("conducting_org")),
            c.get("conducting_body"),
            dec(c.get("decision")),
            c.get("topic"),
            c.get("starts_on"),
            c.get("ends_on"),
            c.get("regulation"),
            c.get("violation_on"),
            bool(c.get("limitation_exempt")),
            c.get("concluded_on"),
            c.get("violation_found"),
            c.get("conclusion"),
            dec(c.get("conclusion_decision")),
            c.get("actor"),
            now,
        )
        for c in cases
    )
    Table(CaseStep, ("case_id", "on", "name", "note", "actor", "recorded_at")).insert(
        (imp.id("case", c.idx), s["on"], s["name"], s["note"], s["actor"], now)
        for c in cases
        for s in c.get("steps")
    )
    Table(
        OrgDiscipline,
        (
            "case_id",
            "org_id",
            "form",
            "decided_on",
            "decision_id",
            "regulation",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            imp.id("case", d.get("case")),
            org(d.get("org")),
            d.get("form"),
            d.get("decided_on"),
            dec(d.get("decision")),
            d.get("regulation"),
            d.get("actor"),
            now,
        )
        for d in imp.recs["org_discipline"]
    )
    Table(
        MemberDisciplineLink, ("case_id", "event_id", "regulation", "actor", "recorded_at")
    ).insert(
        (
            imp.id("case", d.get("case")),
            imp.id("event", d.get("event")),
            d.get("regulation"),
            d.get("actor"),
            now,
        )
        for d in imp.recs["member_discipline"]
    )


APP = App(
    name="inspections",
    types=(CASE, ORG_DISCIPLINE, MEMBER_DISCIPLINE),
    export=_export,
    check=_check,
    write=_write,
    ids=(("case", Case),),
    tables=(Case, CaseStep, OrgDiscipline, MemberDisciplineLink),
    occupied=((Case, "vụ việc kiểm tra, giám sát"),),
)
