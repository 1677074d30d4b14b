"""The grading pages: a base organization's grid recorded in one write, the 20% cap live and
enforced, reasons beside their row, organizations' grades, the year's figures."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.grading.models import MemberGrade, OrgGrade
from dangbo.membership.models import EventKind, Member
from tests.conftest import admit, record


@pytest.fixture
def ward(web_world):
    """Ward P1 with five more members (six in all) in its two cells."""
    for i in range(5):
        cell = web_world.tree["w1c1" if i % 2 else "w1c2"]
        admit(cell, date(2020, 5, 1), name=f"Lê Văn Thành {i}")
    return web_world.tree["w1"]


def _ids(ward):
    return sorted(
        Member.objects.filter(spells__cell__closure_up__ancestor=ward)
        .distinct()
        .values_list("pk", flat=True)
    )


def _post(ids, *, excellent=0, good=None):
    """POST body: the first `excellent` members excellent, the rest good."""
    body = {"graded_on": "2024-12-15"}
    for i, m in enumerate(ids):
        body[f"grade_{m}"] = "xuat_sac" if i < excellent else "tot"
        body[f"reason_{m}"] = ""
    return body


def test_record_a_ward_year_and_see_the_grid(web_world, ward):
    c = web_world.client(Role.OFFICE)
    url = reverse("web:grading_record", kwargs={"pk": ward.pk, "year": 2024})
    page = c.get(url)
    assert page.status_code == 200
    assert "Quy định 124-QĐ/TW" in page.content.decode()
    ids = _ids(ward)
    assert len(ids) == 6
    response = c.post(url, _post(ids, excellent=1))
    assert response.status_code == 302
    assert MemberGrade.objects.filter(base_org=ward, year=2024).count() == 6
    assert AuditEntry.objects.filter(action="grading_record_members").exists()
    grid = c.get(response["Location"]).content.decode()
    assert "Hoàn thành xuất sắc: 1" in grid and "tối đa 1" in grid
    assert "Hủy kết quả để ghi lại" in grid
    index = c.get(reverse("web:grading") + "?nam=2024").content.decode()
    assert "6/6" in index


def test_the_cap_is_refused_with_its_rule_and_nothing_is_written(web_world, ward):
    c = web_world.client(Role.OFFICE)
    url = reverse("web:grading_record", kwargs={"pk": ward.pk, "year": 2024})
    ids = _ids(ward)
    response = c.post(url, _post(ids, excellent=2))  # 4 good → at most 0 excellent
    assert response.status_code == 200
    text = response.content.decode()
    assert "Quy định 124-QĐ/TW" in text and "vượt quá 20%" in text
    assert "tối đa 0 đảng viên" in text
    assert not MemberGrade.objects.filter(year=2024).exists()


def test_the_live_cap_fragment(web_world, ward):
    c = web_world.client(Role.ORGANIZATION)
    url = reverse("web:grading_cap", kwargs={"pk": ward.pk, "year": 2024})
    ids = _ids(ward)
    ok = c.post(url, _post(ids, excellent=1), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in ok and "tối đa 1" in ok and "cap-refusal" not in ok
    over = c.post(url, _post(ids, excellent=2), HTTP_HX_REQUEST="true").content.decode()
    assert "cap-refusal" in over and "vượt quá 20%" in over


def test_a_reason_is_checked_beside_its_row(web_world, ward):
    c = web_world.client(Role.OFFICE)
    url = reverse("web:grading_record", kwargs={"pk": ward.pk, "year": 2024})
    ids = _ids(ward)
    body = _post(ids)
    body[f"grade_{ids[0]}"] = "khong_xep_loai"
    body[f"reason_{ids[0]}"] = "khac"
    text = c.post(url, body).content.decode()
    assert "cần ghi rõ trong «ghi chú»" in text
    assert not MemberGrade.objects.exists()


def test_withdraw_and_org_grade(web_world, ward):
    c = web_world.client(Role.OFFICE)
    ids = _ids(ward)
    c.post(reverse("web:grading_record", kwargs={"pk": ward.pk, "year": 2024}), _post(ids))
    org_url = reverse("web:grading_org", kwargs={"pk": ward.pk, "year": 2024})
    refused = c.post(org_url, {"grade": "tot", "graded_on": "2026-01-10"})
    assert "phải thuộc năm 2024" in refused.content.decode()
    assert c.post(org_url, {"grade": "tot", "graded_on": "2024-12-20"}).status_code == 302
    assert OrgGrade.objects.get(org=ward, year=2024).grade == "tot"
    index = c.get(reverse("web:grading") + "?nam=2024").content.decode()
    assert "Hoàn thành tốt nhiệm vụ" in index
    withdraw = reverse("web:grading_withdraw", kwargs={"pk": ward.pk, "year": 2024})
    assert c.post(withdraw, {"reason": " "}).status_code == 200
    assert MemberGrade.objects.count() == 6
    assert c.post(withdraw, {"reason": "Ghi nhầm"}).status_code == 302
    assert not MemberGrade.objects.exists()


@pytest.mark.parametrize("extra", [0, 6])
def test_query_counts_do_not_grow(web_world, ward, django_assert_num_queries, extra):
    for i in range(extra):
        admit(web_world.tree["w1c2"], date(2020, 5, 1), name=f"Phạm Văn Hòa {i}")
    c = web_world.client(Role.OFFICE)
    ids = _ids(ward)
    c.post(reverse("web:grading_record", kwargs={"pk": ward.pk, "year": 2024}), _post(ids))
    assert MemberGrade.objects.count() == 6 + extra
    c.get(reverse("web:grading"))  # the session and the user's scope are read once per request
    grid = reverse("web:grading_grid", kwargs={"pk": ward.pk, "year": 2024})
    with django_assert_num_queries(14):
        assert c.get(grid).status_code == 200
    with django_assert_num_queries(15):
        assert c.get(reverse("web:grading") + "?nam=2024").status_code == 200


def test_self_reported_discipline_is_ticked_in_the_grid_124_qd_tw(web_world, ward):
    """Quy định 124-QĐ/TW: a member disciplined in the year is "not completed" unless they
    reported and fixed the fault themselves («tự giác báo cáo»), then never excellent."""
    ids = _ids(ward)
    m = Member.objects.get(pk=ids[0])
    record(m, EventKind.DISCIPLINE, date(2024, 5, 5), form="khien_trach")
    c = web_world.client(Role.OFFICE)
    url = reverse("web:grading_record", kwargs={"pk": ward.pk, "year": 2024})
    page = c.get(url).content.decode()
    assert f'name="self_{ids[0]}"' in page and f'name="self_{ids[1]}"' not in page
    assert "bị kỷ luật năm 2024" in page

    refused = c.post(url, _post(ids)).content.decode()
    assert "Quy định 124-QĐ/TW" in refused and f'id="row-{ids[0]}"' in refused
    row = refused.split(f'id="row-{ids[0]}"')[1].split("</tr>")[0]
    assert "chỉ được xếp loại «Không hoàn thành nhiệm vụ»" in row
    excellent = c.post(url, {**_post(ids, excellent=1), f"self_{ids[0]}": "on"}).content.decode()
    assert "không thể xếp «Hoàn thành xuất sắc nhiệm vụ»" in excellent
    assert not MemberGrade.objects.exists()

    body = {**_post(ids), f"self_{ids[0]}": "on", f"note_{ids[0]}": "Tự báo cáo với chi bộ"}
    assert c.post(url, body).status_code == 302
    g = MemberGrade.objects.get(member_id=ids[0])
    assert (g.grade, g.disciplined, g.self_reported) == ("tot", True, True)
    grid = c.get(reverse("web:grading_grid", kwargs={"pk": ward.pk, "year": 2024}))
    assert "tự giác báo cáo" in grid.content.decode()


def test_the_grading_page_opens_on_the_latest_graded_year(web_world, ward, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2026-03-01")
    c = web_world.client(Role.OFFICE)
    index = reverse("web:grading")
    assert "Xếp loại chất lượng năm 2025" in c.get(index).content.decode()  # nothing graded
    url = reverse("web:grading_record", kwargs={"pk": ward.pk, "year": 2023})
    assert c.post(url, {**_post(_ids(ward)), "graded_on": "2023-12-15"}).status_code == 302
    page = c.get(index).content.decode()
    assert "Xếp loại chất lượng năm 2023" in page and '<option value="2023" selected' in page
    assert "Xếp loại chất lượng năm 2025" in c.get(index + "?nam=2025").content.decode()
