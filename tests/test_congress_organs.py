"""Issue 11, item 6: what a cell's congress elects (294-QĐ/TW and the Charter's implementing
rules before it), the delegate congress's threshold under 190-QĐ/TW, and the numbering of a
committee's and a congress's documents — each through the pure rule and the service."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.congresses import elections as rules
from dangbo.congresses import organs
from dangbo.congresses.congress import congress_record
from dangbo.congresses.voting import ballot_round_record, election_open
from dangbo.core.errors import InvalidInput, RuleViolation
from dangbo.documents.numbering import number_issue, numbering_term
from dangbo.organizations.services import term_open
from tests.conftest import ACTOR, make_person

Q294, Q232, Q24 = "Quy định 294-QĐ/TW", "Quy định 232-QĐ/TW", "Quy định 24-QĐ/TW"
ON_294 = date(2025, 8, 10)
ON_232 = date(2025, 4, 10)


def _codes(violations):
    return [(v.rule, v.regulation) for v in violations]


def test_cell_committee_from_nine_full_members_at_most_seven_under_294():
    """Quy định 294-QĐ/TW: a cell of ≥ 9 full members elects a chi ủy of at most 7; under 9
    no chi ủy; one deputy; no standing committee. Before 1/7/2025 (232-QĐ/TW) no cap of 7."""
    check = organs.check_cell_election
    assert check(what="committee", seats=7, full_members=9, on=ON_294) == []
    assert _codes(check(what="committee", seats=8, full_members=20, on=ON_294)) == [
        ("co_cau_chi_bo", Q294)
    ]
    assert check(what="committee", seats=8, full_members=20, on=ON_232) == []
    v = check(what="committee", seats=3, full_members=8, on=ON_294)
    assert _codes(v) == [("co_cau_chi_bo", Q294)]
    assert "dưới 9 đảng viên chính thức (8) không bầu chi ủy" in v[0].message
    assert _codes(check(what="committee", seats=3, full_members=8, on=date(2022, 3, 1))) == [
        ("co_cau_chi_bo", Q24)
    ]
    assert check(what="secretary", seats=1, full_members=8, on=ON_294) == []
    assert check(what="deputy", seats=1, full_members=8, on=ON_294) == []
    assert _codes(check(what="deputy", seats=2, full_members=12, on=ON_294)) == [
        ("co_cau_chi_bo", Q294)
    ]
    assert _codes(check(what="standing", seats=3, full_members=30, on=ON_294)) == [
        ("co_cau_chi_bo", Q294)
    ]


def test_secretary_and_deputy_from_among_the_chi_uy_quy_dinh_294():
    """Quy định 294-QĐ/TW: from 9 full members the secretary and deputy are elected from
    among the chi ủy just elected; under 9 directly."""
    check = organs.check_officers_from_committee
    kw = {"what": "secretary", "on": ON_294}
    assert check(full_members=8, committee_elected=False, outside=["An"], **kw) == []
    v = check(full_members=9, committee_elected=False, outside=["An"], **kw)
    assert _codes(v) == [("co_cau_chi_bo", Q294)] and "bầu chi ủy trước" in v[0].message
    v = check(full_members=9, committee_elected=True, outside=["An"], **kw)
    assert "An không trúng cử chi ủy" in v[0].message
    assert check(full_members=9, committee_elected=True, outside=[], **kw) == []


@pytest.fixture
def cell(city_tree):
    cell = city_tree["w1c1"]
    term_open(org=cell, label="2022–2025", starts_on=date(2022, 4, 1), actor=ACTOR)
    return cell


def _congress(cell, summoned, on=ON_294):
    return congress_record(
        org=cell,
        kind="all_member",
        starts_on=on,
        summoned=summoned,
        present=summoned,
        term_label="2025–2030",
        actor=ACTOR,
    )


def test_services_refuse_a_cell_election_the_rules_forbid_quy_dinh_294(cell):
    """Quy định 294-QĐ/TW through the services: refused with the rule and regulation."""
    small = _congress(cell, 8)
    with pytest.raises(RuleViolation) as caught:
        election_open(
            congress=small,
            what="committee",
            seats=3,
            candidates=[make_person() for _ in range(4)],
            actor=ACTOR,
        )
    assert caught.value.violations[0].rule == "co_cau_chi_bo"
    assert caught.value.message.startswith(f"{Q294}: ")
    # under 9: the secretary and a deputy directly
    a, b = make_person(), make_person()
    election_open(congress=small, what="secretary", seats=1, candidates=[a], actor=ACTOR)
    with pytest.raises(RuleViolation):
        election_open(congress=small, what="deputy", seats=2, candidates=[a, b], actor=ACTOR)


def test_secretary_of_a_large_cell_comes_from_its_chi_uy_quy_dinh_294(city_tree):
    cell = city_tree["w1c2"]
    term_open(org=cell, label="2022–2025", starts_on=date(2022, 4, 1), actor=ACTOR)
    c = _congress(cell, 12)
    a, b, d = (make_person() for _ in range(3))
    with pytest.raises(RuleViolation):  # the chi ủy first
        election_open(congress=c, what="secretary", seats=1, candidates=[a], actor=ACTOR)
    with pytest.raises(RuleViolation):  # at most 7 under 294-QĐ/TW
        election_open(
            congress=c,
            what="committee",
            seats=8,
            candidates=[make_person() for _ in range(9)],
            actor=ACTOR,
        )
    chi_uy = election_open(congress=c, what="committee", seats=2, candidates=[a, b, d], actor=ACTOR)
    ballot_round_record(
        election=chi_uy,
        issued=12,
        cast=12,
        valid=12,
        invalid=0,
        votes={a: 10, b: 9, d: 2},
        actor=ACTOR,
    )
    with pytest.raises(RuleViolation) as caught:  # d was not elected to the chi ủy
        election_open(congress=c, what="deputy", seats=1, candidates=[d], actor=ACTOR)
    assert "không trúng cử chi ủy" in caught.value.message
    election_open(congress=c, what="secretary", seats=1, candidates=[a], actor=ACTOR)
    election_open(congress=c, what="deputy", seats=1, candidates=[b], actor=ACTOR)


def test_delegate_congress_excludes_absent_convening_committee_quy_dinh_190():
    """Quy định 190-QĐ/TW: the threshold base of a delegate congress also excludes the
    members of the convening committee absent for the whole congress; not under 244-QĐ/TW,
    never at an all-member congress."""
    a = rules.Attendance(
        kind="delegate",
        summoned=150,
        present=140,
        absent_delegates_no_substitute=3,
        absent_convening_committee=2,
    )
    # 150 − 3 − 2 = 145 → more than half: 73
    assert a.base == 145 and rules.votes_needed(a.base) == 73
    assert rules.check_attendance(a, date(2025, 9, 1)) == []
    v = rules.check_attendance(a, date(2022, 9, 1))
    assert _codes(v) == [("loai_tru_cap_uy_vang", "Quy định 244-QĐ/TW")]
    b = rules.Attendance(kind="all_member", summoned=12, present=10, absent_convening_committee=1)
    assert _codes(rules.check_attendance(b, date(2025, 9, 1))) == [
        ("loai_tru_cap_uy_vang", "Quy định 190-QĐ/TW")
    ]


def test_delegate_congress_service_takes_the_exclusion_quy_dinh_190(city_tree):
    w1 = city_tree["w1"]
    c = congress_record(
        org=w1,
        kind="delegate",
        starts_on=date(2025, 9, 10),
        summoned=120,
        present=110,
        absent_delegates_no_substitute=1,
        absent_convening_committee=3,
        term_label="2025–2030",
        actor=ACTOR,
    )
    assert (c.threshold_base, c.threshold) == (116, 59)


def test_committee_numbers_from_the_day_after_its_congress_and_congress_documents_share_one_sequence(
    city_tree,
):
    """Hướng dẫn 36-HD/VPTW (numbering per committee term) with 190-QĐ/TW: the new term's
    numbering starts the day after the congress closes; the congress's own documents are
    numbered in one sequence across types ("01-NQ/ĐH", "02-BB/ĐH")."""
    w1 = city_tree["w1"]
    old = term_open(org=w1, label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    first = number_issue(issuer=w1, type_code="BC", on=date(2025, 3, 1), title="a", actor=ACTOR)
    assert first.text == "01-BC/ĐU" and first.term == old
    c = congress_record(
        org=w1,
        kind="delegate",
        starts_on=date(2025, 9, 10),
        ends_on=date(2025, 9, 11),
        summoned=120,
        present=118,
        term_label="2025–2030",
        actor=ACTOR,
    )
    # during the congress the outgoing committee still numbers
    assert numbering_term(w1, date(2025, 9, 11)) == old
    during = number_issue(issuer=w1, type_code="BC", on=date(2025, 9, 10), title="b", actor=ACTOR)
    assert during.text == "02-BC/ĐU" and during.term == old
    # the congress's documents: one sequence across types, in the term it opens
    texts = [
        number_issue(
            issuer=w1,
            type_code=t,
            on=date(2025, 9, 11),
            title=t,
            actor=ACTOR,
            congress_document=True,
        ).text
        for t in ("NQ", "BB", "BB", "TB")
    ]
    assert texts == ["01-NQ/ĐH", "02-BB/ĐH", "03-BB/ĐH", "04-TB/ĐH"]
    # the new committee numbers from the day after the closing, from 01 in every type
    after = number_issue(issuer=w1, type_code="BC", on=date(2025, 9, 12), title="c", actor=ACTOR)
    assert after.text == "01-BC/ĐU" and after.term == c.term
    nq = number_issue(issuer=w1, type_code="NQ", on=date(2025, 9, 12), title="d", actor=ACTOR)
    assert nq.text == "01-NQ/ĐU"
    with pytest.raises(InvalidInput):  # no congress that day
        number_issue(
            issuer=w1,
            type_code="NQ",
            on=date(2025, 9, 12),
            title="e",
            actor=ACTOR,
            congress_document=True,
        )
