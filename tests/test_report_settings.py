"""Office wording settings (REPORTS §4–5, Hướng dẫn 36-HD/VPTW), places and recipients of the
committee's own locality, and the stored draft with its narrative revisions."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import docx
import pytest

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.organizations import services as org_services
from dangbo.organizations.services import term_open
from dangbo.reports.addressing import default_place, default_recipients
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.models import NarrativeRevision, OfficeSetting, ReviewReport
from dangbo.reports.narrative import parse_markdown
from dangbo.reports.render_docx import render_docx
from dangbo.reports.render_html import render_html
from dangbo.reports.services import report_draft, report_issue, report_update_narrative
from dangbo.reports.wording import setting_set, wording_on
from dangbo.vn_format import Wording
from tests.conftest import ACTOR, admit, kind, run


def _docx_paragraphs(data: bytes) -> list[str]:
    d = docx.Document(BytesIO(data))
    out = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return out


@pytest.fixture
def small_ward(city_tree):
    """Ward 1: 3 members admitted in 2022 (one a woman), one more on 5/8/2023."""
    c = city_tree["w1c1"]
    admit(c, date(2022, 3, 1))
    admit(c, date(2022, 3, 1))
    admit(c, date(2022, 4, 1), gender="nu")
    admit(c, date(2023, 8, 5))
    return city_tree


# --- item 12: wording settings -------------------------------------------------------------
def test_wording_formats_counts_percentages_dates_and_money_as_the_office_chooses():
    """REPORTS §5: "03" or "3" (zero never "00"), 43,0% or 43%, 5/8/2022, 05/8/2022 or
    05/08/2022, "12 tỷ 305 triệu đồng"."""
    default = Wording()
    assert (default.count(3), default.count(0), default.count(12)) == ("03", "0", "12")
    assert default.percent(34, 79) == "43,0%" and default.percent(17, 17) == "100%"
    assert default.date_numeric(date(2022, 8, 5)) == "5/8/2022"
    assert default.money(12_305_250_000) == "12 tỷ 305 triệu đồng"
    office = Wording(pad_counts=False, percent_whole=True, date_form="dd/m/yyyy")
    assert (office.count(3), office.count(0)) == ("3", "0")
    assert office.percent(34, 79) == "43%" and office.percent(63, 79) == "80%"
    assert office.date_numeric(date(2022, 8, 5)) == "05/8/2022"
    assert office.date_long(date(2022, 8, 5)) == "ngày 05 tháng 8 năm 2022"
    assert Wording(date_form="dd/mm/yyyy").date_numeric(date(2022, 8, 5)) == "05/08/2022"
    assert Wording(money_form="chu_so").money(12_305_000_000) == "12.305.000.000 đồng"
    assert (
        Wording(money_form="ty_trieu_dong").money(12_305_250_000)
        == "12 tỷ 305 triệu 250 nghìn đồng"
    )


def test_settings_are_versioned_and_inherited_from_the_nearest_ancestor(city_tree):
    """Each setting is in force from its date; a ward without its own takes the city's."""
    city, w1, w2 = city_tree["city"], city_tree["w1"], city_tree["w2"]
    setting_set(org=city, key="pad_counts", value="khong", valid_from=date(2023, 1, 1), actor=ACTOR)
    setting_set(
        org=w1,
        key="pad_counts",
        value="co",
        valid_from=date(2024, 1, 1),
        actor=ACTOR,
        decision="Thông báo số 12-TB/ĐU",
    )
    setting_set(
        org=w1, key="date_form", value="dd/m/yyyy", valid_from=date(2023, 6, 1), actor=ACTOR
    )
    assert wording_on(w1, date(2022, 12, 31)) == Wording()
    assert wording_on(w1, date(2023, 3, 1)) == Wording(pad_counts=False)
    assert wording_on(w1, date(2023, 6, 1)) == Wording(pad_counts=False, date_form="dd/m/yyyy")
    assert wording_on(w1, date(2024, 1, 1)) == Wording(pad_counts=True, date_form="dd/m/yyyy")
    assert wording_on(w2, date(2024, 1, 1)) == Wording(pad_counts=False)  # the city's
    assert wording_on(city_tree["w1c1"], date(2024, 1, 1)).date_form == "dd/m/yyyy"
    row = OfficeSetting.objects.get(org=w1, key="pad_counts")
    assert (row.decision, row.set_by) == ("Thông báo số 12-TB/ĐU", ACTOR)
    with pytest.raises(InvalidInput, match="không nhận giá trị «x»") as exc:
        setting_set(org=w1, key="date_form", value="x", valid_from=date(2025, 1, 1), actor=ACTOR)
    assert exc.value.field == "value"
    with pytest.raises(InvalidInput, match="Không có cài đặt «mau»"):
        setting_set(org=w1, key="mau", value="x", valid_from=date(2025, 1, 1), actor=ACTOR)
    with pytest.raises(InvalidInput, match="đã có một giá trị áp dụng từ ngày 01/01/2024"):
        setting_set(
            org=w1, key="pad_counts", value="khong", valid_from=date(2024, 1, 1), actor=ACTOR
        )


