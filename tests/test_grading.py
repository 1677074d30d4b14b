"""Annual quality grading: the rules of 124-QĐ/TW and 366-QĐ/TW, and the grading figures.

Every refusal is checked for its rule, the regulation it cites and that nothing was
written. The figures of `ward_x` are compared key by key with counts made by hand from
the fixture's docstring.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from dangbo.core.errors import DomainError, InvalidInput, RuleViolation
from dangbo.core.models import AuditEntry
from dangbo.grading import rules as grading_rules
from dangbo.grading.figures import grading_figures
from dangbo.grading.models import MemberGrade, OrgGrade
from dangbo.grading.rules import excellent_cap, grades_for_points, grading_rules_on
from dangbo.grading.selectors import base_org_on
from dangbo.grading.services import (
    grading_record_org,
    grading_withdraw_members,
)
from dangbo.membership.events import event_reverse
from dangbo.membership.models import EventKind
from dangbo.membership.selectors import member_counts
from dangbo.organizations import services as org_services
from tests.conftest import ACTOR, admit, kind, record, ward_decision
from tests.fixtures.grading import grade_members, sheet

D = date
R124, R366 = "Quy định 124-QĐ/TW", "Quy định 366-QĐ/TW"
ON_124, ON_366 = D(2024, 12, 15), D(2025, 12, 20)


def written() -> tuple[int, int, int]:
    return MemberGrade.objects.count(), OrgGrade.objects.count(), AuditEntry.objects.count()


def refused(action, rule: str, regulation: str) -> RuleViolation:
    """`action` raises a RuleViolation naming `rule` and citing `regulation`; nothing is written."""
    before = written()
    with pytest.raises(RuleViolation) as caught:
        action()
    assert rule in [v.rule for v in caught.value.violations]
    assert all(v.regulation == regulation for v in caught.value.violations)
    assert str(caught.value).startswith(f"{regulation}: ")
    assert written() == before
    return caught.value


@pytest.fixture
def w1(city_tree):
    """«Đảng bộ phường 1» (a base committee): 13 members admitted 10/1/2019, 7 in cell 1, 6 in cell 2."""
    c1, c2 = city_tree["w1c1"], city_tree["w1c2"]
    members = [admit(c1, D(2019, 1, 10)) for _ in range(7)] + [
        admit(c2, D(2019, 1, 10)) for _ in range(6)
    ]
    return city_tree["w1"], members


# --- which rule set -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "on, code",
    [
        (D(2023, 12, 20), R124),
        (D(2024, 12, 15), R124),
        (D(2025, 8, 29), R124),
        (D(2025, 8, 30), R366),
        (D(2025, 12, 20), R366),
        (D(2026, 1, 15), R366),
    ],
)
def test_the_rule_set_is_the_one_in_force_on_the_grading_date(on, code):
    assert grading_rules_on(on).code == code


def test_a_december_2024_grading_follows_124_and_needs_no_points(w1):
    base, members = w1
    rows = grade_members(base, sheet(members, ["tot"] * 12 + ["hoan_thanh"]))
    assert {r.rule_set for r in rows} == {R124}
    assert all(r.points is None for r in rows)
    assert MemberGrade.objects.filter(year=2024, base_org=base, grade="tot").count() == 12
    entry = AuditEntry.objects.get(action="grading_record_members")
    assert (entry.object_id, entry.after["rule_set"], len(entry.after["grades"])) == (
        str(base.pk),
        R124,
        13,
    )


def test_a_december_2025_grading_follows_366_and_needs_points(w1):
    base, members = w1
    err = refused(
        lambda: grade_members(base, sheet(members, ["tot"] * 13), on=ON_366), "diem_bat_buoc", R366
    )
    assert "phải ghi điểm đánh giá" in err.message
    rows = grade_members(base, sheet(members, ["tot"] * 13, points=80), on=ON_366)
    assert {r.rule_set for r in rows} == {R366}
    assert {r.points for r in rows} == {Decimal(80)}


# --- the 20% cap ------------------------------------------------------------------------------
@pytest.mark.parametrize("good, most", [(0, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3)])
def test_the_excellent_cap_is_20_percent_of_good_never_rounded_up(good, most):
    assert excellent_cap(grading_rules_on(ON_124), good) == most


def test_10_good_allow_2_excellent(w1):
    base, members = w1
    grade_members(base, sheet(members, ["tot"] * 10 + ["xuat_sac"] * 2 + ["hoan_thanh"]))
    assert MemberGrade.objects.filter(base_org=base, grade="xuat_sac").count() == 2


def test_10_good_refuse_a_3rd_excellent(w1):
    base, members = w1
    err = refused(
        lambda: grade_members(base, sheet(members, ["tot"] * 10 + ["xuat_sac"] * 3)),
        "ty_le_xuat_sac",
        R124,
    )
    assert "(3) vượt quá 20% số đảng viên hoàn thành tốt nhiệm vụ (10); tối đa 2" in err.message


def test_the_cap_applies_under_366_by_default(w1):
    base, members = w1
    top = {"points": 95, "tasks_done_pct": 100, "tasks_exceeded_pct": 40}
    grades = sheet(members[:10], ["tot"] * 10, points=80) + sheet(
        members[10:], ["xuat_sac"] * 3, **top
    )
    refused(lambda: grade_members(base, grades, on=ON_366), "ty_le_xuat_sac", R366)


def test_the_cap_is_a_rule_set_parameter(w1, monkeypatch):
    base, members = w1
    sets = tuple(
        replace(rs, excellent_cap=False) if rs.code == R366 else rs
        for rs in grading_rules.GRADING_RULE_SETS
    )
    monkeypatch.setattr(grading_rules, "GRADING_RULE_SETS", sets)
    top = {"points": 95, "tasks_done_pct": 100, "tasks_exceeded_pct": 40}
    grades = sheet(members[:10], ["tot"] * 10, points=80) + sheet(
        members[10:], ["xuat_sac"] * 3, **top
    )
    grade_members(base, grades, on=ON_366)
    assert MemberGrade.objects.filter(base_org=base, grade="xuat_sac").count() == 3


# --- discipline -------------------------------------------------------------------------------
def test_a_member_disciplined_in_the_year_is_not_completed_only(w1):
    base, members = w1
    record(members[0], EventKind.DISCIPLINE, D(2024, 5, 10), form="khien_trach")
    for grade in ("xuat_sac", "tot", "hoan_thanh"):
        err = refused(
            lambda g=grade: grade_members(base, sheet(members, [g] + ["tot"] * 12)),
            "ky_luat_trong_nam",
            R124,
        )
        assert "bị kỷ luật trong năm 2024" in err.message
        assert "«Không hoàn thành nhiệm vụ»" in err.message
    rows = grade_members(base, sheet(members, ["khong_hoan_thanh"] + ["tot"] * 12))
    (row,) = [r for r in rows if r.member_id == members[0].pk]
    assert row.grade == "khong_hoan_thanh" and row.disciplined


def test_discipline_of_another_year_or_reversed_does_not_count(w1):
    base, members = w1
    record(members[0], EventKind.DISCIPLINE, D(2023, 12, 31), form="khien_trach")
    wrong = record(members[1], EventKind.DISCIPLINE, D(2024, 3, 1), form="canh_cao")
    event_reverse(event=wrong, reason="ghi nhầm người", on=D(2024, 3, 5), actor=ACTOR)
    grade_members(base, sheet(members, ["tot"] * 13))
    assert MemberGrade.objects.filter(base_org=base, grade="tot", disciplined=False).count() == 13


def test_under_366_discipline_still_fixes_the_grade_whatever_the_points(w1):
    base, members = w1
    record(members[0], EventKind.DISCIPLINE, D(2025, 10, 1), form="khien_trach")
    grades = sheet(members, ["tot"] * 13, points=85)
    refused(lambda: grade_members(base, grades, on=ON_366), "ky_luat_trong_nam", R366)
    grades[0]["grade"] = "khong_hoan_thanh"
    grade_members(base, grades, on=ON_366)
    assert MemberGrade.objects.get(member=members[0], year=2025).grade == "khong_hoan_thanh"


# --- who is not graded ------------------------------------------------------------------------
def test_an_exempt_member_cannot_be_graded(w1):
    base, members = w1
    record(members[0], EventKind.EXEMPTION, D(2022, 5, 1))
    err = refused(
        lambda: grade_members(base, sheet(members, ["tot"] * 13)), "khong_xep_loai_mien", R124
    )
    assert "được miễn công tác và sinh hoạt đảng vào ngày 15/12/2024" in err.message


def test_an_exempt_member_left_out_is_recorded_as_not_graded(w1):
    base, members = w1
    record(members[0], EventKind.EXEMPTION, D(2022, 5, 1))
    grade_members(base, sheet(members[1:], ["tot"] * 12))
    row = MemberGrade.objects.get(member=members[0], year=2024)
    assert (row.grade, row.reason) == ("khong_xep_loai", "mien")


def test_a_member_whose_exemption_ended_must_be_graded(w1):
    base, members = w1
    record(members[0], EventKind.EXEMPTION, D(2022, 5, 1))
    record(members[0], EventKind.EXEMPTION_END, D(2024, 2, 1))
    before = written()
    with pytest.raises(InvalidInput, match="Chưa có kết quả xếp loại năm 2024"):
        grade_members(base, sheet(members[1:], ["tot"] * 12))
    assert written() == before
    refused(
        lambda: grade_members(
            base,
            [{"member": members[0], "grade": "khong_xep_loai", "reason": "mien"}]
            + sheet(members[1:], ["tot"] * 12),
        ),
        "ly_do_khong_xep_loai",
        R124,
    )


def test_a_member_admitted_less_than_6_months_before_cannot_be_graded(w1):
    base, members = w1
    new = admit(members[0].cell, D(2024, 6, 16))  # 15/12/2024 is one day short of 6 months
    err = refused(
        lambda: grade_members(base, sheet([*members, new], ["tot"] * 14)),
        "khong_xep_loai_moi_ket_nap",
        R124,
    )
    assert "kết nạp ngày 16/06/2024, chưa đủ 6 tháng" in err.message
    grade_members(base, sheet(members, ["tot"] * 13))
    row = MemberGrade.objects.get(member=new, year=2024)
    assert (row.grade, row.reason) == ("khong_xep_loai", "moi_ket_nap")


def test_a_member_admitted_exactly_6_months_before_is_graded(w1):
    base, members = w1
    new = admit(members[0].cell, D(2024, 6, 15))
    refused(
        lambda: grade_members(
            base,
            sheet(members, ["tot"] * 13)
            + [{"member": new, "grade": "khong_xep_loai", "reason": "moi_ket_nap"}],
        ),
        "ly_do_khong_xep_loai",
        R124,
    )
    grade_members(base, sheet([*members, new], ["tot"] * 14))
    assert MemberGrade.objects.get(member=new, year=2024).grade == "tot"


def test_a_suspended_member_is_recorded_not_graded_with_the_reason(w1):
    base, members = w1
    grade_members(
        base,
        sheet(members[1:], ["tot"] * 12)
        + [
            {
                "member": members[0],
                "grade": "khong_xep_loai",
                "reason": "dinh_chi",
                "note": "Quyết định đình chỉ số 03-QĐ/ĐU",
            }
        ],
    )
    assert MemberGrade.objects.get(member=members[0]).reason == "dinh_chi"


def test_a_member_of_another_base_organization_is_refused(w1, city_tree):
    base, members = w1
    stranger = admit(city_tree["w2c1"], D(2019, 1, 10))
    gone = members[-1]
    record(gone, EventKind.TRANSFER, D(2024, 11, 1), from_org=gone.cell, to_org=city_tree["w2c2"])
    before = written()
    with pytest.raises(InvalidInput) as caught:
        grade_members(base, sheet([*members, stranger], ["tot"] * 14))
    assert (
        "Không sinh hoạt tại «Đảng bộ phường 1» vào ngày đánh giá 15/12/2024"
        in caught.value.message
    )
    assert stranger.person.full_name in caught.value.message
    assert gone.person.full_name in caught.value.message
    assert written() == before


def test_only_a_base_organization_grades_its_members(w1, city_tree):
    _, members = w1
    with pytest.raises(InvalidInput, match="không phải tổ chức cơ sở đảng"):
        grade_members(city_tree["w1c1"], sheet(members[:7], ["tot"] * 7))
    assert written()[0] == 0


def test_a_base_organization_is_graded_once_a_year(w1):
    base, members = w1
    grade_members(base, sheet(members, ["tot"] * 13))
    before = written()
    with pytest.raises(DomainError, match="Đã có kết quả xếp loại năm 2024"):
        grade_members(base, sheet(members, ["hoan_thanh"] * 13), on=D(2025, 1, 10), year=2024)
    assert written() == before
    assert grading_withdraw_members(base_org=base, year=2024, reason="ghi lại", actor=ACTOR) == 13
    grade_members(base, sheet(members, ["hoan_thanh"] * 13), on=D(2025, 1, 10), year=2024)
    assert set(MemberGrade.objects.values_list("grade", flat=True)) == {"hoan_thanh"}


def test_one_refusal_writes_nothing_of_the_whole_base_organization(w1):
    base, members = w1
    record(members[5], EventKind.EXEMPTION, D(2023, 1, 1))
    before = written()
    with pytest.raises(RuleViolation) as caught:
        grade_members(base, sheet(members, ["tot"] * 10 + ["xuat_sac"] * 3))
    assert {v.rule for v in caught.value.violations} == {"khong_xep_loai_mien", "ty_le_xuat_sac"}
    assert written() == before


# --- points under 366 -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "points, done, exceeded, expected",
    [
        ("100", 100, 50, ("xuat_sac", "tot")),
        ("90", 100, 30, ("xuat_sac", "tot")),
        ("90", 100, "29.99", ("tot",)),
        ("95", "99.5", 40, ("tot",)),
        ("89.99", 100, 100, ("tot",)),
        ("70", None, None, ("tot",)),
        ("69.99", None, None, ("hoan_thanh",)),
        ("50", None, None, ("hoan_thanh",)),
        ("49.99", None, None, ("khong_hoan_thanh",)),
        ("0", None, None, ("khong_hoan_thanh",)),
    ],
)
def test_the_366_points_bands(points, done, exceeded, expected):
    def dec(x):
        return None if x is None else Decimal(str(x))

    got = grades_for_points(
        grading_rules_on(ON_366),
        Decimal(points),
        tasks_done_pct=dec(done),
        tasks_exceeded_pct=dec(exceeded),
    )
    assert got == expected


def test_a_grade_that_does_not_match_the_points_is_refused_under_366(w1):
    base, members = w1
    grades = sheet(members, ["tot"] * 13, points=80)
    grades[0].update(grade="xuat_sac", points=85, tasks_done_pct=100, tasks_exceeded_pct=50)
    err = refused(lambda: grade_members(base, grades, on=ON_366), "diem_xep_loai", R366)
    assert "đạt 85 điểm" in err.message and "nên xếp loại «Hoàn thành tốt nhiệm vụ»" in err.message
    grades[0].update(points=92, tasks_exceeded_pct=20)  # 92 points but only 20% of tasks exceeded
    refused(lambda: grade_members(base, grades, on=ON_366), "diem_xep_loai", R366)
    grades[0].update(points="69.5", grade="tot")
    err = refused(lambda: grade_members(base, grades, on=ON_366), "diem_xep_loai", R366)
    assert "nên xếp loại «Hoàn thành nhiệm vụ»" in err.message
    grades[0].update(points=92, tasks_exceeded_pct=30, grade="xuat_sac")
    grade_members(base, grades, on=ON_366)
    row = MemberGrade.objects.get(member=members[0], year=2025)
    assert (row.grade, row.points, row.tasks_exceeded_pct) == ("xuat_sac", Decimal(92), Decimal(30))


# --- organizations ----------------------------------------------------------------------------
def test_an_organization_younger_than_6_months_is_not_graded(city_tree):
    young = org_services.org_found(
        kind=kind("chi_bo_co_so"),
        name="Chi bộ Trường Mới",
        code="CBTM",
        parent=city_tree["city"],
        on=D(2024, 6, 16),
        actor=ACTOR,
    )
    err = refused(
        lambda: grading_record_org(
            org=young, year=2024, graded_on=ON_124, grade="tot", decision=None, actor=ACTOR
        ),
        "to_chuc_moi_thanh_lap",
        R124,
    )
    assert "thành lập ngày 16/06/2024, chưa đủ 6 tháng" in err.message
    row = grading_record_org(
        org=young, year=2024, graded_on=D(2024, 12, 16), grade="tot", decision=None, actor=ACTOR
    )
    assert row.rule_set == R124


def test_an_organization_is_graded_only_once_a_year(city_tree):
    decision = ward_decision("45-QĐ/TU", D(2024, 12, 20))
    grading_record_org(
        org=city_tree["w1"],
        year=2024,
        graded_on=ON_124,
        grade="tot",
        decision=decision,
        actor=ACTOR,
    )
    with pytest.raises(DomainError, match="đã có kết quả xếp loại năm 2024"):
        grading_record_org(
            org=city_tree["w1"],
            year=2024,
            graded_on=ON_124,
            grade="xuat_sac",
            decision=None,
            actor=ACTOR,
        )
    assert OrgGrade.objects.get().decision == decision


def test_exemplary_only_with_excellent(city_tree):
    err = refused(
        lambda: grading_record_org(
            org=city_tree["w1"],
            year=2024,
            graded_on=ON_124,
            grade="tot",
            exemplary=True,
            decision=None,
            actor=ACTOR,
        ),
        "tieu_bieu_chi_xuat_sac",
        R124,
    )
    assert "«trong sạch, vững mạnh tiêu biểu»" in err.message
    grading_record_org(
        org=city_tree["w1"],
        year=2024,
        graded_on=ON_124,
        grade="xuat_sac",
        exemplary=True,
        decision=None,
        actor=ACTOR,
    )
    assert OrgGrade.objects.get().exemplary


def test_an_organization_under_366_needs_matching_points(city_tree):
    w1 = city_tree["w1"]
    refused(
        lambda: grading_record_org(
            org=w1, year=2025, graded_on=ON_366, grade="tot", decision=None, actor=ACTOR
        ),
        "diem_bat_buoc",
        R366,
    )
    refused(
        lambda: grading_record_org(
            org=w1,
            year=2025,
            graded_on=ON_366,
            grade="xuat_sac",
            points=91,
            decision=None,
            actor=ACTOR,
        ),
        "diem_xep_loai",
        R366,
    )
    row = grading_record_org(
        org=w1,
        year=2025,
        graded_on=ON_366,
        grade="xuat_sac",
        points=91,
        tasks_done_pct=100,
        tasks_exceeded_pct=35,
        decision=None,
        actor=ACTOR,
    )
    assert (row.rule_set, row.points) == (R366, Decimal(91))


# --- figures ----------------------------------------------------------------------------------


def expected(**counts) -> dict:
    """Figures with every count zero but those named."""
    base = {
        "year": 2024,
        "members_graded": 0,
        "members_not_graded": 0,
        "members_total": 0,
        "members_by_grade": {"xuat_sac": 0, "tot": 0, "hoan_thanh": 0, "khong_hoan_thanh": 0},
        "members_not_graded_by_reason": {"mien": 0, "moi_ket_nap": 0, "dinh_chi": 0, "khac": 0},
        "members_excellent": 0,
        "members_good": 0,
        "members_good_or_better": 0,
        "members_disciplined": 0,
        "base_orgs_total": 0,
        "base_orgs_graded": 0,
        "base_orgs_not_graded": 0,
        "base_orgs_by_grade": {"xuat_sac": 0, "tot": 0, "hoan_thanh": 0, "khong_hoan_thanh": 0},
        "base_orgs_good_or_better": 0,
        "weak_orgs": 0,
        "exemplary_orgs": 0,
        "cells_total": 0,
        "cells_graded": 0,
        "cells_by_grade": {"xuat_sac": 0, "tot": 0, "hoan_thanh": 0, "khong_hoan_thanh": 0},
        "cells_good_or_better": 0,
        "own_grade": None,
        "own_exemplary": False,
        "members_not_completed_two_years": 0,
        "rule_sets": [],
        "members_graded_ratio": None,
        "members_excellent_percent": None,
        "members_good_percent": None,
        "members_good_or_better_percent": None,
        "base_orgs_graded_ratio": None,
        "base_orgs_good_or_better_ratio": None,
        "base_orgs_good_or_better_percent": None,
        "cells_good_or_better_ratio": None,
    }
    for key, value in counts.items():
        assert key in base, key
        base[key] = {**base[key], **value} if isinstance(value, dict) else value
    return base


def assert_figures(org, year, want):
    got = grading_figures(org, year)
    assert set(got) == set(want)
    for key in want:
        assert got[key] == want[key], key


# ward X: B1 14 graded (2 excellent, 10 good, 1 completed, 1 not completed) + 2 not graded;
#         B2 6 graded (1 excellent, 5 good) + 1 not graded; base orgs B1, B2, B3 (B3 ungraded)
WARD_X_2024 = expected(
    members_graded=20,
    members_not_graded=3,
    members_total=23,
    members_by_grade={"xuat_sac": 3, "tot": 15, "hoan_thanh": 1, "khong_hoan_thanh": 1},
    members_not_graded_by_reason={"mien": 1, "moi_ket_nap": 1, "dinh_chi": 1},
    members_excellent=3,
    members_good=15,
    members_good_or_better=18,
    members_disciplined=1,
    base_orgs_total=3,
    base_orgs_graded=2,
    base_orgs_not_graded=1,
    base_orgs_by_grade={"xuat_sac": 1, "tot": 1},
    base_orgs_good_or_better=2,
    exemplary_orgs=1,
    rule_sets=[R124],
    members_graded_ratio=87.0,
    members_excellent_percent=15,
    members_good_percent=75,
    members_good_or_better_percent=90,
    base_orgs_graded_ratio=66.7,
    base_orgs_good_or_better_ratio=66.7,
    base_orgs_good_or_better_percent=66.7,
    cells_total=2,  # B1a, B1b (under the base committee B1), none graded
    cells_good_or_better_ratio=0,
)


def test_figures_of_a_ward_with_two_graded_base_organizations(ward_x):
    assert_figures(ward_x["x"], 2024, WARD_X_2024)


def test_figures_keep_the_tree_of_the_grading_date_after_a_move(ward_x):
    # B2 moved to ward Y on 1/3/2025; the 2024 figures still put it under ward X
    assert_figures(ward_x["x"], 2024, WARD_X_2024)
    assert_figures(ward_x["y"], 2024, expected())


def test_figures_of_one_base_organization(ward_x):
    assert_figures(
        ward_x["b2"],
        2024,
        expected(
            members_graded=6,
            members_not_graded=1,
            members_total=7,
            members_by_grade={"xuat_sac": 1, "tot": 5},
            members_not_graded_by_reason={"dinh_chi": 1},
            members_excellent=1,
            members_good=5,
            members_good_or_better=6,
            base_orgs_total=1,
            base_orgs_graded=1,
            base_orgs_by_grade={"tot": 1},
            base_orgs_good_or_better=1,
            rule_sets=[R124],
            members_graded_ratio=85.7,
            members_excellent_percent=16.7,
            members_good_percent=83.3,
            members_good_or_better_percent=100,
            base_orgs_graded_ratio=100,
            base_orgs_good_or_better_ratio=100,
            base_orgs_good_or_better_percent=100,
        ),
    )


def test_figures_of_the_city_add_the_other_ward(ward_x):
    # ward X as above + «Đảng bộ phường 1» (3 good, graded hoan_thanh); base orgs at year end:
    # phường 1, phường 2, B1, B2, B3
    assert_figures(
        ward_x["city"],
        2024,
        expected(
            members_graded=23,
            members_not_graded=3,
            members_total=26,
            members_by_grade={"xuat_sac": 3, "tot": 18, "hoan_thanh": 1, "khong_hoan_thanh": 1},
            members_not_graded_by_reason={"mien": 1, "moi_ket_nap": 1, "dinh_chi": 1},
            members_excellent=3,
            members_good=18,
            members_good_or_better=21,
            members_disciplined=1,
            base_orgs_total=5,
            base_orgs_graded=3,
            base_orgs_not_graded=2,
            base_orgs_by_grade={"xuat_sac": 1, "tot": 1, "hoan_thanh": 1},
            base_orgs_good_or_better=2,
            exemplary_orgs=1,
            rule_sets=[R124],
            members_graded_ratio=88.5,
            members_excellent_percent=13.0,
            members_good_percent=78.3,
            members_good_or_better_percent=91.3,
            base_orgs_graded_ratio=60,
            base_orgs_good_or_better_ratio=40,
            base_orgs_good_or_better_percent=40,
            # cells under base committees: 2 of phường 1, 2 of phường 2, B1a, B1b
            cells_total=6,
            cells_good_or_better_ratio=0,
        ),
    )


def test_graded_plus_not_graded_are_the_members_on_the_grading_date(ward_x):
    # counted by the membership selector, independently of the grading rows
    on_roll = member_counts(on=ON_124)
    assert grading_figures(ward_x["x"], 2024)["members_total"] == on_roll[ward_x["x"].pk][0] == 23


def test_the_new_member_was_filled_in_as_not_graded(ward_x):
    row = MemberGrade.objects.get(member=ward_x["new"], year=2024)
    assert (row.grade, row.reason, row.base_org_id) == (
        "khong_xep_loai",
        "moi_ket_nap",
        ward_x["b1"].pk,
    )


def test_base_org_on_finds_the_nearest_base_ancestor(ward_x):
    assert base_org_on(ward_x["b1a"], on=ON_124) == ward_x["b1"]
    assert base_org_on(ward_x["b2"], on=ON_124) == ward_x["b2"]
    assert base_org_on(ward_x["x"], on=ON_124) is None


def test_no_grading_no_figures(ward_x):
    assert_figures(
        ward_x["x"],
        2023,
        {
            **expected(
                year=2023,
                base_orgs_total=2,
                base_orgs_not_graded=2,
                base_orgs_graded_ratio=0,
                base_orgs_good_or_better_ratio=0,
                base_orgs_good_or_better_percent=0,
                cells_total=2,  # B1a, B1b
                cells_good_or_better_ratio=0,
            )
        },
    )


def test_a_member_graded_before_moving_keeps_that_grade_and_is_not_required_again(w1, city_tree):
    # given: ward 1 grades its 13 members on 10/12/2024; one of them moves to ward 2 on 12/12
    base, members = w1
    grade_members(base, sheet(members, ["tot"] * 13), on=D(2024, 12, 10))
    mover = members[0]
    record(
        mover, EventKind.TRANSFER, D(2024, 12, 12), from_org=mover.cell, to_org=city_tree["w2c1"]
    )
    w2_members = [admit(city_tree["w2c1"], D(2019, 1, 10)) for _ in range(3)]
    # when: ward 2 grades on 15/12 without the newcomer
    rows = grade_members(city_tree["w2"], sheet(w2_members, ["tot"] * 3))
    # then: ward 2 records its own three, and the newcomer keeps the grade from ward 1
    assert len(rows) == 3
    assert MemberGrade.objects.get(member=mover, year=2024).base_org == base
    # grading the newcomer a second time is refused with a clear message
    with pytest.raises(DomainError, match="chỉ xếp loại một lần trong năm"):
        grade_members(
            city_tree["w2"], sheet([*w2_members, mover], ["tot"] * 4), year=2024, on=D(2024, 12, 16)
        )
