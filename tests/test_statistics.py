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
    assert set(expected) <= set(KEYS)
    assert {k: data[k] for k in expected} == expected
    assert (data["congresses_held"], data["congresses_due"]) == (2, 3)
    assert data["grading"]["members_total"] == 0  # nobody graded in this ledger
    assert (data["committee_women_pct"], data["committee_first_time_pct"]) == (57.1, 42.9)
    assert not _formatted_strings(data)
    code, out, _ = run("stats", "P1", "--period", "2022-H1", "--format", "json")
    assert json.loads(out)["grading"] is None  # the period does not end a year
    # the table writes the same figures the Vietnamese way
    code, out, _ = run("stats", "P1", "--period", "2022")
    # ward 1's units are all cells: "chi bộ", "chi ủy viên" (item 11 of issue 11)
    assert "Đại hội: 2/3 chi bộ đã đại hội;" in out
    assert "chi ủy viên 7 (nữ 57,1%, tái cử 57,1%, lần đầu 42,9%)" in out


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
        "Có 2/3 chi bộ tổ chức đại hội nhiệm kỳ 2022–2025; 1/2 đại hội bầu đủ số lượng ngay "
        "lần đầu (50%)." in text
    )
    assert "Bầu 02 đồng chí bí thư (nữ 0, tái cử 01, mới 01)" in text
    assert (
        "Bầu 07 đồng chí chi ủy viên: nữ 4/7 = 57,1%; tái cử 4/7 = 57,1%; tham gia lần đầu 3/7 = 42,9%"
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


def _report_text(org, period):
    data = build_review(report_draft(org=org, period_code=period, actor=ACTOR, save=False))
    return data, "\n".join(getattr(b, "text", "") for b in compose_review(data).body)


def test_ward_report_names_its_cells_chi_bo_and_the_approval_quy_dinh_190(congress_ward):
    """Quy định 190-QĐ/TW (results approved — chuẩn y — by the higher committee): when every
    unit counted is a cell, the report says "2/3 chi bộ … nhiệm kỳ 2022–2025", "chi ủy viên",
    and how many cells' results were approved."""
    from dangbo.congresses.congress import congress_approve

    for key, number in (("k1", "25-QĐ/ĐU"), ("k2", "26-QĐ/ĐU")):
        congress_approve(
            congress=congress_ward[key],
            decision=ward_decision(number, date(2022, 5, 20)),
            on=date(2022, 5, 20),
            actor=ACTOR,
        )
    _, text = _report_text(congress_ward["w1"], "2022")
    assert (
        "Có 2/3 chi bộ tổ chức đại hội nhiệm kỳ 2022–2025; 1/2 đại hội bầu đủ số lượng ngay lần "
        "đầu (50%); kết quả bầu cử của 2/2 chi bộ đã được chuẩn y."
    ) in text
    assert "Bầu 07 đồng chí chi ủy viên:" in text and "cấp ủy viên" not in text
    assert "tổ chức đảng tổ chức đại hội" not in text


def test_stats_and_report_agree_on_the_units_and_the_own_congress_quy_dinh_190(congress_ward):
    """Quy định 190-QĐ/TW: the city's "N/N tổ chức cơ sở đảng" never counts its own congress;
    base organizations and cells are separate keys, the same in `stats` and in the report;
    the organization's own congress has its own keys and sentence."""
    from dangbo.congresses.congress import congress_approve, congress_record

    w1 = congress_ward["w1"]
    own = congress_record(
        org=w1,
        kind="delegate",
        starts_on=date(2025, 9, 10),
        ends_on=date(2025, 9, 11),
        summoned=120,
        present=118,
        number=12,
        term_label="2025–2030",
        actor=ACTOR,
    )
    congress_approve(
        congress=own,
        decision=ward_decision("30-QĐ/QU", date(2025, 9, 20)),
        on=date(2025, 9, 20),
        actor=ACTOR,
    )
    # the city in 2025: ward 1 (a base organization) held its congress; c1, c2 and w2c2 (cells,
    # terms 2022–2025) did not; the city itself held none
    code, out, _ = run("stats", "TP", "--period", "2025", "--format", "json")
    stats = json.loads(out)
    data, text = _report_text(congress_ward["city"], "2025")
    report = data.congresses.to_dict()
    keys = [
        "congresses_due",
        "congresses_held",
        "base_orgs_congresses_due",
        "base_orgs_congresses_held",
        "cells_congresses_due",
        "cells_congresses_held",
        "own_congresses_held",
    ]
    assert (
        {k: stats[k] for k in keys}
        == {k: report[k] for k in keys}
        == {
            "congresses_due": 4,
            "congresses_held": 1,
            "base_orgs_congresses_due": 1,
            "base_orgs_congresses_held": 1,
            "cells_congresses_due": 3,
            "cells_congresses_held": 0,
            "own_congresses_held": 0,
        }
    )
    assert {k: v for k, v in stats.items() if k in report} == report
    assert "Có 1/1 tổ chức cơ sở đảng và 0/3 chi bộ tổ chức đại hội nhiệm kỳ 2025–2030" in text
    assert "cấp ủy viên" not in text  # nobody elected to a committee counted
    code, table, _ = run("stats", "TP", "--period", "2025")
    assert "Đại hội: 1/1 tổ chức cơ sở đảng và 0/3 chi bộ đã đại hội;" in table
    # ward 1's own report: its congress apart, with its own sentence
    code, out, _ = run("stats", "P1", "--period", "2025", "--format", "json")
    ward = json.loads(out)
    assert (ward["own_congresses_held"], ward["own_congress_number"]) == (1, 12)
    assert (ward["congresses_held"], ward["congresses_due"]) == (0, 3)
    _, text = _report_text(w1, "2025")
    assert (
        "Đại hội đại biểu Đảng bộ phường 1 lần thứ XII, nhiệm kỳ 2025–2030 được tổ chức từ ngày "
        "10/9/2025 đến ngày 11/9/2025, 118/120 đại biểu được triệu tập có mặt; kết quả bầu cử "
        "được chuẩn y ngày 20/9/2025."
    ) in text
    assert "Có 0/3 chi bộ tổ chức đại hội" in text
