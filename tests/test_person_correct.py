"""Correcting a wrongly recorded fact of a personal record (`people.person_correct`)."""

from __future__ import annotations

from datetime import date as D

import pytest

from dangbo.core.errors import InvalidInput
from dangbo.core.models import AuditEntry
from dangbo.figures import membership_figures
from dangbo.membership.aggregates import aggregate_differences
from dangbo.membership.models import Person
from dangbo.membership.people import person_correct
from tests.conftest import ACTOR, admit


def test_a_corrected_gender_moves_the_member_between_the_women_of_every_period(city_tree):
    cell = city_tree["w1c1"]
    member = admit(cell, D(2020, 3, 1), gender="nam")
    before = membership_figures(city_tree["city"], D(2021, 1, 1), D(2021, 12, 31))
    person_correct(person=member.person, actor=ACTOR, gender="nu")
    after = membership_figures(city_tree["city"], D(2021, 1, 1), D(2021, 12, 31))
    assert (after.women_start, after.women_end) == (before.women_start + 1, before.women_end + 1)
    assert after.members_end == before.members_end
    assert aggregate_differences() == []
    entry = AuditEntry.objects.get(action="person_correct")
    assert entry.before == {"gender": "nam"} and entry.after == {"gender": "nu"}


def test_a_bad_value_names_its_field_and_changes_nothing(city_tree):
    member = admit(city_tree["w1c1"], D(2020, 3, 1), gender="nam")
    with pytest.raises(InvalidInput) as exc:
        person_correct(person=member.person, actor=ACTOR, gender="x", full_name="Tên Mới")
    assert exc.value.field == "gender" and "giới tính" in str(exc.value)
    person = Person.objects.get(pk=member.person_id)
    assert (person.gender, person.full_name) == ("nam", member.person.full_name)
    assert aggregate_differences() == []


def test_a_dated_attribute_is_not_corrected_this_way(city_tree):
    member = admit(city_tree["w1c1"], D(2020, 3, 1))
    with pytest.raises(InvalidInput) as exc:
        person_correct(person=member.person, actor=ACTOR, education="12/12")
    assert exc.value.field == "education"
    assert not AuditEntry.objects.filter(action="person_correct").exists()
