"""Membership figures compared key by key with figures counted by hand.

The ledger of `town` (built below) is small enough to count on paper; each expected figure
in this file was counted from the event list in the fixture's docstring, not read from the
engine.
"""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.dates import parse_period
from dangbo.figures import membership_figures
from dangbo.membership.admission import (
    candidate_advance,
    candidate_create,
    class_certify,
    class_create,
)
from dangbo.membership.events import event_reverse
from dangbo.membership.models import CandidateStage, ClassKind, EventKind
from dangbo.membership.projection import projection_differences
from dangbo.organizations import services as org_services
from tests.conftest import ACTOR, admit, make_person, receive, record
from tests.reference import (
    DISCIPLINE_FORMS,
    FLOW_KEYS,
    STOCK_KEYS,
    assert_same_as_reference,
    identity_holds,
    reference_figures,
)

D = date

FORMS = DISCIPLINE_FORMS
ALL_KEYS = {
    "from",
    "to",
    "breakdowns",
    "badges_by_milestone",
    "disciplined",
    "disciplined_total",
    *STOCK_KEYS,
    *FLOW_KEYS,
}


def expect(start: tuple, end: tuple, *, badges=None, disciplined=None, **flows) -> dict:
    """Expected figures: stocks as (members, official, probationary, women, exempt), flows by name;
    everything not named is zero."""
    out = {k: 0 for k in (*STOCK_KEYS, *FLOW_KEYS)}
    for which, values in (("start", start), ("end", end)):
        for name, n in zip(
            ("members", "official", "probationary", "women", "exempt"), values, strict=True
        ):
            out[f"{name}_{which}"] = n
    unknown = set(flows) - set(FLOW_KEYS)
    assert not unknown, unknown
    out.update(flows)
    out["badges_by_milestone"] = badges or {}
    out["disciplined"] = {f: (disciplined or {}).get(f, 0) for f in FORMS}
    out["disciplined_total"] = sum((disciplined or {}).values())
    return out


def figures(org, period: str) -> dict:
    start, end = parse_period(period)
    return membership_figures(org, start, end)


def assert_figures(org, period: str, expected: dict) -> dict:
    f = figures(org, period)
    assert set(f) == ALL_KEYS
    assert (f["from"], f["to"]) == tuple(d.isoformat() for d in parse_period(period))
    got = {k: v for k, v in f.items() if k not in ("from", "to", "breakdowns")}
    assert got == expected
    for dim, counts in f["breakdowns"].items():
        assert sum(counts.values()) == f["members_end"], dim
    assert identity_holds(f)
    return f


