"""A 10,000-row office member list imported end to end (the opening balance)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from dangbo.membership.models import EventKind, Member, MemberEvent, MemberStatus
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.sheet import guess_mapping, read_table
from dangbo.xlsx_import.write import import_table
from tests.conftest import ACTOR
from tests.xlsx_import.sheets import big_member, big_workbook

N = 10_000


@pytest.mark.slow
def test_ten_thousand_members_go_in_as_the_sheet_says(city_tree):
    cells = ["P1-C1", "Chi bộ TDP 2 phường 1"]
    table = read_table(big_workbook(N, cells), SheetKind.MEMBERS)
    assert table.header_row == 4 and len(table.rows) == N  # the blank rows left out
    out = import_table(
        kind=SheetKind.MEMBERS,
        org=city_tree["w1"],
        on=date(2024, 1, 1),
        table=table,
        mapping=guess_mapping(table, SheetKind.MEMBERS),
        actor=ACTOR,
    )
    assert out.written == N == Member.objects.count()
    assert MemberEvent.objects.filter(kind=EventKind.OPENING).count() == N
    cell_ids = [city_tree["w1c1"].pk, city_tree["w1c2"].pk]
    sample = [0, 1, 2, 499, 500, N - 1, *random.Random(13).sample(range(N), 40)]
    members = {
        m.person.citizen_id: m
        for m in Member.objects.select_related("person").filter(
            person__citizen_id__in=[f"{i + 1:012d}" for i in sample]
        )
    }
    for i in sample:
        want = big_member(i, cells)
        m = members[want["citizen_id"]]
        p = m.person
        assert (p.full_name, p.gender, p.birth_date) == (
            want["full_name"],
            want["gender"],
            want["birth_date"],
        ), i
        assert m.cell_id == cell_ids[i % 2], i
        assert m.status == (
            MemberStatus.OFFICIAL if want["official"] else MemberStatus.PROBATIONARY
        ), i
        assert (m.admitted_on, m.official_on, m.card_number) == (
            want["admitted_on"],
            want["official_on"],
            want["card_number"],
        ), i