def test_the_report_uses_the_setting_in_force_on_its_date(small_ward, monkeypatch):
    """REPORTS §4: the leading zero is an office setting; the report of 2023-H2 issued after
    the office stopped padding writes "4 đảng viên", the draft before it "04"; the date form
    applies to the place line and the text; a zero count is never "00"."""
    w1 = small_ward["w1"]
    setting_set(org=w1, key="pad_counts", value="khong", valid_from=date(2024, 1, 1), actor=ACTOR)
    setting_set(
        org=w1, key="date_form", value="dd/m/yyyy", valid_from=date(2024, 1, 1), actor=ACTOR
    )
    monkeypatch.setenv("DANGBO_TODAY", "2023-12-31")
    before = build_review(report_draft(org=w1, period_code="2023-H2", actor=ACTOR, save=False))
    text = "\n".join(_docx_paragraphs(render_docx(compose_review(before))))
    assert "Đảng bộ phường 1 có 04 đảng viên" in text
    assert "miễn công tác và sinh hoạt đảng 0 đồng chí" in text and " 00 " not in text
    monkeypatch.setenv("DANGBO_TODAY", "2024-01-10")
    report = report_draft(org=w1, period_code="2023-H2", actor=ACTOR, signer_name="Nguyễn Văn A")
    term_open(org=w1, label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    report = report_issue(report=report, on=date(2024, 1, 5), actor=ACTOR)
    doc = compose_review(build_review(report))
    text = "\n".join(_docx_paragraphs(render_docx(doc)))
    assert "Tính đến ngày 31/12/2023, Đảng bộ phường 1 có 4 đảng viên" in text
    assert "Phường 1, ngày 05 tháng 1 năm 2024" in text
    assert "miễn công tác và sinh hoạt đảng 0 đồng chí" in text
    # the snapshot keeps the wording: a later setting does not change an issued report
    setting_set(org=w1, key="pad_counts", value="co", valid_from=date(2024, 1, 6), actor=ACTOR)
    again = ReviewReport.objects.get(pk=report.pk)
    assert "có 4 đảng viên" in render_html(compose_review(build_review(again)))


def test_settings_command_sets_and_lists(city_tree):
    code, out, _ = run(
        "settings", "set", "TP", "percent_whole", "co", "--from", "2024-01-01",
        "--decision", "Kết luận của Ban Thường vụ",
    )  # fmt: skip
    assert code == 0 and "percent_whole = co" in out
    code, out, _ = run("settings", "list", "P1", "--on", "2024-02-01")
    assert code == 0
    line = next(x for x in out.splitlines() if "percent_whole" in x)
    assert "co" in line and "theo Đảng bộ thành phố Thử" in line and "Kết luận" in line
    assert "mặc định" in next(x for x in out.splitlines() if "pad_counts" in x)
    code, _, err = run("settings", "set", "TP", "percent_whole", "nua", "--from", "2024-01-01")
    assert code == 1 and "không nhận giá trị «nua»" in err


# --- item 19: recipients and place --------------------------------------------------------
def test_recipients_and_place_follow_the_organization(city_tree):
    """Hướng dẫn 36-HD/VPTW: the place is the issuing committee's own locality; the
    recipients name the units below as they are: base organizations or cells."""
    on = date(2023, 6, 30)
    assert default_place(city_tree["w1"], on) == "Phường 1"
    assert default_place(city_tree["city"], on) == "Thử"
    assert default_place(city_tree["w1c1"], on) == "Phường 1"  # a cell: its ward's
    assert "Các tổ chức cơ sở đảng trực thuộc" in default_recipients(city_tree["city"], on)
    assert "Các chi bộ trực thuộc" not in default_recipients(city_tree["city"], on)
    assert "Các chi bộ trực thuộc" in default_recipients(city_tree["w1"], on)
    district = org_services.org_found(
        kind=kind("huyen"),
        name="Đảng bộ quận Ba Đình",
        code="Q1",
        doc_code="QU",
        parent=city_tree["city"],
        on=date(2018, 1, 1),
        actor=ACTOR,
    )
    assert default_place(district, on) == "Quận Ba Đình"
    base_cell = org_services.org_found(
        kind=kind("chi_bo_co_so"),
        name="Chi bộ Trường THCS Lê Lợi",
        code="Q1-C1",
        parent=district,
        on=date(2023, 1, 1),
        actor=ACTOR,
    )
    assert "Các chi bộ trực thuộc" in default_recipients(district, on)  # base cells: chi bộ
    org_services.org_found(
        kind=kind("co_so"),
        name="Đảng bộ phường Kim Mã",
        code="Q1-P1",
        parent=district,
        on=date(2023, 1, 1),
        actor=ACTOR,
    )
    assert "Các tổ chức cơ sở đảng trực thuộc" in default_recipients(district, on)
    assert default_place(base_cell, on) == "Quận Ba Đình"
    assert default_recipients(district, date(2022, 12, 31)) == [
        "Ban Thường vụ Thành ủy Thử",
        "Các đồng chí Ủy viên Ban Chấp hành",
        "Lưu Văn phòng.",
    ]  # no units yet: no line for them


# --- item 22: the stored draft, its narrative and revisions -------------------------------
NARRATIVE_MD = """\
## 1. Công tác chính trị, tư tưởng

Tổ chức quán triệt Nghị quyết
Hội nghị Trung ương 8.

Các chi bộ sinh hoạt chuyên đề.

## III. Phương hướng, nhiệm vụ

Tiếp tục nâng cao chất lượng sinh hoạt chi bộ.
"""


def test_markdown_headings_map_to_the_narrative_sections():
    assert parse_markdown(NARRATIVE_MD) == {
        "chinh_tri_tu_tuong": "Tổ chức quán triệt Nghị quyết Hội nghị Trung ương 8.\n"
        "Các chi bộ sinh hoạt chuyên đề.",
        "phuong_huong": "Tiếp tục nâng cao chất lượng sinh hoạt chi bộ.",
    }
    assert parse_markdown("# han che\nÍt.\n# to_chuc_can_bo\nTốt.") == {
        "han_che": "Ít.",
        "to_chuc_can_bo": "Tốt.",
    }
    assert parse_markdown("## Dân vận\nTốt.") == {"dan_van": "Tốt."}
    with pytest.raises(InvalidInput, match="tiêu đề «Công tác» không ứng"):
        parse_markdown("## Công tác\nTốt.")
    with pytest.raises(InvalidInput, match="dòng 3: tiêu đề «Thi đua khen thưởng» không ứng"):
        parse_markdown("## Dân vận\nTốt.\n## Thi đua khen thưởng\n", source="Tệp")
    with pytest.raises(InvalidInput, match="dòng 1: nội dung trước tiêu đề đầu tiên"):
        parse_markdown("Mở đầu\n## Dân vận\n")


def test_report_draft_keeps_narrative_place_signer_and_revisions(ward_ledger_h1, tmp_path):
    """`report draft` stores the draft; `report review` and `report issue` use it."""
    md = tmp_path / "bao_cao.md"
    md.write_text(NARRATIVE_MD, encoding="utf-8")
    code, out, err = run(
        "report", "draft", "P1", "--period", "2023-H1", "--narrative", str(md),
        "--place", "Phường Hòa Bình", "--signer", "Nguyễn Văn Hùng",
    )  # fmt: skip
    assert code == 0, err
    assert "Đã tạo bản dự thảo" in out
    report = ReviewReport.objects.get()
    assert report.place == "Phường Hòa Bình" and report.signer_name == "Nguyễn Văn Hùng"
    md.write_text("## Hạn chế, nguyên nhân\nCòn chậm.\n", encoding="utf-8")
    code, out, _ = run("report", "draft", "P1", "--period", "2023-H1", "--narrative", str(md))
    assert code == 0 and "Đã cập nhật" in out
    revisions = list(NarrativeRevision.objects.filter(report=report))
    assert [r.sections for r in revisions] == [["chinh_tri_tu_tuong", "phuong_huong"], ["han_che"]]
    assert revisions[-1].narrative["han_che"] == "Còn chậm." and revisions[-1].actor
    assert revisions[-1].source == "bao_cao.md" and revisions[-1].saved_at is not None
    with pytest.raises(DomainError, match="chỉ được ghi thêm"):
        revisions[0].save()
    out_file = tmp_path / "bc.docx"
    code, _, err = run("report", "review", "P1", "--period", "2023-H1", "--out", str(out_file))
    assert code == 0, err
    text = "\n".join(_docx_paragraphs(out_file.read_bytes()))
    assert "Tổ chức quán triệt Nghị quyết Hội nghị Trung ương 8." in text
    assert "Còn chậm." in text and "Phường Hòa Bình, ngày" in text
    md.write_text("## Thi đua\nx\n", encoding="utf-8")
    code, _, err = run("report", "draft", "P1", "--period", "2023-H1", "--narrative", str(md))
    assert code == 1 and "tiêu đề «Thi đua» không ứng với phần nào" in err
    code, out, err = run(
        "report", "issue", "P1", "--period", "2023-H1", "--date", "2023-07-05",
        "--out", str(tmp_path / "bh.docx"),
    )  # fmt: skip
    assert code == 0, err
    assert ReviewReport.objects.count() == 1  # the stored draft was issued, not a new one
    text = "\n".join(_docx_paragraphs((tmp_path / "bh.docx").read_bytes()))
    assert "Còn chậm." in text and "Nguyễn Văn Hùng" in text


def test_an_update_that_changes_nothing_writes_no_revision(city_tree):
    report = report_draft(org=city_tree["w1"], period_code="2023", actor=ACTOR)
    report_update_narrative(report=report, narrative={"dan_van": "Tốt."}, actor="a")
    report_update_narrative(report=report, narrative={"dan_van": "Tốt."}, actor="b")
    assert NarrativeRevision.objects.filter(report=report).count() == 1


@pytest.fixture
def ward_ledger_h1(city_tree):
    admit(city_tree["w1c1"], date(2022, 2, 1))
    admit(city_tree["w1c1"], date(2023, 2, 3))
    term_open(org=city_tree["w1"], label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    return city_tree


def test_an_imported_draft_is_used_by_review(ward_ledger_h1, tmp_path):
    """A draft that arrived by import (a row with its narrative, written by the bulk loader,
    no revision) is the one `report review` renders."""
    w1 = ward_ledger_h1["w1"]
    ReviewReport.objects.create(
        org=w1,
        kind="6_thang",
        period_code="2023-H1",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 6, 30),
        place="Phường Hòa Bình",
        signer_name="Trần Thị Lan",
        recipients=["Lưu Văn phòng."],
        narrative={"dan_van": "Nội dung nhập từ tệp trao đổi."},
        created_by="nhap",
    )
    out_file = tmp_path / "bc.docx"
    code, _, err = run("report", "review", "P1", "--period", "2023-H1", "--out", str(out_file))
    assert code == 0, err
    text = "\n".join(_docx_paragraphs(out_file.read_bytes()))
    assert "Nội dung nhập từ tệp trao đổi." in text
    assert "Phường Hòa Bình, ngày" in text and "Trần Thị Lan" in text
