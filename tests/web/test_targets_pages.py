"""The targets pages: the year's grid with the plan in force, revisions by decision,
evaluations per review point (late entries flagged), computed targets filled, "done/total"."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.targets.models import Evaluation, Target, TargetRevision
from dangbo.targets.services import target_adopt
from tests.conftest import ACTOR, admit, provincial_decision


def _adopt(org, name, planned, computed_from=""):
    return target_adopt(
        org=org,
        source_kind="chuong_trinh_cong_tac",
        source=provincial_decision(),
        category="xay_dung_dang",
        name=name,
        direction="at_least",
        planned=planned,
        year=2024,
        adopted_on=date(2024, 1, 10),
        computed_from=computed_from,
        actor=ACTOR,
    )


@pytest.fixture
def ward_targets(web_world):
    ward = web_world.tree["w1"]
    return ward, [
        _adopt(ward, "Sinh hoạt chi bộ định kỳ (buổi)", 12),
        _adopt(ward, "Kết nạp đảng viên mới", 1, computed_from="admitted"),
    ]


def test_evaluate_revise_compute_and_read_the_grid(web_world, ward_targets, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2025-01-05")
    ward, (manual, computed) = ward_targets
    admit(web_world.tree["w1c2"], date(2024, 5, 2), name="Đỗ Thị Mới")
    c = web_world.client(Role.OFFICE)
    evaluate = reverse("web:target_evaluate", kwargs={"pk": manual.pk}) + "?nam=2024"
    page = c.get(evaluate + "&ky=6_thang").content.decode()
    assert 'value="2024-06-30"' in page
    body = {"kind": "6_thang", "period_start": "2024-01-01", "period_end": "2024-06-30"}
    assert c.post(evaluate, {**body, "actual": "6"}).status_code == 302
    again = c.post(evaluate, {**body, "actual": "7"})
    assert "lý do ghi lại" in again.content.decode()
    assert Evaluation.objects.count() == 1
    year = {"kind": "nam", "period_start": "2024-01-01", "period_end": "2024-12-31"}
    assert c.post(evaluate, {**year, "actual": "12"}).status_code == 302

    revise = reverse("web:target_revise", kwargs={"pk": manual.pk})
    refused = c.post(
        revise,
        {
            "number": "5-QĐ/ĐU",
            "issued_on": "2024-03-01",
            "issuer": "Đảng ủy",
            "effective_on": "2024-02-01",
            "planned": "10",
            "reason": "Sáp nhập",
        },
    )
    assert "trước ngày ban hành" in refused.content.decode()
    assert not TargetRevision.objects.exists()
    ok = c.post(
        revise,
        {
            "number": "5-QĐ/ĐU",
            "issued_on": "2024-03-01",
            "issuer": "Đảng ủy",
            "effective_on": "2024-03-01",
            "planned": "10",
            "reason": "Sáp nhập",
        },
    )
    assert ok.status_code == 302

    compute = reverse("web:targets_compute") + "?nam=2024"
    assert (
        c.post(compute, {"kind": "nam", "start": "2024-01-01", "end": "2024-12-31"}).status_code
        == 302
    )
    assert Evaluation.objects.get(target=computed).computed

    grid = c.get(reverse("web:targets") + "?nam=2024").content.decode()
    assert "2/2" in grid
    assert "theo 5-QĐ/ĐU" in grid
    assert "tự động" in grid


def test_a_late_entry_is_flagged(web_world, ward_targets, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2025-06-01")
    ward, (manual, _) = ward_targets
    c = web_world.client(Role.OFFICE)
    evaluate = reverse("web:target_evaluate", kwargs={"pk": manual.pk}) + "?nam=2024"
    body = {"kind": "nam", "period_start": "2024-01-01", "period_end": "2024-12-31", "actual": "9"}
    assert c.post(evaluate, body).status_code == 302
    assert Evaluation.objects.get().late
    grid = c.get(reverse("web:targets") + "?nam=2024").content.decode()
    assert "ghi muộn" in grid and "Chưa đạt" in grid and "0/1" in grid


def test_a_cell_secretary_reads_but_does_not_write(web_world, ward_targets):
    c = web_world.client(Role.CELL_SECRETARY)
    page = c.get(reverse("web:targets") + "?nam=2024")
    assert page.status_code == 200 and "Ghi kết quả" not in page.content.decode()


@pytest.mark.parametrize("extra", [0, 5])
def test_the_grid_query_count_does_not_grow(
    web_world, ward_targets, django_assert_num_queries, extra
):
    ward, _ = ward_targets
    for i in range(extra):
        _adopt(ward, f"Chỉ tiêu {i}", 5)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:targets") + "?nam=2024"
    c.get(url)
    with django_assert_num_queries(12):
        assert c.get(url).status_code == 200


ADOPT = {
    "source_kind": "chuong_trinh_cong_tac",
    "year": "2025",
    "number": "01-CTr/ĐU",
    "issued_on": "2025-01-05",
    "issuer": "Đảng ủy phường",
    "adopted_on": "2025-01-10",
    "category": "xay_dung_dang",
    "name": "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
    "direction": "at_least",
    "planned": "90",
    "computed_from": "base_orgs_good_or_better",
}


def test_adopt_a_target_from_the_grid_with_refusals_beside_the_fields(web_world, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2025-02-01")
    c = web_world.client(Role.OFFICE)
    grid = c.get(reverse("web:targets") + "?nam=2025").content.decode()
    new = reverse("web:target_new")
    assert new in grid
    page = c.get(new + "?nam=2025").content.decode()
    assert 'name="computed_from"' in page and 'value="2025"' in page

    # a computed percentage must be in «%»: the refusal sits beside «Đơn vị tính»
    refused = c.post(new, {**ADOPT, "unit": "tổ chức"}).content.decode()
    assert 'id="id_unit-errors"' in refused
    # a term target needs the term; a number with two separators is not a number
    no_term = c.post(new, {**ADOPT, "source_kind": "nghi_quyet_dai_hoi", "unit": "%"})
    assert 'id="id_term-errors"' in no_term.content.decode()
    bad = c.post(new, {**ADOPT, "unit": "%", "planned": "1.000,5"}).content.decode()
    assert 'id="id_planned-errors"' in bad and "một dấu thập phân" in bad
    assert not Target.objects.exists()

    done = c.post(new, {**ADOPT, "unit": "%"})
    assert done.status_code == 302 and "nam=2025" in done["Location"]
    t = Target.objects.get()
    assert (t.year, t.planned, t.computed_from, t.source.number) == (
        2025,
        90,
        "base_orgs_good_or_better",
        "01-CTr/ĐU",
    )
    assert AuditEntry.objects.filter(action="target_adopt").count() == 1
    # the same name again in the same year: refused beside the name
    again = c.post(new, {**ADOPT, "unit": "%"}).content.decode()
    assert 'id="id_name-errors"' in again
    assert Target.objects.count() == 1
    assert t.name in c.get(reverse("web:targets") + "?nam=2025").content.decode()
