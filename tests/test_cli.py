"""The command line: thin wrappers that print what the services and selectors return."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dangbo.meetings.references import meeting_ref
from dangbo.membership.events import event_record
from dangbo.membership.models import EventKind, Member
from tests.conftest import ACTOR, admit, run

# REPORTS §1, written out: the membership figures' canonical keys in the statistics JSON
CANONICAL_KEYS = {
    # stocks at the eve of the period and at its end
    "members_start",
    "members_end",
    "official_start",
    "official_end",
    "probationary_start",
    "probationary_end",
    "women_start",
    "women_end",
    "exempt_start",
    "exempt_end",
    # flows in the period
    "admitted",
    "readmitted",
    "recognized_official",
    "transferred_in",
    "transferred_out",
    "transferred_internal",
    "temporary_in",
    "temporary_out",
    "reorganized_in",
    "reorganized_out",
    "died",
    "removed",
    "expelled",
    "left",
    "cards_issued",
    "badges_awarded",
    "badges_posthumous",
    "badges_by_milestone",
    "candidates_trained",
    "candidates_verified",
    "dossiers_completed",
    "disciplined",
    "disciplined_total",
    "exemptions_granted",
    # REPORTS §2
    "breakdowns",
}
# the other figure families the statistics command adds beside them (REPORTS §3, part I)
PERIOD_KEYS = {"organization", "from", "to"}
CONGRESS_KEYS = {
    "congresses_due",
    "congresses_held",
    "congresses_held_pct",
    "congresses_approved",
    "elected_in_one_round",
    "elected_in_one_round_pct",
    "secretaries_elected",
    "secretaries_appointed",
    "secretaries_women",
    "secretaries_women_pct",
    "secretaries_reelected",
    "secretaries_reelected_pct",
    "secretaries_new",
    "secretaries_new_pct",
    "committee_elected",
    "committee_women",
    "committee_women_pct",
    "committee_reelected",
    "committee_reelected_pct",
    "committee_first_time",
    "committee_first_time_pct",
    # issue 11: congresses counted per congress, by kind of unit, by term and round; the
    # organization's own congress apart
    "base_orgs_congresses_due",
    "base_orgs_congresses_held",
    "base_orgs_congresses_held_pct",
    "cells_congresses_due",
    "cells_congresses_held",
    "cells_congresses_held_pct",
    "cells_congresses_approved",
    "other_orgs_congresses_due",
    "other_orgs_congresses_held",
    "congresses_by_term",
    "congresses_by_round",
    "own_congresses_held",
    "own_congress_number",
    "own_congress_term",
    "own_congress_kind",
    "own_congress_starts_on",
    "own_congress_ends_on",
    "own_congress_delegates",
    "own_congress_present",
    "own_congress_approved_on",
}
INSPECTION_KEYS = {
    "inspected_orgs",
    "inspected_members",
    "supervised_orgs",
    "supervised_members",
    "by_kind",
    "complaints_received",
    "complaints_handled",
    "violations_found",
    "violations_found_orgs",
    "violations_found_members",
    "disciplined_orgs",
    "disciplined_orgs_total",
    "disciplined_members",
    "disciplined_members_total",
    "cells_inspected_members",
    "cells_supervised_members",
    "cells_complaints_received",
}
TARGET_KEYS = {
    "targets",
    "targets_total",
    "targets_exceeded",
    "targets_achieved",
    "targets_not_achieved",
    "targets_summary",
    "targets_adopted",
    "targets_adopted_by_category",
}
GRADING_KEYS = {"grading"}
DUES_KEYS = {
    "dues_due",
    "dues_paid",
    "dues_arrears",
    "dues_exempt_members",
    "dues_member_months",
    "dues_collected_pct",
}
BREAKDOWN_DIMENSIONS = {
    "gender",
    "age",
    "party_age",
    "ethnicity",
    "religion",
    "education",
    "qualification",
    "theory",
    "occupation",
}


@pytest.fixture
def small_ledger(city_tree):
    # given: three members admitted into ward 1 in 2022, one of them a woman
    cell = city_tree["w1c1"]
    members = [
        admit(cell, date(2022, 3, 1)),
        admit(cell, date(2022, 3, 1)),
        admit(cell, date(2022, 4, 1), gender="nu"),
    ]
    for m in members[:2]:
        event_record(
            member=m, kind=EventKind.RECOGNITION, effective_on=date(2023, 3, 1), actor=ACTOR
        )
    return city_tree


def test_stats_json_has_exactly_the_canonical_keys(small_ledger):
    code, out, _ = run("stats", "P1", "--period", "2022", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == (
        PERIOD_KEYS
        | CANONICAL_KEYS
        | CONGRESS_KEYS
        | INSPECTION_KEYS
        | TARGET_KEYS
        | GRADING_KEYS
        | DUES_KEYS
    )
    assert set(data["disciplined"]) == {"khien_trach", "canh_cao", "cach_chuc", "khai_tru"}
    assert set(data["breakdowns"]) == BREAKDOWN_DIMENSIONS
    assert data["organization"]["code"] == "P1"
    assert (data["members_start"], data["admitted"], data["members_end"]) == (0, 3, 3)
    assert (data["probationary_end"], data["women_end"]) == (3, 1)


def test_stats_accepts_id_and_explicit_dates(small_ledger):
    w1 = small_ledger["w1"]
    code, out, _ = run(
        "stats", str(w1.pk), "--from", "1/1/2023", "--to", "2023-12-31", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0
    assert (data["members_start"], data["recognized_official"], data["official_end"]) == (3, 2, 2)


def test_stats_table_shows_vietnamese_labels_and_the_identity(small_ledger):
    code, out, _ = run("stats", "TP", "--period", "2022-H1")
    assert code == 0
    assert "Kết nạp mới" in out
    assert "Đối chiếu: 0 + (3 + 0 + 0 + 0)" in out
    assert "khớp" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (("stats", "KHONGCO", "--period", "2022"), "Không tìm thấy tổ chức đảng"),
        (("stats", "P1", "--period", "2022-H3"), "Kỳ «2022-H3» không hợp lệ"),
        (("stats", "P1"), "Cần chỉ rõ kỳ"),
        (
            ("stats", "P1", "--from", "31/02/2022", "--to", "2022-12-31"),
            "không phải là ngày hợp lệ",
        ),
    ],
)
def test_stats_bad_input_gets_a_vietnamese_message_and_exit_1(small_ledger, args, message):
    code, _, err = run(*args)
    assert code == 1
    assert message in err


def test_orgs_lists_the_tree_with_member_counts_and_flags_small_cells(small_ledger):
    code, out, _ = run("orgs", "--on", "2023-06-30", "--format", "json")
    nodes = {n["code"]: n for n in json.loads(out)}
    assert code == 0
    assert [n["depth"] for n in json.loads(out)][:2] == [0, 1]
    assert nodes["TP"]["members"] == 3 and nodes["P1-C1"]["official"] == 2
    assert nodes["P1-C1"]["below_minimum"] is True  # 2 full members < 3
    code, out, _ = run("orgs", "--on", "2023-06-30")
    assert "⚠ chỉ 2 đảng viên chính thức" in out


def test_verify_passes_on_consistent_records(small_ledger):
    code, out, _ = run("verify", "--on", "2024-01-01")
    assert code == 0, out
    assert "Kiểm tra đạt" in out


def test_verify_fails_with_a_readable_list_when_the_projection_was_tampered(small_ledger):
    Member.objects.update(card_number="SUA-TAY")
    code, out, _ = run("verify", "--on", "2024-01-01")
    assert code == 1
    assert "PHÁT HIỆN 3 LỖI" in out
    assert out.count("trường «card_number» lưu 'SUA-TAY'") == 3


def test_rebuild_reports_then_repairs_a_tampered_projection(small_ledger):
    Member.objects.update(card_number="SUA-TAY")
    code, out, _ = run("rebuild", "--dry-run")
    assert code == 0 and "3 chỗ khác biệt" in out
    assert Member.objects.filter(card_number="SUA-TAY").count() == 3
    code, out, _ = run("rebuild")
    assert "Đã ghi lại trạng thái của 3 đảng viên" in out
    assert Member.objects.filter(card_number="SUA-TAY").count() == 0
    code, out, _ = run("rebuild", "--dry-run")
    assert "khớp hoàn toàn" in out


def test_report_commands_issue_render_and_refuse_cleanly(small_ledger, tmp_path):
    from dangbo.organizations.services import term_open
    from dangbo.reports.models import ReviewReport

    term_open(org=small_ledger["w1"], label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    # a refused issue (no signer) leaves nothing behind
    code, _, err = run("report", "issue", "P1", "--period", "2022", "--date", "2023-01-10")
    assert code == 1 and "người ký" in err and ReviewReport.objects.count() == 0
    code, out, _ = run(
        "report",
        "issue",
        "P1",
        "--period",
        "2022",
        "--date",
        "2023-01-10",
        "--signer",
        "Lê Thị Hoa",
        "--out",
        str(tmp_path / "bc.html"),
    )
    assert code == 0 and "Báo cáo số 01-BC/ĐU, ngày 10/01/2023" in out
    code, out, _ = run("report", "render", "01-BC/ĐU", "--out", str(tmp_path / "lai.html"))
    assert code == 0
    assert (tmp_path / "lai.html").read_text() == (tmp_path / "bc.html").read_text()
    assert "Lê Thị Hoa" in (tmp_path / "lai.html").read_text()
    code, _, err = run(
        "report", "review", "P1", "--period", "2022", "--out", str(tmp_path / "x.txt")
    )
    assert code == 1 and "phải có đuôi .docx, .pdf hoặc .html" in err
    code, _, err = run("report", "render", "99-BC/ĐU", "--out", str(tmp_path / "y.docx"))
    assert code == 1 and "Không tìm thấy báo cáo" in err


def test_news_command_prints_the_draft_of_a_conference(conference, tmp_path):
    meeting = conference
    code, out, _ = run("news", meeting_ref(meeting))
    assert code == 0
    assert out.startswith("Chiều ngày 5/7/2023")
    assert "đồng chí Đinh Thị Thu Hương, Thường vụ Quận ủy, Phó Chủ tịch UBND quận" in out
    code, out, _ = run("news", meeting_ref(meeting), "--out", str(tmp_path / "tin.txt"))
    assert (tmp_path / "tin.txt").read_text(encoding="utf-8").startswith("Chiều ngày 5/7/2023")
    code, _, err = run("news", "999999")
    assert code == 1 and "không đúng dạng" in err and "dangbo meetings" in err
