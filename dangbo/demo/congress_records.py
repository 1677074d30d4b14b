"""The planned terms, congresses and committee seats as interchange records.

Each organization's operations are replayed in order as the congress services would record
them: a term opens where the previous one ends; an appointment takes the term in force on
its day; a congress opens its term, its elections keep the planned rounds (the importer
recounts every round with the election rules); an appointed cell secretary ends the earlier
term's secretary that day; the approval ends the earlier terms' seats still held and starts
one committee seat (the highest) and one inspection-commission seat per elected person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dangbo.congresses.models import (
    COMMITTEE_POSITIONS,
    POSITION_RANK,
    WHAT_POSITION,
    Position,
)
from dangbo.demo.congress_plans import AppointOp, CongressOp, EndOp, OrgPlan, TermOp
from dangbo.demo.congresses import CongressPlanner
from dangbo.demo.decisions import DecisionRef
from dangbo.demo.lives import Life


@dataclass
class CongressCounts:
    congresses: int = 0
    elections: int = 0
    rounds: int = 0
    seats: int = 0


def _person(life: Life) -> str:
    return f"p{life.person['citizen_id']}"


class CongressRecords:
    """Turns the planner's operations into ``congress`` and ``committee_seat`` records."""

    def __init__(
        self, planner: CongressPlanner, decision: Callable[[DecisionRef | None], str | None]
    ):
        self.planner = planner
        self.decision = decision
        self.terms: dict[int, list[dict]] = {}  # organization key → its terms, in order
        self.congresses: list[dict] = []
        self.seats: list[dict] = []
        self.counts = CongressCounts()

    def build(self) -> None:
        planner = self.planner
        plans = [planner.wards[i] for i in sorted(planner.wards)] + [
            planner.cells[c] for c in sorted(planner.cells)
        ]
        for plan in plans:
            self._organization(plan)
        self.counts.seats = len(self.seats)

    def _key(self, plan: OrgPlan) -> int:
        return self.planner.tree.wards[plan.ref].key if plan.kind == "ward" else plan.ref

    def _open_term(self, key: int, label: str, on: date, number: int | None = None) -> str:
        terms = self.terms.setdefault(key, [])
        if terms:
            terms[-1]["ends_on"] = on.isoformat()
        term: dict[str, str | int] = {"label": label, "starts_on": on.isoformat()}
        if number is not None:
            term["congress_number"] = number
        terms.append(term)
        return on.isoformat()

    def _term_on(self, key: int, on: date) -> str:
        iso = on.isoformat()
        return [t for t in self.terms[key] if t["starts_on"] <= iso][-1]["starts_on"]

    def _seat(self, key: int, life: Life, position: str, term: str, on: date, **extra) -> dict:
        seat = {
            "type": "committee_seat",
            "ref": f"s{len(self.seats) + 1}",
            "org": f"o{key}",
            "person": _person(life),
            "position": str(position),
            "term": term,
            "starts_on": on.isoformat(),
            **{k: v for k, v in extra.items() if v is not None},
        }
        self.seats.append(seat)
        return seat

    @staticmethod
    def _end(seat: dict, on: date, decision: str | None) -> None:
        seat["ends_on"] = on.isoformat()
        if decision is not None:
            seat["end_decision"] = decision
        else:
            seat.pop("end_decision", None)

    def _organization(self, plan: OrgPlan) -> None:
        key = self._key(plan)
        held: list[dict] = []  # every approved seat of the organization
        open_seats: dict[tuple[str, str], dict] = {}  # (person, position) → the seat open now
        for op in plan.ops:
            if isinstance(op, TermOp):
                self._open_term(key, op.label, op.on)
            elif isinstance(op, AppointOp):
                seat = self._seat(
                    key,
                    op.life,
                    op.position,
                    self._term_on(key, op.on),
                    op.on,
                    decision=self.decision(op.decision),
                )
                held.append(seat)
                open_seats[(seat["person"], seat["position"])] = seat
            elif isinstance(op, EndOp):
                seat = open_seats.pop((_person(op.life), str(op.position)))
                self._end(seat, op.on, self.decision(op.decision))
            elif isinstance(op, CongressOp):
                started = self._congress(key, op, held)
                held.extend(started)
                open_seats = {(s["person"], s["position"]): s for s in started}

    def _congress(self, key: int, op: CongressOp, held: list[dict]) -> list[dict]:
        """The congress record; returns the seats it started (appointed, then approved)."""
        assert op.approve_on is not None  # every planned congress is approved
        term = self._open_term(key, op.label, op.starts_on, op.number)
        ref = f"k{len(self.congresses) + 1}"
        approval = self.decision(op.approval)
        started: list[dict] = []
        elections = []
        winners: list[tuple[str, str]] = []  # (person, election)
        for e in op.elections:
            round_of = {k: n for n, r in enumerate(e.rounds, start=1) for k in r.elected}
            election: dict = {"what": str(e.what), "seats": e.seats}
            if e.body:
                election["summoned"], election["present"] = e.body
            if e.stop:
                election["stopped"] = True
            candidates = []
            for c in e.candidates:
                row: dict[str, str | int] = {"person": _person(c)}
                if c.key in round_of:
                    row["elected_in_round"] = round_of[c.key]
                    winners.append((_person(c), str(e.what)))
                candidates.append(row)
            rounds = []
            by_key = {c.key: c for c in e.candidates}
            for r in e.rounds:
                rounds.append(
                    {
                        "held_on": op.starts_on.isoformat(),
                        "issued": r.issued,
                        "cast": r.cast,
                        "valid": r.valid,
                        "invalid": r.invalid,
                        "votes": [
                            {"person": _person(by_key[k]), "count": n} for k, n in r.votes.items()
                        ],
                    }
                )
            if e.appoint:
                life, decision, on = e.appoint
                election["appointed_person"] = _person(life)
                election["appointment_decision"] = self.decision(decision)
                for old in held:  # the earlier term's secretary ends on the appointment
                    if (
                        old["position"] == Position.SECRETARY
                        and old["starts_on"] < on.isoformat() < old.get("ends_on", "9999")
                        and old["term"] != term
                    ):
                        self._end(old, on, self.decision(decision))
                started.append(
                    self._seat(
                        key,
                        life,
                        Position.SECRETARY,
                        term,
                        on,
                        decision=self.decision(decision),
                        congress=ref,
                    )
                )
            election["candidates"] = candidates
            if rounds:
                election["rounds"] = rounds
            elections.append(election)
        record = {
            "type": "congress",
            "ref": ref,
            "org": f"o{key}",
            "term": term,
            "kind": str(op.kind),
            "number": op.number,
            "starts_on": op.starts_on.isoformat(),
            "ends_on": op.ends_on.isoformat(),
            "summoned": op.summoned,
            "present": op.present,
            "temporarily_elsewhere": op.temporarily_elsewhere or None,
            "absent_exempt": op.absent_exempt or None,
            "absent_approved": op.absent_approved or None,
            "absent_delegates_no_substitute": op.absent_delegates_no_substitute or None,
            "documents": [_document(d) for d in op.documents] or None,
            "approval_decision": approval,
            "approved_on": op.approve_on.isoformat(),
            "elections": elections or None,
        }
        self.congresses.append({k: v for k, v in record.items() if v is not None})
        on = op.approve_on.isoformat()
        for old in held:  # the approval ends the earlier terms' seats still held
            if old["starts_on"] < on < old.get("ends_on", "9999") and old["term"] != term:
                self._end(old, op.approve_on, approval)
        best: dict[tuple[str, bool], str] = {}
        for person, what in winners:
            position = WHAT_POSITION.get(what)
            if position is None:
                continue
            k = (person, position in COMMITTEE_POSITIONS)
            if k not in best or POSITION_RANK[position] < POSITION_RANK[best[k]]:
                best[k] = position
        by_person = {_person(c): c for e in op.elections for c in e.candidates}
        for (person, _), position in sorted(best.items()):
            started.append(
                self._seat(
                    key,
                    by_person[person],
                    position,
                    term,
                    op.approve_on,
                    decision=approval,
                    congress=ref,
                )
            )
        self.counts.congresses += 1
        self.counts.elections += len(op.elections)
        self.counts.rounds += sum(len(e.rounds) for e in op.elections)
        return started


def _document(item) -> dict:
    if isinstance(item, str):
        return {"title": item, "adopted": True}
    return {"title": str(item["title"]).strip(), "adopted": bool(item.get("adopted", False))}
