"""Election rules (Quy chế bầu cử trong Đảng): the pure rules, then each rule through the
services — refused with the regulation in force on the congress date, writing nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangbo.congresses import elections as rules
from dangbo.congresses.congress import congress_record
from dangbo.congresses.models import (
    BallotRound,
    CommitteeSeat,
    Congress,
    Election,
    ElectionCandidate,
    Position,
    SeatStatus,
    Vote,
)
from dangbo.congresses.selectors import committee_on, election_result
from dangbo.congresses.voting import (
    ballot_round_record,
    election_open,
    election_stop,
    secretary_appoint,
)
from dangbo.core.errors import DomainError, InvalidInput, RuleViolation
from dangbo.core.models import AuditEntry
from dangbo.organizations.services import term_open
from tests.conftest import ACTOR, make_person, ward_decision

Q190, Q244 = "Quy định 190-QĐ/TW", "Quy định 244-QĐ/TW"
ON_190 = date(2025, 4, 10)
ON_244 = date(2022, 4, 10)


# --- pure rules -----------------------------------------------------------------------------


def test_rule_set_switches_on_10_october_2024():
    assert rules.election_rules_on(date(2024, 10, 9)).code == Q244
    assert rules.election_rules_on(date(2024, 10, 10)).code == Q190
    assert rules.election_rules_on(date(2010, 1, 1)).code == Q244


def test_threshold_is_more_than_half_of_the_summoned_not_of_valid_ballots():
    # DOMAIN §4: 11 full members, 10 present → at least 6 votes.
    a = rules.Attendance(kind="all_member", summoned=11, present=10)
    assert a.base == 11 and rules.votes_needed(a.base) == 6
    # every exclusion of an all-member congress is taken off the summoned
    b = rules.Attendance(
        kind="all_member",
        summoned=15,
        present=10,
        temporarily_elsewhere=1,
        absent_exempt=1,
        suspended_detained=1,
        absent_approved=1,
    )
    assert b.base == 11 and rules.votes_needed(b.base) == 6
    # a delegate congress only loses absent delegates with no substitute
    d = rules.Attendance(
        kind="delegate", summoned=150, present=140, absent_delegates_no_substitute=3
    )
    assert d.base == 147 and rules.votes_needed(147) == 74
    assert [rules.votes_needed(n) for n in (1, 2, 3, 9, 10)] == [1, 2, 2, 5, 6]


def test_attendance_checks():
    def codes(**kw):
        return [v.rule for v in rules.check_attendance(rules.Attendance(**kw), ON_190)]

    assert codes(kind="all_member", summoned=11, present=10) == []
    assert codes(kind="all_member", summoned=11, present=11, absent_approved=1) == ["so_co_mat"]
    assert codes(kind="delegate", summoned=100, present=90, absent_exempt=1) == [
        "loai_tru_dai_hoi_dai_bieu"
    ]
    assert codes(kind="all_member", summoned=10, present=9, absent_delegates_no_substitute=1) == [
        "loai_tru_dai_hoi_dang_vien"
    ]
    assert codes(kind="all_member", summoned=0, present=0) == ["so_trieu_tap"]


def test_surplus_cap_is_30_percent_rounded_down_but_at_least_one():
    rs = rules.election_rules_on(ON_190)
    # seats → most candidates beyond the seats, counted by hand: ⌊0,3·seats⌋, at least 1
    assert {s: rules.max_surplus(s, rs) for s in (1, 3, 4, 7, 9, 10, 20)} == {
        1: 1,
        3: 1,
        4: 1,
        7: 2,
        9: 2,
        10: 3,
        20: 6,
    }


def _list(n: int, **kw) -> list[rules.CandidateIn]:
    return [rules.CandidateIn(f"Người {i}", "committee", **kw) for i in range(n)]


def test_candidate_list_rules():
    def codes(what, seats, cands, on=ON_190):
        return [
            v.rule
            for v in rules.check_candidate_list(what=what, seats=seats, candidates=cands, on=on)
        ]

    assert codes("committee", 7, _list(9)) == []
    assert codes("committee", 7, _list(10)) == ["so_du_toi_da"]  # 3/7 = 42,9% > 30%
    assert codes("committee", 7, _list(7)) == ["danh_sach_nhieu_hon"]
    assert codes("committee", 7, _list(6)) == ["danh_sach_nhieu_hon"]
    assert codes("secretary", 1, _list(1)) == []  # one nominee for the one post
    assert codes("secretary", 1, _list(2)) == []
    assert codes("secretary", 1, _list(3)) == ["so_du_toi_da"]
    assert codes("secretary", 2, _list(2)) == ["so_luong_can_bau"]
    nominees = _list(9)[:8] + [rules.CandidateIn("Đề cử", "nominee", Decimal("30"))]
    assert codes("committee", 7, nominees) == ["de_cu_tren_30"]  # exactly 30% is not > 30%
    nominees[-1] = rules.CandidateIn("Đề cử", "self", Decimal("30.01"))
    assert codes("committee", 7, nominees) == []
    v = rules.check_candidate_list(what="committee", seats=7, candidates=_list(10), on=ON_244)
    assert v[0].regulation == Q244 and str(v[0]).startswith("Quy định 244-QĐ/TW: ")


def test_round_outcome():
    # more qualified than seats: highest first
    o = rules.round_outcome({"a": 9, "b": 8, "c": 7, "d": 6}, seats_open=2, needed=6)
    assert o.elected == ("a", "b") and o.tied_at_last_seat == () and o.seats_left == 0
    # below the threshold nobody wins even with the most votes
    o = rules.round_outcome({"a": 5, "b": 4}, seats_open=1, needed=6)
    assert o.elected == () and o.seats_left == 1
    # a tie at the last seat: the tied ones go to a further round
    o = rules.round_outcome({"a": 9, "b": 7, "c": 7, "d": 3}, seats_open=2, needed=6)
    assert o.elected == ("a",) and set(o.tied_at_last_seat) == {"b", "c"} and o.seats_left == 1
    # a tie that fits inside the seats is no tie
    o = rules.round_outcome({"a": 7, "b": 7, "c": 2}, seats_open=2, needed=6)
    assert set(o.elected) == {"a", "b"} and o.seats_left == 0


def test_round_consistency_rules():
    names = {"a": "A", "b": "B"}

    def codes(seats=1, **kw):
        base = {"issued": 10, "cast": 10, "valid": 9, "invalid": 1, "votes": {"a": 6, "b": 3}}
        base.update(kw)
        return [
            v.rule
            for v in rules.check_round(
                rules.RoundIn(**base), present=10, seats_open=seats, names=names, on=ON_190
            )
        ]

    assert codes() == []
    assert codes(invalid=0) == ["phieu_thu_vao"]  # 10 ≠ 9 + 0
    assert codes(issued=9) == ["phieu_phat_ra"]  # 10 cast of 9 issued
    assert codes(issued=11, cast=11, valid=10) == ["phieu_phat_ra"]  # 11 issued, 10 present
    assert codes(seats=2, votes={"a": 10, "b": 0}) == ["phieu_ung_cu_vien"]  # 10 > 9 valid
    assert codes(seats=2, votes={"a": 9, "b": 9}) == []  # 18 = 9 × 2
    assert codes(votes={"a": 6, "b": 4}) == ["bau_qua_so_luong"]  # 10 > 9 × 1


# --- through the services ----------------------------------------------------------------------


def snapshot():
    return (
        Congress.objects.count(),
        Election.objects.count(),
        ElectionCandidate.objects.count(),
        BallotRound.objects.count(),
        Vote.objects.count(),
        list(ElectionCandidate.objects.order_by("pk").values_list("elected_in_round", flat=True)),
        list(CommitteeSeat.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def assert_refused(action, rule: str, regulation: str = Q190) -> RuleViolation:
    before = snapshot()
    with pytest.raises(RuleViolation) as caught:
        action()
    err = caught.value
    assert rule in [v.rule for v in err.violations]
    assert err.message.startswith(f"{regulation}: ")
    assert snapshot() == before
    return err


@pytest.fixture
def cell(city_tree):
    cell = city_tree["w1c1"]
    term_open(org=cell, label="2022–2025", starts_on=date(2022, 4, 1), actor=ACTOR)
    return cell


def congress(cell, on=ON_190, summoned=11, present=10, **kw):
    return congress_record(
        org=cell,
        kind="all_member",
        starts_on=on,
        summoned=summoned,
        present=present,
        term_label=f"{on.year}–{on.year + 5}",
        actor=ACTOR,
        **kw,
    )


def people(n, **kw):
    return [make_person(**kw) for _ in range(n)]


def test_eleven_members_ten_present_needs_six_votes_not_a_majority_of_valid(cell):
    c = congress(cell)
    assert c.threshold_base == 11 and c.threshold == 6
    a, b, d = people(3)
    # 11 full members: the cell elects its committee first, the secretary from among it
    chi_uy = election_open(congress=c, what="committee", seats=2, candidates=[a, b, d], actor=ACTOR)
    ballot_round_record(
        election=chi_uy,
        issued=10,
        cast=10,
        valid=10,
        invalid=0,
        votes={a: 9, b: 8, d: 3},
        actor=ACTOR,
    )
    e = election_open(congress=c, what="secretary", seats=1, candidates=[a, b], actor=ACTOR)
    # 5 of 9 valid ballots is a majority of the valid ballots, but not more than half of 11
    r = ballot_round_record(
        election=e, issued=10, cast=10, valid=9, invalid=1, votes={a: 5, b: 4}, actor=ACTOR
    )
    assert r.outcome.elected == ()
    r = ballot_round_record(
        election=e, issued=10, cast=10, valid=10, invalid=0, votes={a: 6, b: 4}, actor=ACTOR
    )
    assert [c.person for c in election_result(e).elected] == [a]
    assert election_result(e).votes_needed == 6 and election_result(e).status == "complete"


def test_exclusions_lower_the_threshold(cell):
    c = congress(
        cell,
        summoned=14,
        present=10,
        temporarily_elsewhere=1,
        absent_exempt=1,
        suspended_detained=1,
        absent_approved=1,
    )
    assert c.threshold_base == 10 and c.threshold == 6


def test_congress_attendance_refused_writes_nothing(cell):
    assert_refused(lambda: congress(cell, summoned=11, present=11, absent_approved=1), "so_co_mat")
    with pytest.raises(InvalidInput):
        congress_record(
            org=cell,
            kind="delegate",
            starts_on=ON_190,
            summoned=11,
            present=10,
            term_label="2025–2030",
            actor=ACTOR,
        )


def test_regulation_follows_the_congress_date(cell, city_tree):
    c = congress(city_tree["w1c2"], on=date(2024, 6, 1))
    cands = people(4)
    assert_refused(
        lambda: election_open(
            congress=c, what="committee", seats=3, candidates=cands[:3], actor=ACTOR
        ),
        "danh_sach_nhieu_hon",
        Q244,
    )
    c2 = congress(cell)
    assert_refused(
        lambda: election_open(
            congress=c2, what="committee", seats=3, candidates=cands[:3], actor=ACTOR
        ),
        "danh_sach_nhieu_hon",
        Q190,
    )


def test_surplus_over_30_percent_refused(cell):
    c = congress(cell, summoned=20, present=20)
    cands = people(10)
    err = assert_refused(
        lambda: election_open(congress=c, what="committee", seats=7, candidates=cands, actor=ACTOR),
        "so_du_toi_da",
    )
    assert "tối đa 9 người" in err.message
    e = election_open(congress=c, what="committee", seats=7, candidates=cands[:9], actor=ACTOR)
    assert e.candidates.count() == 9


def test_nominee_needs_more_than_30_percent_agreement(cell):
    c = congress(cell)
    a, b, n = people(3)
    nominee = {"person": n, "proposed_by": "nominee", "nominee_agreement_pct": "25"}
    err = assert_refused(
        lambda: election_open(
            congress=c, what="committee", seats=2, candidates=[a, b, nominee], actor=ACTOR
        ),
        "de_cu_tren_30",
    )
    assert n.full_name in err.message and "25%" in err.message
    nominee["nominee_agreement_pct"] = "35"
    e = election_open(
        congress=c, what="committee", seats=2, candidates=[a, b, nominee], actor=ACTOR
    )
    assert e.candidates.get(person=n).nominee_agreement_pct == Decimal("35")
    self_stand = {"person": make_person(), "proposed_by": "self"}
    assert_refused(
        lambda: election_open(
            congress=c, what="deputy", seats=1, candidates=[self_stand], actor=ACTOR
        ),
        "de_cu_tren_30",
    )


@pytest.fixture
def committee_election(cell):
    c = congress(cell, summoned=11, present=10)
    cands = people(6)
    e = election_open(congress=c, what="committee", seats=5, candidates=cands, actor=ACTOR)
    return e, cands


def test_round_voting_for_more_than_the_seats_refused(committee_election):
    e, (a, b, c, d, f, g) = committee_election
    # 10 valid ballots × 5 seats = 50 marks at most; 51 means a ballot voted for 6
    votes = {a: 10, b: 10, c: 10, d: 10, f: 10, g: 1}
    assert_refused(
        lambda: ballot_round_record(
            election=e, issued=10, cast=10, valid=10, invalid=0, votes=votes, actor=ACTOR
        ),
        "bau_qua_so_luong",
    )


def test_cast_must_equal_valid_plus_invalid(committee_election):
    e, (a, b, c, d, f, g) = committee_election
    votes = {a: 9, b: 9, c: 9, d: 9, f: 2, g: 1}
    err = assert_refused(
        lambda: ballot_round_record(
            election=e, issued=10, cast=10, valid=9, invalid=0, votes=votes, actor=ACTOR
        ),
        "phieu_thu_vao",
    )
    assert "(10)" in err.message and "(9)" in err.message
    assert_refused(
        lambda: ballot_round_record(
            election=e, issued=11, cast=10, valid=10, invalid=0, votes=votes, actor=ACTOR
        ),
        "phieu_phat_ra",
    )
    assert_refused(
        lambda: ballot_round_record(
            election=e, issued=10, cast=10, valid=10, invalid=0, votes={**votes, a: 11}, actor=ACTOR
        ),
        "phieu_ung_cu_vien",
    )


def test_failed_round_then_second_round_for_the_remaining_seats(committee_election):
    e, (a, b, c, d, f, g) = committee_election
    # needed 6 of 11; a, b, c reach it, d, f, g do not → 2 seats left
    r1 = ballot_round_record(
        election=e,
        issued=10,
        cast=10,
        valid=10,
        invalid=0,
        votes={a: 9, b: 8, c: 7, d: 5, f: 5, g: 4},
        actor=ACTOR,
    )
    assert set(r1.outcome.elected) == {e.candidates.get(person=p).pk for p in (a, b, c)}
    result = election_result(e)
    assert result.seats_left == 2 and result.status == "further_round"
    # a second round may not include those already elected …
    err = assert_refused(
        lambda: ballot_round_record(
            election=e, issued=10, cast=10, valid=10, invalid=0, votes={a: 6, d: 6}, actor=ACTOR
        ),
        "bau_tiep_con_lai",
    )
    assert a.full_name in err.message
    # … and fills only the 2 seats left: 10 ballots × 2 = 20 marks at most
    assert_refused(
        lambda: ballot_round_record(
            election=e,
            issued=10,
            cast=10,
            valid=10,
            invalid=0,
            votes={d: 8, f: 7, g: 6},
            actor=ACTOR,
        ),
        "bau_qua_so_luong",
    )
    r2 = ballot_round_record(
        election=e, issued=10, cast=10, valid=10, invalid=0, votes={d: 8, f: 7, g: 5}, actor=ACTOR
    )
    assert r2.number == 2
    result = election_result(e)
    assert [x.person for x in result.elected] == [a, b, c, d, f]
    assert [x.elected_in_round for x in result.elected] == [1, 1, 1, 2, 2]
    assert result.status == "complete"
    with pytest.raises(DomainError):
        ballot_round_record(
            election=e, issued=10, cast=10, valid=10, invalid=0, votes={g: 9}, actor=ACTOR
        )


def test_tie_at_the_last_seat_goes_to_a_further_round(committee_election):
    e, (a, b, c, d, f, g) = committee_election
    r1 = ballot_round_record(
        election=e,
        issued=10,
        cast=10,
        valid=10,
        invalid=0,
        votes={a: 10, b: 9, c: 8, d: 7, f: 6, g: 6},
        actor=ACTOR,
    )
    # all six reach 6 votes; the 5th seat is tied between f and g (6 each): neither wins
    assert len(r1.outcome.elected) == 4 and len(r1.outcome.tied_at_last_seat) == 2
    assert election_result(e).seats_left == 1
    ballot_round_record(
        election=e, issued=10, cast=10, valid=10, invalid=0, votes={f: 6, g: 4}, actor=ACTOR
    )
    assert [x.person for x in election_result(e).elected] == [a, b, c, d, f]


def test_cell_secretary_three_failed_rounds_then_appointed(cell, city_tree):
    c = congress(cell, summoned=7, present=7)
    a, b = people(2)
    e = election_open(congress=c, what="secretary", seats=1, candidates=[a, b], actor=ACTOR)
    decision = ward_decision("15-QĐ/ĐU", date(2025, 4, 20))
    for _ in range(3):
        # the appointment is refused until three rounds have failed
        assert_refused(
            lambda: secretary_appoint(
                election=e, person=a, decision=decision, on=date(2025, 4, 20), actor=ACTOR
            ),
            "chi_dinh_bi_thu",
        )
        ballot_round_record(
            election=e, issued=7, cast=7, valid=7, invalid=0, votes={a: 3, b: 3}, actor=ACTOR
        )
    assert election_result(e).status == "appointment_due"
    assert_refused(
        lambda: ballot_round_record(
            election=e, issued=7, cast=7, valid=7, invalid=0, votes={a: 4, b: 3}, actor=ACTOR
        ),
        "bi_thu_chi_bo_3_lan",
    )
    with pytest.raises(DomainError):
        election_stop(election=e, actor=ACTOR)
    seat = secretary_appoint(
        election=e, person=b, decision=decision, on=date(2025, 4, 20), actor=ACTOR
    )
    assert seat.status == SeatStatus.APPROVED and seat.decision == decision
    assert [(s.person, s.position) for s in committee_on(cell, date(2025, 4, 20))] == [
        (b, Position.SECRETARY)
    ]
    assert committee_on(cell, date(2025, 4, 19)) == []
    assert election_result(e).status == "appointed"
    # a committee (not a cell) may not appoint in place of an election
    ward = city_tree["w1"]
    wc = congress_record(
        org=ward,
        kind="delegate",
        starts_on=ON_190,
        summoned=100,
        present=95,
        term_label="2025–2030",
        actor=ACTOR,
    )
    we = election_open(
        congress=wc, what="secretary", seats=1, candidates=[a], summoned=15, present=15, actor=ACTOR
    )
    assert_refused(
        lambda: secretary_appoint(
            election=we, person=a, decision=decision, on=date(2025, 4, 20), actor=ACTOR
        ),
        "chi_dinh_bi_thu",
    )


def test_secretary_elected_by_the_new_committee_uses_its_own_threshold(cell):
    c = congress(cell, summoned=11, present=10)
    a = make_person()
    other = make_person()
    chi_uy = election_open(
        congress=c, what="committee", seats=1, candidates=[a, other], actor=ACTOR
    )
    ballot_round_record(
        election=chi_uy,
        issued=10,
        cast=10,
        valid=10,
        invalid=0,
        votes={a: 9, other: 1},
        actor=ACTOR,
    )
    e = election_open(
        congress=c, what="secretary", seats=1, candidates=[a], summoned=5, present=5, actor=ACTOR
    )
    # 3 of 5 committee members is more than half; the congress threshold (6) does not apply
    assert_refused(
        lambda: ballot_round_record(
            election=e, issued=6, cast=6, valid=6, invalid=0, votes={a: 3}, actor=ACTOR
        ),
        "phieu_phat_ra",
    )
    ballot_round_record(election=e, issued=5, cast=5, valid=5, invalid=0, votes={a: 3}, actor=ACTOR)
    assert election_result(e).status == "complete"


def test_first_round_lists_every_candidate(committee_election):
    e, (a, b, c, d, f, g) = committee_election
    with pytest.raises(InvalidInput):
        ballot_round_record(
            election=e, issued=10, cast=10, valid=10, invalid=0, votes={a: 9, b: 9}, actor=ACTOR
        )
    assert BallotRound.objects.count() == 0
    with pytest.raises(InvalidInput):
        ballot_round_record(
            election=e,
            issued=10,
            cast=10,
            valid=10,
            invalid=0,
            votes={make_person(): 1},
            actor=ACTOR,
        )
