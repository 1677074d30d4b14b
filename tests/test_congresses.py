"""Committee seats over time, congress approval, and the congress figures of a ward built
by hand — each figure compared with an independent count of the hand-made table."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.congresses.congress import congress_approve
from dangbo.congresses.figures import KEYS, OWN_KEYS, congress_figures
from dangbo.congresses.models import CommitteeSeat, Congress, Position, SeatStatus
from dangbo.congresses.seats import seat_appoint, seat_end
from dangbo.congresses.selectors import (
    committee_on,
    previous_term,
    seats_awaiting_approval,
)
from dangbo.congresses.voting import election_open, election_stop
from dangbo.core.errors import DomainError, InvalidInput, NotFound
from dangbo.core.models import AuditEntry
from dangbo.organizations.services import term_open
from tests.conftest import ACTOR, make_person, ward_decision
from tests.fixtures.congresses import vote_all

P = Position


def names(seats):
    return [(s.person.full_name, s.position) for s in seats]


# --- seats ------------------------------------------------------------------------------------


def test_seat_appoint_end_and_order(city_tree):
    cell = city_tree["w1c1"]
    with pytest.raises(NotFound):  # no term recorded yet
        seat_appoint(
            org=cell,
            person=make_person(),
            position=P.COMMITTEE,
            starts_on=date(2021, 1, 1),
            actor=ACTOR,
        )
    term = term_open(org=cell, label="2020–2022", starts_on=date(2020, 3, 1), actor=ACTOR)
    on = date(2020, 3, 10)
    binh = make_person(name="Trần Thị Bình", gender="nu")
    an = make_person(name="Lê Văn An")
    anh = make_person(name="Nguyễn Thị Ánh", gender="nu")
    dung = make_person(name="Phạm Văn Dũng")
    cuc = make_person(name="Hoàng Thị Cúc", gender="nu")
    for person, position in (
        (binh, P.COMMITTEE),
        (anh, P.COMMITTEE),
        (an, P.COMMITTEE),
        (cuc, P.INSPECTION),
        (dung, P.SECRETARY),
    ):
        seat = seat_appoint(org=cell, person=person, position=position, starts_on=on, actor=ACTOR)
        assert seat.term == term
    # position rank first, then Vietnamese order by given name: An < Ánh < Bình
    assert names(committee_on(cell, on)) == [
        ("Phạm Văn Dũng", P.SECRETARY),
        ("Lê Văn An", P.COMMITTEE),
        ("Nguyễn Thị Ánh", P.COMMITTEE),
        ("Trần Thị Bình", P.COMMITTEE),
        ("Hoàng Thị Cúc", P.INSPECTION),
    ]
    assert committee_on(cell, date(2020, 3, 9)) == []
    # one secretary at a time; the same person not twice in one position
    with pytest.raises(DomainError) as caught:
        seat_appoint(
            org=cell, person=binh, position=P.SECRETARY, starts_on=date(2021, 1, 1), actor=ACTOR
        )
    assert "Phạm Văn Dũng" in caught.value.message
    with pytest.raises(DomainError):
        seat_appoint(
            org=cell, person=an, position=P.COMMITTEE, starts_on=date(2021, 1, 1), actor=ACTOR
        )
    secretary = CommitteeSeat.objects.get(person=dung)
    decision = ward_decision("20-QĐ/ĐU", date(2021, 1, 1))
    seat_end(seat=secretary, on=date(2021, 1, 1), decision=decision, actor=ACTOR)
    with pytest.raises(DomainError):
        seat_end(seat=secretary, on=date(2021, 2, 1), actor=ACTOR)
    with pytest.raises(InvalidInput):
        seat_end(seat=CommitteeSeat.objects.get(person=an), on=on, actor=ACTOR)
    seat_appoint(
        org=cell,
        person=binh,
        position=P.SECRETARY,
        starts_on=date(2021, 1, 1),
        decision=decision,
        actor=ACTOR,
    )
    assert names(committee_on(cell, date(2020, 12, 31)))[0] == ("Phạm Văn Dũng", P.SECRETARY)
    assert names(committee_on(cell, date(2021, 1, 1)))[0] == ("Trần Thị Bình", P.SECRETARY)
    assert "Phạm Văn Dũng" not in [n for n, _ in names(committee_on(cell, date(2021, 1, 1)))]
    assert AuditEntry.objects.filter(action__in=["seat_appoint", "seat_end"]).count() == 7


# --- the ward built by hand ---------------------------------------------------------------------

D = ward_decision


@pytest.fixture
def ward(congress_ward):
    """Ward 1's congresses of `tests.fixtures.congresses.congress_ward` (the table is in
    test_congress_figures_of_the_ward)."""
    return congress_ward


def test_committee_before_and_after_approval(ward):
    p, k1, c1 = ward["p"], ward["k1"], ward["c1"]
    old = [
        ("Phạm Văn Dũng", P.SECRETARY),
        ("Trần Thị Bình", P.DEPUTY),
        ("Hoàng Thị Cúc", P.COMMITTEE),
        ("Đỗ Văn Giang", P.COMMITTEE),
        ("Lê Văn An", P.INSPECTION),
    ]
    new = [
        ("Phạm Văn Dũng", P.SECRETARY),
        ("Hoàng Thị Cúc", P.DEPUTY),
        ("Lê Văn An", P.COMMITTEE),
        ("Nguyễn Thị Ánh", P.COMMITTEE),
        ("Trần Thị Bình", P.COMMITTEE),
    ]
    # elected, awaiting approval: not yet in force
    assert names(committee_on(c1, date(2022, 4, 20))) == old
    assert names(seats_awaiting_approval(c1)) == new
    assert all(s.status == SeatStatus.PENDING for s in seats_awaiting_approval(c1))
    decision = D("25-QĐ/ĐU", date(2022, 5, 1))
    with pytest.raises(InvalidInput):  # not before the congress closed
        congress_approve(congress=k1, decision=decision, on=date(2022, 4, 9), actor=ACTOR)
    seats = congress_approve(congress=k1, decision=decision, on=date(2022, 5, 1), actor=ACTOR)
    assert len(seats) == 5
    assert names(committee_on(c1, date(2022, 4, 30))) == old
    assert names(committee_on(c1, date(2022, 5, 1))) == new
    assert seats_awaiting_approval(c1) == []
    assert {s.decision for s in committee_on(c1, date(2022, 5, 1))} == {decision}
    ended = CommitteeSeat.objects.filter(org=c1, ends_on=date(2022, 5, 1))
    assert ended.count() == 5 and {s.end_decision for s in ended} == {decision}
    with pytest.raises(DomainError):
        congress_approve(congress=k1, decision=decision, on=date(2022, 5, 2), actor=ACTOR)
    with pytest.raises(DomainError):  # no more results after approval
        election_open(
            congress=k1, what="delegates", seats=1, candidates=[p["X"], p["P4"]], actor=ACTOR
        )
    assert previous_term(k1.term).label == "2020–2022"


def test_approval_refused_while_an_election_is_unfinished(ward):
    p, k2 = ward["p"], ward["k2"]
    e = election_open(
        congress=k2, what="delegates", seats=1, candidates=[p["Q1"], p["Q4"]], actor=ACTOR
    )
    before = (
        CommitteeSeat.objects.filter(status=SeatStatus.APPROVED).count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(DomainError) as caught:
        congress_approve(
            congress=k2, decision=D("30-QĐ/ĐU", date(2022, 6, 1)), on=date(2022, 6, 1), actor=ACTOR
        )
    assert "đại biểu" in caught.value.message
    assert (
        CommitteeSeat.objects.filter(status=SeatStatus.APPROVED).count(),
        AuditEntry.objects.count(),
    ) == before
    assert Congress.objects.get(pk=k2.pk).approved_on is None
    vote_all(e, {p["Q1"]: 3, p["Q4"]: 3})
    election_stop(election=e, actor=ACTOR)  # the congress decides to stop: seat left open
    congress_approve(
        congress=k2, decision=D("30-QĐ/ĐU", date(2022, 6, 1)), on=date(2022, 6, 1), actor=ACTOR
    )
    assert names(committee_on(ward["c2"], date(2022, 6, 1))) == [
        ("Bùi Văn Khoa", P.SECRETARY),
        ("Ngô Thị Mai", P.DEPUTY),
    ]
    # the 2020–2022 committee (from the approved 2020 congress) ended on the approval date
    assert names(committee_on(ward["c2"], date(2022, 5, 31))) == [
        ("Đặng Văn Long", P.SECRETARY),
        ("Bùi Văn Khoa", P.DEPUTY),
    ]


def test_congress_figures_of_the_ward(ward):
    congress_approve(
        congress=ward["k1"],
        decision=D("25-QĐ/ĐU", date(2022, 5, 1)),
        on=date(2022, 5, 1),
        actor=ACTOR,
    )
    # Hand-made table of the 2022 congresses of ward 1's cells (tree on the congress date):
    # congress, person, elected as, woman, seats held on that cell in its previous term
    elected = [
        ("c1", "P1", "committee", False, {"secretary"}),
        ("c1", "P2", "committee", True, {"deputy"}),
        ("c1", "P3", "committee", True, {"committee"}),
        ("c1", "P5", "committee", False, {"inspection"}),  # inspection only: not a committee seat
        ("c1", "N1", "committee", True, set()),  # on the committee two terms ago only
        ("c1", "P1", "secretary", False, {"secretary"}),
        ("c1", "P3", "deputy", True, {"committee"}),
        ("c2", "Q1", "secretary", False, {"deputy"}),  # elected in round 2
        ("c2", "Q3", "deputy", True, set()),
    ]
    committee_posts = {"secretary", "deputy", "committee"}
    with_committee = {c for c, _, what, _, _ in elected if what == "committee"}
    members = [r for r in elected if (r[2] == "committee") == (r[0] in with_committee)]
    secretaries = [r for r in elected if r[2] == "secretary"]
    expected = {
        # due: c1, c2 (terms ended, congresses held), c3 (term 2020–2022 open); w2c2 held its
        # congress under ward 2; ward 1's own term 2020–2025 is not due in 2022
        "congresses_due": 3,
        "congresses_held": 2,
        "congresses_approved": 1,  # c1 on 1/5/2022; c2 not approved
        "elected_in_one_round": 1,  # c1; c2's secretary needed two rounds
        "secretaries_elected": len(secretaries),
        "secretaries_appointed": 0,
        "secretaries_women": sum(r[3] for r in secretaries),
        "secretaries_reelected": sum("secretary" in r[4] for r in secretaries),
        "secretaries_new": sum("secretary" not in r[4] for r in secretaries),
        "committee_elected": len(members),
        "committee_women": sum(r[3] for r in members),
        "committee_reelected": sum(bool(r[4] & committee_posts) for r in members),
        "committee_first_time": sum(not (r[4] & committee_posts) for r in members),
    }
    assert expected["committee_elected"] == 7 and expected["committee_reelected"] == 4
    expected.update(
        {
            "congresses_held_pct": 66.7,  # 2/3
            "elected_in_one_round_pct": 50,  # 1/2
            "secretaries_women_pct": 0,
            "secretaries_reelected_pct": 50,
            "secretaries_new_pct": 50,
            "committee_women_pct": 57.1,  # 4/7
            "committee_reelected_pct": 57.1,  # 4/7
            "committee_first_time_pct": 42.9,  # 3/7
        }
    )
    # every unit due is a cell (c1, c2, c3), none a base organization; ward 1 held no
    # congress of its own in 2022; c3's overdue congress takes the term the others opened
    expected.update(
        {
            "cells_congresses_due": 3,
            "cells_congresses_held": 2,
            "cells_congresses_approved": 1,
            "cells_congresses_held_pct": 66.7,
            "base_orgs_congresses_due": 0,
            "base_orgs_congresses_held": 0,
            "base_orgs_congresses_held_pct": None,
            "other_orgs_congresses_due": 0,
            "other_orgs_congresses_held": 0,
            "own_congresses_held": 0,
            **dict.fromkeys(OWN_KEYS),
            "congresses_by_term": {
                "2022–2025": {"due": 3, "held": 2, "approved": 1, "held_pct": 66.7}
            },
            "congresses_by_round": {"2022": {"due": 3, "held": 2, "approved": 1, "held_pct": 66.7}},
        }
    )
    got = congress_figures(ward["w1"], date(2022, 1, 1), date(2022, 12, 31))
    assert set(got) == set(KEYS) == set(expected)
    for key in expected:
        assert got[key] == expected[key], key

    # ward 2 held w2c2's congress (it moved to ward 1 only afterwards)
    w2 = congress_figures(ward["w2"], date(2022, 1, 1), date(2022, 12, 31))
    assert (
        w2["congresses_due"],
        w2["congresses_held"],
        w2["secretaries_elected"],
        w2["secretaries_women"],
        w2["committee_elected"],
    ) == (1, 1, 1, 1, 1)
    assert w2["elected_in_one_round_pct"] == 100

    # 2020 in ward 1: c2's congress only; c1's and c3's terms opened without a congress
    y2020 = congress_figures(ward["w1"], date(2020, 1, 1), date(2020, 12, 31))
    assert (
        y2020["congresses_held"],
        y2020["congresses_approved"],
        y2020["secretaries_elected"],
        y2020["committee_elected"],
        y2020["committee_first_time"],
    ) == (1, 1, 1, 2, 2)
    # c1's 2018–2020 term ended on 29/2/2020 → due; c2 held → due
    assert y2020["congresses_due"] == 2
    # the first half of 2022 in the city: c1, c2 and w2c2 (then still in ward 2)
    city = congress_figures(ward["city"], date(2022, 1, 1), date(2022, 6, 30))
    assert city["congresses_held"] == 3 and city["secretaries_elected"] == 3
    empty = congress_figures(ward["w1"], date(2023, 1, 1), date(2023, 12, 31))
    assert empty["congresses_held"] == 0 and empty["committee_women_pct"] is None


# --- issue 11, items 9 and 15: congresses over a longer period -----------------------------------


def _count(due, held, approved=0):
    from dangbo.core.numbers import percentage, to_json_value

    return {
        "due": due,
        "held": held,
        "approved": approved,
        "held_pct": to_json_value(percentage(held, due)),
    }


def test_multi_year_congresses_count_congresses_not_organizations_dien_le_quy_dinh_24(ward):
    """Điều lệ Đảng and Quy định 24-QĐ/TW: a cell under a base committee holds its congress
    twice in the five-year term (2020–2022, 2022–2025), so "held / due" counts congresses
    and never exceeds 100%; the organization's own term is not counted among its units.

    Hand table of ward 1, 2020–2025 (tree on each date):
      c1: 2018–2020 ended 29/2/2020, 2020–2022 opened without a congress (due 2020, not
          held); congress k1 10/4/2022 opens 2022–2025 (held); 2022–2025 ends 2025 (due);
      c2: k2a 1/3/2020 opens 2020–2022 (held, approved); k2 5/5/2022 (held); due 2025;
      c3: 2020–2022 still open (due 2022, not held — counted under 2022–2025, the term the
          others opened that year);
      w2c2: its 2022 congress was held under ward 2; in ward 1 from 1/6/2022, due 2025;
      ward 1's own 2020–2025 term: not a unit of ward 1.
    """
    w1 = congress_figures(ward["w1"], date(2020, 1, 1), date(2025, 12, 31))
    assert (w1["congresses_due"], w1["congresses_held"], w1["congresses_approved"]) == (8, 3, 1)
    assert w1["congresses_held_pct"] == 37.5  # 3/8
    assert (w1["cells_congresses_due"], w1["cells_congresses_held"]) == (8, 3)
    assert w1["base_orgs_congresses_due"] == 0
    assert w1["congresses_by_term"] == {
        "2020–2022": _count(2, 1, 1),
        "2022–2025": _count(3, 2),
        "sau nhiệm kỳ 2022–2025": _count(3, 0),
    }
    assert w1["congresses_by_round"] == {
        "2020": _count(2, 1, 1),
        "2022": _count(3, 2),
        "2025": _count(3, 0),
    }
    # 2020–2022: c2 held twice; counting organizations would read 3/3 with c1's 2020 and c3's
    # 2022 congress missing — counting congresses reads 3/5
    short = congress_figures(ward["w1"], date(2020, 1, 1), date(2022, 12, 31))
    assert (short["congresses_held"], short["congresses_due"]) == (3, 5)

    # the city: ward 1's units, w2c2 (its 2022 congress under ward 2, then due 2025) and
    # ward 1 itself, a base organization whose 2020–2025 term ends in 2025
    city = congress_figures(ward["city"], date(2020, 1, 1), date(2025, 12, 31))
    assert (city["congresses_due"], city["congresses_held"]) == (10, 4)
    assert (city["base_orgs_congresses_due"], city["base_orgs_congresses_held"]) == (1, 0)
    assert (city["cells_congresses_due"], city["cells_congresses_held"]) == (9, 4)
    assert city["congresses_by_round"]["2025"] == _count(4, 0)
    assert city["own_congresses_held"] == 0 and city["own_congress_number"] is None


def test_own_congress_is_apart_from_the_units_quy_dinh_190(ward):
    """Quy định 190-QĐ/TW (Quy chế bầu cử): the delegate congress of ward 1 itself is not one
    of "the base organizations / cells that held their congress"; it has its own keys."""
    from dangbo.congresses.congress import congress_record

    own = congress_record(
        org=ward["w1"],
        kind="delegate",
        starts_on=date(2025, 9, 10),
        ends_on=date(2025, 9, 11),
        summoned=120,
        present=118,
        number=12,
        term_label="2025–2030",
        actor=ACTOR,
    )
    congress_approve(
        congress=own, decision=D("30-QĐ/QU", date(2025, 9, 20)), on=date(2025, 9, 20), actor=ACTOR
    )
    got = congress_figures(ward["w1"], date(2025, 1, 1), date(2025, 12, 31))
    # the units: c1, c2, w2c2 due in 2025 (terms 2022–2025), c3's term 2020–2022 is older
    assert (got["congresses_held"], got["congresses_due"], got["congresses_approved"]) == (0, 3, 0)
    assert {k: got[k] for k in OWN_KEYS} | {"own_congresses_held": got["own_congresses_held"]} == {
        "own_congresses_held": 1,
        "own_congress_number": 12,
        "own_congress_term": "2025–2030",
        "own_congress_kind": "delegate",
        "own_congress_starts_on": "2025-09-10",
        "own_congress_ends_on": "2025-09-11",
        "own_congress_delegates": 120,
        "own_congress_present": 118,
        "own_congress_approved_on": "2025-09-20",
    }
    # the city counts ward 1's congress as a base organization's
    city = congress_figures(ward["city"], date(2025, 1, 1), date(2025, 12, 31))
    assert (city["base_orgs_congresses_held"], city["base_orgs_congresses_due"]) == (1, 1)
    assert city["own_congresses_held"] == 0


def test_every_congress_key_has_a_label_and_a_glossary_entry():
    """Điều lệ Đảng, Quy định 190-QĐ/TW: each congress figure key is named in the labels and
    the glossary."""
    from pathlib import Path

    from dangbo.figure_labels import LABELS

    glossary = (Path(__file__).parent.parent / "docs" / "glossary.md").read_text()
    for key in KEYS:
        assert key in LABELS, key
        assert f"`{key}`" in glossary, key


def test_units_are_named_as_real_reports_name_them_quy_dinh_294():
    """Quy định 294-QĐ/TW (levels of the tree): "15/15 chi bộ" when every unit is a cell,
    "45/45 tổ chức cơ sở đảng và 120/120 chi bộ" for a district, the total first when ward
    committees (neither base organizations nor cells) are counted too."""
    from dangbo.congresses.figures import CongressFigures
    from dangbo.reports.compose_congresses import committee_noun, units_held

    ward = CongressFigures(
        congresses_due=15, congresses_held=15, cells_congresses_due=15, cells_congresses_held=15
    )
    assert (units_held(ward), committee_noun(ward)) == ("15/15 chi bộ", "chi ủy viên")
    district = CongressFigures(
        congresses_due=165,
        congresses_held=165,
        base_orgs_congresses_due=45,
        base_orgs_congresses_held=45,
        cells_congresses_due=120,
        cells_congresses_held=120,
    )
    assert units_held(district) == "45/45 tổ chức cơ sở đảng và 120/120 chi bộ"
    assert committee_noun(district) == "cấp ủy viên"
    province = CongressFigures(
        congresses_due=90,
        congresses_held=89,
        base_orgs_congresses_due=86,
        base_orgs_congresses_held=85,
        cells_congresses_due=86,
        cells_congresses_held=85,
        other_orgs_congresses_due=4,
        other_orgs_congresses_held=4,
    )
    assert units_held(province) == "89/90 tổ chức đảng (85/86 tổ chức cơ sở đảng, 85/86 chi bộ)"
    # a report issued before the kinds were counted keeps its words
    assert units_held(CongressFigures(congresses_due=6, congresses_held=6)) == "6/6 tổ chức đảng"
