"""A cell's own inspection and supervision, the 262-QĐ/TW rule set, and the statute of
limitations of discipline (thời hiệu kỷ luật) counted from the case's violation date."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.inspections import services as svc
from dangbo.inspections.figures import inspection_figures
from dangbo.inspections.rules import check_limitation, inspection_rules_on
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.services import report_draft
from tests.conftest import ACTOR
from tests.test_inspections import (  # noqa: F401 (the fixture)
    KINDS,
    R22,
    R262,
    R296,
    conclude,
    decision,
    discipline_member,
    discipline_org,
    open_case,
    refused,
    small_tree,
)

D = date


@pytest.fixture
def small(city_tree):
    return small_tree(city_tree)


def test_inspection_rule_sets_22_262_296_by_date():
    """Quy định 22-QĐ/TW (28/7/2021), 262-QĐ/TW (3/2/2025) amending it, 296-QĐ/TW (30/5/2025)."""
    assert inspection_rules_on(D(2025, 2, 2)).code == R22
    assert inspection_rules_on(D(2025, 2, 3)).code == R262
    assert inspection_rules_on(D(2025, 5, 29)).code == R262
    assert inspection_rules_on(D(2025, 5, 30)).code == R296


def test_cell_inspects_and_supervises_its_own_members_quy_dinh_296(small):
    """Điều lệ Đảng art. 30, Quy định 296-QĐ/TW: a cell inspects and supervises its members
    and handles complaints and denunciations about them — every kind, its own roll only."""
    t = small
    for kind_ in KINDS:
        case = open_case(kind_, t["w1c1"], D(2025, 6, 1), member=t["a"])
        assert (case.regulation, case.subject_cell_id, case.conducting_org_id) == (
            R296,
            t["w1c1"].pk,
            t["w1c1"].pk,
        )
    # under 22-QĐ/TW too
    assert open_case("giam_sat_thuong_xuyen", t["w1c1"], D(2024, 6, 1), member=t["a"]).pk
    # a member of another cell: refused
    err = refused(
        lambda: open_case("kiem_tra_dau_hieu", t["w1c1"], D(2025, 6, 1), member=t["p"]),
        "chi_bo_dang_vien_cua_minh",
        R296,
        contains="Trần Thị Bình",
    )
    assert [v.rule for v in err.violations] == ["chi_bo_dang_vien_cua_minh"]
    # an organization: not the cell's to inspect
    refused(
        lambda: open_case("kiem_tra_chuyen_de", t["w1c1"], D(2024, 6, 1), org=t["w1c2"]),
        "chi_bo_dang_vien_cua_minh",
        R22,
    )


def test_cell_concludes_and_disciplines_its_member(small):
    """Quy định 22-QĐ/TW: a cell's inspection leads to its own conclusion and discipline."""
    t = small
    case = open_case("kiem_tra_dau_hieu", t["w1c1"], D(2024, 6, 1), member=t["a"])
    conclude(case, D(2024, 7, 1), True)
    assert discipline_member(case, "khien_trach", D(2024, 7, 10)).form == "khien_trach"