@pytest.fixture
def town(city_tree):
    """The ledger every figure below is counted from.

    Before 2023 (stock on 31/12/2022):
      w1c1: a (probationary, woman), b, e, j, k        w1c2: c, h
      w2c1: d (woman), g, l                            w2c2: i (woman)
      (n was removed from w2c1 on 2/1/2019)
    2023, first half:
      01-01 m (woman) received from outside into w1c2   01-10 k exempted (w1c1)
      01-20 f admitted into w2c2                         02-01 e temporarily to w2c2 until 1/8
      02-10 c transferred w1c2 → w1c1                    02-15 i removed (w2c2)
      02-20 k warned (canh_cao)                          03-01 j leaves the Party (w1c1)
      03-03 e gets a card (w1c1)                         03-15 a recognized official
      04-02 b dies (w1c1)                                04-10 f reprimanded (khien_trach)
      05-05 d transferred w2c1 → w1c2                    05-19 b posthumous badge 30; g badge 70
      06-01 h expelled (w1c2)                            06-15 n readmitted into w1c1
      06-30 l transferred out of the system (w2c1)
      candidates: q (w1c1) certified 20/3, verified 10/5; r (w2c2) certified 20/12/2022,
      verified 30/6
    2023, second half:
      07-15 q dossier completed   08-01 e back   09-02 a gets a card   10-01 p (woman) admitted into w1c2
    """
    t = city_tree
    c11, c12, c21, c22 = t["w1c1"], t["w1c2"], t["w2c1"], t["w2c2"]
    m = {}
    m["a"] = admit(c11, D(2022, 3, 15), gender="nu", born=D(1990, 3, 1))
    m["b"] = receive(c11, D(2018, 2, 1), D(1990, 5, 10), born=D(1950, 7, 1))
    m["c"] = admit(c12, D(2021, 6, 1), born=D(1985, 1, 1))
    record(m["c"], EventKind.RECOGNITION, D(2022, 6, 1))
    m["d"] = receive(c21, D(2018, 3, 1), D(1995, 1, 5), gender="nu", born=D(1975, 1, 1))
    m["e"] = receive(c11, D(2018, 3, 1), D(2000, 1, 1), born=D(1980, 1, 1))
    m["g"] = receive(c21, D(2018, 3, 1), D(1953, 5, 19), born=D(1930, 1, 1))
    m["h"] = receive(c12, D(2018, 3, 1), D(1998, 1, 1), born=D(1970, 1, 1))
    m["i"] = admit(c22, D(2020, 4, 1), gender="nu", born=D(1992, 1, 1))
    record(m["i"], EventKind.RECOGNITION, D(2021, 4, 1))
    m["j"] = receive(c11, D(2018, 4, 1), D(2010, 1, 1), born=D(1988, 1, 1))
    m["k"] = receive(c11, D(2018, 4, 1), D(1996, 1, 1), born=D(1965, 1, 1))
    m["l"] = receive(c21, D(2018, 4, 1), D(2008, 1, 1), born=D(1983, 1, 1))
    m["n"] = receive(c21, D(2018, 4, 1), D(2005, 1, 1), born=D(1978, 1, 1))
    record(m["n"], EventKind.REMOVAL, D(2019, 1, 2))
    r = make_person(born=D(2001, 1, 1))
    cand_r = candidate_create(person=r, cell=c22, on=D(2022, 11, 1), actor=ACTOR)
    old_class = class_create(
        kind=ClassKind.AWARENESS,
        name="Lớp nhận thức 2022",
        organizer=t["w2"],
        starts_on=D(2022, 12, 1),
        ends_on=D(2022, 12, 15),
        actor=ACTOR,
    )
    class_certify(
        training_class=old_class,
        person=r,
        certificate_number="NT-2022-1",
        on=D(2022, 12, 20),
        actor=ACTOR,
    )
    cand_r.refresh_from_db()

    # 2023, first half
    m["m"] = receive(c12, D(2023, 1, 1), D(2015, 1, 1), gender="nu", born=D(1991, 1, 1))
    record(m["k"], EventKind.EXEMPTION, D(2023, 1, 10))
    q = make_person(born=D(2002, 1, 1))
    cand_q = candidate_create(person=q, cell=c11, on=D(2023, 1, 5), actor=ACTOR)
    candidate_advance(
        candidate=cand_r,
        stage=CandidateStage.SPONSORED,
        on=D(2023, 1, 5),
        sponsor=m["g"],
        actor=ACTOR,
    )
    m["f"] = admit(c22, D(2023, 1, 20), born=D(2000, 1, 1))
    record(m["e"], EventKind.TEMPORARY_OUT, D(2023, 2, 1), to_org=c22, until=D(2023, 8, 1))
    record(m["c"], EventKind.TRANSFER, D(2023, 2, 10), from_org=c12, to_org=c11)
    record(m["i"], EventKind.REMOVAL, D(2023, 2, 15))
    record(m["k"], EventKind.DISCIPLINE, D(2023, 2, 20), form="canh_cao")
    record(m["j"], EventKind.LEAVING, D(2023, 3, 1))
    record(m["e"], EventKind.CARD, D(2023, 3, 3), card_number="79000001")
    record(m["a"], EventKind.RECOGNITION, D(2023, 3, 15))
    new_class = class_create(
        kind=ClassKind.AWARENESS,
        name="Lớp nhận thức 2023",
        organizer=t["w1"],
        starts_on=D(2023, 3, 1),
        ends_on=D(2023, 3, 15),
        actor=ACTOR,
    )
    class_certify(
        training_class=new_class,
        person=q,
        certificate_number="NT-2023-1",
        on=D(2023, 3, 20),
        actor=ACTOR,
    )
    cand_q.refresh_from_db()
    candidate_advance(
        candidate=cand_q,
        stage=CandidateStage.SPONSORED,
        on=D(2023, 4, 1),
        sponsor=m["c"],
        actor=ACTOR,
    )
    record(m["b"], EventKind.DEATH, D(2023, 4, 2))
    record(m["f"], EventKind.DISCIPLINE, D(2023, 4, 10), form="khien_trach")
    record(m["d"], EventKind.TRANSFER, D(2023, 5, 5), from_org=c21, to_org=c12)
    candidate_advance(
        candidate=cand_q, stage=CandidateStage.VERIFIED, on=D(2023, 5, 10), actor=ACTOR
    )
    record(m["b"], EventKind.BADGE, D(2023, 5, 19), badge_years=30, posthumous=True)
    record(m["g"], EventKind.BADGE, D(2023, 5, 19), badge_years=70)
    record(m["h"], EventKind.DISCIPLINE, D(2023, 6, 1), form="khai_tru")
    record(
        m["n"], EventKind.READMISSION, D(2023, 6, 15), to_org=c11, details={"consent": "9-CV/TU"}
    )
    record(m["l"], EventKind.TRANSFER, D(2023, 6, 30), from_org=c21, to_org=None)
    candidate_advance(
        candidate=cand_r, stage=CandidateStage.VERIFIED, on=D(2023, 6, 30), actor=ACTOR
    )

    # 2023, second half
    candidate_advance(
        candidate=cand_q, stage=CandidateStage.DOSSIER, on=D(2023, 7, 15), actor=ACTOR
    )
    record(m["e"], EventKind.TEMPORARY_BACK, D(2023, 8, 1))
    record(m["a"], EventKind.CARD, D(2023, 9, 2), card_number="79000002")
    m["p"] = admit(c12, D(2023, 10, 1), gender="nu", born=D(1999, 5, 5))
    return t, m


