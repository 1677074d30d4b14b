"""Writes the planned terms, seats and congresses through the congress services."""

from __future__ import annotations

from dangbo.congresses import services as cs
from dangbo.congresses.models import CommitteeSeat
from dangbo.demo.congress_plans import AppointOp, CongressOp, EndOp, TermOp
from dangbo.demo.congresses import CongressPlanner
from dangbo.demo.lives import Life
from dangbo.membership.models import Person
from dangbo.organizations.services import term_open


class CongressCounts:
    congresses: int = 0
    elections: int = 0
    rounds: int = 0
    seats: int = 0


def write_congresses(planner: CongressPlanner, book, actor: str, log) -> CongressCounts:
    """Write every planned term, seat and congress through the congress services."""

    tree = planner.tree
    plans = [planner.wards[i] for i in sorted(planner.wards)] + [
        planner.cells[c] for c in sorted(planner.cells)
    ]
    lives: dict[int, Life] = {}
    for plan in plans:
        for op in plan.ops:
            if isinstance(op, AppointOp | EndOp):
                lives[op.life.key] = op.life
            elif isinstance(op, CongressOp):
                for e in op.elections:
                    for life in e.candidates:
                        lives[life.key] = life
                    if e.appoint:
                        lives[e.appoint[0].key] = e.appoint[0]
    persons = Person.objects.in_bulk(
        [life.person["citizen_id"] for life in lives.values()], field_name="citizen_id"
    )
    person = {key: persons[life.person["citizen_id"]] for key, life in lives.items()}
    counts = CongressCounts()
    for i, plan in enumerate(plans):
        org = tree.wards[plan.ref].org if plan.kind == "ward" else tree.orgs[plan.ref]
        open_seats: dict[
            tuple[int, str], CommitteeSeat
        ] = {}  # (person, position) → the seat open now
        for op in plan.ops:
            if isinstance(op, TermOp):
                term_open(org=org, label=op.label, starts_on=op.on, actor=actor)
            elif isinstance(op, AppointOp):
                seat = cs.seat_appoint(
                    org=org,
                    person=person[op.life.key],
                    position=op.position,
                    starts_on=op.on,
                    decision=book[op.decision],
                    actor=actor,
                )
                open_seats[(seat.person_id, seat.position)] = seat
            elif isinstance(op, EndOp):
                seat = open_seats.pop((person[op.life.key].pk, op.position))
                cs.seat_end(seat=seat, on=op.on, decision=book[op.decision], actor=actor)
            else:
                open_seats = {
                    (seat.person_id, seat.position): seat
                    for seat in _write_congress(cs, org, op, person, book, actor)
                }
                counts.congresses += 1
                counts.elections += len(op.elections)
                counts.rounds += sum(len(e.rounds) for e in op.elections)
        if (i + 1) % 50 == 0 or i == len(plans) - 1:
            log(f"  đại hội, cấp ủy: {(i + 1) * 100 // len(plans)}%")
    counts.seats = CommitteeSeat.objects.count()
    return counts


def _write_congress(cs, org, op: CongressOp, person: dict, book, actor: str) -> list:
    """Record the congress, its elections and rounds, and approve it; returns the seats it started."""
    congress = cs.congress_record(
        org=org,
        kind=op.kind,
        starts_on=op.starts_on,
        ends_on=op.ends_on,
        summoned=op.summoned,
        present=op.present,
        term_label=op.label,
        number=op.number,
        temporarily_elsewhere=op.temporarily_elsewhere,
        absent_exempt=op.absent_exempt,
        absent_approved=op.absent_approved,
        absent_delegates_no_substitute=op.absent_delegates_no_substitute,
        documents=op.documents,
        actor=actor,
    )
    appointed = []
    for e in op.elections:
        body = {"summoned": e.body[0], "present": e.body[1]} if e.body else {}
        election = cs.election_open(
            congress=congress,
            what=e.what,
            seats=e.seats,
            candidates=[person[c.key] for c in e.candidates],
            actor=actor,
            **body,
        )
        for r in e.rounds:
            ballot = cs.ballot_round_record(
                election=election,
                issued=r.issued,
                cast=r.cast,
                valid=r.valid,
                invalid=r.invalid,
                votes={person[k]: n for k, n in r.votes.items()},
                actor=actor,
            )
            if len(ballot.outcome.elected) != len(r.elected):
                raise AssertionError(f"planned and counted winners differ at {org} {op.label}")
        if e.stop:
            cs.election_stop(election=election, actor=actor)
        if e.appoint:
            life, decision, on = e.appoint
            appointed.append(
                cs.secretary_appoint(
                    election=election,
                    person=person[life.key],
                    decision=book[decision],
                    on=on,
                    actor=actor,
                )
            )
    return appointed + cs.congress_approve(
        congress=congress, decision=book[op.approval], on=op.approve_on, actor=actor
    )
