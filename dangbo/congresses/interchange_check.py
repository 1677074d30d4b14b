"""Checks of the congress records of an interchange file.

Every election is recounted with the election rules of
:mod:`dangbo.congresses.elections`, the same functions the services call, so an error
carries the service's rule code and regulation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from datetime import date

from dangbo.congresses import elections as election_rules
from dangbo.congresses import organs
from dangbo.congresses.models import (
    SINGLE_HOLDER,
    CongressKind,
    ElectionWhat,
    Position,
    ProposedBy,
    SeatStatus,
)
from dangbo.interchange.reader import Checker, Rec, pairs_overlapping
from dangbo.membership.interchange_check import person_name
from dangbo.organizations.interchange import decision_on, has_term, org_kinds, org_ok, version_on


def check(ck: Checker) -> None:
    _check_congresses(ck)
    _check_seats(ck)


def _check_congresses(ck: Checker) -> None:
    terms: dict[tuple[int, date], int] = {}
    for c in ck.recs["congress"]:
        if c.bad or not org_ok(ck, c.get("org")):
            continue
        before = ck.errors
        _check_congress(ck, c)
        if c.bad or ck.errors > before:
            c.bad = True
            continue
        key = (c.get("org"), c.get("term"))
        for v in election_rules.check_term_free(
            term_label=_term_label(ck, c),
            org_name=_org_name(ck, c.get("org"), c.get("starts_on")),
            taken=key in terms,
        ):
            ck.violation(c.line, "term", v, where=f"dòng {terms[key]}")
            c.bad = True
        terms.setdefault(key, c.line)


def _check_congress(ck: Checker, c: Rec) -> None:
    on = c.get("starts_on")
    if not has_term(ck, c):
        return
    wrong_dates = election_rules.check_congress_dates(starts_on=on, ends_on=c.get("ends_on"))
    for v in wrong_dates:
        ck.violation(c.line, "ends_on", v)
    if wrong_dates:
        return
    version = version_on(ck, c.get("org"), on)
    if version is None:
        ck.err(
            c.line,
            "starts_on",
            f"tổ chức «{ck.recs['organization'][c.get('org') - 1].ref}» "
            f"không tồn tại vào ngày khai mạc {on:%d/%m/%Y}.",
        )
        return
    is_cell = org_kinds(ck)[version["kind"]][0]
    for v in election_rules.check_congress_kind(kind=c.get("kind"), is_cell=is_cell):
        ck.violation(c.line, "kind", v)
    attendance = election_rules.Attendance(
        kind=c.get("kind"),
        summoned=c.get("summoned"),
        present=c.get("present"),
        temporarily_elsewhere=c.get("temporarily_elsewhere"),
        absent_exempt=c.get("absent_exempt"),
        suspended_detained=c.get("suspended_detained"),
        absent_approved=c.get("absent_approved"),
        absent_delegates_no_substitute=c.get("absent_delegates_no_substitute"),
        absent_convening_committee=c.get("absent_convening_committee"),
    )
    violations = election_rules.check_attendance(attendance, on)
    for v in violations:
        ck.violation(c.line, ATTENDANCE_FIELDS.get(v.rule, "summoned"), v)
    if violations:
        return
    decision, approved_on = c.get("approval_decision"), c.get("approved_on")
    if (decision is None) != (approved_on is None):
        ck.err(
            c.line,
            "approved_on" if approved_on is None else "approval_decision",
            "ngày chuẩn y và quyết định chuẩn y đi cùng nhau: ghi cả hai hoặc không ghi.",
        )
    unfinished = []
    for i, e in enumerate(c.get("elections"), start=1):
        status = _check_election(ck, c, f"elections[{i}].", e, attendance, is_cell)
        if status not in ("complete", "stopped", "appointed", None):
            unfinished.append(ElectionWhat(e["what"]).label)
    if decision is not None and approved_on is not None:
        for v in election_rules.check_approval(
            ends_on=c.get("ends_on"),
            decision_on=decision_on(ck, decision) or approved_on,
            approved_on=approved_on,
            unfinished=unfinished,
        ):
            ck.violation(c.line, "approved_on", v)


def _check_cell_organs(ck: Checker, c: Rec, at: str, e: dict, names: dict) -> None:
    """A cell's committee only from 9 full members (within the cap), one deputy, the
    secretary and deputy from among the committee elected at the same congress."""
    on, full = c.get("starts_on"), c.get("summoned")
    for v in organs.check_cell_election(what=e["what"], seats=e["seats"], full_members=full, on=on):
        ck.violation(c.line, at + ("what" if e["what"] in organs.NOT_AT_A_CELL else "seats"), v)
    committee = {
        x["person"]
        for other in c.get("elections")
        if other["what"] == ElectionWhat.COMMITTEE
        for x in other["candidates"]
        if x.get("elected_in_round") is not None
    }
    outside = [
        names[j] for j, x in enumerate(e["candidates"], start=1) if x["person"] not in committee
    ]
    for v in organs.check_officers_from_committee(
        what=e["what"],
        full_members=full,
        committee_elected=bool(committee),
        outside=outside,
        on=on,
    ):
        ck.violation(c.line, at + "candidates", v)


def _check_election(ck: Checker, c: Rec, at: str, e: dict, attendance, is_cell: bool) -> str | None:
    """Recount the election's rounds with the election rules; return its status
    (None when the election has errors, which are reported)."""
    on, line, before = c.get("starts_on"), c.line, ck.errors
    what, seats = e["what"], e["seats"]
    if (e["summoned"] is None) != (e["present"] is None):
        ck.err(
            line,
            at + "summoned",
            "cần ghi cả số được triệu tập và số có mặt của hội nghị "
            "bầu (hoặc bỏ cả hai khi đại hội bầu).",
        )
        return None
    if e["summoned"] is not None:
        base, present = e["summoned"], e["present"]
        for v in election_rules.check_attendance(
            election_rules.Attendance(kind=CongressKind.ALL_MEMBER, summoned=base, present=present),
            on,
        ):
            ck.violation(line, at + ATTENDANCE_FIELDS.get(v.rule, "summoned"), v)
    else:
        base, present = attendance.base, attendance.present
    cands = e["candidates"]
    names: dict[Hashable, str] = {
        j: person_name(ck, x["person"]) for j, x in enumerate(cands, start=1)
    }
    for j, x in enumerate(cands, start=1):
        if x["proposed_by"] == ProposedBy.COMMITTEE and x["nominee_agreement_pct"] is not None:
            ck.err(
                line,
                f"{at}candidates[{j}].nominee_agreement_pct",
                "chỉ ghi tỷ lệ đồng ý với người được đề cử hoặc ứng cử tại đại hội.",
            )
    for v in election_rules.check_candidate_list(
        what=what,
        seats=seats,
        on=on,
        candidates=[
            election_rules.CandidateIn(
                names[j], x["proposed_by"], x["nominee_agreement_pct"], key=x["person"]
            )
            for j, x in enumerate(cands, start=1)
        ],
    ):
        ck.violation(line, at + ("seats" if v.rule == "so_luong_can_bau" else "candidates"), v)
    if is_cell and c.get("kind") == CongressKind.ALL_MEMBER:
        _check_cell_organs(ck, c, at, e, names)
    if ck.errors > before:
        return None
    by_person = {x["person"]: j for j, x in enumerate(cands, start=1)}
    needed = election_rules.votes_needed(base)
    rounds = e["rounds"]
    elected: dict[int, int] = {}  # candidate → round
    for n, r in enumerate(rounds, start=1):
        here = f"{at}rounds[{n}]"
        seats_open = seats - len(elected)
        full = election_rules.check_seats_open(
            what_label=ElectionWhat(what).label, seats_open=seats_open
        )
        for v in full:
            ck.violation(line, here, v, where=f"sau lần bầu thứ {n - 1}")
        if full:
            return None
        for v in election_rules.check_further_round(
            what=what, is_cell=is_cell, failed_rounds=n - 1, on=on
        ):
            ck.violation(line, here, v)
        for v in election_rules.check_round_date(held_on=r["held_on"], starts_on=on):
            ck.violation(line, here + ".held_on", v)
        counted: dict[Hashable, int] = {}
        for k, vote in enumerate(r["votes"], start=1):
            voted = by_person.get(vote["person"])
            if voted is None:
                ck.err(
                    line,
                    f"{here}.votes[{k}].person",
                    f"{person_name(ck, vote['person'])} không có trong danh sách bầu cử.",
                )
            elif voted in counted:
                ck.err(
                    line,
                    f"{here}.votes[{k}].person",
                    f"số phiếu của {names[voted]} được ghi hai lần trong lần bầu này.",
                )
            else:
                counted[voted] = vote["count"]
        if n == 1:
            for v in election_rules.check_first_round_votes(votes=counted, names=names):
                ck.violation(line, here + ".votes", v)
        else:
            for v in election_rules.check_further_round_votes(
                votes=counted, elected=elected, names=names, on=on
            ):
                ck.violation(line, here + ".votes", v)
        round_in = election_rules.RoundIn(
            issued=r["issued"],
            cast=r["cast"],
            valid=r["valid"],
            invalid=r["invalid"],
            votes=counted,
        )
        for v in election_rules.check_round(
            round_in, present=present, seats_open=seats_open, names=names, on=on
        ):
            ck.violation(line, f"{here}.{ROUND_FIELDS_OF_RULE.get(v.rule, 'votes')}", v)
        if ck.errors > before:
            return None
        outcome = election_rules.round_outcome(counted, seats_open=seats_open, needed=needed)
        for j in outcome.elected:
            elected[j] = n
    for j, x in enumerate(cands, start=1):
        if x["elected_in_round"] != elected.get(j):
            got = elected.get(j)
            ck.err(
                line,
                f"{at}candidates[{j}].elected_in_round",
                f"theo số phiếu đã ghi (cần ít nhất {needed} phiếu), {names[j]} "
                + (f"trúng cử ở lần bầu thứ {got}" if got else "không trúng cử")
                + (
                    f", không phải lần thứ {x['elected_in_round']}."
                    if x["elected_in_round"]
                    else "."
                ),
            )
    filled = len(elected)
    if e["stopped"]:
        for v in election_rules.check_stop(
            what=what, is_cell=is_cell, rounds=len(rounds), filled=filled, seats=seats
        ):
            ck.violation(line, at + "stopped", v)
    if (e["appointed_person"] is None) != (e["appointment_decision"] is None):
        ck.err(
            line,
            at + "appointment_decision",
            "người được chỉ định và quyết định chỉ định đi cùng nhau: ghi cả hai hoặc không ghi.",
        )
    elif e["appointed_person"] is not None:
        for v in election_rules.check_appointment(
            what=what, is_cell=is_cell, failed_rounds=len(rounds), filled=filled > 0, on=on
        ):
            ck.violation(line, at + "appointed_person", v)
    if ck.errors > before:
        return None
    if e["appointed_person"] is not None:
        return "appointed"
    if filled >= seats:
        return "complete"
    return "stopped" if e["stopped"] else "unfinished"


def _check_seats(ck: Checker) -> None:
    congresses = ck.recs["congress"]
    spans: dict[tuple, list[tuple[date, date, Rec, str]]] = defaultdict(list)
    for s in ck.recs["committee_seat"]:
        if s.bad or not org_ok(ck, s.get("org")):
            continue
        ok = has_term(ck, s)
        for v in election_rules.check_seat_dates(
            starts_on=s.get("starts_on"), ends_on=s.get("ends_on")
        ):
            ck.violation(s.line, "ends_on", v)
            ok = False
        congress = s.get("congress")
        pending = s.get("status") == SeatStatus.PENDING
        if congress is not None:
            k = congresses[congress - 1]
            if k.bad:
                pass
            elif k.get("org") != s.get("org"):
                ck.err(s.line, "congress", f"đại hội «{k.ref}» là của tổ chức khác.")
                ok = False
            elif k.get("term") != s.get("term"):
                ck.err(
                    s.line,
                    "term",
                    f"phải là nhiệm kỳ của đại hội «{k.ref}» ({k.get('term').isoformat()}).",
                )
                ok = False
            elif pending and k.get("approved_on") is not None:
                ck.err(
                    s.line,
                    "status",
                    f"đại hội «{k.ref}» đã được chuẩn y; người trúng cử đã "
                    "nhận chức vụ (da_chuan_y).",
                )
                ok = False
        elif pending:
            ck.err(s.line, "congress", "người trúng cử chờ chuẩn y phải chỉ ra đại hội đã bầu.")
            ok = False
        s.bad = not ok
        if ok and not pending:
            position = s.get("position")
            holder = None if position in SINGLE_HOLDER else s.get("person")
            spans[(s.get("org"), position, holder)].append(
                (s.get("starts_on"), s.get("ends_on"), s, position)
            )
    for group in spans.values():
        group.sort(key=lambda g: (g[0], g[2].line))
        for (a_from, a_to, a, position), (b_from, _b_to, b, _) in pairs_overlapping(group):
            if b_from < a_to:
                for v in election_rules.check_seat_free(
                    position_label=Position(position).label,
                    org_name=_org_name(ck, b.get("org"), b_from),
                    holder=person_name(ck, a.get("person")),
                    since=a_from,
                ):
                    ck.violation(b.line, "starts_on", v, where=f"dòng {a.line}")
                b.bad = True


def _term_label(ck: Checker, rec: Rec) -> str:
    """The label of the record's term (a term of its organization starting on `term`)."""
    org = ck.recs["organization"][rec.get("org") - 1]
    label: str = next(t["label"] for t in org.get("terms") if t["starts_on"] == rec.get("term"))
    return label


def _org_name(ck: Checker, org: int, on: date) -> str:
    """The organization's name on `on` (its ref when the file has no such version)."""
    version = version_on(ck, org, on)
    name: str = version["name"] if version else ck.recs["organization"][org - 1].ref
    return name


#: The congress field each attendance rule is about.
ATTENDANCE_FIELDS = {
    "so_co_mat": "present",
    "so_trieu_tap": "summoned",
    "loai_tru_dai_hoi_dai_bieu": "kind",
    "loai_tru_dai_hoi_dang_vien": "absent_delegates_no_substitute",
    "loai_tru_cap_uy_vang": "absent_convening_committee",
}
#: The ballot-round field each round rule is about.
ROUND_FIELDS_OF_RULE = {
    "phieu_thu_vao": "cast",
    "phieu_phat_ra": "issued",
    "so_lieu_am": "votes",
    "phieu_ung_cu_vien": "votes",
    "bau_qua_so_luong": "votes",
}