# stocks are (members, official, probationary, women, exempt)
H1_W1 = expect(
    (7, 6, 1, 1, 0),
    (7, 6, 1, 3, 1),
    readmitted=1,
    recognized_official=1,
    transferred_in=2,
    transferred_internal=1,
    temporary_out=1,
    died=1,
    expelled=1,
    left=1,
    cards_issued=1,
    badges_awarded=1,
    badges_posthumous=1,
    exemptions_granted=1,
    candidates_trained=1,
    candidates_verified=1,
    badges={"30": 1},
    disciplined={"canh_cao": 1, "khai_tru": 1},
)
H1_W2 = expect(
    (4, 4, 0, 2, 0),
    (2, 1, 1, 0, 0),
    admitted=1,
    transferred_out=2,
    temporary_in=1,
    removed=1,
    badges_awarded=1,
    candidates_verified=1,
    badges={"70": 1},
    disciplined={"khien_trach": 1},
)
H1_CITY = expect(
    (11, 10, 1, 3, 0),
    (9, 7, 2, 3, 1),
    admitted=1,
    readmitted=1,
    recognized_official=1,
    transferred_in=1,
    transferred_out=1,
    transferred_internal=2,
    died=1,
    removed=1,
    expelled=1,
    left=1,
    cards_issued=1,
    badges_awarded=2,
    badges_posthumous=1,
    exemptions_granted=1,
    candidates_trained=1,
    candidates_verified=2,
    badges={"30": 1, "70": 1},
    disciplined={"canh_cao": 1, "khien_trach": 1, "khai_tru": 1},
)


def test_ward_1_first_half_2023(town):
    t, _ = town
    assert_figures(t["w1"], "2023-H1", H1_W1)


def test_ward_2_first_half_2023(town):
    t, _ = town
    assert_figures(t["w2"], "2023-H1", H1_W2)


def test_city_first_half_2023(town):
    t, _ = town
    f = assert_figures(t["city"], "2023-H1", H1_CITY)
    # on 30/6/2023: a, c, e, k, n (w1c1), m, d (w1c2), g (w2c1), f (w2c2)
    assert f["breakdowns"]["gender"] == {"nam": 6, "nu": 3}
    assert f["breakdowns"]["age"] == {
        "30 trở xuống": 1,
        "31–40": 3,
        "41–50": 3,
        "51–60": 1,
        "trên 70": 1,
    }


def test_a_transfer_between_cells_of_one_ward_is_out_and_in_for_the_cells(town):
    t, _ = town
    assert_figures(
        t["w1c1"],
        "2023-H1",
        expect(
            (5, 4, 1, 1, 0),
            (5, 4, 1, 1, 1),
            readmitted=1,
            recognized_official=1,
            transferred_in=1,
            temporary_out=1,
            died=1,
            left=1,
            cards_issued=1,
            badges_awarded=1,
            badges_posthumous=1,
            exemptions_granted=1,
            candidates_trained=1,
            candidates_verified=1,
            badges={"30": 1},
            disciplined={"canh_cao": 1},
        ),
    )
    assert_figures(
        t["w1c2"],
        "2023-H1",
        expect(
            (2, 2, 0, 0, 0),
            (2, 2, 0, 2, 0),
            transferred_in=2,
            transferred_out=1,
            expelled=1,
            disciplined={"khai_tru": 1},
        ),
    )


