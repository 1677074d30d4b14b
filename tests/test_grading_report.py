"""The grading part of the year-end report and its figures: the own grade of a committee above
the base level, cells and branch committees, and no member sentence when no member was graded."""

from __future__ import annotations

from datetime import date

from dangbo.grading.figures import grading_figures
from dangbo.grading.services import grading_record_org
from dangbo.organizations import services as org_services
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.services import report_draft
from tests.conftest import ACTOR, admit, kind
from tests.fixtures.grading import grade_members, sheet

D = date
ON = D(2024, 12, 20)


def grade_org(org, grade, **extra):
    return grading_record_org(
        org=org, year=2024, graded_on=ON, grade=grade, decision=None, actor=ACTOR, **extra
    )


def report_text(org) -> str:
    data = build_review(report_draft(org=org, period_code="2024", actor=ACTOR, save=False))
    return "\n".join(getattr(b, "text", "") for b in compose_review(data).body)


def test_a_district_committee_graded_under_124_qd_tw_has_its_own_grade(city_tree):
    """Quy định 124-QĐ/TW grades a district committee itself: `own_grade` and one sentence; no
    member was graded, so no member sentence ("0/0 đảng viên ()" never prints)."""
    district = org_services.org_found(
        kind=kind("huyen"),
        name="Đảng bộ quận Một",
        code="Q1",
        parent=city_tree["city"],
        on=D(2018, 1, 1),
        actor=ACTOR,
    )
    grade_org(district, "tot")
    grade_org(city_tree["city"], "xuat_sac", exemplary=True)
    f = grading_figures(district, 2024)
    # by hand: the district alone, no base organization, no cell, no member
    assert (f["own_grade"], f["own_exemplary"]) == ("tot", False)
    assert (f["base_orgs_total"], f["cells_total"], f["members_total"]) == (0, 0, 0)
    assert f["rule_sets"] == ["Quy định 124-QĐ/TW"]
    # the city: its own grade; the district's is not the city's, nor a base organization's
    c = grading_figures(city_tree["city"], 2024)
    assert (c["own_grade"], c["own_exemplary"], c["base_orgs_graded"]) == ("xuat_sac", True, 0)
    assert grading_figures(city_tree["w1"], 2024)["own_grade"] is None
    text = report_text(district)
    assert "Đảng bộ quận Một được xếp loại «hoàn thành tốt nhiệm vụ» năm 2024." in text
    assert "0/0" not in text and "Đảng viên: đánh giá" not in text and "()" not in text
    assert "đạt «trong sạch, vững mạnh tiêu biểu»" in report_text(city_tree["city"])


def test_cells_under_a_base_committee_are_counted_apart_124_qd_tw(city_tree):
    """Quy định 124-QĐ/TW: cells under a base committee are graded; the figures count them apart
    from the base organizations (hand count: ward 1 has 2 cells, 1 good, 1 completed)."""
    w1 = city_tree["w1"]
    members = [admit(city_tree["w1c1"], D(2019, 1, 10)) for _ in range(4)]
    grade_members(w1, sheet(members, ["tot", "tot", "tot", "hoan_thanh"]), on=ON)
    grade_org(city_tree["w1c1"], "tot")
    grade_org(city_tree["w1c2"], "hoan_thanh")
    f = grading_figures(w1, 2024)
    assert (f["cells_total"], f["cells_graded"], f["cells_good_or_better"]) == (2, 2, 1)
    assert f["cells_by_grade"] == {"xuat_sac": 0, "tot": 1, "hoan_thanh": 1, "khong_hoan_thanh": 0}
    assert f["cells_good_or_better_ratio"] == 50
    assert (f["base_orgs_total"], f["base_orgs_graded"], f["own_grade"]) == (1, 0, None)
    # the city: the 4 cells of wards 1 and 2, 2 graded
    c = grading_figures(city_tree["city"], 2024)
    assert (c["cells_total"], c["cells_graded"], c["base_orgs_graded"]) == (4, 2, 0)
    text = report_text(w1)
    assert (
        "1/2 hoàn thành tốt nhiệm vụ trở lên (hoàn thành tốt nhiệm vụ 01; hoàn thành nhiệm vụ 01)."
        in text
    )
    assert (
        "Đảng viên: đánh giá, xếp loại 4/4 đảng viên (hoàn thành tốt nhiệm vụ 03; hoàn thành nhiệm vụ 01)."
        in text
    )
    assert "không xếp loại 00" not in text


def test_members_not_completed_two_years_running_are_counted_24_qd_tw(city_tree):
    """Quy định 24-QĐ/TW (Điều lệ art. 8): two years running "not completed" — counted and
    stated in the report (hand count: 1 of 4)."""
    w1 = city_tree["w1"]
    members = [admit(city_tree["w1c1"], D(2019, 1, 10)) for _ in range(4)]
    grade_members(
        w1,
        sheet(members, ["khong_hoan_thanh", "khong_hoan_thanh", "tot", "tot"]),
        on=D(2023, 12, 15),
    )
    grade_members(w1, sheet(members, ["khong_hoan_thanh", "tot", "tot", "tot"]), on=ON)
    assert grading_figures(w1, 2024)["members_not_completed_two_years"] == 1
    assert grading_figures(w1, 2023)["members_not_completed_two_years"] == 0
    assert grading_figures(city_tree["w2"], 2024)["members_not_completed_two_years"] == 0
    assert "Có 01 đảng viên 2 năm liền xếp loại không hoàn thành nhiệm vụ" in report_text(w1)
