"""Congress figures over an organization's subtree for a period (DOMAIN §4).

``congress_figures(org, start, end)`` answers the report's lines "17/17 cells held their
congress; 17 secretaries elected (6 women, 15 re-elected, 2 new); 79 committee members:
women 43,0%, re-elected 79,7%, first-time 20,3%; 100% elected in one round".

Definitions (the period is inclusive [start, end]):

* **subtree**: the organizations under `org` — never `org` itself, whose own congress is
  reported apart (``own_congress_*``) — read from ``OrgClosure`` as the tree stood on each
  fact's date.
* **congresses_held**: congresses opening within the period, of organizations in the
  subtree on the opening date.
* **congresses_due**: congresses due in the period, counted as congresses, not
  organizations (:mod:`dangbo.congresses.figures_due`): every congress held, and the
  congress opening the term after a term that ended in the period or whose label's final
  year lies in the period's years. A cell under a base committee is due twice in a
  five-year term, so held never exceeds due over any period.
* **base_orgs_congresses_*** / **cells_congresses_***: the same over the base organizations
  (tổ chức cơ sở đảng) and over the cells (chi bộ) of the subtree — a basic cell (chi bộ cơ
  sở) is both; the report states "45/45 tổ chức cơ sở đảng" or "120/120 chi bộ";
  **other_orgs_congresses_***: the units that are neither (a commune or ward committee under
  294-QĐ/TW, a branch committee).
* **congresses_by_term** / **congresses_by_round**: due, held and approved by the term the
  congresses open ("2022–2025") and by the year they are held or due ("2022").
* **own_congress_***: the organization's own congress opening in the period (the latest
  when several): its number, term, kind, dates, the delegates (or members) summoned and
  present, the approval date; ``own_congresses_held`` counts them.
* **congresses_approved**: held congresses whose results were approved by the end.
* **elected_in_one_round**: held congresses with at least one election, every election
  filling all its seats in round 1.
* **secretaries_***: people elected secretary (not those appointed by the higher
  committee: ``secretaries_appointed``). Re-elected: held the secretary seat of the same
  organization in its previous term; new: the others.
* **committee_***: the members of the committee (cấp ủy) elected: those elected in a
  committee election; at a congress with no committee election (a cell under 9 full
  members) its elected secretary and deputies, who make up the cell's cấp ủy. One count
  per person and congress. Re-elected: held any committee position (Bí thư … Ủy viên BCH)
  on the same organization in its previous term; first-time: the others, so
  re-elected + first-time = elected.
* **women**: the person's gender is "nu".
* ``*_pct`` are percentages (:func:`dangbo.core.numbers.percentage`: one decimal, half
  up, whole when exact; None when the whole is zero) of held over due, one round over
  held, the rest over their elected count; in JSON a number or null.

Three set-based SQL statements, portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from dangbo.congresses.figures_due import DueCongress, due_congresses
from dangbo.congresses.models import (
    COMMITTEE_POSITIONS,
    CommitteeSeat,
    Congress,
    Election,
    ElectionCandidate,
    ElectionWhat,
    Position,
    SeatStatus,
)
from dangbo.core.errors import InvalidInput
from dangbo.core.numbers import FigureSet, percentage, to_json_value
from dangbo.membership.models import Gender, Person
from dangbo.organizations.models import Organization, OrgClosure, Term

T_CONGRESS = Congress._meta.db_table
T_ELECTION = Election._meta.db_table
T_CANDIDATE = ElectionCandidate._meta.db_table
T_SEAT = CommitteeSeat._meta.db_table
T_TERM = Term._meta.db_table
T_PERSON = Person._meta.db_table
T_CLOSURE = OrgClosure._meta.db_table

COUNT_KEYS = (
    "congresses_due",
    "congresses_held",
    "congresses_approved",
    "elected_in_one_round",
    "secretaries_elected",
    "secretaries_appointed",
    "secretaries_women",
    "secretaries_reelected",
    "secretaries_new",
    "committee_elected",
    "committee_women",
    "committee_reelected",
    "committee_first_time",
    "base_orgs_congresses_due",
    "base_orgs_congresses_held",
    "cells_congresses_due",
    "cells_congresses_held",
    "cells_congresses_approved",
    "other_orgs_congresses_due",
    "other_orgs_congresses_held",
    "own_congresses_held",
)
OWN_KEYS = (
    "own_congress_number",
    "own_congress_term",
    "own_congress_kind",
    "own_congress_starts_on",
    "own_congress_ends_on",
    "own_congress_delegates",
    "own_congress_present",
    "own_congress_approved_on",
)
BY_KEYS = ("congresses_by_term", "congresses_by_round")
PCT_KEYS = {
    "congresses_held_pct": ("congresses_held", "congresses_due"),
    "base_orgs_congresses_held_pct": ("base_orgs_congresses_held", "base_orgs_congresses_due"),
    "cells_congresses_held_pct": ("cells_congresses_held", "cells_congresses_due"),
    "elected_in_one_round_pct": ("elected_in_one_round", "congresses_held"),
    "secretaries_women_pct": ("secretaries_women", "secretaries_elected"),
    "secretaries_reelected_pct": ("secretaries_reelected", "secretaries_elected"),
    "secretaries_new_pct": ("secretaries_new", "secretaries_elected"),
    "committee_women_pct": ("committee_women", "committee_elected"),
    "committee_reelected_pct": ("committee_reelected", "committee_elected"),
    "committee_first_time_pct": ("committee_first_time", "committee_elected"),
}
KEYS = COUNT_KEYS + OWN_KEYS + BY_KEYS + tuple(PCT_KEYS)


@dataclass(frozen=True)
class CongressCount(FigureSet):
    """Congresses due, held and approved in one term or round; ``held_pct`` of due."""

    due: int = 0
    held: int = 0
    approved: int = 0

    def extra_keys(self) -> dict[str, object]:
        return {"held_pct": to_json_value(percentage(self.held, self.due))}


@dataclass(frozen=True)
class CongressFigures(FigureSet):
    """Congress and election counts of a subtree and period (see the module docstring);
    the ``*_pct`` keys are computed from them (:meth:`pct`)."""

    congresses_due: int = 0
    congresses_held: int = 0
    congresses_approved: int = 0
    elected_in_one_round: int = 0
    secretaries_elected: int = 0
    secretaries_appointed: int = 0
    secretaries_women: int = 0
    secretaries_reelected: int = 0
    secretaries_new: int = 0
    committee_elected: int = 0
    committee_women: int = 0
    committee_reelected: int = 0
    committee_first_time: int = 0
    base_orgs_congresses_due: int = 0
    base_orgs_congresses_held: int = 0
    cells_congresses_due: int = 0
    cells_congresses_held: int = 0
    cells_congresses_approved: int = 0
    other_orgs_congresses_due: int = 0
    other_orgs_congresses_held: int = 0
    own_congresses_held: int = 0
    own_congress_number: int | None = None
    own_congress_term: str | None = None
    own_congress_kind: str | None = None
    own_congress_starts_on: date | None = None
    own_congress_ends_on: date | None = None
    own_congress_delegates: int | None = None
    own_congress_present: int | None = None
    own_congress_approved_on: date | None = None
    congresses_by_term: Mapping[str, CongressCount] = field(default_factory=dict)
    congresses_by_round: Mapping[str, CongressCount] = field(default_factory=dict)

    @property
    def cells_only(self) -> bool:
        """Every congress due in the period is a cell's (the ward's own cells)."""
        return 0 < self.congresses_due == self.cells_congresses_due

    @property
    def terms_held(self) -> tuple[str, ...]:
        """The terms the congresses held opened, in order ("2022–2025")."""
        return tuple(sorted(t for t, c in self.congresses_by_term.items() if c.held))

    def pct(self, name: str) -> Decimal | None:
        """The percentage ``name`` (a key of PCT_KEYS) of these counts."""
        part, whole = PCT_KEYS[name]
        return percentage(getattr(self, part), getattr(self, whole))

    def extra_keys(self) -> dict[str, object]:
        return {name: to_json_value(self.pct(name)) for name in PCT_KEYS}


_HELD = f"""
    held AS (
        SELECT cg.id, cg.org_id, cg.term_id, cg.approved_on
        FROM {T_CONGRESS} cg
        JOIN {T_CLOSURE} c ON c.ancestor_id = %s AND c.descendant_id = cg.org_id
             AND c.valid_from <= cg.starts_on AND c.valid_to > cg.starts_on
        WHERE cg.starts_on >= %s AND cg.starts_on <= %s AND cg.org_id <> %s
    )"""


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join("'" + str(v) + "'" for v in values) + ")"


def _held_rows(params: list[Any]) -> list[tuple[Any, ...]]:
    sql = f"""
        WITH {_HELD}
        SELECT h.id, h.approved_on, e.id, e.what, e.seats,
               SUM(CASE WHEN ec.elected_in_round = 1 THEN 1 ELSE 0 END),
               CASE WHEN e.appointed_person_id IS NULL THEN 0 ELSE 1 END
        FROM held h
        LEFT JOIN {T_ELECTION} e ON e.congress_id = h.id
        LEFT JOIN {T_CANDIDATE} ec ON ec.election_id = e.id
        GROUP BY h.id, h.approved_on, e.id, e.what, e.seats, e.appointed_person_id
    """
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows: list[tuple[Any, ...]] = cur.fetchall()
        return rows


def _winner_rows(params: list[Any]) -> list[tuple[Any, ...]]:
    previous_seat = f"""
        EXISTS (SELECT 1 FROM {T_SEAT} s JOIN {T_TERM} pt ON pt.id = s.term_id
                WHERE s.org_id = h.org_id AND s.person_id = ec.person_id AND s.status = '{SeatStatus.APPROVED.value}'
                  AND s.position IN {{positions}}
                  AND pt.starts_on = (SELECT MAX(t2.starts_on) FROM {T_TERM} t2
                                      WHERE t2.org_id = h.org_id AND t2.starts_on < ht.starts_on))
    """
    sql = f"""
        WITH {_HELD}
        SELECT h.id, e.what, ec.person_id, p.gender,
               CASE WHEN {previous_seat.format(positions=_in(COMMITTEE_POSITIONS))} THEN 1 ELSE 0 END,
               CASE WHEN {previous_seat.format(positions=_in([Position.SECRETARY.value]))} THEN 1 ELSE 0 END
        FROM held h
        JOIN {T_TERM} ht ON ht.id = h.term_id
        JOIN {T_ELECTION} e ON e.congress_id = h.id
        JOIN {T_CANDIDATE} ec ON ec.election_id = e.id AND ec.elected_in_round IS NOT NULL
        JOIN {T_PERSON} p ON p.id = ec.person_id
        WHERE e.what IN {_in([ElectionWhat.COMMITTEE, ElectionWhat.SECRETARY, ElectionWhat.DEPUTY])}
    """
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows: list[tuple[Any, ...]] = cur.fetchall()
        return rows


def _count(items: Sequence[DueCongress]) -> CongressCount:
    return CongressCount(
        due=len(items),
        held=sum(1 for i in items if i.held),
        approved=sum(1 for i in items if i.approved),
    )


def _grouped(items: Sequence[DueCongress], attr: str) -> dict[str, CongressCount]:
    groups: dict[str, list[DueCongress]] = defaultdict(list)
    for item in items:
        groups[getattr(item, attr)].append(item)
    return {key: _count(groups[key]) for key in sorted(groups)}


def _own(org: Organization, start: date, end: date) -> dict[str, Any]:
    """The organization's own congresses opening in [start, end]: the count and the latest."""
    own = list(
        Congress.objects.filter(org=org, starts_on__gte=start, starts_on__lte=end)
        .select_related("term")
        .order_by("starts_on")
    )
    if not own:
        return {}
    c = own[-1]
    return {
        "own_congresses_held": len(own),
        "own_congress_number": c.number,
        "own_congress_term": c.term.label,
        "own_congress_kind": c.kind,
        "own_congress_starts_on": c.starts_on,
        "own_congress_ends_on": c.ends_on,
        "own_congress_delegates": c.summoned,
        "own_congress_present": c.present,
        "own_congress_approved_on": c.approved_on
        if c.approved_on is not None and c.approved_on <= end
        else None,
    }