def test_temporary_transfers_are_counted_as_flows_but_not_in_the_host_stock(town):
    t, _ = town
    assert_figures(
        t["w2c1"],
        "2023-H1",
        expect(
            (3, 3, 0, 1, 0), (1, 1, 0, 0, 0), transferred_out=2, badges_awarded=1, badges={"70": 1}
        ),
    )
    # e attends w2c2 from 1/2 to 1/8 but stays in w1c1's stock
    assert_figures(
        t["w2c2"],
        "2023-H1",
        expect(
            (1, 1, 0, 1, 0),
            (1, 0, 1, 0, 0),
            admitted=1,
            removed=1,
            temporary_in=1,
            candidates_verified=1,
            disciplined={"khien_trach": 1},
        ),
    )
    assert_figures(t["w2c2"], "2023-M05", expect((1, 0, 1, 0, 0), (1, 0, 1, 0, 0)))


def test_a_temporary_transfer_outside_the_system_is_temporary_out_for_the_city(town):
    t, m = town
    record(m["g"], EventKind.TEMPORARY_OUT, D(2024, 2, 1), until=D(2024, 8, 1))
    f = figures(t["city"], "2024")
    assert (f["temporary_out"], f["temporary_in"], f["members_start"], f["members_end"]) == (
        1,
        0,
        10,
        10,
    )


def test_the_whole_year_2023(town):
    t, _ = town
    assert_figures(
        t["w1"],
        "2023",
        {
            **H1_W1,
            "members_end": 8,
            "official_end": 6,
            "probationary_end": 2,
            "women_end": 4,
            "admitted": 1,
            "cards_issued": 2,
            "dossiers_completed": 1,
        },
    )
    assert_figures(
        t["city"],
        "2023",
        {
            **H1_CITY,
            "members_end": 10,
            "official_end": 7,
            "probationary_end": 3,
            "women_end": 4,
            "admitted": 2,
            "cards_issued": 2,
            "dossiers_completed": 1,
        },
    )
    assert_figures(t["w2"], "2023-H2", expect((2, 1, 1, 0, 0), (2, 1, 1, 0, 0)))


def test_the_identity_holds_for_every_org_and_period(town):
    t, _ = town
    for org in t.values():
        for period in (
            "2018",
            "2022",
            "2023",
            "2023-H1",
            "2023-H2",
            "2023-9M",
            "2023-Q2",
            "2023-M06",
            "2024",
        ):
            assert identity_holds(figures(org, period)), (org, period)
        assert identity_holds(membership_figures(org, D(2018, 1, 1), D(2030, 12, 31)))


# --- reorganizations -------------------------------------------------------------------------


def test_merging_ward_1_into_ward_2_is_reorganized_out_and_in_and_keeps_history(town):
    t, _ = town
    before = {p: figures(t["w1"], p) for p in ("2023-H1", "2023", "2025-H1")}
    city_before = figures(t["city"], "2025")
    org_services.org_merge(sources=[t["w1"]], into=t["w2"], on=D(2025, 7, 1), actor=ACTOR)
    for period, f in before.items():
        assert figures(t["w1"], period) == f, period

    # on 31/12/2024 w1 has a, c, e, k(exempt), n(probationary) in w1c1 and m, d, p(probationary) in w1c2
    assert_figures(t["w1"], "2025", expect((8, 6, 2, 4, 1), (0, 0, 0, 0, 0), reorganized_out=8))
    assert_figures(t["w2"], "2025", expect((2, 1, 1, 0, 0), (10, 7, 3, 4, 1), reorganized_in=8))
    assert_figures(t["city"], "2025", expect((10, 7, 3, 4, 1), (10, 7, 3, 4, 1)))
    assert figures(t["city"], "2025") == city_before
    # a cell's own figures do not change: it only moved
    assert_figures(t["w1c1"], "2025", expect((5, 4, 1, 1, 1), (5, 4, 1, 1, 1)))
    # later facts of the moved cells belong to ward 2
    admit(t["w1c1"], D(2025, 9, 1))
    assert figures(t["w2"], "2025")["admitted"] == 1
    assert figures(t["w1"], "2025")["admitted"] == 0
    assert projection_differences() == []


