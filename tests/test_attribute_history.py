"""Personal attributes over time (REPORTS §2: the structure of the stock on a date).

Breakdowns of a past date count education, qualification, political theory, occupation,
ethnicity and religion by the value in force that day, not today's.

The fixture, counted by hand: ward 1 cell 1 has three members admitted 1/3/2019 (born
1985): An (theory «sơ cấp», then «trung cấp» from 1/7/2023, then «cao cấp» from
1/7/2025), Bình («sơ cấp» throughout) and Cường («chưa qua đào tạo», then «sơ cấp» from
1/3/2024; occupation «Công nhân», then «Hưu trí» from 1/3/2024).
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from dangbo.core.errors import InvalidInput
from dangbo.core.models import AuditEntry
from dangbo.figures import membership_figures, stock_breakdowns
from dangbo.interchange.export import NOTHING_WITHHELD, interchange_export
from dangbo.interchange.importer import interchange_import
from dangbo.membership.attributes import attribute_value_on, person_attribute_change
from dangbo.membership.models import PersonAttributeChange, Theory
from dangbo.organizations.selectors import org_resolve
from tests.conftest import ACTOR, admit
from tests.test_interchange import wipe


def change(member, attribute, value, on):
    return person_attribute_change(
        person=member.person, attribute=attribute, value=value, on=on, actor=ACTOR
    )


@pytest.fixture
def history(city_tree):
    cell = city_tree["w1c1"]
    an = admit(cell, date(2019, 3, 1), theory=Theory.ELEMENTARY)
    binh = admit(cell, date(2019, 3, 1), theory=Theory.ELEMENTARY)
    cuong = admit(cell, date(2019, 3, 1), occupation="Công nhân")
    change(an, "theory", Theory.ADVANCED, date(2025, 7, 1))
    # recorded later, but in force earlier: inserted in the middle of An's history
    change(an, "theory", Theory.INTERMEDIATE, date(2023, 7, 1))
    change(cuong, "theory", Theory.ELEMENTARY, date(2024, 3, 1))
    change(cuong, "occupation", "Hưu trí", date(2024, 3, 1))
    return {**city_tree, "an": an, "binh": binh, "cuong": cuong}


def test_breakdown_of_a_past_date_uses_the_theory_level_in_force_that_day(history):
    """REPORTS §2 (structure of the stock on the day): hand counts of political theory."""
    w1 = history["w1"].pk
    assert stock_breakdowns(w1, date(2023, 6, 30))["theory"] == {"so_cap": 2, "khong": 1}
    assert stock_breakdowns(w1, date(2023, 7, 1))["theory"] == {
        "so_cap": 1,
        "trung_cap": 1,
        "khong": 1,
    }
    assert stock_breakdowns(w1, date(2024, 3, 1))["theory"] == {"so_cap": 2, "trung_cap": 1}
    assert stock_breakdowns(w1, date(2025, 12, 31))["theory"] == {"so_cap": 2, "cao_cap": 1}
    before = stock_breakdowns(w1, date(2024, 2, 29))["occupation"]
    after = stock_breakdowns(w1, date(2024, 3, 1))["occupation"]
    assert before["Công nhân"] == 1 and "Hưu trí" not in before
    assert after["Hưu trí"] == 1 and "Công nhân" not in after
    # the figures of a period break down its end stock the same way
    f = membership_figures(history["w1"], date(2023, 1, 1), date(2023, 12, 31))
    assert f.breakdowns is not None and f.breakdowns["theory"]["trung_cap"] == 1


def test_the_person_keeps_the_latest_value_and_the_chain_holds(history):
    an = history["an"].person
    an.refresh_from_db()
    assert an.theory == Theory.ADVANCED
    chain = list(
        PersonAttributeChange.objects.filter(person=an, attribute="theory")
        .order_by("valid_from")
        .values_list("previous", "value")
    )
    assert chain == [("so_cap", "trung_cap"), ("trung_cap", "cao_cap")]
    assert [attribute_value_on(an, "theory", d) for d in (
        date(2023, 6, 30), date(2023, 7, 1), date(2025, 6, 30), date(2025, 7, 1)
    )] == ["so_cap", "trung_cap", "trung_cap", "cao_cap"]  # fmt: skip


def test_changes_are_audited_and_bad_ones_refused(history):
    assert AuditEntry.objects.filter(action="person_attribute_change").count() == 4
    binh = history["binh"]
    with pytest.raises(InvalidInput) as exc:
        change(binh, "theory", "tien_si", date(2024, 1, 1))
    assert exc.value.field == "value"
    with pytest.raises(InvalidInput, match="đã là") as exc:
        change(binh, "theory", Theory.ELEMENTARY, date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="trước ngày sinh") as exc:
        change(binh, "theory", Theory.ADVANCED, date(1980, 1, 1))
    assert exc.value.field == "valid_from"
    with pytest.raises(InvalidInput, match="không theo dõi") as exc:
        change(binh, "full_name", "Khác", date(2024, 1, 1))
    # a correction for every date while there is no dated change
    person_attribute_change(
        person=binh.person, attribute="ethnicity", value="Tày", on=None, actor=ACTOR
    )
    assert stock_breakdowns(history["w1"].pk, date(2020, 1, 1))["ethnicity"]["Tày"] == 1
    with pytest.raises(InvalidInput, match="đã có lịch sử"):
        change(history["an"], "theory", Theory.BACHELOR, None)


def test_the_history_survives_the_interchange_round_trip(history):
    out = io.StringIO()
    interchange_export(out, actor=ACTOR, withheld=NOTHING_WITHHELD)
    first = out.getvalue()
    assert '"type": "attribute_change"' in first or '"type":"attribute_change"' in first
    before = stock_breakdowns(history["w1"].pk, date(2023, 7, 1))
    wipe()
    interchange_import(io.BytesIO(first.encode("utf-8")), actor=ACTOR)
    out = io.StringIO()
    interchange_export(out, actor=ACTOR, withheld=NOTHING_WITHHELD)
    assert out.getvalue() == first
    ward = org_resolve("P1")  # the import chooses new ids
    assert stock_breakdowns(ward.pk, date(2023, 7, 1)) == before
