"""The `stats` JSON and the review report carry the congress and grading figures."""

from __future__ import annotations

import json
import re
from datetime import date

from dangbo.congresses.figures import KEYS
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.services import report_draft
from tests.conftest import ACTOR, run, ward_decision


def test_stats_json_carries_the_congress_figures_of_the_subtree(congress_ward):
    code, out, _ = run("stats", "P1", "--period", "2022", "--format", "json")
    data = json.loads(out)
    assert code == 0
    # ward 1's cells in 2022, counted by hand in test_congresses (the table of `congress_ward`)
    expected = {
        "congresses_due": 3,
        "congresses_held": 2,
        "congresses_approved": 0,  # the fixture approves neither (test_congresses approves c1)
        "elected_in_one_round": 1,
        "secretaries_elected": 2,
        "secretaries_appointed": 0,
        "secretaries_women": 0,
        "secretaries_reelected": 1,
        "secretaries_new": 1,
        "committee_elected": 7,
        "committee_women": 4,
        "committee_reelected": 4,
        "committee_first_time": 3,
        "congresses_held_pct": 66.7,  # 2/3
        "elected_in_one_round_pct": 50,  # 1/2
        "secretaries_women_pct": 0,
        "secretaries_reelected_pct": 50,
        "secretaries_new_pct": 50,
        "committee_women_pct": 57.1,  # 4/7
        "committee_reelected_pct": 57.1,  # 4/7
        "committee_first_time_pct": 42.9,  # 3/7
    }
    assert set(KEYS) == set(expected)
    assert {k: data[k] for k in expected} == expected
    assert (data["congresses_held"], data["congresses_due"]) == (2, 3)
    assert data["grading"]["members_total"] == 0  # nobody graded in this ledger
    assert (data["committee_women_pct"], data["committee_first_time_pct"]) == (57.1, 42.9)
    assert not _formatted_strings(data)
    code, out, _ = run("stats", "P1", "--period", "2022-H1", "--format", "json")
    assert json.loads(out)["grading"] is None  # the period does not end a year
    # the table writes the same figures the Vietnamese way
    code, out, _ = run("stats", "P1", "--period", "2022")
    assert "cấp ủy viên 7 (nữ 57,1%, tái cử 57,1%, lần đầu 42,9%)" in out


