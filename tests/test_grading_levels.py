"""Grading rules as the regulations write them: 132-QĐ/TW before 124-QĐ/TW, the levels graded,
the tasks' timeliness under 366-QĐ/TW, discipline in the year (self-reported faults), the
collective rules of an organization's grade, and members "not completed" two years running."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangbo.congresses.models import CommitteeSeat
from dangbo.core.errors import RuleViolation
from dangbo.grading.models import MemberGrade, OrgGrade
from dangbo.grading.rules import check_timeliness, grading_rules_on
from dangbo.grading.selectors import not_completed_running
from dangbo.grading.services import grading_record_org
from dangbo.inspections import services as inspections
from dangbo.membership.models import EventKind
from dangbo.organizations import services as org_services
from dangbo.organizations.models import Term
from dangbo.reports.verification import verify
from tests.conftest import ACTOR, admit, kind, record, ward_decision
from tests.fixtures.grading import grade_members, sheet

D = date
R132, R124, R366 = "Quy định 132-QĐ/TW", "Quy định 124-QĐ/TW", "Quy định 366-QĐ/TW"
ON_132, ON_124, ON_366 = D(2022, 12, 15), D(2024, 12, 15), D(2025, 12, 20)


def refused(action, rule: str, regulation: str) -> RuleViolation:
    before = (MemberGrade.objects.count(), OrgGrade.objects.count())
    with pytest.raises(RuleViolation) as caught:
        action()
    hits = [v for v in caught.value.violations if v.rule == rule]
    assert hits, caught.value.violations
    assert hits[0].regulation == regulation
    assert (MemberGrade.objects.count(), OrgGrade.objects.count()) == before
    return caught.value


def grade_org(org, grade, on=ON_124, **extra):
    return grading_record_org(
        org=org, year=on.year, graded_on=on, grade=grade, decision=None, actor=ACTOR, **extra
    )


@pytest.fixture
def w1(city_tree):
    """Ward 1 (base committee): 7 members in cell 1, 3 in cell 2, admitted 10/1/2019."""
    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    members = [admit(c1, D(2019, 1, 10)) for _ in range(7)] + [
        admit(c2, D(2019, 1, 10)) for _ in range(3)
    ]
    return city_tree, members


def test_132_qd_tw_with_its_guidance_before_124_took_effect():
    """Quy định 132-QĐ/TW (8/3/2018, Hướng dẫn 27-HD/BTCTW) until 124-QĐ/TW (4/10/2023)."""
    assert grading_rules_on(D(2019, 12, 20)).code == R132
    assert grading_rules_on(ON_132).code == R132
    assert grading_rules_on(D(2023, 10, 3)).code == R132
    assert grading_rules_on(D(2023, 10, 4)).code == R124
    assert "27-HD/BTCTW" in grading_rules_on(ON_132).guidance


def test_a_2022_grading_cites_132_qd_tw(w1):
    """Quy định 132-QĐ/TW: the grading of 2022 is recorded under it."""
    t, members = w1
    rows = grade_members(t["w1"], sheet(members, ["tot"] * 10), on=ON_132)
    assert {r.rule_set for r in rows} == {R132}


def test_cells_branch_committees_and_committees_above_base_are_graded_124_qd_tw(w1):
    """Quy định 124-QĐ/TW: cells and branch committees under a base committee are graded, and
    so are district and provincial committees; the central level is not."""
    t, _ = w1
    assert grade_org(t["w1c1"], "tot").rule_set == R124
    assert grade_org(t["city"], "xuat_sac").rule_set == R124
    bp = org_services.org_found(
        kind=kind("bo_phan"),
        name="Đảng bộ bộ phận",
        code="BP",
        parent=t["w2"],
        on=D(2018, 1, 1),
        actor=ACTOR,
    )
    assert grade_org(bp, "hoan_thanh").org == bp
    tw = org_services.org_found(
        kind=kind("trung_uong"),
        name="Trung ương",
        code="TW",
        parent=None,
        on=D(2018, 1, 1),
        actor=ACTOR,
    )
    err = refused(lambda: grade_org(tw, "tot"), "cap_xep_loai", R124)
    assert "Trung ương" in str(err)


@pytest.mark.parametrize(
    "grade, done, late, ok",
    [
        ("tot", 100, 0, True),
        ("tot", 100, 5, False),  # good: every task on time
        ("tot", 95, 0, False),
        ("xuat_sac", 100, 1, False),
        ("hoan_thanh", 100, 20, True),  # completed: at most 20% late
        ("hoan_thanh", 100, "20.01", False),
        ("hoan_thanh", 90, 0, False),  # completed: every task done
        ("khong_hoan_thanh", 60, 50, True),
    ],
)
def test_366_qd_tw_good_needs_tasks_on_time_completed_at_most_20_percent_late(
    grade, done, late, ok
):
    """Quy định 366-QĐ/TW: "good" needs every task done on time; "completed" every task done,
    at most 20% late."""
    rs = grading_rules_on(ON_366)
    got = check_timeliness(rs, who="X", grade=grade, done=Decimal(done), late=Decimal(str(late)))
    assert (got == []) == ok
    if not ok:
        assert (got[0].rule, got[0].regulation) == ("tien_do_nhiem_vu", R366)
    # not under 124-QĐ/TW
    assert (
        check_timeliness(
            grading_rules_on(ON_124), who="X", grade=grade, done=Decimal(0), late=Decimal(90)
        )
        == []
    )


def test_366_qd_tw_member_grade_refused_when_late(w1):
    """Quy định 366-QĐ/TW: a member graded good with tasks late is refused; completed passes."""
    t, members = w1
    grades = sheet(members, ["tot"] * 10, points=80, tasks_done_pct=100, tasks_late_pct=0)
    grades[0].update(tasks_late_pct=10)
    refused(lambda: grade_members(t["w1"], grades, on=ON_366), "tien_do_nhiem_vu", R366)
    grades[0].update(grade="hoan_thanh", points=60)
    rows = grade_members(t["w1"], grades, on=ON_366)
    assert MemberGrade.objects.get(member=members[0]).tasks_late_pct == 10
    assert len(rows) == 10


def test_disciplined_member_not_completed_unless_self_reported_124_qd_tw(w1):
    """Quy định 124-QĐ/TW: a member disciplined in the year is "not completed" unless they found
    and fixed the fault themselves (then graded on the merits, never excellent)."""
    t, members = w1
    record(members[0], EventKind.DISCIPLINE, D(2024, 5, 5), form="khien_trach")
    grades = sheet(members, ["tot"] * 10)
    refused(lambda: grade_members(t["w1"], grades), "ky_luat_trong_nam", R124)
    grades[0].update(grade="xuat_sac", self_reported=True)
    refused(lambda: grade_members(t["w1"], grades), "ky_luat_trong_nam", R124)
    grades[0].update(grade="tot")
    grade_members(t["w1"], grades)
    row = MemberGrade.objects.get(member=members[0])
    assert (row.grade, row.disciplined, row.self_reported) == ("tot", True, True)


def test_self_reported_fault_not_excepted_under_132_qd_tw(w1):
    """Quy định 132-QĐ/TW (Hướng dẫn 27-HD/BTCTW): discipline in the year → not completed."""
    t, members = w1
    record(members[0], EventKind.DISCIPLINE, D(2022, 5, 5), form="khien_trach")
    grades = sheet(members, ["tot"] * 10)
    grades[0].update(self_reported=True)
    refused(lambda: grade_members(t["w1"], grades, on=ON_132), "ky_luat_trong_nam", R132)


def _discipline_org(conducting, org, on):
    case = inspections.case_open(
        kind="kiem_tra_dau_hieu",
        conducting_org=conducting,
        conducting_body="Ủy ban Kiểm tra",
        starts_on=on,
        topic="Vi phạm",
        subject_org=org,
        actor=ACTOR,
    )
    inspections.case_conclude(
        case=case, on=on, violation_found=True, conclusion="Có vi phạm.", actor=ACTOR
    )
    inspections.case_discipline_org(
        case=case,
        form="khien_trach",
        on=on,
        decision=ward_decision(f"{org.pk}-QĐ/UBKT", on),
        actor=ACTOR,
    )


def test_not_excellent_when_a_unit_or_a_committee_member_was_disciplined_124_qd_tw(w1):
    """Quy định 124-QĐ/TW: an organization with a unit, or a committee member, disciplined in the
    year is not "excellent"; the disciplined unit itself is "not completed"."""
    t, members = w1
    _discipline_org(t["w1"], t["w1c2"], D(2024, 6, 1))
    err = refused(lambda: grade_org(t["w1"], "xuat_sac"), "xuat_sac_ky_luat", R124)
    assert "Chi bộ TDP 2 phường 1" in str(err)
    refused(lambda: grade_org(t["w1c2"], "tot"), "tap_the_khong_hoan_thanh", R124)
    assert grade_org(t["w1c2"], "khong_hoan_thanh").grade == "khong_hoan_thanh"
    # the year after, nothing bars ward 1
    assert grade_org(
        t["w1"],
        "xuat_sac",
        on=D(2025, 12, 20),
        points=95,
        tasks_done_pct=100,
        tasks_exceeded_pct=40,
    ).pk
    # a committee member of ward 2 disciplined in 2024
    term = Term.objects.create(org=t["w2"], label="2020–2025", starts_on=D(2020, 7, 1))
    someone = admit(t["w2c1"], D(2019, 1, 10), name="Lê Văn Ủy")
    CommitteeSeat.objects.create(
        org=t["w2"],
        person=someone.person,
        position="uy_vien_bch",
        term=term,
        starts_on=D(2020, 7, 1),
    )
    record(someone, EventKind.DISCIPLINE, D(2024, 9, 1), form="khien_trach")
    err = refused(lambda: grade_org(t["w2"], "xuat_sac"), "xuat_sac_ky_luat", R124)
    assert "Lê Văn Ủy" in str(err)
    assert grade_org(t["w2"], "tot").grade == "tot"


def test_collective_not_completed_when_over_20_percent_of_members_or_units_124_qd_tw(w1):
    """Quy định 124-QĐ/TW: more than 20% of the members graded, or of the direct units graded,
    "not completed" → the organization is "not completed"."""
    t, members = w1
    # cell 2: 3 members, 1 not completed (33% > 20%); cell 1: 7 members, 1 not completed (14%)
    grades = sheet(members, ["tot"] * 10)
    grades[0]["grade"] = "khong_hoan_thanh"
    grades[7]["grade"] = "khong_hoan_thanh"
    grade_members(t["w1"], grades)
    refused(lambda: grade_org(t["w1c2"], "hoan_thanh"), "tap_the_khong_hoan_thanh", R124)
    assert grade_org(t["w1c1"], "tot").grade == "tot"
    # ward 1: 2/10 members (20%, not over) — good
    assert grade_org(t["w1c2"], "khong_hoan_thanh").pk
    # ward 1's units: 1/2 not completed (50% > 20%)
    err = refused(lambda: grade_org(t["w1"], "tot"), "tap_the_khong_hoan_thanh", R124)
    assert "1/2 tổ chức đảng trực thuộc" in str(err)


def test_members_not_completed_two_years_running_are_listed_for_removal(w1):
    """Quy định 24-QĐ/TW (Điều lệ art. 8), graded under 124-QĐ/TW: a member graded "not
    completed" two years running is grounds for removal; the list names them."""
    t, members = w1
    a, b = members[0], members[1]
    g23 = sheet(members, ["tot"] * 10)
    g23[0]["grade"] = g23[1]["grade"] = "khong_hoan_thanh"
    grade_members(t["w1"], g23, on=D(2023, 12, 15))
    g24 = sheet(members, ["tot"] * 10)
    g24[0]["grade"] = "khong_hoan_thanh"
    grade_members(t["w1"], g24)
    listed = not_completed_running(year=2024)
    assert [r.member_id for r in listed] == [a.pk]
    assert listed[0].years == (2023, 2024) and listed[0].cell == "Chi bộ TDP 1 phường 1"
    assert [r.member_id for r in not_completed_running(year=2024, within=t["w1"].pk)] == [a.pk]
    assert not_completed_running(year=2024, within=t["w2"].pk) == []
    assert b.pk not in [r.member_id for r in not_completed_running(year=2024)]
    # `verify` lists them as warnings, citing the Charter's implementing rules
    report = verify(today=date(2025, 3, 1), years=1)
    [warning] = [w for w in report.warnings if "2 năm liền" in w]
    assert "(2023, 2024)" in warning and "xóa tên" in warning and "Quy định 24-QĐ/TW" in warning