def test_merging_two_cells_of_a_ward_changes_none_of_the_ward_figures(town):
    t, _ = town
    ward_before = {p: figures(t["w1"], p) for p in ("2024", "2024-H2", "2023")}
    city_before = figures(t["city"], "2024")
    org_services.org_merge(sources=[t["w1c1"]], into=t["w1c2"], on=D(2024, 7, 1), actor=ACTOR)
    for period, f in ward_before.items():
        assert figures(t["w1"], period) == f, period
    assert figures(t["city"], "2024") == city_before
    assert_figures(t["w1c1"], "2024", expect((5, 4, 1, 1, 1), (0, 0, 0, 0, 0), reorganized_out=5))
    assert_figures(t["w1c2"], "2024", expect((3, 2, 1, 3, 0), (8, 6, 2, 4, 1), reorganized_in=5))


def test_moving_a_cell_to_another_ward(town):
    t, _ = town
    org_services.org_move(org=t["w1c2"], parent=t["w2"], on=D(2024, 7, 1), actor=ACTOR)
    assert_figures(t["w1"], "2024", expect((8, 6, 2, 4, 1), (5, 4, 1, 1, 1), reorganized_out=3))
    assert_figures(t["w2"], "2024", expect((2, 1, 1, 0, 0), (5, 3, 2, 3, 0), reorganized_in=3))
    assert_figures(t["city"], "2024", expect((10, 7, 3, 4, 1), (10, 7, 3, 4, 1)))
    assert_figures(t["w1c2"], "2024", expect((3, 2, 1, 3, 0), (3, 2, 1, 3, 0)))
    # the first half of 2024 still shows the cell under ward 1
    assert_figures(t["w1"], "2024-H1", expect((8, 6, 2, 4, 1), (8, 6, 2, 4, 1)))


def test_a_transfer_between_wards_after_a_move_reads_the_tree_of_its_date(town):
    t, m = town
    org_services.org_move(org=t["w1c2"], parent=t["w2"], on=D(2024, 7, 1), actor=ACTOR)
    record(m["d"], EventKind.TRANSFER, D(2024, 9, 1), from_org=t["w1c2"], to_org=t["w2c1"])
    assert figures(t["w2"], "2024")["transferred_internal"] == 1
    f = figures(t["w1"], "2024")
    assert (f["transferred_out"], f["reorganized_out"]) == (0, 3)


# --- breakdown bands at their boundaries --------------------------------------------------------


def test_age_and_party_age_bands_at_their_boundaries(city_tree):
    on = D(2023, 6, 30)
    cell = city_tree["w1c1"]
    # age on 30/6/2023: exactly 30 → "30 trở xuống"; 30y11m → "30 trở xuống"; exactly 31 → "31–40"
    for born in (D(1993, 6, 30), D(1992, 7, 1), D(1992, 6, 30), D(1953, 6, 30), D(1952, 6, 30)):
        receive(cell, D(2018, 1, 1), D(2013, 7, 1), born=born)
    # party age on 30/6/2023 (admission anchor): 9y11m, exactly 10, exactly 50, 49y11m
    for admitted in (D(2013, 7, 1), D(2013, 6, 30), D(1973, 6, 30), D(1973, 7, 1)):
        receive(cell, D(2018, 1, 1), admitted, born=D(1950, 1, 1))
    f = membership_figures(city_tree["w1"], D(2023, 1, 1), on)
    assert f["members_end"] == 9
    # the four party-age members are all 73 (born 1950); 61–70 catches 70 exactly (born 30/6/1953)
    assert f["breakdowns"]["age"] == {"30 trở xuống": 2, "31–40": 1, "61–70": 1, "trên 70": 5}
    # the first five are all anchored 1/7/2013 → 9y11m
    assert f["breakdowns"]["party_age"] == {
        "dưới 10 năm": 6,
        "10 đến dưới 20 năm": 1,
        "40 đến dưới 50 năm": 1,
        "từ 50 năm trở lên": 1,
    }
    assert f["breakdowns"]["gender"] == {"nam": 9}


