"""Membership in the interchange file: people, members, their events, candidates, classes.

The checks (each member's ledger folded with the services' own rules) are in
:mod:`dangbo.membership.interchange_check`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.schema import BATCH, App, Field, RecordType, dotted, max_length, string
from dangbo.membership.aggregates import aggregates_rebuild
from dangbo.membership.attribute_interchange import (
    ATTRIBUTE_CHANGE,
    check_attribute_changes,
    export_attribute_changes,
    write_attribute_changes,
)
from dangbo.membership.interchange_check import check, check_ledger
from dangbo.membership.ledger import EventData
from dangbo.membership.models import (
    Candidate,
    CandidateStage,
    CandidateStep,
    ClassAttendance,
    ClassKind,
    EventKind,
    Gender,
    Member,
    MemberEvent,
    MembershipSpell,
    Person,
    PersonAttributeChange,
    Theory,
    TrainingClass,
)
from dangbo.membership.projection import PROJECTION_FIELDS, write_projection
from dangbo.membership.search import search_columns

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from dangbo.interchange.export import Writer
    from dangbo.interchange.reader import Checker


PERSON = RecordType(
    "person",
    "person",
    "nhân thân",
    (
        string(Person, "full_name", required=True),
        string(Person, "gender", required=True, choices=Gender.values),
        Field("birth_date", "date", required=True),
        string(Person, "ethnicity", default="Kinh"),
        string(Person, "religion", default="Không"),
        string(Person, "home_town"),
        Field(
            "citizen_id",
            "str",
            default=None,
            max_length=max_length(Person, "citizen_id"),
            private="personal",
        ),
        string(Person, "education"),
        string(Person, "qualification"),
        string(Person, "theory", default=Theory.NONE.value, choices=Theory.values),
        string(Person, "occupation"),
        string(Person, "phone", private="personal"),
        string(Person, "address", private="personal"),
    ),
)
MEMBER = RecordType(
    "member", "member", "đảng viên", (Field("person", "ref", required=True, target="person"),)
)
EVENT = RecordType(
    "event",
    "event",
    "sự kiện",
    (
        Field("member", "ref", required=True, target="member"),
        string(MemberEvent, "kind", required=True, choices=EventKind.values),
        Field("effective_on", "date", required=True),
        Field("from_org", "ref", target="organization"),
        Field("to_org", "ref", target="organization"),
        string(MemberEvent, "form"),
        string(MemberEvent, "card_number"),
        Field("badge_years", "int"),
        Field("posthumous", "bool", default=False),
        Field("early", "bool", default=False),
        Field("until", "date"),
        Field("details", "object", default={}),
        Field("decision", "ref", target="decision"),
        Field("exception_decision", "ref", target="decision"),
        Field("waived_rules", "strlist", default=[]),
        Field("reverses", "ref", target="event"),
        Field("reorganization", "ref", target="reorganization"),
        string(MemberEvent, "actor"),
    ),
)
STEP_FIELDS = (
    string(CandidateStep, "stage", required=True, choices=CandidateStage.values),
    Field("effective_on", "date", required=True),
    Field("org", "ref", required=True, target="organization"),
    Field("sponsor", "ref", target="member"),
    Field("decision", "ref", target="decision"),
    string(CandidateStep, "note"),
    string(CandidateStep, "actor"),
)
CANDIDATE = RecordType(
    "candidate",
    "candidate",
    "quần chúng ưu tú",
    (
        Field("person", "ref", required=True, target="person"),
        Field("cell", "ref", required=True, target="organization"),
        string(Candidate, "stage", required=True, choices=CandidateStage.values),
        Field("sponsor", "ref", target="member"),
        Field("member", "ref", target="member"),
        Field("steps", "list", default=[], items=STEP_FIELDS),
    ),
)
ATTENDEE_FIELDS = (
    Field("person", "ref", required=True, target="person"),
    string(ClassAttendance, "certificate_number"),
    Field("certified_on", "date"),
)
TRAINING_CLASS = RecordType(
    "training_class",
    "class",
    "lớp bồi dưỡng",
    (
        string(TrainingClass, "kind", required=True, choices=ClassKind.values),
        string(TrainingClass, "name", required=True),
        Field("organizer", "ref", required=True, target="organization"),
        Field("starts_on", "date", required=True),
        Field("ends_on", "date", required=True),
        Field("attendees", "list", default=[], items=ATTENDEE_FIELDS),
    ),
)


# -- export


def _export(w: Writer) -> None:
    orgs, decisions = w.refs["organization"], w.refs["decision"]
    persons = w.number(Person, PERSON)
    names = [f.name for f in PERSON.fields]
    for row in Person.objects.order_by("pk").values_list("pk", *names).iterator(chunk_size=BATCH):
        w.record(PERSON, persons[row[0]], dict(zip(names, row[1:], strict=True)))
    export_attribute_changes(w)
    members = w.number(Member, MEMBER)
    for pk, person_id in (
        Member.objects.order_by("pk").values_list("pk", "person_id").iterator(chunk_size=BATCH)
    ):
        w.record(MEMBER, members[pk], {"person": persons[person_id]})
    _export_events(w)
    candidates = w.number(Candidate, CANDIDATE)
    steps: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in CandidateStep.objects.order_by("pk").iterator(chunk_size=BATCH):
        steps[s.candidate_id].append(
            {
                "stage": s.stage,
                "effective_on": s.effective_on,
                "org": orgs[s.org_id],
                "sponsor": members.get(s.sponsor_id),
                "decision": decisions.get(s.decision_id),
                "note": s.note,
                "actor": s.actor,
            }
        )
    for c in Candidate.objects.order_by("pk").iterator(chunk_size=BATCH):
        w.record(
            CANDIDATE,
            candidates[c.pk],
            {
                "person": persons[c.person_id],
                "cell": orgs[c.cell_id],
                "stage": c.stage,
                "sponsor": members.get(c.sponsor_id),
                "member": members.get(c.member_id),
                "steps": steps.get(c.pk, []),
            },
        )
    classes = w.number(TrainingClass, TRAINING_CLASS)
    attendees: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in ClassAttendance.objects.order_by("pk").iterator(chunk_size=BATCH):
        attendees[a.training_class_id].append(
            {
                "person": persons[a.person_id],
                "certificate_number": a.certificate_number,
                "certified_on": a.certified_on,
            }
        )
    for t in TrainingClass.objects.order_by("pk"):
        w.record(
            TRAINING_CLASS,
            classes[t.pk],
            {
                "kind": t.kind,
                "name": t.name,
                "organizer": orgs[t.organizer_id],
                "starts_on": t.starts_on,
                "ends_on": t.ends_on,
                "attendees": attendees.get(t.pk, []),
            },
        )


EVENT_COLUMNS = (
    "pk",
    "member_id",
    "kind",
    "effective_on",
    "from_org_id",
    "to_org_id",
    "form",
    "card_number",
    "badge_years",
    "posthumous",
    "early",
    "until",
    "details",
    "decision_id",
    "exception_decision_id",
    "waived_rules",
    "reverses_id",
    "reorganization_id",
    "actor",
)


def _export_events(w: Writer) -> None:
    orgs, decisions = w.refs["organization"], w.refs["decision"]
    reorgs, members = w.refs["reorganization"], w.refs["member"]
    events = w.number(MemberEvent, EVENT)
    rows = MemberEvent.objects.order_by("pk").values_list(*EVENT_COLUMNS)
    for (
        pk,
        member_id,
        kind,
        effective_on,
        from_org,
        to_org,
        form,
        card_number,
        badge_years,
        posthumous,
        early,
        until,
        details,
        decision,
        exception_decision,
        waived,
        reverses,
        reorganization,
        actor,
    ) in rows.iterator(chunk_size=BATCH):
        w.record(
            EVENT,
            events[pk],
            {
                "member": members[member_id],
                "kind": kind,
                "effective_on": effective_on,
                "from_org": orgs.get(from_org),
                "to_org": orgs.get(to_org),
                "form": form,
                "card_number": card_number,
                "badge_years": badge_years,
                "posthumous": posthumous,
                "early": early,
                "until": until,
                "details": details or {},
                "decision": decisions.get(decision),
                "exception_decision": decisions.get(exception_decision),
                "waived_rules": list(waived or []),
                "reverses": events.get(reverses),
                "reorganization": reorgs.get(reorganization),
                "actor": actor,
            },
        )


# -- writing


def _write(imp: Importer) -> None:
    imp.say("Đang ghi nhân thân và đảng viên…")
    names = tuple(f.name for f in PERSON.fields)
    Table(Person, ("id", *names, "search_text", "sort_key")).insert(
        (imp.id("person", p.idx), *(p.get(n) for n in names), *search_columns(p.get("full_name")))
        for p in imp.recs["person"]
    )
    write_attribute_changes(imp)
    _members(imp)
    imp.say("Đang ghi sổ đảng viên…")
    _events(imp)
    _candidates(imp)
    _classes(imp)
    imp.say("Đang tính số liệu tổng hợp…")
    aggregates_rebuild()


def _members(imp: Importer) -> None:
    """Members with their projection (state and spells) from the fold of the check."""
    org: Callable[[int | None], int | None] = lambda idx: imp.id("organization", idx)  # noqa: E731
    attnames = tuple(f + "_id" if f in ("cell", "host_cell") else f for f in PROJECTION_FIELDS)

    def members() -> Iterator[tuple[Any, ...]]:
        for m in imp.recs["member"]:
            state, _ = imp.state["ledger"][m.idx]
            member = Member()
            write_projection(member, state, [])
            row = {a: getattr(member, a) for a in attnames}
            row["cell_id"], row["host_cell_id"] = org(row["cell_id"]), org(row["host_cell_id"])
            yield (
                imp.id("member", m.idx),
                imp.id("person", m.get("person")),
                *(row[a] for a in attnames),
            )

    Table(Member, ("id", "person_id", *attnames)).insert(members())
    Table(
        MembershipSpell,
        (
            "member_id",
            "person_id",
            "cell_id",
            "status",
            "exempt",
            "party_anchor",
            "valid_from",
            "valid_to",
        ),
    ).insert(
        (
            imp.id("member", m.idx),
            imp.id("person", m.get("person")),
            org(s.cell),
            s.status,
            s.exempt,
            s.party_anchor,
            s.valid_from,
            s.valid_to,
        )
        for m in imp.recs["member"]
        for s in imp.state["ledger"][m.idx][1]
    )


def _events(imp: Importer) -> None:
    org: Callable[[int | None], int | None] = lambda idx: imp.id("organization", idx)  # noqa: E731
    dec: Callable[[int | None], int | None] = lambda idx: imp.id("decision", idx)  # noqa: E731

    def rows() -> Iterator[tuple[Any, ...]]:
        for n, e in enumerate(imp.recs["event"], start=1):
            if imp.progress and n % imp.every == 0:
                imp.progress(f"Đã ghi {dotted(n)} sự kiện")
            kind, on = e.get("kind"), e.get("effective_on")
            yield (
                imp.id("event", e.idx),
                imp.id("member", e.get("member")),
                kind,
                on,
                EventData(kind=kind, effective_on=on).from_on,
                org(e.get("from_org")),
                org(e.get("to_org")),
                e.get("form"),
                e.get("card_number"),
                e.get("badge_years"),
                e.get("posthumous"),
                e.get("early"),
                e.get("until"),
                e.get("details"),
                dec(e.get("decision")),
                dec(e.get("exception_decision")),
                list(e.get("waived_rules")),
                imp.id("event", e.get("reverses")),
                imp.id("reorganization", e.get("reorganization")),
                e.get("actor"),
                imp.now,
            )

    Table(
        MemberEvent,
        (
            "id",
            "member_id",
            "kind",
            "effective_on",
            "from_on",
            "from_org_id",
            "to_org_id",
            "form",
            "card_number",
            "badge_years",
            "posthumous",
            "early",
            "until",
            "details",
            "decision_id",
            "exception_decision_id",
            "waived_rules",
            "reverses_id",
            "reorganization_id",
            "actor",
            "recorded_at",
        ),
    ).insert(rows())


def _candidates(imp: Importer) -> None:
    cands = imp.recs["candidate"]
    org: Callable[[int | None], int | None] = lambda idx: imp.id("organization", idx)  # noqa: E731
    member: Callable[[int | None], int | None] = lambda idx: imp.id("member", idx)  # noqa: E731
    Table(Candidate, ("id", "person_id", "cell_id", "stage", "sponsor_id", "member_id")).insert(
        (
            imp.id("candidate", c.idx),
            imp.id("person", c.get("person")),
            org(c.get("cell")),
            c.get("stage"),
            member(c.get("sponsor")),
            member(c.get("member")),
        )
        for c in cands
    )
    Table(
        CandidateStep,
        (
            "candidate_id",
            "stage",
            "effective_on",
            "org_id",
            "sponsor_id",
            "decision_id",
            "note",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            imp.id("candidate", c.idx),
            s["stage"],
            s["effective_on"],
            org(s["org"]),
            member(s["sponsor"]),
            imp.id("decision", s["decision"]),
            s["note"],
            s["actor"],
            imp.now,
        )
        for c in cands
        for s in c.get("steps")
    )


def _classes(imp: Importer) -> None:
    classes = imp.recs["training_class"]
    Table(TrainingClass, ("id", "kind", "name", "organizer_id", "starts_on", "ends_on")).insert(
        (
            imp.id("training_class", t.idx),
            t.get("kind"),
            t.get("name"),
            imp.id("organization", t.get("organizer")),
            t.get("starts_on"),
            t.get("ends_on"),
        )
        for t in classes
    )
    Table(
        ClassAttendance,
        ("training_class_id", "person_id", "certificate_number", "certified_on"),
    ).insert(
        (
            imp.id("training_class", t.idx),
            imp.id("person", a["person"]),
            a["certificate_number"],
            a["certified_on"],
        )
        for t in classes
        for a in t.get("attendees")
    )


def _check(ck: Checker) -> None:
    check(ck)
    check_attribute_changes(ck)


APP = App(
    name="membership",
    types=(PERSON, ATTRIBUTE_CHANGE, MEMBER, EVENT, CANDIDATE, TRAINING_CLASS),
    export=_export,
    check=_check,
    write=_write,
    ids=(
        ("person", Person),
        ("attribute_change", PersonAttributeChange),
        ("member", Member),
        ("event", MemberEvent),
        ("candidate", Candidate),
        ("training_class", TrainingClass),
    ),
    tables=(
        Person,
        PersonAttributeChange,
        Member,
        MemberEvent,
        MembershipSpell,
        Candidate,
        CandidateStep,
        TrainingClass,
        ClassAttendance,
    ),
    occupied=(
        (Person, "nhân thân"),
        (MemberEvent, "sự kiện"),
        (Candidate, "quần chúng ưu tú"),
        (TrainingClass, "lớp bồi dưỡng"),
    ),
    finish=check_ledger,
)
