"""Who the members are: those on the rolls when the detailed history begins, the veteran
kept as recorded, the members received from outside the city, and the card numbers."""

from __future__ import annotations

from datetime import date, timedelta

from dangbo.core.dates import add_months, months_between
from dangbo.demo.common import (
    ADMISSION_AGE,
    AGE_2018,
    ANNUAL_RECEIVED_RATE,
    FOUNDED,
    INSTITUTION_OCCUPATION,
    count_around,
)
from dangbo.demo.lives import History, Life
from dangbo.demo.people import weighted
from dangbo.demo.tree import Ward
from dangbo.membership.models import EventKind


def plan_initial_members(h: History, ward: Ward) -> list[Life]:
    """The members of `ward` on the first day of the detailed history, with their early record."""
    rng, tree = h.rng, h.tree
    start = h.size.history_from
    inst = [c for c in ward.cells if tree.cells[c].category != "residential"]
    working = 0.42 * ward.size
    p_inst = min(0.5, 18 * len(inst) / max(1.0, working))
    residential = tree.residential(ward)
    weights = [tree.cells[c].weight for c in residential]
    lives = []
    for _ in range(ward.size):
        age = rng.randint(*weighted(rng, AGE_2018))
        if inst and age < 56 and rng.random() < p_inst:
            cell = rng.choice(inst)
        else:
            cell = rng.choices(residential, weights=weights, k=1)[0]
        category = tree.cells[cell].category
        if category in ("police", "military"):
            gender = "nam" if rng.random() < 0.85 else "nu"
        else:
            gender = "nu" if rng.random() < (0.3 if age > 70 else 0.45) else "nam"
        person = h.person(
            birth_year=start.year - 1 - age,
            gender=gender,
            occupation=INSTITUTION_OCCUPATION.get(category),
        )
        birth = person["birth_date"]
        months = 12 * rng.randint(*weighted(rng, ADMISSION_AGE)) + rng.randint(0, 11)
        earliest = max(18 * 12, months_between(birth, FOUNDED) + 1)
        latest = min(60 * 12 - 1, months_between(birth, start) - 1)
        if months > latest:  # a young member: admitted at some point before the record begins
            months = rng.randint(earliest, latest)
        months = max(months, earliest)
        admitted = add_months(birth, months)
        extra = timedelta(days=rng.randint(0, 27))
        if admitted + extra < start and months_between(birth, admitted + extra) <= 60 * 12 - 1:
            admitted += extra
        lives.append(h.add_initial(ward, cell, person, admitted))
    return lives


def plan_veteran(h: History, ward: Ward) -> Life:
    """A historical record kept as it was: admitted at 17 in wartime, confirmed by the city."""
    person = h.person(birth_year=1950, gender="nam", occupation="huu_tri")
    person["birth_date"] = date(1950, 5, 12)
    admitted = date(1967, 12, 22)
    exception = h.city_decision(
        date(2012, 3, 15),
        f"Về việc công nhận tuổi đảng đối với đồng chí {person['full_name']}, "
        "kết nạp khi chưa đủ 18 tuổi trong thời kỳ kháng chiến chống Mỹ, cứu nước",
    )
    return h.add_initial(ward, h.tree.residential(ward)[0], person, admitted, exception=exception)


def plan_received(h: History, wards: list[Ward], first: date, last: date) -> list[Life]:
    """Members received from outside the city between `first` and `last`, in date order."""
    rng = h.rng
    arrivals: list[tuple[date, int]] = []
    for ward in wards:
        days = (last - first).days + 1
        for _ in range(count_around(rng, ward.size * ANNUAL_RECEIVED_RATE * days / 365.25)):
            arrivals.append((first + timedelta(days=rng.randrange(days)), ward.index))
    arrivals.sort()
    return [h.add_received(h.tree.wards[w], on) for on, w in arrivals]


def number_cards(lives: list[Life]) -> None:
    cards = sorted(
        (
            (p.data.effective_on, life.key, p.data)
            for life in lives
            for p in life.events
            if p.data.kind == EventKind.CARD
        ),
        key=lambda t: (t[0], t[1]),
    )
    for serial, (_, _, data) in enumerate(cards, start=1):
        data.card_number = f"01{serial:06d}"
