"""A city with two members of ward 1's first cell already in the register."""

from __future__ import annotations

from datetime import date

import pytest

from tests.test_opening import open_member


@pytest.fixture
def opened(city_tree):
    c1 = city_tree["w1c1"]
    an = open_member(c1, admitted=date(1990, 2, 3), official=date(1991, 2, 3))
    an.person.full_name, an.person.citizen_id = "Nguyễn Văn An", "001085000001"
    an.person.save()
    binh = open_member(c1, card_number="11112222")
    binh.person.full_name = "Trần Thị Bình"
    binh.person.save()
    return {**city_tree, "an": an, "binh": binh}
