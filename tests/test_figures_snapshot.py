"""The dated snapshot of the breakdowns of the large subtrees.

The fixture, counted by hand (threshold 3 members): on 30/6/2024 the city has 8 members —
ward 1: cell 1 An (nam, born 1960, admitted 1990), Bình (nữ, 1995, 2020), Cường (nam, 1985,
2015; theory «trung cấp» from 1/1/2024), cell 2 Dung (nữ, 1970, 2000), Em (nam, 1990,
2018), and cell 2 of ward 2 (Hải, nam, 1980, 2010) moved under ward 1 on 1/1/2024; ward 2:
cell 1 Phương (nữ, 2000, 2022), Giang (nam, 1950, 1980). Those admitted before the tree was
founded (1/1/2018) were received from outside that day with their admission date. Large that day: the city (8),
ward 1 (6), cell 1 of ward 1 (3); ward 2 (2) is not, though it had 3 before the move.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import override_settings

from dangbo.figures import membership_figures, stock_breakdowns
from dangbo.figures_snapshot import snapshot_compute, snapshot_differences, snapshot_refresh
from dangbo.interchange.export import NOTHING_WITHHELD, interchange_export
from dangbo.interchange.importer import interchange_import
from dangbo.membership.attributes import person_attribute_change
from dangbo.membership.models import BreakdownCount, BreakdownSnapshot, Theory
from dangbo.organizations import services as org_services
from dangbo.organizations.selectors import org_resolve
from dangbo.reports.verification import verify
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.sheet import guess_mapping, read_table
from dangbo.xlsx_import.write import import_table
from tests.conftest import ACTOR, admit, receive, run
from tests.test_interchange import wipe
from tests.xlsx_import.sheets import event_workbook, nfd, serial

D = date(2024, 6, 30)
H1 = date(2024, 1, 1)
T0 = date(2018, 1, 1)


@pytest.fixture
def town(city_tree):
    t = city_tree
    receive(t["w1c1"], T0, date(1990, 1, 1), name="An", born=date(1960, 5, 1))
    admit(t["w1c1"], date(2020, 3, 1), name="Bình", gender="nu", born=date(1995, 2, 1))
    cuong = receive(t["w1c1"], T0, date(2015, 6, 1), name="Cường", born=date(1985, 6, 15))
    receive(t["w1c2"], T0, date(2000, 1, 1), name="Dung", gender="nu", born=date(1970, 3, 3))
    admit(t["w1c2"], date(2018, 5, 1), name="Em", born=date(1990, 9, 9), ethnicity="Tày")
    admit(t["w2c1"], date(2022, 1, 1), name="Phương", gender="nu", born=date(2000, 1, 1))
    receive(t["w2c1"], T0, date(1980, 1, 1), name="Giang", born=date(1950, 1, 1))
    receive(t["w2c2"], T0, date(2010, 1, 1), name="Hải", born=date(1980, 4, 4))
    person_attribute_change(
        person=cuong.person, attribute="theory", value=Theory.INTERMEDIATE, on=H1, actor=ACTOR
    )
    org_services.org_move(org=t["w2c2"], parent=t["w1"], on=H1, actor=ACTOR)
    return t


def stored(org, on=D) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for dim, value, n in BreakdownCount.objects.filter(org=org, as_of=on).values_list(
        "dim", "value", "n"
    ):
        out.setdefault(dim, {})[value] = n
    return out


@override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=3)
def test_snapshot_holds_the_large_subtrees_as_the_tree_stood_and_equals_live(town):
    assert snapshot_refresh(D) == 3
    large = set(BreakdownCount.objects.filter(as_of=D).values_list("org_id", flat=True))
    assert large == {town["city"].pk, town["w1"].pk, town["w1c1"].pk}
    city = stored(town["city"])
    assert city["gender"] == {"nam": 5, "nu": 3}
    assert city["age"] == {
        "30 trở xuống": 2,
        "31–40": 2,
        "41–50": 1,
        "51–60": 1,
        "61–70": 1,
        "trên 70": 1,
    }
    assert stored(town["w1"])["gender"] == {"nam": 4, "nu": 2}
    assert stored(town["w1c1"])["theory"] == {"khong": 2, "trung_cap": 1}
    assert stored(town["w1"])["ethnicity"] == {"Kinh": 5, "Tày": 1}
    # party age on 30/6/2024: 34, 4, 9, 24, 6, 14 years in ward 1
    assert stored(town["w1"])["party_age"] == {
        "dưới 10 năm": 3,
        "10 đến dưới 20 năm": 1,
        "20 đến dưới 30 năm": 1,
        "30 đến dưới 40 năm": 1,
    }
    for org in (town["city"], town["w1"], town["w1c1"]):
        assert stored(org) == {k: v for k, v in stock_breakdowns(org.pk, D).items() if v}
    # before the move ward 2 had 3 members, and Cường's theory was «chưa qua đào tạo»
    before = snapshot_compute(date(2023, 6, 30), 3)
    assert set(before) == {town["city"].pk, town["w1"].pk, town["w2"].pk, town["w1c1"].pk}
    assert before[town["w2"].pk]["gender"] == {"nam": 2, "nu": 1}
    assert before[town["w1c1"].pk]["theory"] == {"khong": 3}
    for org_id, counts in before.items():
        assert counts == stock_breakdowns(org_id, date(2023, 6, 30))


@override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=3)
def test_figures_read_the_snapshot_of_their_end_and_say_the_date_of_an_earlier_one(town):
    snapshot_refresh(D)
    # a marked count shows where the figures came from
    BreakdownCount.objects.filter(org=town["city"], as_of=D, dim="gender", value="nam").update(n=50)
    f = membership_figures(town["city"], H1, D)
    assert f.breakdowns is not None and f.breakdowns["gender"] == {"nam": 50, "nu": 3}
    assert f.breakdowns_as_of is None and "breakdowns_as_of" not in f
    # another end: counted live (exact), unless the caller accepts the latest snapshot
    later = date(2024, 12, 31)
    live = membership_figures(town["city"], H1, later)
    assert live.breakdowns is not None and live.breakdowns["gender"] == {"nam": 5, "nu": 3}
    assert live.breakdowns_as_of is None
    dash = membership_figures(town["city"], H1, later, breakdowns="snapshot")
    assert dash.breakdowns is not None and dash.breakdowns["gender"]["nam"] == 50
    assert dash.breakdowns_as_of == D and dash["breakdowns_as_of"] == "2024-06-30"
    # a small subtree is always counted live; no snapshot on or before: live
    small = membership_figures(town["w1c2"], H1, D, breakdowns="snapshot")
    assert small.breakdowns is not None and small.breakdowns["gender"] == {"nam": 1, "nu": 1}
    early = membership_figures(town["city"], H1, date(2024, 3, 31), breakdowns="snapshot")
    assert early.breakdowns is not None and early.breakdowns["gender"] == {"nam": 5, "nu": 3}
    assert early.breakdowns_as_of is None


@override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=3)
def test_a_back_dated_event_makes_the_snapshot_stale_verify_says_so_refresh_fixes(town):
    snapshot_refresh(D)
    assert snapshot_differences() == []
    admit(town["w2c1"], date(2024, 2, 1), name="Lan", gender="nu", born=date(1999, 1, 1))
    # the exact figures no longer trust the snapshot of their end
    f = membership_figures(town["city"], H1, D)
    assert f.breakdowns is not None and f.breakdowns["gender"] == {"nam": 5, "nu": 4}
    problems = snapshot_differences()
    assert len(problems) == 3  # the city changed; ward 2 (3) and its cell 1 (3) became large
    assert all("30/06/2024" in p for p in problems)
    assert any("TP" in p for p in problems) and any("P2-C1" in p for p in problems)
    report = verify(today=date(2024, 7, 1), years=1)
    assert len([p for p in report.failures if "Cơ cấu đảng viên" in p]) == 3
    assert snapshot_refresh(D) == 5
    assert snapshot_differences() == []
    assert stored(town["city"])["gender"] == {"nam": 5, "nu": 4}


@override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=3)
def test_snapshot_command_refreshes_the_date_and_verify_reports_a_stale_one(town):
    code, out, _ = run("snapshot", "--on", "30/6/2024")
    assert code == 0 and "tính đến ngày 30/06/2024 của 3 tổ chức" in out
    head = BreakdownSnapshot.objects.get(as_of=D)
    assert head.orgs == 3 and head.min_members == 3
    code, out, _ = run("snapshot", "--on", "30/6/2024")  # replaces, never adds
    assert BreakdownCount.objects.filter(as_of=D, org=town["city"], dim="gender").count() == 2
    # a later day drops the earlier snapshots that are not of a month's last day
    for on in ("2024-07-10", "2024-07-20"):
        assert run("snapshot", "--on", on)[0] == 0
    kept = set(BreakdownSnapshot.objects.values_list("as_of", flat=True))
    assert kept == {D, date(2024, 7, 20)}
    assert set(BreakdownCount.objects.values_list("as_of", flat=True)) == kept
    admit(town["w1c2"], date(2024, 2, 1), name="Lan")
    code, out, _ = run("verify", "--on", "2024-07-01", "--years", "1")
    assert code == 1 and "Cơ cấu đảng viên tính đến ngày 30/06/2024" in out
    with override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=1000):
        code, out, _ = run("snapshot", "--on", "2024-06-30")
    assert code == 0 and "Không tổ chức nào" in out
    assert not BreakdownCount.objects.filter(as_of=D).exists()


@override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=3)
def test_an_interchange_import_leaves_the_snapshot_of_today(town, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", D.isoformat())
    out = io.StringIO()
    interchange_export(out, actor=ACTOR, withheld=NOTHING_WITHHELD)
    wipe()
    assert not BreakdownSnapshot.objects.exists()
    interchange_import(io.BytesIO(out.getvalue().encode("utf-8")), actor=ACTOR)
    assert BreakdownSnapshot.objects.get().as_of == D
    large = set(BreakdownCount.objects.values_list("org_id", flat=True))
    assert large == {org_resolve(code).pk for code in ("TP", "P1", "P1-C1")}
    assert stored(org_resolve("TP"))["gender"] == {"nam": 5, "nu": 3}


@override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=3)
def test_an_excel_import_leaves_the_snapshot_of_today(town, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", D.isoformat())
    data = event_workbook(
        "Kết nạp",
        ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", nfd("Ngày kết nạp")],
        [["Lý Thị Mới", "Nữ", "2/3/2000", "P1-C2", serial(date(2024, 3, 5))]],
    )
    table = read_table(data, SheetKind.ADMISSIONS)
    out = import_table(
        kind=SheetKind.ADMISSIONS,
        org=town["w1"],
        on=D,
        table=table,
        mapping=guess_mapping(table, SheetKind.ADMISSIONS),
        actor=ACTOR,
    )
    assert out.written == 1
    # ward 1's second cell now has 3 members (Dung, Em, Mới): large too
    large = set(BreakdownCount.objects.filter(as_of=D).values_list("org_id", flat=True))
    assert large == {town[k].pk for k in ("city", "w1", "w1c1", "w1c2")}
    assert stored(town["w1"])["gender"] == {"nam": 4, "nu": 3}
