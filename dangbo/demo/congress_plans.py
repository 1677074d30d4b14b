"""What the congress planner works with: who is where and when (:class:`Roster`) and the
planned operations of each organization (terms, appointments, congresses, seats)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.congresses.models import CongressKind, ElectionWhat, Position
from dangbo.demo.decisions import DecisionRef
from dangbo.demo.lives import Life
from dangbo.membership.models import DisciplineForm, EventKind, MemberStatus

CELL_TERM_2017 = date(2017, 6, 1)
WARD_TERM_2015 = date(2015, 7, 1)
FAR = date(9000, 1, 1)

P = Position
W = ElectionWhat
#: Rank of committee positions (lower is higher); the highest won at one congress is the seat.
RANK: dict[str, int] = {
    P.SECRETARY: 0,
    P.STANDING_DEPUTY: 1,
    P.DEPUTY: 2,
    P.STANDING: 3,
    P.COMMITTEE: 4,
}
WHAT_POSITION: dict[str, str] = {
    W.COMMITTEE: P.COMMITTEE,
    W.STANDING: P.STANDING,
    W.SECRETARY: P.SECRETARY,
    W.DEPUTY: P.DEPUTY,
}


# --------------------------------------------------------------------------- who is where


class Roster:
    """Who sits in which cell on a day, read from the simulated lives."""

    def __init__(self, lives) -> None:
        self.by_cell: dict[int, list[tuple]] = defaultdict(
            list
        )  # cell → (from, to, life, status, exempt)
        self.spells: dict[int, list[tuple]] = {}
        self.away: dict[int, list[tuple[date, date]]] = {}
        self.discipline: dict[int, list[tuple[date, str]]] = {}
        for life in lives:
            spells = sorted(
                (s, e or FAR, cell, status, exempt) for s, e, cell, status, exempt in life.spells
            )
            self.spells[life.key] = spells
            for s, e, cell, status, exempt in spells:
                self.by_cell[cell].append((s, e, life, status, exempt))
            away, out = [], None
            for p in sorted(life.events, key=lambda p: p.data.effective_on):
                if p.data.kind == EventKind.TEMPORARY_OUT:
                    out = p.data.effective_on
                elif p.data.kind == EventKind.TEMPORARY_BACK and out is not None:
                    away.append((out, p.data.effective_on))
                    out = None
            if out is not None:
                away.append((out, FAR))
            self.away[life.key] = away
            self.discipline[life.key] = [
                (p.data.effective_on, p.data.form)
                for p in life.events
                if p.data.kind == EventKind.DISCIPLINE
            ]

    def members(self, cells, on: date) -> list[tuple]:
        """(life, status, exempt) of everyone on the rolls of `cells` on `on`, by life."""
        out = [
            (life, status, exempt)
            for c in cells
            for s, e, life, status, exempt in self.by_cell[c]
            if s <= on < e
        ]
        return sorted(out, key=lambda t: t[0].key)

    def is_away(self, life, on: date) -> bool:
        return any(s <= on < e for s, e in self.away[life.key])

    def stays(self, life, cells, on: date) -> date:
        """The first day from `on` on which `life` is no longer a full, working member of `cells`
        (or is removed from office by discipline)."""
        cur = on
        for s, e, cell, status, exempt in self.spells.get(life.key, ()):
            if e <= cur:
                continue
            if s > cur or cell not in cells or status != MemberStatus.OFFICIAL or exempt:
                break
            cur = e
        dismissed = [
            d
            for d, form in self.discipline[life.key]
            if d >= on and form == DisciplineForm.DISMISSAL
        ]
        return min([cur, *dismissed])

    def eligible(self, life, cells, on: date, until: date, *, max_age: int = 72) -> bool:
        """A full member of `cells` on `on` who may stand: working, present, of age, not
        disciplined in the last two years, and still there on `until`."""
        age = on.year - life.birth.year
        if age > max_age or self.is_away(life, on):
            return False
        if any(on - timedelta(days=730) <= d <= on for d, _ in self.discipline[life.key]):
            return False
        return self.stays(life, cells, on) > until


# --------------------------------------------------------------------------- the plan


@dataclass
class TermOp:
    label: str
    on: date


@dataclass
class AppointOp:
    life: Life
    position: str
    on: date
    decision: DecisionRef | None = None


@dataclass
class EndOp:
    life: Life
    position: str
    on: date
    decision: DecisionRef | None = None


@dataclass
class RoundPlan:
    issued: int
    cast: int
    valid: int
    invalid: int
    votes: dict  # life key → votes
    elected: tuple


@dataclass
class ElectionPlan:
    what: str
    seats: int
    candidates: list  # lives
    body: tuple[int, int] | None = None  # (summoned, present) when the new committee elects
    rounds: list[RoundPlan] = field(default_factory=list)
    stop: bool = False
    appoint: tuple | None = None  # (life, decision, on)

    @property
    def elected(self) -> list:
        keys = [k for r in self.rounds for k in r.elected]
        by_key = {c.key: c for c in self.candidates}
        return [by_key[k] for k in keys]


@dataclass
class CongressOp:
    kind: str
    label: str
    starts_on: date
    ends_on: date
    summoned: int
    present: int
    temporarily_elsewhere: int = 0
    absent_exempt: int = 0
    absent_approved: int = 0
    absent_delegates_no_substitute: int = 0
    number: int | None = None
    documents: list = field(default_factory=list)
    elections: list[ElectionPlan] = field(default_factory=list)
    approve_on: date | None = None
    approval: DecisionRef | None = None

    @property
    def base(self) -> int:
        if self.kind == CongressKind.DELEGATE:
            return self.summoned - self.absent_delegates_no_substitute
        return (
            self.summoned - self.temporarily_elsewhere - self.absent_exempt - self.absent_approved
        )


@dataclass
class Seat:
    life: Life
    position: str
    start: date


@dataclass
class OrgPlan:
    """One organization's committee history: the operations to write, in order."""

    kind: str  # "cell" | "ward"
    ref: int  # cell id or ward index
    ops: list = field(default_factory=list)
    open: list[Seat] = field(default_factory=list)

    def appoint(self, life, position: str, on: date, decision) -> None:
        self.ops.append(AppointOp(life, position, on, decision))
        self.open.append(Seat(life, position, on))

    def end(self, seat: Seat, on: date, decision=None) -> None:
        self.ops.append(EndOp(seat.life, seat.position, on, decision))
        self.open.remove(seat)

    def end_all(self, on: date, decision=None) -> None:
        for seat in sorted(self.open, key=lambda s: (RANK[s.position], s.life.key)):
            self.end(seat, on, decision)

    def holders(self, *positions) -> list:
        return [
            s.life
            for s in sorted(self.open, key=lambda s: (RANK[s.position], s.start, s.life.key))
            if s.position in positions
        ]


# --------------------------------------------------------------------------- ballots


CELL_DOCS = (
    "Báo cáo chính trị của Chi bộ trình Đại hội nhiệm kỳ {label}",
    "Báo cáo kiểm điểm sự lãnh đạo, chỉ đạo của {leaders} nhiệm kỳ {previous}",
    "Nghị quyết Đại hội Chi bộ nhiệm kỳ {label}",
)
WARD_DOCS = (
    "Báo cáo chính trị của Ban Chấp hành Đảng bộ phường trình Đại hội nhiệm kỳ {label}",
    "Báo cáo kiểm điểm của Ban Chấp hành Đảng bộ phường nhiệm kỳ {previous}",
    "Báo cáo tổng hợp ý kiến góp ý vào dự thảo văn kiện Đại hội Đảng bộ cấp trên",
    "Nghị quyết Đại hội Đảng bộ phường nhiệm kỳ {label}",
)