def _formatted_strings(value: object) -> list[str]:
    """Strings in a JSON value that look like printed numbers: "57,1%", "6/7", "1.234", "62,5"
    (ISO dates are dates, not printed numbers)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _formatted_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _formatted_strings(v)]
    if isinstance(value, str) and re.fullmatch(r"[\d.,/%—]+", value):
        return [value]
    return []


def test_year_end_report_shows_the_cells_congresses(congress_ward):
    data = build_review(
        report_draft(org=congress_ward["w1"], period_code="2022", actor=ACTOR, save=False)
    )
    assert data.congresses["congresses_held"] == 2
    text = "\n".join(getattr(b, "text", "") for b in compose_review(data).body)
    assert (
        "Có 2/3 tổ chức đảng tổ chức đại hội; 1/2 đại hội bầu đủ số lượng ngay lần đầu (50%)"
        in text
    )
    assert "Bầu 02 đồng chí bí thư (nữ 0, tái cử 01, mới 01)" in text
    assert (
        "Bầu 07 đồng chí cấp ủy viên: nữ 4/7 = 57,1%; tái cử 4/7 = 57,1%; tham gia lần đầu 3/7 = 42,9%"
        in text
    )
    # no congress in the first half of 2021: the part is left out
    quiet = build_review(
        report_draft(org=congress_ward["w1"], period_code="2021-H1", actor=ACTOR, save=False)
    )
    assert quiet.congresses is None


def test_year_end_report_shows_the_grading(ward_x):
    # ward X in 2024 (see the fixture): base organizations B1 excellent (exemplary), B2 good, B3 too
    # young; members: B1 2 excellent + 10 good + 1 completed + 1 not completed, 2 not graded;
    # B2 1 excellent + 5 good, 1 not graded
    data = build_review(report_draft(org=ward_x["x"], period_code="2024", actor=ACTOR, save=False))
    text = "\n".join(getattr(b, "text", "") for b in compose_review(data).body)
    assert (
        "Tổ chức cơ sở đảng: 2/3 tổ chức hoàn thành tốt nhiệm vụ trở lên (hoàn thành xuất sắc "
        "nhiệm vụ 01; hoàn thành tốt nhiệm vụ 01); 01 tổ chức «trong sạch, vững mạnh tiêu biểu»"
    ) in text
    assert (
        "Đảng viên: đánh giá, xếp loại 20/23 đảng viên (hoàn thành xuất sắc nhiệm vụ 03; hoàn thành "
        "tốt nhiệm vụ 15; hoàn thành nhiệm vụ 01; không hoàn thành nhiệm vụ 01); không xếp loại 03"
    ) in text
    half = build_review(
        report_draft(org=ward_x["x"], period_code="2024-H1", actor=ACTOR, save=False)
    )
    assert half.grading is None


def test_six_month_report_lists_documents_implemented_and_inspection_figures(city_tree):
    from dangbo.documents.services import document_issue, document_link, document_receive
    from dangbo.inspections.services import case_conclude, case_open
    from dangbo.organizations.services import term_open

    w1 = city_tree["w1"]
    term_open(org=w1, label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    plan = document_receive(
        org=w1,
        number="154-KH/TU",
        issued_on=date(2023, 2, 10),
        received_on=date(2023, 2, 14),
        issuer_body="Ban Thường vụ Thành ủy",
        title="Về thực hiện chuyển đổi số trong Đảng",
        actor=ACTOR,
    )
    ours = document_issue(
        org=w1,
        type_code="KH",
        issued_on=date(2023, 3, 1),
        issuer_body="Đảng ủy phường 1",
        title="Thực hiện Kế hoạch số 154-KH/TU của Ban Thường vụ Thành ủy",
        actor=ACTOR,
    )
    document_link(from_doc=ours, to_doc=plan, relation="thuc_hien", actor=ACTOR)
    case = case_open(
        kind="giam_sat_chuyen_de",
        conducting_org=w1,
        conducting_body="Ban Thường vụ Đảng ủy",
        starts_on=date(2023, 4, 3),
        topic="Thu nộp đảng phí",
        subject_org=city_tree["w1c1"],
        actor=ACTOR,
    )
    case_conclude(
        case=case,
        on=date(2023, 5, 10),
        violation_found=False,
        conclusion="Thực hiện tốt.",
        actor=ACTOR,
    )
    data = build_review(report_draft(org=w1, period_code="2023-H1", actor=ACTOR, save=False))
    text = "\n".join(getattr(b, "text", "") for b in compose_review(data).body)
    assert "Kế hoạch số 154-KH/TU, ngày 10/2/2023 của Ban Thường vụ Thành ủy" in text
    assert "giám sát 01 tổ chức đảng và 0 đảng viên" in text
    code, out, _ = run("stats", "P1", "--period", "2023-H1", "--format", "json")
    assert json.loads(out)["supervised_orgs"] == 1


def test_the_report_shows_the_targets_table_and_admissions_against_the_target(city_tree):
    from dangbo.targets.computed import evaluations_compute
    from dangbo.targets.services import target_adopt
    from tests.conftest import admit

    w1 = city_tree["w1"]
    decision = ward_decision("01-NQ/ĐU", date(2023, 1, 10))
    target_adopt(
        org=w1,
        source_kind="chuong_trinh_cong_tac",
        source=decision,
        category="xay_dung_dang",
        name="Kết nạp đảng viên mới",
        direction="at_least",
        planned=4,
        adopted_on=date(2023, 1, 10),
        unit="đảng viên",
        year=2023,
        computed_from="admitted",
        actor=ACTOR,
    )
    for on in (date(2023, 2, 1), date(2023, 3, 15), date(2023, 5, 19)):
        admit(city_tree["w1c1"], on)
    evaluations_compute(org=w1, kind="6_thang", start=date(2023, 1, 1), end=date(2023, 6, 30))
    data = build_review(report_draft(org=w1, period_code="2023-H1", actor=ACTOR, save=False))
    assert data.admission_target == 4
    doc = compose_review(data)
    text = "\n".join(getattr(b, "text", "") for b in doc.body)
    assert "Kết nạp 3/4 đảng viên so với chỉ tiêu, đạt 75%." in text
    assert "Thực hiện đạt và vượt 0/1 chỉ tiêu." in text
    table = next(
        b for b in doc.body if getattr(b, "caption", "") == "Kết quả thực hiện các chỉ tiêu"
    )
    assert table.rows == (("1", "Kết nạp đảng viên mới", "đảng viên", "4", "3", "75%", "Chưa đạt"),)
    chart = next(
        b for b in doc.body if getattr(b, "title", "").startswith("Kết nạp đảng viên (lũy kế)")
    )
    assert chart.series[0][1] == (0.0, 1.0, 2.0, 2.0, 3.0, 3.0) and set(chart.series[1][1]) == {4.0}
    code, out, _ = run("stats", "P1", "--period", "2023-H1", "--format", "json")
    stats = json.loads(out)
    assert (stats["targets_total"], stats["targets_not_achieved"], stats["targets_summary"]) == (
        1,
        1,
        0,  # 0/1
    )
    assert [(t["planned"], t["actual"], t["percent"]) for t in stats["targets"]] == [(4, 3, 75)]
    assert not _formatted_strings(stats)
