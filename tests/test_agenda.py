"""What needs action on the home page: each selector against counts made by hand, and against
a plain Python count over the members for the badge lists."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.dates import add_months, months_between
from dangbo.membership.agenda import (
    badges_due,
    latest_start,
    next_ceremonies,
    next_register_check,
    recognitions_due,
)
from dangbo.membership.models import EventKind, Member, MemberStatus
from dangbo.membership.selectors import cells_below_minimum
from dangbo.rulebook import rules_on
from tests.conftest import admit, receive, record

ON = date(2024, 6, 10)
CEREMONY = date(2024, 9, 2)


@pytest.fixture
def ward(city_tree):
    """Ward 1: cell 1 holds old members (badges), cell 2 the probationary ones; ward 2 one."""
    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    old = date(1930, 1, 1)
    m = {
        "g": receive(c1, date(2019, 1, 1), admitted=date(1994, 9, 2), born=old),
        "h": receive(c1, date(2019, 1, 1), admitted=date(1994, 9, 3), born=old),
        "i": receive(c1, date(2019, 1, 1), admitted=date(1984, 1, 1), born=old),
        "j": receive(c1, date(2019, 1, 1), admitted=date(1984, 1, 1), born=old),
        "k": receive(c1, date(2019, 1, 1), admitted=date(1955, 1, 1), born=old),
        "l": receive(c1, date(2019, 1, 1), admitted=date(2000, 1, 1), born=old),
        "f": receive(c2, date(2019, 1, 1), admitted=date(2005, 1, 1)),
        "f2": receive(c2, date(2019, 1, 1), admitted=date(2006, 1, 1)),
        "a": admit(c2, date(2023, 6, 1)),
        "b": admit(c2, date(2023, 8, 9)),
        "c": admit(c2, date(2023, 8, 10)),
        "d": admit(c2, date(2023, 7, 1)),
        "e": admit(city_tree["w2c1"], date(2023, 7, 1)),
    }
    record(m["i"], EventKind.BADGE, date(2024, 2, 3), badge_years=40)
    record(m["j"], EventKind.BADGE, date(2019, 2, 3), badge_years=30)
    record(m["k"], EventKind.BADGE, date(2021, 2, 3), badge_years=65)
    record(m["d"], EventKind.RECOGNITION, date(2024, 7, 1))  # recorded ahead of its day
    return m


def test_recognitions_due_within_60_days_and_overdue(city_tree, ward, django_assert_num_queries):
    with django_assert_num_queries(1):
        due = recognitions_due(city_tree["w1"].pk, on=ON)
    assert [r.member_id for r in due] == [ward["a"].pk, ward["b"].pk]
    assert [r.due_on for r in due] == [date(2024, 6, 1), date(2024, 8, 9)]
    assert [r.overdue(ON) for r in due] == [True, False]
    assert due[0].cell_name == "Chi bộ TDP 2 phường 1"
    city = recognitions_due(city_tree["city"].pk, on=ON)
    assert [r.member_id for r in city] == [ward["a"].pk, ward["e"].pk, ward["b"].pk]
    assert recognitions_due(city_tree["w1c1"].pk, on=ON) == []


def _by_hand(org_cells: set[int], ceremony: date) -> set[tuple[int, int, bool]]:
    """The badge list counted member by member in Python."""
    rs = rules_on(ceremony)
    out = set()
    for m in Member.objects.filter(status__in=[MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY]):
        if m.cell_id not in org_cells:
            continue
        age = months_between(m.party_anchor, ceremony)
        reached = [y for y in rs.badge_milestones if age >= y * 12]
        margin = {y: 12 if y <= 65 else 24 for y in rs.badge_milestones}
        early = [y for y in rs.badge_milestones if age >= y * 12 - margin[y]]
        top = max(m.badges, default=0)
        if reached and max(reached) > top:
            out.add((m.pk, max(reached), False))
        elif early and max(early) > top and max(early) > max(reached, default=0):
            out.add((m.pk, max(early), True))
    return out


def test_badge_list_of_the_next_ceremony(city_tree, ward, django_assert_num_queries):
    with django_assert_num_queries(1):
        due = badges_due(city_tree["w1"].pk, ceremony=CEREMONY, on=ON)
    got = {(b.member_id, b.milestone, b.early) for b in due}
    assert got == {
        (ward["g"].pk, 30, False),  # 30 years exactly on the day
        (ward["j"].pk, 40, False),  # has 30, reaches 40
        (ward["h"].pk, 30, True),  # one day short: only as an early award
        (ward["k"].pk, 70, True),  # has 65, 69 years 8 months: 70 within the 24 months
    }
    cells = {city_tree["w1c1"].pk, city_tree["w1c2"].pk}
    assert got == _by_hand(cells, CEREMONY)
    later = date(2025, 9, 2)
    assert {
        (b.member_id, b.milestone, b.early)
        for b in badges_due(city_tree["w1"].pk, ceremony=later, on=ON)
    } == _by_hand(cells, later)
    assert [b.early for b in due] == [False, False, True, True]


def test_cells_below_minimum_within_an_organization(city_tree, ward, django_assert_num_queries):
    with django_assert_num_queries(2):
        w1 = cells_below_minimum(on=ON, within=city_tree["w1"].pk)
    # cell 1: six full members; cell 2: two full members (f, f2) and probationary ones
    assert [(c["org_id"], c["official"]) for c in w1] == [(city_tree["w1c2"].pk, 2)]
    city = cells_below_minimum(on=ON, within=city_tree["city"].pk)
    assert {c["org_id"] for c in city} == {
        city_tree["w1c2"].pk,
        city_tree["w2c1"].pk,
        city_tree["w2c2"].pk,
    }
    assert {c["org_id"] for c in cells_below_minimum(on=ON)} == {c["org_id"] for c in city}


def test_ceremonies_and_register_checks():
    assert next_ceremonies(ON) == [date(2024, 9, 2), date(2024, 11, 7)]
    assert next_ceremonies(date(2024, 11, 8), 3) == [
        date(2025, 2, 3),
        date(2025, 5, 19),
        date(2025, 9, 2),
    ]
    assert next_ceremonies(CEREMONY, 1) == [CEREMONY]
    assert next_register_check(ON) == date(2024, 6, 30)
    assert next_register_check(date(2024, 7, 1)) == date(2024, 12, 31)
    assert next_register_check(date(2024, 12, 31)) == date(2024, 12, 31)
    assert next_register_check(date(2025, 1, 1)) == date(2025, 6, 30)


@pytest.mark.parametrize(
    "on,months",
    [(date(2026, 2, 28), 360), (date(2024, 2, 29), 12), (date(2024, 9, 30), 1), (ON, 480)],
)
def test_latest_start_agrees_with_months_between(on, months):
    start = latest_start(on, months)
    assert months_between(start, on) >= months
    assert months_between(add_months(start, 0).fromordinal(start.toordinal() + 1), on) < months
