"""The review report: numbering, freezing on issue, and what the DOCX and PDF say."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import tempfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import docx
import pytest

from dangbo.congresses.figures import CongressFigures
from dangbo.core.errors import DomainError, InvalidInput, NotFound
from dangbo.documents.numbering import number_issue, number_next
from dangbo.figures import UnitCounts, membership_figures
from dangbo.grading.figures import GradingFigures
from dangbo.inspections.figures import InspectionFigures
from dangbo.membership.events import event_record
from dangbo.membership.models import EventKind
from dangbo.organizations.services import org_found, org_merge, term_open
from dangbo.reports.builder import build_review, compute_review
from dangbo.reports.compose import compose_review
from dangbo.reports.data import OpenTask, Override, ReviewData
from dangbo.reports.services import (
    report_draft,
    report_issue,
    report_override,
    report_update_narrative,
)
from dangbo.targets.figures import TargetRow
from tests.conftest import ACTOR, admit, kind


@pytest.fixture
def ward_ledger(city_tree):
    """Ward 1 with a hand-made ledger: 4 members before 2023; in 2023-H1 2 admitted, 1 received
    from ward 2, 1 died, 1 badge; so 4 + 2 + 1 − 1 = 6 at 30/6/2023."""
    w1c1, w1c2, w2c1 = city_tree["w1c1"], city_tree["w1c2"], city_tree["w2c1"]
    term_open(org=city_tree["w1"], label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    old = [
        admit(w1c1, date(2019, 1, 10)),
        admit(w1c1, date(2019, 1, 10)),
        admit(w1c2, date(2019, 2, 1)),
        admit(w1c2, date(2019, 2, 1), gender="nu"),
    ]
    for m, official in zip(old, [date(2020, 1, 10)] * 2 + [date(2020, 2, 1)] * 2, strict=True):
        event_record(member=m, kind=EventKind.RECOGNITION, effective_on=official, actor=ACTOR)
    mover = admit(w2c1, date(2019, 3, 1))
    event_record(
        member=mover, kind=EventKind.RECOGNITION, effective_on=date(2020, 3, 1), actor=ACTOR
    )
    # 2023-H1
    admit(w1c1, date(2023, 2, 3), gender="nu")
    admit(w1c2, date(2023, 5, 19))
    event_record(
        member=mover,
        kind=EventKind.TRANSFER,
        effective_on=date(2023, 4, 1),
        from_org=w2c1,
        to_org=w1c1,
        actor=ACTOR,
    )
    event_record(member=old[0], kind=EventKind.DEATH, effective_on=date(2023, 3, 15), actor=ACTOR)
    return city_tree


def _docx_text(data: bytes) -> str:
    d = docx.Document(BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    for r in inner.rows:
                        parts.extend(c.text for c in r.cells)
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(data)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_numbers_run_per_type_within_the_term_and_restart_in_a_new_term(city_tree):
    ward = city_tree["w1"]
    with pytest.raises(NotFound, match="Chưa khai báo nhiệm kỳ"):
        number_next(issuer=ward, type_code="BC", on=date(2021, 1, 1))
    term_open(org=ward, label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    first = number_issue(issuer=ward, type_code="BC", on=date(2021, 1, 5), title="a", actor=ACTOR)
    second = number_issue(issuer=ward, type_code="BC", on=date(2022, 3, 1), title="b", actor=ACTOR)
    plan = number_issue(issuer=ward, type_code="KH", on=date(2022, 3, 1), title="c", actor=ACTOR)
    assert [first.text, second.text, plan.text] == ["01-BC/ĐU", "02-BC/ĐU", "01-KH/ĐU"]
    term_open(org=ward, label="2025–2030", starts_on=date(2025, 7, 1), actor=ACTOR)
    assert (
        number_issue(issuer=ward, type_code="BC", on=date(2025, 8, 1), title="d", actor=ACTOR).text
        == "01-BC/ĐU"
    )
    with pytest.raises(InvalidInput, match="Loại văn bản «XX»"):
        number_issue(issuer=ward, type_code="XX", on=date(2025, 8, 1), title="e", actor=ACTOR)


def test_the_draft_carries_the_figures_of_the_period(ward_ledger):
    report = report_draft(org=ward_ledger["w1"], period_code="2023-H1", actor=ACTOR)
    data = build_review(report)
    f = data.figures
    assert (
        f["members_start"],
        f["admitted"],
        f["transferred_in"],
        f["died"],
        f["members_end"],
    ) == (4, 2, 1, 1, 6)
    assert data.org.committee == "Đảng ủy phường 1"
    assert data.superior is not None and data.superior.name == "Đảng bộ thành phố Thử"
    assert [m.value for m in data.monthly] == [4, 5, 4, 5, 6, 6]  # end of Jan … Jun
    assert sum(m.value for m in data.admissions_by_month) == 2


def test_issued_report_is_frozen_and_renders_the_same_after_later_events(ward_ledger):
    report = report_draft(
        org=ward_ledger["w1"], period_code="2023-H1", actor=ACTOR, signer_name="Nguyễn Văn Hùng"
    )
    report_update_narrative(
        report=report, narrative={"han_che": "Việc cập nhật hồ sơ còn chậm."}, actor=ACTOR
    )
    report = report_issue(report=report, on=date(2023, 7, 10), actor=ACTOR)
    from dangbo.reports.render_docx import render_docx

    before = _docx_text(render_docx(compose_review(build_review(report))))
    # later events, a backdated correction inside the period and a reorganization
    admit(ward_ledger["w1c1"], date(2023, 6, 1))
    event_record(
        member=admit(ward_ledger["w1c2"], date(2023, 8, 1)),
        kind=EventKind.DEATH,
        effective_on=date(2023, 9, 1),
        actor=ACTOR,
    )
    org_merge(sources=[ward_ledger["w1"]], into=ward_ledger["w2"], on=date(2025, 7, 1), actor=ACTOR)
    assert ward_ledger["w1"].versions.get(valid_to=date(2025, 7, 1))
    report.refresh_from_db()
    after = _docx_text(render_docx(compose_review(build_review(report))))
    assert after == before
    assert "Số 01-BC/ĐU" in before
    with pytest.raises(DomainError, match="đã ban hành"):
        report_update_narrative(report=report, narrative={"han_che": "sửa"}, actor=ACTOR)


def test_an_overridden_figure_is_marked_with_its_computed_value(ward_ledger):
    report = report_draft(org=ward_ledger["w1"], period_code="2023-H1", actor=ACTOR)
    report_override(report=report, key="admitted", value=3, actor=ACTOR)
    data = build_review(report)
    assert data.figures["admitted"] == 3
    assert data.overrides == {"admitted": Override(value=3, computed=2)}
    text = "\n".join(getattr(b, "text", "") for b in compose_review(data).body)
    assert "kết nạp mới 03(*) đảng viên" in text
    assert (
        "(*) Số liệu do văn phòng sửa tay: «Kết nạp mới» (admitted) ghi 3, hệ thống tính được 2."
        in text
    )
    with pytest.raises(InvalidInput, match="không sửa tay được"):
        report_override(report=report, key="breakdowns", value=1, actor=ACTOR)


def test_docx_and_pdf_show_the_header_the_figures_and_the_identity(ward_ledger):
    from dangbo.reports.render_docx import render_docx
    from dangbo.reports.render_pdf import render_pdf

    report = report_draft(
        org=ward_ledger["w1"], period_code="2023-H1", actor=ACTOR, signer_name="Nguyễn Văn Hùng"
    )
    report = report_issue(report=report, on=date(2023, 7, 5), actor=ACTOR)
    doc = compose_review(build_review(report))
    expected = [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ THÀNH PHỐ THỬ",
        "ĐẢNG ỦY PHƯỜNG 1",
        "Số 01-BC/ĐU",
        "Phường 1, ngày 5 tháng 7 năm 2023",
        "BÁO CÁO",
        "sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2023,",
        "Tính đến ngày 30/6/2023, Đảng bộ phường 1 có 06 đảng viên",
        "kết nạp mới 02 đảng viên",
        "tiếp nhận 01 đảng viên chuyển đến",
        "01 đồng chí từ trần",
        "Đầu kỳ (31/12/2022)",
        "Cuối kỳ (30/6/2023)",
        "T/M BAN THƯỜNG VỤ",
        "Nguyễn Văn Hùng",
    ]
    docx_text = _squash(_docx_text(render_docx(doc)))
    pdf_text = _squash(_pdf_text(render_pdf(doc)))
    for needle in expected:
        assert needle in docx_text, needle
        assert _squash(needle) in pdf_text, needle
    # the identity, row by row, in the table: start 4, +2 admitted, +1 transferred in, −1 died, end 6
    rows = docx.Document(BytesIO(render_docx(doc))).tables
    flat = ["|".join(c.text for c in r.cells) for t in rows for r in t.rows]
    assert "Đầu kỳ (31/12/2022)|4" in flat and "Cuối kỳ (30/6/2023)|6" in flat
    assert "(+) Kết nạp mới|2" in flat and "(−) Từ trần|1" in flat


def test_later_parts_render_when_their_records_exist(ward_ledger):

    data = build_review(
        report_draft(org=ward_ledger["w1"], period_code="2023", actor=ACTOR, save=False)
    )
    text_without = "\n".join(getattr(b, "text", "") for b in compose_review(data).body)
    assert "Công tác đại hội" not in text_without and "chỉ tiêu" not in text_without
    data = dataclasses.replace(
        data,
        congresses=CongressFigures(
            congresses_due=17,
            congresses_held=17,
            elected_in_one_round=17,
            secretaries_elected=17,
            secretaries_women=6,
            secretaries_reelected=15,
            secretaries_new=2,
            committee_elected=79,
            committee_women=34,
            committee_reelected=63,
            committee_first_time=16,
        ),
        grading=GradingFigures(
            year=2023,
            base_orgs_total=44,
            base_orgs_good_or_better=42,
            base_orgs_by_grade={"xuat_sac": 8, "tot": 34, "hoan_thanh": 2},
            members_graded=310,
            members_not_graded=39,
            members_by_grade={"xuat_sac": 58, "tot": 252},
        ),
        targets=(
            TargetRow(
                name="Kết nạp đảng viên mới",
                unit="đảng viên",
                planned=Decimal("20"),
                actual=Decimal("22"),
                percent=Decimal("110.0"),
                status="vuot",
            ),
            TargetRow(
                name="Thu ngân sách",
                unit="%",
                planned=Decimal("100"),
                actual=Decimal("790.2"),
                percent=Decimal("790.2"),
                status="vuot",
            ),
        ),
        inspections=InspectionFigures(
            start=date(2023, 1, 1),
            end=date(2023, 12, 31),
            inspected_orgs=22,
            inspected_members=20,
            supervised_orgs=19,
            supervised_members=7,
            violations_found=1,
        ),
        open_tasks=(
            OpenTask(
                task="Hoàn thiện hồ sơ đảng viên", owner="Văn phòng", deadline=date(2023, 12, 31)
            ),
        ),
    )
    doc = compose_review(data)
    text = "\n".join(getattr(b, "text", "") for b in doc.body)
    assert (
        "Có 17/17 tổ chức đảng tổ chức đại hội; 17/17 đại hội bầu đủ số lượng ngay lần đầu (100%)"
        in text
    )
    assert "nữ 34/79 = 43,0%; tái cử 63/79 = 79,7%; tham gia lần đầu 16/79 = 20,3%" in text
    assert "Tổ chức cơ sở đảng: 42/44 tổ chức hoàn thành tốt nhiệm vụ trở lên" in text
    assert "đánh giá, xếp loại 310/349 đảng viên" in text
    assert "Thực hiện đạt và vượt 2/2 chỉ tiêu." in text
    assert (
        "Kiểm tra 22 tổ chức đảng và 20 đảng viên; giám sát 19 tổ chức đảng và 07 đảng viên" in text
    )
    assert "- Hoàn thiện hồ sơ đảng viên (Văn phòng, hạn 31/12/2023)." in text
    tables = [b for b in doc.body if getattr(b, "caption", "") == "Kết quả thực hiện các chỉ tiêu"]
    assert tables[0].rows[1][4:] == ("790,2", "790,2%", "Vượt")


def test_units_and_admissions_by_month_are_counted_per_unit_and_month(ward_ledger):
    data = build_review(
        report_draft(org=ward_ledger["w1"], period_code="2023-H1", actor=ACTOR, save=False)
    )
    # cell 1: 2 at the start, 1 admitted (3/2), 1 received from ward 2 (1/4), 1 died → 3;
    # cell 2: 2 at the start, 1 admitted (19/5) → 3
    assert [(u.name, u.counts) for u in data.units] == [
        (
            "Chi bộ TDP 1 phường 1",
            UnitCounts(
                members_start=2,
                members_end=3,
                official_end=2,
                probationary_end=1,
                admitted=1,
                transferred_in=1,
                died=1,
            ),
        ),
        (
            "Chi bộ TDP 2 phường 1",
            UnitCounts(
                members_start=2, members_end=3, official_end=2, probationary_end=1, admitted=1
            ),
        ),
    ]
    assert [(m.on, m.value) for m in data.admissions_by_month] == [
        (date(2023, 1, 31), 0),
        (date(2023, 2, 28), 1),
        (date(2023, 3, 31), 0),
        (date(2023, 4, 30), 0),
        (date(2023, 5, 31), 1),
        (date(2023, 6, 30), 0),
    ]
    # the city: ward 2 hands its member over to ward 1 — a transfer out of one unit into another
    city = build_review(
        report_draft(org=ward_ledger["city"], period_code="2023-H1", actor=ACTOR, save=False)
    )
    assert [(u.code, u.counts.transferred_in, u.counts.transferred_out) for u in city.units] == [
        (ward_ledger["w1"].latest_version.code, 1, 0),
        (ward_ledger["w2"].latest_version.code, 0, 1),
    ]


def test_membership_figures_run_three_queries(ward_ledger, django_assert_num_queries):
    # stocks, flows and candidates from the aggregates (one), the opening date (nhập sổ),
    # breakdowns
    with django_assert_num_queries(3):
        membership_figures(ward_ledger["w1"], date(2023, 1, 1), date(2023, 12, 31))


# the congress figures read the organization's own congress apart (one query); the
# targets adopted for a later period (read once, for the directions and the targets' table)
# and the office wording settings (three); the opening date (one); the dues figures (one)
@pytest.mark.parametrize(("period", "queries"), [("2023-H1", 28), ("2023", 31)])
def test_building_a_review_report_runs_a_fixed_number_of_queries(
    ward_ledger, django_assert_num_queries, period, queries
):
    """One query for the units' figures and one for admissions by month, whatever the number
    of units and months (a year report once ran a figures call per month and per unit: 67
    queries for this ward); the year-end report adds the three grading queries."""
    report = report_draft(org=ward_ledger["w1"], period_code=period, actor=ACTOR, save=False)
    with django_assert_num_queries(queries):
        compute_review(report)
    # a third cell with members adds no query
    cell = org_found(
        kind=kind("chi_bo"),
        name="Chi bộ TDP 3 phường 1",
        code="P1-C3",
        parent=ward_ledger["w1"],
        on=date(2022, 1, 1),
        actor=ACTOR,
    )
    admit(cell, date(2022, 3, 1))
    with django_assert_num_queries(queries):
        data = compute_review(report)
    assert len(data.units) == 3


def test_an_issued_snapshot_holds_numbers_and_reads_back_as_the_data_it_froze(ward_ledger):
    report = report_draft(org=ward_ledger["w1"], period_code="2023", actor=ACTOR)
    report_override(report=report, key="admitted", value=3, actor=ACTOR)
    report = report_issue(
        report=report, on=date(2024, 1, 10), actor=ACTOR, signer_name="Nguyễn Văn Hùng"
    )
    computed = compute_review(report)
    report.refresh_from_db()  # the snapshot as the database gives it back
    snapshot = report.snapshot
    assert snapshot["version"] == 2
    assert snapshot["figures"]["admitted"] == 3
    assert snapshot["overrides"] == {"admitted": {"value": 3, "computed": 2}}
    assert snapshot["monthly"][0] == {"on": "2023-01-31", "value": 4}
    data = build_review(report)
    assert data == computed
    assert ReviewData.from_json(json.loads(json.dumps(snapshot))) == data