def test_bands_count_a_29_february_anniversary_on_28_february_like_the_rules(city_tree):
    # as for the admission age (18 on 28/2 for a child of 29/2), whole years count in months
    receive(city_tree["w1c1"], D(2018, 1, 1), D(2012, 2, 29), born=D(1992, 2, 29))

    def bands(on):
        b = membership_figures(city_tree["w1"], on, on)["breakdowns"]
        return b["age"], b["party_age"]

    assert bands(D(2022, 2, 27)) == ({"30 trở xuống": 1}, {"dưới 10 năm": 1})
    assert bands(D(2022, 2, 28)) == ({"30 trở xuống": 1}, {"10 đến dưới 20 năm": 1})
    assert bands(D(2023, 2, 27)) == ({"30 trở xuống": 1}, {"10 đến dưới 20 năm": 1})
    assert bands(D(2023, 2, 28)) == ({"31–40": 1}, {"10 đến dưới 20 năm": 1})


def test_a_transfer_between_cells_outside_the_ward_on_its_date_is_not_internal(city_tree):
    # given: cell 1 of ward 2 moves to ward 1 on 1/7/2023; in March 2023 (still under ward 2)
    # a member moves from it to cell 2 of ward 2 — both cells outside ward 1 on that date
    w1, w2, w2c1, w2c2 = city_tree["w1"], city_tree["w2"], city_tree["w2c1"], city_tree["w2c2"]
    m = admit(w2c1, date(2020, 1, 1))
    record(m, EventKind.TRANSFER, date(2023, 3, 1), from_org=w2c1, to_org=w2c2)
    org_services.org_move(org=w2c1, parent=w1, on=date(2023, 7, 1), actor=ACTOR)
    f1 = membership_figures(w1, date(2023, 1, 1), date(2023, 12, 31))
    f2 = membership_figures(w2, date(2023, 1, 1), date(2023, 12, 31))
    assert (f1["transferred_internal"], f1["transferred_in"], f1["transferred_out"]) == (0, 0, 0)
    assert (f2["transferred_internal"], f2["members_start"], f2["members_end"]) == (1, 1, 1)
    assert identity_holds(f1) and identity_holds(f2)


# --- every key against an independent count of the raw ledger rows --------------------------

REFERENCE_PERIODS = ("2022", "2023", "2023-H1", "2023-H2", "2023-Q2", "2024", "2024-H2", "2025")
REORGANIZE = {
    "merge_wards": lambda t: org_services.org_merge(
        sources=[t["w1"]], into=t["w2"], on=D(2024, 7, 1), actor=ACTOR
    ),
    "merge_cells": lambda t: org_services.org_merge(
        sources=[t["w1c1"]], into=t["w1c2"], on=D(2024, 7, 1), actor=ACTOR
    ),
    "merge_across": lambda t: org_services.org_merge(
        sources=[t["w2c1"]], into=t["w1c1"], on=D(2024, 7, 1), actor=ACTOR
    ),
    "move_cell": lambda t: org_services.org_move(
        org=t["w1c2"], parent=t["w2"], on=D(2024, 7, 1), actor=ACTOR
    ),
}


def test_the_reference_count_agrees_with_the_paper_count(town):
    # the independent counter is itself checked against the figures counted by hand above
    t, _ = town
    for org, expected in ((t["w1"], H1_W1), (t["w2"], H1_W2), (t["city"], H1_CITY)):
        got = reference_figures(org, D(2023, 1, 1), D(2023, 6, 30))
        assert {k: got[k] for k in expected} == expected, org


@pytest.mark.parametrize("reorganization", [None, *REORGANIZE])
def test_every_stock_and_flow_equals_an_independent_count(town, reorganization):
    t, m = town
    if reorganization:
        REORGANIZE[reorganization](t)
    # facts after the reorganization cross the new boundaries
    m["g"].refresh_from_db()
    record(m["g"], EventKind.TRANSFER, D(2024, 9, 1), from_org=m["g"].cell, to_org=t["w1c2"])
    record(m["k"], EventKind.TEMPORARY_OUT, D(2024, 10, 1), to_org=t["w2c2"], until=D(2025, 3, 1))
    admit(t["w2c2"], D(2024, 11, 1), gender="nu")
    wrong = record(m["e"], EventKind.CARD, D(2024, 12, 1), card_number="79000003")
    event_reverse(event=wrong, reason="Ghi nhầm", on=D(2024, 12, 2), actor=ACTOR)
    counted = 0
    for org in t.values():
        for period in REFERENCE_PERIODS:
            start, end = parse_period(period)
            f = membership_figures(org, start, end, breakdowns=False)
            assert_same_as_reference(f, org, start, end)
            counted += f["reorganized_in"] + f["transferred_in"]
    assert counted > 0