def congress_figures(org: Organization, start: date, end: date) -> CongressFigures:
    """Congress and election figures of `org`'s subtree for [start, end]; see the module
    docstring for every key's definition."""
    if end < start:
        raise InvalidInput("Ngày kết thúc kỳ trước ngày bắt đầu.", field="to")
    params = [org.pk, start, end, org.pk]
    out: dict[str, Any] = dict.fromkeys(COUNT_KEYS, 0)

    elections_by_congress: dict[int, list[bool]] = defaultdict(list)
    approved: set[int] = set()
    elects_committee: set[int] = set()
    for congress_id, approved_on, election_id, what, seats, first_round, appointed in _held_rows(
        params
    ):
        out["secretaries_appointed"] += appointed
        elections_by_congress.setdefault(congress_id, [])
        if approved_on is not None and approved_on <= end:
            approved.add(congress_id)
        if election_id is not None:
            elections_by_congress[congress_id].append(int(first_round or 0) >= seats)
            if what == ElectionWhat.COMMITTEE:
                elects_committee.add(congress_id)
    out["congresses_held"] = len(elections_by_congress)
    out["congresses_approved"] = len(approved)
    out["elected_in_one_round"] = sum(
        1 for flags in elections_by_congress.values() if flags and all(flags)
    )

    committee: dict[int, dict[int, tuple[bool, bool]]] = defaultdict(
        dict
    )  # congress → person → flags
    officers: dict[int, dict[int, tuple[bool, bool]]] = defaultdict(dict)
    for congress_id, what, person_id, gender, was_committee, was_secretary in _winner_rows(params):
        woman = gender == Gender.FEMALE
        if what == ElectionWhat.COMMITTEE:
            committee[congress_id][person_id] = (woman, bool(was_committee))
        else:
            officers[congress_id][person_id] = (woman, bool(was_committee))
        if what == ElectionWhat.SECRETARY:
            out["secretaries_elected"] += 1
            out["secretaries_women"] += woman
            out["secretaries_reelected"] += bool(was_secretary)
    out["secretaries_new"] = out["secretaries_elected"] - out["secretaries_reelected"]
    for congress_id in set(committee) | set(officers):
        members = (
            committee.get(congress_id, {})
            if congress_id in elects_committee
            else officers.get(congress_id, {})
        )
        out["committee_elected"] += len(members)
        out["committee_women"] += sum(w for w, _ in members.values())
        out["committee_reelected"] += sum(r for _, r in members.values())
    out["committee_first_time"] = out["committee_elected"] - out["committee_reelected"]
    due = due_congresses(org.pk, start, end)
    base = [d for d in due if d.is_base]
    cells = [d for d in due if d.is_cell]
    out["congresses_due"] = len(due)
    out["base_orgs_congresses_due"] = len(base)
    out["base_orgs_congresses_held"] = sum(1 for d in base if d.held)
    out["cells_congresses_due"] = len(cells)
    out["cells_congresses_held"] = sum(1 for d in cells if d.held)
    out["cells_congresses_approved"] = sum(1 for d in cells if d.approved)
    others = [d for d in due if not (d.is_base or d.is_cell)]
    out["other_orgs_congresses_due"] = len(others)
    out["other_orgs_congresses_held"] = sum(1 for d in others if d.held)
    out["congresses_by_term"] = _grouped(due, "term")
    out["congresses_by_round"] = _grouped(due, "round")
    out.update(_own(org, start, end))
    return CongressFigures(**out)
