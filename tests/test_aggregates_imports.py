"""The figure aggregates after the bulk paths, and `dangbo verify` on them.

After the interchange import, the Excel member-list import and a projection rebuild, the
figures read from the aggregates equal the ledger's for every organization and period, and
a bulk rebuild gives the same rows as the ones maintained so far. `dangbo verify` passes on
a consistent database and names the organization of a tampered aggregate row (a changed
count, a deleted row, an extra row).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

import pytest

from dangbo.figures import membership_figures
from dangbo.membership.aggregates import aggregate_differences, aggregates_rebuild
from dangbo.membership.models import FigureDelta, MemberEvent, TransferOut
from dangbo.membership.projection import projection_rebuild
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.sheet import guess_mapping, read_table
from dangbo.xlsx_import.write import import_table
from tests.aggregates_check import agg_rows, assert_aggregates_match_ledger
from tests.conftest import ACTOR, run
from tests.test_aggregates import Play
from tests.test_interchange import export_text, import_text, wipe
from tests.xlsx_import.sheets import big_workbook, workbook

SCRIPT = [
    ("receive", 1, 1), ("receive", 2, 2), ("receive", 3, 3), ("receive", 4, 4),
    ("admit", 5, 1), ("admit", 6, 2), ("admit", 7, 3), ("candidate", 0, 0),
    ("move", 1, 1), ("candidate", 0, 1), ("temporary", 3, 1), ("send", 0, 1),
    ("exempt", 1, 0), ("arrive", 0, 0), ("found", 0, 0), ("card", 0, 0),
    ("discipline", 2, 1), ("recognize", 0, 0), ("org_move", 1, 1), ("candidate", 0, 1),
    ("reverse", 3, 1), ("out", 1, 0), ("gender", 2, 0), ("split", 0, 1), ("merge", 1, 0),
    ("admit", 8, 0), ("merge_wards", 0, 0), ("out", 2, 1),
]  # fmt: skip


@pytest.fixture
def history(city_tree) -> Play:
    """A city's history written through the services: every kind of write, 2019–2022."""
    play = Play()
    for i, (action, p, q) in enumerate(SCRIPT):
        play.on = date(2019, 1, 1) + timedelta(days=45 * i)
        play.act(action, p, q)
    play.on += timedelta(days=1)
    assert play.done >= 20 and play.reorg_days
    return play


def figures_by_code(periods: list[tuple[date, date]]) -> dict:
    """Every organization's aggregate figures for each period, keyed by the organization's
    code (ids change across an export and import)."""
    codes = dict(OrgVersion.objects.order_by("valid_from").values_list("org_id", "code"))
    return {
        (codes[o], s, e): asdict(membership_figures(o, s, e, breakdowns=False))
        for o in Organization.objects.values_list("pk", flat=True)
        for s, e in periods
    }


def assert_rebuild_gives_the_same_rows() -> None:
    kept = agg_rows()
    aggregates_rebuild()
    assert agg_rows() == kept
    assert aggregate_differences() == []


def test_the_interchange_import_writes_the_aggregates_of_the_ledger_it_loads(history):
    periods = history.periods()
    before = figures_by_code(periods)
    text = export_text()
    TransferOut.objects.all().delete()  # the tables the test's wipe predates
    wipe()
    FigureDelta.objects.all().delete()
    import_text(text)
    assert MemberEvent.objects.count() > 15
    assert figures_by_code(periods) == before
    assert assert_aggregates_match_ledger(periods) > 0
    assert_rebuild_gives_the_same_rows()


def test_the_excel_member_list_import_writes_the_aggregates(city_tree):
    on = date(2024, 1, 1)
    for ward, data in (
        (city_tree["w1"], workbook()),
        (city_tree["w2"], big_workbook(60, ["P2-C1", "P2-C2"])),
    ):
        table = read_table(data, SheetKind.MEMBERS)
        out = import_table(
            kind=SheetKind.MEMBERS,
            org=ward,
            on=on,
            table=table,
            mapping=guess_mapping(table, SheetKind.MEMBERS),
            actor=ACTOR,
        )
        assert out.written > 0
    city = membership_figures(city_tree["city"], on, on, breakdowns=False)
    assert city.members_end == MemberEvent.objects.count() > 3
    periods = [(on, on), (on + timedelta(days=1), date(2024, 12, 31)), (date(2023, 1, 1), on)]
    assert assert_aggregates_match_ledger(periods) > 0
    assert_rebuild_gives_the_same_rows()


def test_a_projection_rebuild_leaves_the_aggregates_equal_to_the_ledger(history):
    kept = agg_rows()
    projection_rebuild()
    assert assert_aggregates_match_ledger(history.periods()) > 0
    assert agg_rows() == kept
    assert_rebuild_gives_the_same_rows()


# --- dangbo verify -----------------------------------------------------------------------


def verify(play: Play) -> tuple[int, str]:
    code, out, err = run("verify", "--on", play.on.isoformat(), "--years", "4")
    return code, out + err


def name_of(org_id: int) -> tuple[str, str]:
    v = OrgVersion.objects.filter(org_id=org_id).order_by("-valid_from").first()
    assert v is not None
    return v.name, v.code


def named(text: str, org_id: int) -> bool:
    return any(word in text for word in name_of(org_id))


def test_verify_passes_on_a_consistent_database(history):
    code, text = verify(history)
    assert code == 0, text
    assert aggregate_differences() == []


@pytest.mark.parametrize("tamper", ["changed", "deleted", "extra"])
def test_verify_names_the_organization_of_a_tampered_aggregate_row(history, city_tree, tamper):
    ward = city_tree["w2"]
    row = FigureDelta.objects.filter(org=ward, part="S").exclude(n=0).order_by("day").first()
    assert row is not None
    if tamper == "changed":
        FigureDelta.objects.filter(pk=row.pk).update(n=row.n + 1)
    elif tamper == "deleted":
        FigureDelta.objects.filter(pk=row.pk).delete()
    else:
        day = history.on - timedelta(days=3)
        FigureDelta.objects.create(org=ward, part="F", day=day, key="xoa_ten|||0|01", n=1)
    differences = aggregate_differences()
    assert differences and any(named(d, ward.pk) for d in differences), differences
    code, text = verify(history)
    assert code == 1, text
    assert named(text, ward.pk), text
    aggregates_rebuild()
    assert aggregate_differences() == []
    assert verify(history)[0] == 0
