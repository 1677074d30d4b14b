"""Reads of committees, congresses and elections; each about a given date or record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangbo.congresses import elections as rules
from dangbo.congresses.models import (
    POSITION_RANK,
    BallotRound,
    CommitteeSeat,
    Congress,
    Election,
    ElectionCandidate,
    SeatStatus,
)
from dangbo.core.errors import InvalidInput
from dangbo.organizations.models import Organization, Term
from dangbo.organizations.selectors import org_name_on, org_version_shown, term_on
from dangbo.vn_format import sort_key_name


def is_cell(org: Organization, on: date) -> bool:
    """Whether `org` on `on` is a cell (holds members); False when it has no version shown."""
    v = org_version_shown(org, on)
    return bool(v and v.kind.holds_members)


def term_for(org: Organization, on: date, term: Term | None) -> Term:
    """`term` once checked to be `org`'s, or `org`'s term in force on `on` when None."""
    if term is None:
        return term_on(org, on)
    if term.org_id != org.pk:
        raise InvalidInput(
            f"Nhiệm kỳ {term.label} không thuộc «{org_name_on(org, on)}».", field="term"
        )
    return term


def electorate(election: Election) -> tuple[int, int]:
    """(threshold base, present) of the body that votes in `election`."""
    if election.summoned is not None and election.present is not None:
        return election.summoned, election.present
    congress = election.congress
    return congress.threshold_base, congress.present


def election_status(election: Election) -> str:
    """complete | further_round | stopped | appointment_due | appointed | not_started."""
    if election.appointed_person_id is not None:
        return "appointed"
    filled = election.candidates.filter(elected_in_round__isnull=False).count()
    if filled >= election.seats:
        return "complete"
    if election.stopped:
        return "stopped"
    rounds = election.rounds.count()
    if rounds == 0:
        return "not_started"
    congress = election.congress
    if rules.check_further_round(
        what=election.what,
        is_cell=org_version_shown(congress.org, congress.starts_on).kind.holds_members,
        failed_rounds=rounds,
        on=congress.starts_on,
    ):
        return "appointment_due"
    return "further_round"


STATUS_LABELS = {
    "complete": "Đã bầu đủ số lượng",
    "further_round": "Chưa đủ số lượng, cần bầu tiếp",
    "stopped": "Đại hội quyết định dừng bầu, chưa đủ số lượng",
    "appointment_due": "Chờ cấp ủy cấp trên chỉ định",
    "appointed": "Cấp ủy cấp trên đã chỉ định",
    "not_started": "Chưa bỏ phiếu",
}


def _ordered(seats) -> list[CommitteeSeat]:
    return sorted(
        seats, key=lambda s: (POSITION_RANK[s.position], sort_key_name(s.person.full_name))
    )


def committee_on(org: Organization, on: date) -> list[CommitteeSeat]:
    """Seats of `org`'s committee and inspection commission in force on `on` (approved or
    appointed, started), by position then Vietnamese name order."""
    return _ordered(
        CommitteeSeat.objects.filter(
            org=org, status=SeatStatus.APPROVED, starts_on__lte=on, ends_on__gt=on
        ).select_related("person", "decision", "term")
    )


def seats_awaiting_approval(org: Organization) -> list[CommitteeSeat]:
    """People elected at `org`'s congresses whose results are not approved yet
    ("trúng cử, chờ chuẩn y")."""
    return _ordered(
        CommitteeSeat.objects.filter(org=org, status=SeatStatus.PENDING).select_related(
            "person", "congress"
        )
    )


def previous_term(term: Term) -> Term | None:
    """The term of the same organization just before `term`."""
    return (
        Term.objects.filter(org_id=term.org_id, starts_on__lt=term.starts_on)
        .order_by("-starts_on")
        .first()
    )


def congresses_of(org: Organization) -> list[Congress]:
    return list(
        Congress.objects.filter(org=org)
        .select_related("term", "approval_decision")
        .order_by("starts_on")
    )


@dataclass(frozen=True)
class RoundRow:
    number: int
    held_on: date
    issued: int
    cast: int
    valid: int
    invalid: int
    votes: tuple[tuple[str, int], ...]  # (name, votes), highest first
    elected: tuple[str, ...]


@dataclass(frozen=True)
class ElectionResult:
    election: Election
    regulation: str
    threshold_base: int
    present: int
    votes_needed: int
    rounds: tuple[RoundRow, ...]
    elected: tuple[ElectionCandidate, ...]  # in order of election (round, then votes)
    seats_left: int
    status: str
    status_label: str


def election_result(election: Election) -> ElectionResult:
    """Everything about one election: threshold, each round, who was elected, what is left."""
    election = Election.objects.select_related("congress__org").get(pk=election.pk)
    base, present = electorate(election)
    rounds = []
    last_votes: dict[int, int] = {}
    for r in BallotRound.objects.filter(election=election).prefetch_related(
        "votes__candidate__person"
    ):
        votes = sorted(
            ((v.candidate.person.full_name, v.votes, v.candidate) for v in r.votes.all()),
            key=lambda t: -t[1],
        )
        for _, n, cand in votes:
            last_votes[cand.pk] = n
        rounds.append(
            RoundRow(
                number=r.number,
                held_on=r.held_on,
                issued=r.issued,
                cast=r.cast,
                valid=r.valid,
                invalid=r.invalid,
                votes=tuple((name, n) for name, n, _ in votes),
                elected=tuple(name for name, _, c in votes if c.elected_in_round == r.number),
            )
        )
    elected = sorted(
        election.candidates.filter(elected_in_round__isnull=False).select_related("person"),
        key=lambda c: (c.elected_in_round, -last_votes.get(c.pk, 0)),
    )
    status = election_status(election)
    return ElectionResult(
        election=election,
        regulation=rules.election_rules_on(election.congress.starts_on).code,
        threshold_base=base,
        present=present,
        votes_needed=rules.votes_needed(base),
        rounds=tuple(rounds),
        elected=tuple(elected),
        seats_left=election.seats - len(elected),
        status=status,
        status_label=STATUS_LABELS[status],
    )