def test_statute_of_limitations_quy_dinh_22_and_296(small):
    """Quy định 22-QĐ/TW, 296-QĐ/TW (thời hiệu kỷ luật): 5 years for a reprimand, 10 for a
    warning or removal from post, counted from the violation; none for expulsion."""
    t = small
    case = svc.case_open(
        kind="kiem_tra_dau_hieu",
        conducting_org=t["w1"],
        conducting_body="Ủy ban Kiểm tra Đảng ủy phường 1",
        starts_on=D(2025, 6, 1),
        topic="Vi phạm cũ",
        subject_member=t["a"],
        decision=decision(D(2025, 6, 1)),
        actor=ACTOR,
    )
    case = svc.case_conclude(
        case=case,
        on=D(2025, 7, 1),
        violation_found=True,
        conclusion="Có vi phạm.",
        actor=ACTOR,
        violation_on=D(2020, 7, 1),
    )
    assert case.violation_on == D(2020, 7, 1)
    err = refused(
        lambda: discipline_member(case, "khien_trach", D(2025, 7, 1)),
        "thoi_hieu_ky_luat",
        R296,
        contains="30/06/2025",
    )
    assert "5 năm" in str(err)
    # a warning is within its 10 years
    assert discipline_member(case, "canh_cao", D(2025, 7, 1)).form == "canh_cao"
    # the pure rule: the last day, the forms without limitation, the exempt violations
    assert (
        check_limitation(
            of_org=False, form="khien_trach", violation_on=D(2019, 7, 1), on=D(2024, 6, 30)
        )
        == []
    )
    [v] = check_limitation(
        of_org=False, form="khien_trach", violation_on=D(2019, 7, 1), on=D(2024, 7, 1)
    )
    assert (v.rule, v.regulation) == ("thoi_hieu_ky_luat", R22)
    assert (
        check_limitation(
            of_org=False, form="khai_tru", violation_on=D(1990, 1, 1), on=D(2025, 1, 1)
        )
        == []
    )
    assert (
        check_limitation(of_org=True, form="giai_tan", violation_on=D(1990, 1, 1), on=D(2025, 1, 1))
        == []
    )
    [v] = check_limitation(
        of_org=True, form="canh_cao", violation_on=D(2014, 1, 1), on=D(2025, 3, 1)
    )
    assert v.regulation == R262
    assert (
        check_limitation(
            of_org=False,
            form="cach_chuc",
            violation_on=D(2010, 1, 1),
            on=D(2025, 1, 1),
            exempt=True,
        )
        == []
    )
    assert (
        check_limitation(of_org=False, form="khien_trach", violation_on=None, on=D(2025, 1, 1))
        == []
    )


def test_statute_of_limitations_of_an_organization_quy_dinh_296(small):
    """Quy định 296-QĐ/TW: an organization's reprimand within 5 years of the violation."""
    t = small
    case = svc.case_open(
        kind="kiem_tra_dau_hieu",
        conducting_org=t["w1"],
        conducting_body="Ủy ban Kiểm tra Đảng ủy phường 1",
        starts_on=D(2025, 6, 1),
        topic="Vi phạm cũ",
        subject_org=t["w1c1"],
        decision=decision(D(2025, 6, 1)),
        violation_on=D(2019, 1, 15),
        actor=ACTOR,
    )
    conclude(case, D(2025, 7, 1), True)
    refused(lambda: discipline_org(case, "khien_trach", D(2025, 7, 5)), "thoi_hieu_ky_luat", R296)
    assert discipline_org(case, "giai_tan", D(2025, 7, 5)).form == "giai_tan"


def test_figures_count_what_cells_did_themselves_296_qd_tw(small):
    """Quy định 296-QĐ/TW: a cell's own inspections and supervisions of its members count in
    the figures, and apart (hand count: cell 1 inspects a twice and supervises a once; ward 1
    inspects a once; a complaint about a taken up by cell 1)."""
    t = small
    open_case("kiem_tra_dau_hieu", t["w1c1"], D(2025, 6, 1), member=t["a"])
    open_case("kiem_tra_chuyen_de", t["w1c1"], D(2025, 7, 1), member=t["a"])
    open_case("giam_sat_thuong_xuyen", t["w1c1"], D(2025, 7, 1), member=t["a"])
    open_case("kiem_tra_dau_hieu", t["w1"], D(2025, 8, 1), member=t["a"])
    open_case("khieu_nai", t["w1c1"], D(2025, 9, 1), member=t["a"])
    for org in (t["w1c1"], t["w1"], t["city"]):
        f = inspection_figures(org, D(2025, 1, 1), D(2025, 12, 31))
        assert (f["inspected_members"], f["supervised_members"], f["complaints_received"]) == (
            1,
            1,
            1,
        )
        assert (
            f["cells_inspected_members"],
            f["cells_supervised_members"],
            f["cells_complaints_received"],
        ) == (1, 1, 1)
    f = inspection_figures(t["w2"], D(2025, 1, 1), D(2025, 12, 31))
    assert f["cells_inspected_members"] == 0
    data = build_review(report_draft(org=t["w1"], period_code="2025", actor=ACTOR, save=False))
    text = "\n".join(getattr(b, "text", "") for b in compose_review(data).body)
    assert "Các chi bộ kiểm tra 01 đảng viên, giám sát 01 đảng viên trong chi bộ." in text
