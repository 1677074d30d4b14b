"""The member register selector: folded search, Vietnamese order, filters, keyset pages.

The expected order is computed here with ICU directly (given name, then the rest of the
name, then the person id); counts are made in Python from the members' own fields.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from types import SimpleNamespace

import icu
import pytest
from django.apps import apps as django_apps
from django.db import connection

from dangbo.membership.models import EventKind, Member, MemberStatus, Person
from dangbo.membership.register import (
    AGE_BANDS,
    PARTY_AGE_BANDS,
    RegisterFilter,
    decode_cursor,
    register_page,
)
from tests.conftest import admit, make_person, receive, record

ON = date(2024, 6, 1)

NAMES = [
    "Nguyễn Văn An",
    "Nguyễn Văn Anh",
    "Trần Thị Ánh",
    "Lê Văn Ân",
    "Phạm Thị Ấn",
    "Đỗ Văn Bình",
    "Dương Thị Bình",
    "Đặng Đức Đạt",
    "Hoàng Văn Dũng",
    "Nguyễn Thị Dung",
    "Vũ Thị Ðào",  # Latin capital ETH (U+00D0), which offices paste from old files
    "Bùi Văn Hòa",
    "Ngô Thị Hoa",
    "Lý Thị Hỏa",
    "Trịnh Văn Hà",
    "Đinh Thị Hạ",
    "Mai Văn Ă",
    "Hồ Văn Ăn",
    "Nguyễn Văn An",  # the same name twice: ordered by id
    "Cao Thị Ơn",
    "Tạ Văn Ôn",
    "La Thị On",
]


@pytest.fixture
def roll(city_tree):
    """22 members over both cells of ward 1 and one of ward 2, with varied fields."""
    cells = [city_tree["w1c1"], city_tree["w1c2"], city_tree["w2c1"]]
    members = []
    for i, name in enumerate(NAMES):
        cell = cells[i % 3]
        born = date(1950 + 3 * i, 1 + i % 12, 1 + i % 27)
        kwargs = {
            "name": name,
            "gender": "nu" if " Thị " in name else "nam",
            "born": born,
            "theory": ["khong", "so_cap", "trung_cap", "cao_cap"][i % 4],
        }
        if i % 5 == 4:
            kwargs["born"] = date(1990 + i % 7, 2, 28)
            members.append(admit(cell, date(2023, 1, 1) + timedelta(days=7 * i), **kwargs))
        else:
            members.append(receive(cell, date(2020, 1, 1), date(1970 + i * 2, 3, 1), **kwargs))
    # one exempt, one with a card, one off the rolls
    record(members[3], EventKind.EXEMPTION, date(2023, 5, 1), form="suc_khoe")
    record(members[5], EventKind.CARD, date(2022, 5, 1), card_number="79001234")
    record(members[7], EventKind.DEATH, date(2024, 1, 10))
    return SimpleNamespace(tree=city_tree, members=[Member.objects.get(pk=m.pk) for m in members])


def icu_order(members: list[Member]) -> list[int]:
    collator = icu.Collator.createInstance(icu.Locale("vi"))

    def key(m: Member):
        name = m.person.full_name.replace("\u00d0", "\u0110")  # eth sorts as Đ
        words = unicodedata.normalize("NFC", name).split()
        return (
            collator.getSortKey(words[-1]),
            collator.getSortKey(" ".join(words[:-1])),
            m.person_id,
        )

    return [m.pk for m in sorted(members, key=key)]


def ward1(roll) -> list[int]:
    return [roll.tree["w1"].pk, roll.tree["w1c1"].pk, roll.tree["w1c2"].pk]


def all_pages(org_ids, filters, size) -> list[int]:
    out, cursor = [], None
    while True:
        page = register_page(org_ids=org_ids, filters=filters, on=ON, cursor=cursor, size=size)
        out += [m.pk for m in page.rows]
        if page.next_cursor is None:
            return out
        cursor = page.next_cursor


def current(members) -> list[Member]:
    return [
        Member.objects.select_related("person").get(pk=m.pk)
        for m in members
        if Member.objects.get(pk=m.pk).status != MemberStatus.OUT
    ]


@pytest.mark.django_db
def test_person_create_writes_the_folded_name_from_any_unicode_form():
    p = make_person(name=unicodedata.normalize("NFD", "  Đặng  Thị Ánh Ðào "))
    assert p.search_text == "dang thi anh dao"
    stored = Person.objects.get(pk=p.pk)
    assert stored.search_text == "dang thi anh dao"
    other = make_person(name="Đặng Thị Ánh Đào")
    assert stored.sort_key == other.sort_key != ""


@pytest.mark.django_db
def test_a_search_without_diacritics_finds_the_name(roll):
    everyone = [c.pk for c in roll.tree.values()]
    found = register_page(org_ids=everyone, filters=RegisterFilter(q="nguyen van an"), on=ON)
    names = sorted(m.person.full_name for m in found.rows)
    # every word begins a word of the name: "an" also begins "Anh"
    assert names == ["Nguyễn Văn An", "Nguyễn Văn An", "Nguyễn Văn Anh"]
    found = register_page(org_ids=everyone, filters=RegisterFilter(q="NGUYEN van anh"), on=ON)
    assert [m.person.full_name for m in found.rows] == ["Nguyễn Văn Anh"]
    # words in any order, with accents typed or not, đ/Đ as d
    found = register_page(org_ids=everyone, filters=RegisterFilter(q="dat dang"), on=ON)
    assert found.rows == []  # Đặng Đức Đạt died: off the rolls
    found = register_page(org_ids=everyone, filters=RegisterFilter(q="đào vu"), on=ON)
    assert [m.person.full_name for m in found.rows] == ["Vũ Thị Ðào"]
    # a word in the middle of another word does not match
    assert register_page(org_ids=everyone, filters=RegisterFilter(q="guyen"), on=ON).total == 0
    # the card number
    found = register_page(org_ids=everyone, filters=RegisterFilter(q=" 79001234 "), on=ON)
    assert [m.person.full_name for m in found.rows] == ["Đỗ Văn Bình"]
    assert found.total == 1


@pytest.mark.django_db
def test_the_order_is_icu_vietnamese_by_given_name_then_the_rest(roll):
    everyone = [c.pk for c in roll.tree.values()]
    page = register_page(org_ids=everyone, filters=RegisterFilter(), on=ON, size=100)
    assert [m.pk for m in page.rows] == icu_order(current(roll.members))
    given = [m.person.full_name.split()[-1] for m in page.rows]
    # a < ă < â, d < đ, o < ô < ơ, tones ngang < huyền < hỏi < ngã < sắc < nặng
    assert given[:7] == ["An", "An", "Anh", "Ánh", "Ă", "Ăn", "Ân"]
    assert given.index("Ân") < given.index("Ấn") < given.index("Bình")
    assert given.index("Dung") < given.index("Dũng") < given.index("Ðào")
    assert given.index("Hoa") < given.index("Hòa") < given.index("Hỏa")
    assert given.index("On") < given.index("Ôn") < given.index("Ơn")
    assert page.total == len(NAMES) - 1
    assert page.next_cursor is None and page.prev_cursor is None


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 3, 7, 50])
def test_keyset_pages_concatenated_are_the_sorted_list_both_ways(roll, size):
    everyone = [c.pk for c in roll.tree.values()]
    expected = icu_order(current(roll.members))
    assert all_pages(everyone, RegisterFilter(), size) == expected
    # backwards from the last page with the previous-page cursors
    cursor, pages = None, []
    while True:
        page = register_page(
            org_ids=everyone, filters=RegisterFilter(), on=ON, cursor=cursor, size=size
        )
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    back = [m.pk for m in page.rows]
    while page.prev_cursor is not None:
        page = register_page(
            org_ids=everyone, filters=RegisterFilter(), on=ON, cursor=page.prev_cursor, size=size
        )
        pages.append(len(page.rows))
        back = [m.pk for m in page.rows] + back
    assert back == expected
    assert all(n == size for n in pages)


@pytest.mark.django_db
def test_the_scope_is_the_cell_or_host_cell_and_a_bad_cursor_starts_again(roll):
    expected = [m.pk for m in current(roll.members) if m.cell_id in ward1(roll)]
    got = all_pages(ward1(roll), RegisterFilter(), 4)
    assert sorted(got) == sorted(expected) and len(got) == len(set(got))
    assert decode_cursor("not a cursor!") is None
    assert decode_cursor("YTp4eXo6MQ") is None  # "a:xyz:1": not a hex key
    page = register_page(org_ids=ward1(roll), filters=RegisterFilter(), on=ON, cursor="%%%", size=4)
    assert [m.pk for m in page.rows] == got[:4]
    # a member on a temporary transfer into ward 1 is listed there too
    outsider = next(m for m in current(roll.members) if m.cell_id == roll.tree["w2c1"].pk)
    record(
        outsider,
        EventKind.TEMPORARY_OUT,
        date(2024, 2, 1),
        to_org=roll.tree["w1c1"],
        until=date(2024, 12, 1),
    )
    assert outsider.pk in all_pages(ward1(roll), RegisterFilter(), 4)


def whole_years(start: date, on: date) -> int:
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    if (start.month, start.day) == (2, 29) and (on.month, on.day) == (2, 28):
        years += 1
    return years


@pytest.mark.django_db
def test_each_filter_is_counted_independently(roll):
    everyone = [c.pk for c in roll.tree.values()]
    members = current(roll.members)

    def count(**kw):
        page = register_page(org_ids=everyone, filters=RegisterFilter(**kw), on=ON, size=100)
        assert page.total == len(page.rows)
        return page.total

    cell = roll.tree["w1c2"].pk
    assert count(cell=cell) == sum(m.cell_id == cell for m in members) > 0
    for status in MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL:
        assert count(status=status) == sum(m.status == status for m in members) > 0
    for gender in "nam", "nu":
        assert count(gender=gender) == sum(m.person.gender == gender for m in members) > 0
    for theory in "khong", "so_cap", "cao_cap":
        assert count(theory=theory) == sum(m.person.theory == theory for m in members) > 0
    assert count(exempt=True) == 1
    assert count(exempt=False) == len(members) - 1
    seen = 0
    for key, (_, low, high) in AGE_BANDS.items():
        n = sum(
            low <= whole_years(m.person.birth_date, ON) <= (high if high is not None else 999)
            for m in members
        )
        assert count(age_band=key) == n
        seen += n
    assert seen == len(members)
    seen = 0
    for key, (_, low, high) in PARTY_AGE_BANDS.items():
        n = sum(
            low <= m.party_age_months(ON) // 12 <= (high if high is not None else 999)
            for m in members
        )
        assert count(party_age_band=key) == n
        seen += n
    assert seen == len(members)
    # combined
    assert count(gender="nu", theory="so_cap") == sum(
        m.person.gender == "nu" and m.person.theory == "so_cap" for m in members
    )


def test_the_bands_are_those_of_the_statistical_forms():
    from dangbo.figures import AGE_BANDS as FORM_AGE
    from dangbo.figures import PARTY_AGE_BANDS as FORM_PARTY_AGE

    assert [(label, high) for label, _, high in AGE_BANDS.values()] == list(FORM_AGE)
    assert [
        (label, None if high is None else high + 1) for label, _, high in PARTY_AGE_BANDS.values()
    ] == list(FORM_PARTY_AGE)


@pytest.mark.django_db
def test_the_interchange_import_and_the_migration_fill_the_columns():
    from tests.test_interchange import GOOD, import_text, jsonl

    import_text(jsonl(GOOD))
    person = Person.objects.get()
    assert person.search_text == "nguyen van an"
    expected = Person(full_name="Nguyễn Văn An", gender="nam", birth_date=date(1990, 1, 1))
    expected.save()
    assert person.sort_key == expected.sort_key != ""
    # the data migration fills rows written before the columns existed
    Person.objects.update(search_text="", sort_key="")
    migration = __import__(
        "dangbo.membership.migrations.0005_person_search_columns", fromlist=["fill"]
    )
    migration.fill(django_apps, SimpleNamespace(connection=connection))
    assert set(Person.objects.values_list("search_text", "sort_key")) == {
        ("nguyen van an", expected.sort_key)
    }


@pytest.mark.django_db
def test_counting_stops_past_the_cap(roll, monkeypatch):
    monkeypatch.setattr("dangbo.membership.register.COUNT_CAP", 5)
    everyone = [c.pk for c in roll.tree.values()]
    page = register_page(org_ids=everyone, filters=RegisterFilter(), on=ON, size=3)
    assert page.total == 6 and page.more_than_cap
    page = register_page(
        org_ids=everyone, filters=RegisterFilter(gender="nam", cell=roll.tree["w1c1"].pk), on=ON
    )
    assert page.total == len(page.rows) <= 5 and not page.more_than_cap
