"""Congresses in the interchange file: congresses with their elections, committee seats.

Congresses and seats are stored as recorded (the services are not run again); the checks
in :mod:`dangbo.congresses.interchange_check` recount every election with the election
rules.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from dangbo.congresses.interchange_check import check
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
from dangbo.core.dates import FOREVER
from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.schema import (
    BATCH,
    COUNT_MAX,
    App,
    Field,
    RecordType,
    count,
    pct,
    string,
)

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer


DOCUMENT_FIELDS = (
    Field("title", "str", required=True),
    Field("adopted", "bool", default=False),
)
ELECTION_CANDIDATE_FIELDS = (
    Field("person", "ref", required=True, target="person"),
    string(
        ElectionCandidate,
        "proposed_by",
        default=ProposedBy.COMMITTEE.value,
        choices=ProposedBy.values,
    ),
    pct("nominee_agreement_pct"),
    Field("elected_in_round", "int"),
)
VOTE_FIELDS = (
    Field("person", "ref", required=True, target="person"),
    count("count", required=True),
)
ROUND_FIELDS = (
    Field("held_on", "date", required=True),
    count("issued", required=True),
    count("cast", required=True),
    count("valid", required=True),
    count("invalid", required=True),
    Field("votes", "list", default=[], items=VOTE_FIELDS),
)
ELECTION_FIELDS = (
    string(Election, "what", required=True, choices=ElectionWhat.values),
    Field("seats", "int", required=True),
    Field("summoned", "int", maximum=COUNT_MAX),
    Field("present", "int", maximum=COUNT_MAX),
    Field("stopped", "bool", default=False),
    Field("appointed_person", "ref", target="person"),
    Field("appointment_decision", "ref", target="decision"),
    Field("candidates", "list", required=True, items=ELECTION_CANDIDATE_FIELDS),
    Field("rounds", "list", default=[], items=ROUND_FIELDS),
)
CONGRESS = RecordType(
    "congress",
    "congress",
    "đại hội",
    (
        Field("org", "ref", required=True, target="organization"),
        Field("term", "date", required=True),
        string(Congress, "kind", required=True, choices=CongressKind.values),
        Field("number", "int"),
        Field("starts_on", "date", required=True),
        Field("ends_on", "date", required=True),
        count("summoned", required=True),
        count("present", required=True),
        count("temporarily_elsewhere"),
        count("absent_exempt"),
        count("suspended_detained"),
        count("absent_approved"),
        count("absent_delegates_no_substitute"),
        count("absent_convening_committee"),
        Field("documents", "list", default=[], items=DOCUMENT_FIELDS),
        Field("approval_decision", "ref", target="decision"),
        Field("approved_on", "date"),
        Field("elections", "list", default=[], items=ELECTION_FIELDS),
    ),
)
COMMITTEE_SEAT = RecordType(
    "committee_seat",
    "seat",
    "chức vụ trong cấp ủy",
    (
        Field("org", "ref", required=True, target="organization"),
        Field("person", "ref", required=True, target="person"),
        string(CommitteeSeat, "position", required=True, choices=Position.values),
        Field("term", "date", required=True),
        Field("starts_on", "date", required=True),
        Field("ends_on", "date", default=FOREVER),
        string(
            CommitteeSeat, "status", default=SeatStatus.APPROVED.value, choices=SeatStatus.values
        ),
        Field("decision", "ref", target="decision"),
        Field("end_decision", "ref", target="decision"),
        Field("congress", "ref", target="congress"),
    ),
)


# -- export


def _export(w: Writer) -> None:
    orgs, decisions, persons = w.refs["organization"], w.refs["decision"], w.refs["person"]
    terms_on = w.refs["term"]
    congresses = _export_congresses(w, orgs, decisions, persons, terms_on)
    seats = w.number(CommitteeSeat, COMMITTEE_SEAT)
    for s in CommitteeSeat.objects.order_by("pk").iterator(chunk_size=BATCH):
        w.record(
            COMMITTEE_SEAT,
            seats[s.pk],
            {
                "org": orgs[s.org_id],
                "person": persons[s.person_id],
                "position": s.position,
                "term": terms_on[s.term_id],
                "starts_on": s.starts_on,
                "ends_on": s.ends_on,
                "status": s.status,
                "decision": decisions.get(s.decision_id),
                "end_decision": decisions.get(s.end_decision_id),
                "congress": congresses.get(s.congress_id),
            },
        )


def _export_congresses(w: Writer, orgs, decisions, persons, terms_on) -> dict[Any, str]:
    """Congresses with their elections, candidates, rounds and votes nested; returns the refs."""
    congresses = w.number(Congress, CONGRESS)
    candidates: dict[int, list[dict]] = defaultdict(list)
    person_of: dict[int, int] = {}
    for c in ElectionCandidate.objects.order_by("pk"):
        person_of[c.pk] = c.person_id
        candidates[c.election_id].append(
            {
                "person": persons[c.person_id],
                "proposed_by": c.proposed_by,
                "nominee_agreement_pct": c.nominee_agreement_pct,
                "elected_in_round": c.elected_in_round,
            }
        )
    votes: dict[int, list[dict]] = defaultdict(list)
    for round_id, candidate_id, n in Vote.objects.order_by("pk").values_list(
        "round_id", "candidate_id", "votes"
    ):
        votes[round_id].append({"person": persons[person_of[candidate_id]], "count": n})
    rounds: dict[int, list[dict]] = defaultdict(list)
    for r in BallotRound.objects.order_by("election_id", "number"):
        rounds[r.election_id].append(
            {
                "held_on": r.held_on,
                "issued": r.issued,
                "cast": r.cast,
                "valid": r.valid,
                "invalid": r.invalid,
                "votes": votes.get(r.pk, []),
            }
        )
    elections: dict[int, list[dict]] = defaultdict(list)
    for e in Election.objects.order_by("pk"):
        elections[e.congress_id].append(
            {
                "what": e.what,
                "seats": e.seats,
                "summoned": e.summoned,
                "present": e.present,
                "stopped": e.stopped,
                "appointed_person": persons.get(e.appointed_person_id),
                "appointment_decision": decisions.get(e.appointment_decision_id),
                "candidates": candidates.get(e.pk, []),
                "rounds": rounds.get(e.pk, []),
            }
        )
    counts = (
        "summoned",
        "present",
        "temporarily_elsewhere",
        "absent_exempt",
        "suspended_detained",
        "absent_approved",
        "absent_delegates_no_substitute",
        "absent_convening_committee",
    )
    for k in Congress.objects.order_by("pk"):
        w.record(
            CONGRESS,
            congresses[k.pk],
            {
                "org": orgs[k.org_id],
                "term": terms_on[k.term_id],
                "kind": k.kind,
                "number": k.number,
                "starts_on": k.starts_on,
                "ends_on": k.ends_on,
                **{n: getattr(k, n) for n in counts},
                "documents": list(k.documents or []),
                "approval_decision": decisions.get(k.approval_decision_id),
                "approved_on": k.approved_on,
                "elections": elections.get(k.pk, []),
            },
        )
    return congresses


# -- writing


def _write(imp: Importer) -> None:
    imp.say("Đang ghi đại hội, cấp ủy và kết quả xếp loại…")
    _congresses(imp)
    _seats(imp)


def _congresses(imp: Importer) -> None:
    """Congresses and their nested elections, candidates, rounds and votes, with ids
    numbered in file order (votes name candidates by person within the election)."""
    org = lambda idx: imp.id("organization", idx)  # noqa: E731
    dec = lambda idx: imp.id("decision", idx)  # noqa: E731
    person = lambda idx: imp.id("person", idx)  # noqa: E731
    counts = (
        "summoned",
        "present",
        "temporarily_elsewhere",
        "absent_exempt",
        "suspended_detained",
        "absent_approved",
        "absent_delegates_no_substitute",
        "absent_convening_committee",
    )
    congresses: list[tuple] = []
    elections: list[tuple] = []
    candidates: list[tuple] = []
    rounds: list[tuple] = []
    votes: list[tuple] = []
    ids = {
        "election": imp.first["election"],
        "candidate": imp.first["election_candidate"],
        "round": imp.first["ballot_round"],
    }
    for c in imp.recs["congress"]:
        cid = imp.id("congress", c.idx)
        congresses.append(
            (
                cid,
                org(c.get("org")),
                imp.keys["term"][(c.get("org"), c.get("term"))],
                c.get("kind"),
                c.get("number"),
                c.get("starts_on"),
                c.get("ends_on"),
                *(c.get(n) for n in counts),
                c.get("documents"),
                dec(c.get("approval_decision")),
                c.get("approved_on"),
            )
        )
        for e in c.get("elections"):
            eid = ids["election"]
            ids["election"] += 1
            elections.append(
                (
                    eid,
                    cid,
                    e["what"],
                    e["seats"],
                    e["summoned"],
                    e["present"],
                    e["stopped"],
                    person(e["appointed_person"]),
                    dec(e["appointment_decision"]),
                )
            )
            by_person = {}
            for x in e["candidates"]:
                by_person[x["person"]] = ids["candidate"]
                candidates.append(
                    (
                        ids["candidate"],
                        eid,
                        person(x["person"]),
                        x["proposed_by"],
                        x["nominee_agreement_pct"],
                        x["elected_in_round"],
                    )
                )
                ids["candidate"] += 1
            for n, r in enumerate(e["rounds"], start=1):
                rid = ids["round"]
                ids["round"] += 1
                rounds.append(
                    (
                        rid,
                        eid,
                        n,
                        r["held_on"],
                        r["issued"],
                        r["cast"],
                        r["valid"],
                        r["invalid"],
                    )
                )
                votes.extend((rid, by_person[v["person"]], v["count"]) for v in r["votes"])
    Table(
        Congress,
        (
            "id",
            "org_id",
            "term_id",
            "kind",
            "number",
            "starts_on",
            "ends_on",
            *counts,
            "documents",
            "approval_decision_id",
            "approved_on",
        ),
    ).insert(congresses)
    Table(
        Election,
        (
            "id",
            "congress_id",
            "what",
            "seats",
            "summoned",
            "present",
            "stopped",
            "appointed_person_id",
            "appointment_decision_id",
        ),
    ).insert(elections)
    Table(
        ElectionCandidate,
        (
            "id",
            "election_id",
            "person_id",
            "proposed_by",
            "nominee_agreement_pct",
            "elected_in_round",
        ),
    ).insert(candidates)
    Table(
        BallotRound,
        ("id", "election_id", "number", "held_on", "issued", "cast", "valid", "invalid"),
    ).insert(rounds)
    Table(Vote, ("round_id", "candidate_id", "votes")).insert(votes)


def _seats(imp: Importer) -> None:
    dec = lambda idx: imp.id("decision", idx)  # noqa: E731
    Table(
        CommitteeSeat,
        (
            "id",
            "org_id",
            "person_id",
            "position",
            "term_id",
            "starts_on",
            "ends_on",
            "status",
            "decision_id",
            "end_decision_id",
            "congress_id",
        ),
    ).insert(
        (
            imp.id("committee_seat", s.idx),
            imp.id("organization", s.get("org")),
            imp.id("person", s.get("person")),
            s.get("position"),
            imp.keys["term"][(s.get("org"), s.get("term"))],
            s.get("starts_on"),
            s.get("ends_on"),
            s.get("status"),
            dec(s.get("decision")),
            dec(s.get("end_decision")),
            imp.id("congress", s.get("congress")),
        )
        for s in imp.recs["committee_seat"]
    )


APP = App(
    name="congresses",
    types=(CONGRESS, COMMITTEE_SEAT),
    export=_export,
    check=check,
    write=_write,
    ids=(
        ("congress", Congress),
        ("election", Election),
        ("election_candidate", ElectionCandidate),
        ("ballot_round", BallotRound),
        ("committee_seat", CommitteeSeat),
    ),
    tables=(Congress, Election, ElectionCandidate, BallotRound, Vote, CommitteeSeat),
    occupied=((Congress, "đại hội"), (CommitteeSeat, "chức vụ trong cấp ủy")),
)
