"""The review report pages: start a draft, write its sections (revisions with authors),
override a figure with a reason, address it, preview it, download it, issue it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.organizations.services import term_open
from dangbo.reports.models import NarrativeRevision, ReportStatus, ReviewReport
from dangbo.reports.narrative import markup_runs, narrative_paragraphs
from dangbo.reports.services import report_draft, report_update_narrative
from tests.conftest import ACTOR


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2024-08-01")


def _draft(world, org_key: str = "w1") -> ReviewReport:
    return report_draft(org=world.tree[org_key], period_code="2024-H1", actor=ACTOR)


def test_markup_runs_and_bullets():
    assert markup_runs("Đã **làm tốt** và *kịp thời*.") == (
        ("Đã ", False, False),
        ("làm tốt", True, False),
        (" và ", False, False),
        ("kịp thời", False, True),
        (".", False, False),
    )
    assert markup_runs("a **b") == (("a **b", False, False),)
    paragraphs = narrative_paragraphs("Mở đầu\n\n- một\n- hai **đậm**")
    assert [p.text for p in paragraphs] == ["Mở đầu", "- một", "- hai đậm"]
    assert paragraphs[2].runs[1] == ("đậm", True, False)


def test_start_a_draft_and_reopen_it(web_world):
    c = web_world.client(Role.OFFICE)
    ward = web_world.tree["w1"]
    assert c.get(reverse("web:report_new")).status_code == 200
    response = c.post(reverse("web:report_new"), {"org": ward.pk, "period_code": "2024-H1"})
    report = ReviewReport.objects.get(org=ward)
    assert response["Location"] == reverse("web:report", kwargs={"pk": report.pk})
    again = c.post(reverse("web:report_new"), {"org": ward.pk, "period_code": "2024-H1"})
    assert again["Location"] == response["Location"]
    assert ReviewReport.objects.filter(org=ward).count() == 1


def test_a_refused_start_shows_beside_its_field(web_world):
    c = web_world.client(Role.OFFICE)
    ward = web_world.tree["w1"]
    response = c.post(reverse("web:report_new"), {"org": ward.pk, "period_code": "2010"})
    assert response.status_code == 200
    assert "chưa thành lập trong kỳ" in response.content.decode()
    out = c.post(reverse("web:report_new"), {"org": web_world.tree["w2"].pk, "period_code": "2024"})
    assert out.status_code == 200 and "errorlist" in out.content.decode()
    assert not ReviewReport.objects.exists()


def test_sections_are_saved_as_revisions_with_their_author(web_world):
    report = _draft(web_world)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:report_narrative", kwargs={"pk": report.pk})
    text = "Đảng ủy **quán triệt** kịp thời.\n- Tổ chức *3* hội nghị"
    response = c.post(url, {"section": "chinh_tri_tu_tuong", "text": text}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "report-saved"
    assert "Đã lưu." in response.content.decode()
    revision = NarrativeRevision.objects.get(report=report)
    assert revision.actor == "tk_office" and revision.sections == ["chinh_tri_tu_tuong"]
    page = c.get(reverse("web:report", kwargs={"pk": report.pk})).content.decode()
    assert "tk_office" in page and "Công tác chính trị, tư tưởng" in page
    preview = c.get(reverse("web:report_preview", kwargs={"pk": report.pk})).content.decode()
    assert "<strong>quán triệt</strong>" in preview and "<em>3</em>" in preview
    # an unknown section is refused, nothing written
    c.post(url, {"section": "khac", "text": "x"})
    assert NarrativeRevision.objects.filter(report=report).count() == 1


def test_the_preview_follows_the_typing_and_writes_nothing(web_world):
    report = _draft(web_world)
    c = web_world.client(Role.OFFICE)
    preview_url = reverse("web:report_preview", kwargs={"pk": report.pk})
    page = c.get(reverse("web:report", kwargs={"pk": report.pk})).content.decode()
    editor = re.search(r'<textarea name="text"[^>]*id="text-han_che"[^>]*>', page)
    assert editor is not None
    assert f'hx-post="{preview_url}"' in editor.group(0)
    assert 'hx-trigger="input changed delay:800ms"' in editor.group(0)
    audit_rows = AuditEntry.objects.count()
    updated_at = report.updated_at
    for typed in ("Còn", "Còn **chậm", "Còn **chậm**"):
        response = c.post(
            preview_url, {"section": "han_che", "text": typed}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
    assert "<strong>chậm</strong>" in response.content.decode()
    report.refresh_from_db()
    assert report.narrative == {} and report.updated_at == updated_at
    assert not NarrativeRevision.objects.filter(report=report).exists()
    assert AuditEntry.objects.count() == audit_rows
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_override_with_reason_is_marked(web_world):
    report = _draft(web_world)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:report_override", kwargs={"pk": report.pk})
    refused = c.post(url, {"key": "members_end", "value": "-1", "reason": "x"})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    no_reason = c.post(url, {"key": "members_end", "value": "7"})
    assert no_reason.status_code == 200
    report.refresh_from_db()
    assert report.overrides == {}
    ok = c.post(url, {"key": "members_end", "value": "7", "reason": "Theo sổ của chi bộ"})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.overrides == {"members_end": 7}
    page = c.get(reverse("web:report", kwargs={"pk": report.pk})).content.decode()
    assert "Theo sổ của chi bộ" in page
    preview = c.get(reverse("web:report_preview", kwargs={"pk": report.pk})).content.decode()
    assert "(*)" in preview
    c.post(url, {"bo": "members_end"})
    report.refresh_from_db()
    assert report.overrides == {}


def test_addressing_refusal_beside_its_field(web_world):
    report = _draft(web_world)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:report_addressing", kwargs={"pk": report.pk})
    data = {
        "place": "Thử",
        "signature_form": "T/M BAN THƯỜNG VỤ",
        "signer_position": "BÍ THƯ",
        "signer_name": "Nguyễn Văn Ký",
        "recipients": "- Thành ủy,\n\n- Lưu Văn phòng.",
    }
    assert c.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.signer_name == "Nguyễn Văn Ký"
    assert report.recipients == ["- Thành ủy,", "- Lưu Văn phòng."]
    assert AuditEntry.objects.filter(action="report_draft_edit", object_id=str(report.pk)).exists()
    response = c.post(url, {**data, "place": "   "})
    assert response.status_code == 200
    assert 'id="id_place-errors"' in response.content.decode()


def test_issue_gives_the_number_and_freezes(web_world):
    report = _draft(web_world)
    term_open(org=web_world.tree["w1"], label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:report_issue", kwargs={"pk": report.pk})
    early = c.post(url, {"issued_on": "2024-06-15", "signer_name": "Nguyễn Văn Ký"})
    assert early.status_code == 200 and 'id="id_issued_on-errors"' in early.content.decode()
    response = c.post(url, {"issued_on": "2024-07-05", "signer_name": "Nguyễn Văn Ký"})
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ISSUED and report.snapshot
    number = report.number.text
    listing = c.get(reverse("web:reports")).content.decode()
    assert number in listing and "05/07/2024" in listing
    page = c.get(reverse("web:report", kwargs={"pk": report.pk})).content.decode()
    assert number in page and "Ban hành</button>" not in page
    docx = c.get(reverse("web:report_docx", kwargs={"pk": report.pk}))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in docx["Content-Disposition"]
    # an issued report is not edited any more
    refused = c.post(
        reverse("web:report_narrative", kwargs={"pk": report.pk}),
        {"section": "han_che", "text": "x"},
    )
    assert refused.status_code == 200 and "đã ban hành" in refused.content.decode()


def test_a_cell_secretary_reads_only(web_world):
    report = _draft(web_world, "w1c1")
    page = web_world.client(Role.CELL_SECRETARY).get(
        reverse("web:report", kwargs={"pk": report.pk})
    )
    html = page.content.decode()
    assert (
        page.status_code == 200 and "Lưu phần này" not in html and "Ban hành</button>" not in html
    )


def _sized(world, n: int) -> ReviewReport:
    report = None
    for i in range(n):
        r = report_draft(org=world.tree["w1"], period_code=f"{2018 + i}", actor=ACTOR)
        report_update_narrative(report=r, narrative={"han_che": f"Lần {i}"}, actor=ACTOR)
        report = report or r
    assert report is not None
    for i in range(n):
        report_update_narrative(report=report, narrative={"dan_van": f"Bản {i}"}, actor=ACTOR)
    return report


@pytest.mark.parametrize("n", [1, 4])
def test_list_query_count(web_world, django_assert_num_queries, n):
    _sized(web_world, n)
    c = web_world.client(Role.OFFICE)
    c.get(reverse("web:reports"))
    with django_assert_num_queries(7):
        assert c.get(reverse("web:reports")).status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_page_query_count(web_world, django_assert_num_queries, n):
    report = _sized(web_world, n)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:report", kwargs={"pk": report.pk})
    c.get(url)
    with django_assert_num_queries(9):
        assert c.get(url).status_code == 200
