"""The organization pages: the tree on a date with member counts, an organization's page
(history, figures, workbook) and the reorganization forms with their preview."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangbo.accounts.permissions import Role
from dangbo.core.models import Decision
from dangbo.membership.models import EventKind, MemberEvent
from dangbo.organizations import services as org_services
from dangbo.organizations.models import OrgVersion, Reorganization
from dangbo.statistics import period_statistics
from tests.conftest import ACTOR, admit, record, ward_decision
from tests.web.browser import sign_in
from tests.web.conftest import task_download

D = date


def text(response) -> str:
    return response.content.decode()


def grow(world, n: int) -> None:
    """`n` more members in each cell of ward 1 (some recognized), for the query counts."""
    for cell in ("w1c1", "w1c2"):
        for i in range(n):
            m = admit(world.tree[cell], D(2020, 1, 1 + i))
            if i % 2:
                record(m, EventKind.RECOGNITION, D(2021, 1, 1 + i))


# --- the tree -------------------------------------------------------------------------------


def test_the_tree_shows_the_scope_with_counts_and_flags_small_cells(web_world):
    grow(web_world, 4)
    page = text(web_world.client(Role.OFFICE).get(reverse("web:org_tree")))
    assert "Đảng bộ phường 1" in page and "Chi bộ TDP 1 phường 1" in page
    assert "Đảng bộ phường 2" not in page and "thành phố" not in page  # out of scope
    assert "dưới 3 ĐV chính thức" in page  # each cell has 2 full members
    assert "4 đảng viên chính thức, 5 dự bị" in page
    cell = text(web_world.client(Role.CELL_SECRETARY).get(reverse("web:org_tree")))
    assert "Chi bộ TDP 1 phường 1" in cell and "Chi bộ TDP 2 phường 1" not in cell


def test_the_tree_on_a_past_date_shows_the_names_of_then(web_world):
    cell = web_world.org_in
    org_services.org_rename(org=cell, on=D(2024, 1, 1), name="Chi bộ Khu phố 1", actor=ACTOR)
    c = web_world.client(Role.OFFICE)
    assert "Chi bộ Khu phố 1" in text(c.get(reverse("web:org_tree")))
    before = text(c.get(reverse("web:org_tree"), {"on": "31/12/2023"}))
    assert "Chi bộ TDP 1 phường 1" in before and "Khu phố" not in before
    assert "Chi bộ TDP 1" in text(c.get(reverse("web:org_tree"), {"on": "2023-12-31"}))
    bad = c.get(reverse("web:org_tree"), {"on": "31/02/2023"})
    assert bad.status_code == 200 and "không phải là ngày hợp lệ" in text(bad)
    early = text(c.get(reverse("web:org_tree"), {"on": "01/01/2017"}))
    assert "Không có tổ chức nào" in early


@pytest.mark.parametrize("size", [1, 6])
def test_the_tree_s_queries_do_not_grow(web_world, django_assert_num_queries, size):
    grow(web_world, size)
    c = web_world.client(Role.OFFICE)
    c.get(reverse("web:org_tree"))
    # session, user, roles, scope, versions, member counts, kinds; the session's expiry
    with django_assert_num_queries(7):
        assert c.get(reverse("web:org_tree")).status_code == 200
    with django_assert_num_queries(7):  # a past date reads the scope on that date instead
        assert c.get(reverse("web:org_tree"), {"on": "01/06/2022"}).status_code == 200


# --- the organization page ------------------------------------------------------------------


def test_the_page_shows_the_history_with_decisions(web_world):
    t = web_world.tree
    org_services.org_rename(
        org=t["w1c2"],
        on=D(2023, 1, 1),
        name="Chi bộ Khu phố 2",
        actor=ACTOR,
        decision=ward_decision("11-QĐ/ĐU", D(2022, 12, 1)),
    )
    org_services.org_merge(sources=[t["w1c1"]], into=t["w1c2"], on=D(2024, 1, 1), actor=ACTOR)
    c = web_world.client(Role.OFFICE)
    page = text(c.get(reverse("web:org", args=[t["w1c2"].pk])))
    assert "Chi bộ TDP 2 phường 1" in page and "Chi bộ Khu phố 2" in page
    assert "11-QĐ/ĐU" in page
    assert "Hợp nhất, sáp nhập" in page and "tổ chức tiếp nhận" in page
    assert f'href="{reverse("web:org", args=[t["w1c1"].pk])}"' in page  # merged, reachable
    ward = text(c.get(reverse("web:org", args=[t["w1"].pk])))
    assert "Đảng bộ thành phố Thử" in ward  # its parent, out of scope: named, not linked
    assert f'href="{reverse("web:org", args=[t["city"].pk])}"' not in ward
    merged = c.get(reverse("web:org", args=[t["w1c1"].pk]))  # dissolved: still reachable
    assert merged.status_code == 200 and "đã chấm dứt" in text(merged)
    assert "Đổi tên" not in text(merged).split("<main", 1)[1].split("Thông tin", 1)[0]


def test_the_page_shows_the_figures_of_a_period(web_world):
    grow(web_world, 2)
    c = web_world.client(Role.LEADERSHIP)
    ward = web_world.tree["w1"]
    page = text(c.get(reverse("web:org", args=[ward.pk]), {"period": "2021-H1"}))
    f = period_statistics(ward, D(2021, 1, 1), D(2021, 6, 30)).membership
    assert "từ 01/01/2021 đến 30/06/2021" in page
    assert f'<td class="num">{f.recognized_official}</td>' in page
    assert "khớp" in page
    bad = text(c.get(reverse("web:org", args=[ward.pk]), {"period": "2021-H3"}))
    assert "Kỳ «2021-H3» không hợp lệ" in bad
    both = text(c.get(reverse("web:org", args=[ward.pk]), {"from": "01/01/2021", "to": "1/1/2020"}))
    assert "sau ngày cuối kỳ" in both
    fragment = c.get(reverse("web:org", args=[ward.pk]), {"period": "2021"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(fragment) and "từ 01/01/2021 đến 31/12/2021" in text(fragment)
    admin = text(web_world.client(Role.ADMIN).get(reverse("web:org", args=[ward.pk])))
    assert "Số liệu đảng viên" not in admin  # the administrator sees no figures


@pytest.mark.parametrize("size", [1, 6])
def test_the_page_s_queries_do_not_grow(web_world, django_assert_num_queries, size):
    grow(web_world, size)
    org_services.org_rename(org=web_world.org_in, on=D(2023, 1, 1), name="Khu 1", actor=ACTOR)
    c = web_world.client(Role.OFFICE)
    url = reverse("web:org", args=[web_world.tree["w1"].pk])
    c.get(url)
    # 28 + the organization's own congress + the targets adopted for a later period + the opening
    # date + the dues of the period + the breakdown snapshot (none: counted live)
    with django_assert_num_queries(33):
        assert c.get(url, {"period": "2022"}).status_code == 200


def test_the_workbook_holds_the_figures_as_numbers(web_world):
    grow(web_world, 3)
    ward = web_world.tree["w1"]
    client = web_world.client(Role.OFFICE)
    name, data = task_download(
        client, client.post(reverse("web:org_figures_xlsx", args=[ward.pk]) + "?period=2021")
    )
    assert name == "so-lieu-P1-2021.xlsx"
    ws = load_workbook(io.BytesIO(data))["Số liệu"]
    rows = {r[5]: r for r in ws.iter_rows(min_row=6, values_only=True)}
    f = period_statistics(ward, D(2021, 1, 1), D(2021, 12, 31)).membership
    assert rows["members"][2:4] == (f.members_start, f.members_end)
    assert rows["recognized_official"][4] == f.recognized_official == 2
    bad = web_world.client(Role.OFFICE).post(
        reverse("web:org_figures_xlsx", args=[ward.pk]) + "?period=x"
    )
    assert bad.status_code == 400


# --- reorganizations ------------------------------------------------------------------------


def decision_fields(number: str = "21-QĐ/ĐU") -> dict[str, str]:
    return {
        "number": number,
        "issued_on": "2025-12-20",
        "issuer": "Đảng ủy phường 1",
        "issuer_level": "co_so",
    }


def test_a_rename_is_previewed_then_written(web_world):
    c = web_world.client(Role.OFFICE)
    cell = web_world.org_in
    url = reverse("web:org_rename", args=[cell.pk])
    assert "Chi bộ TDP 1 phường 1" in text(c.get(url))
    data = {
        "on": "2026-01-01",
        "name": "Chi bộ Khu phố 1",
        "code": "P1-C1",
        "doc_code": "",
        "kind": str(OrgVersion.objects.get(org=cell).kind_id),
        **decision_fields(),
    }
    versions = OrgVersion.objects.count()
    preview = c.post(url, data | {"step": "preview"})
    assert preview.status_code == 200
    page = text(preview)
    assert "Xem trước — chưa ghi" in page and "Chi bộ Khu phố 1" in page
    assert "Đổi tên, mã" in page and 'id="preview-events">0<' in page
    assert OrgVersion.objects.count() == versions
    assert not Decision.objects.filter(number="21-QĐ/ĐU").exists()
    done = c.post(url, data | {"step": "confirm"})
    assert done.status_code == 302 and done["Location"] == reverse("web:org", args=[cell.pk])
    assert cell.version_on(D(2026, 1, 1)).name == "Chi bộ Khu phố 1"
    [reorg] = Reorganization.objects.filter(kind="doi_ten")
    assert reorg.decision and reorg.decision.number == "21-QĐ/ĐU"
    assert reorg.actor == "tk_office"


def test_a_merge_preview_lists_the_events_the_confirm_writes(web_world):
    t = web_world.tree
    admit(t["w1c1"], D(2022, 1, 1))
    c = web_world.client(Role.ORGANIZATION)
    url = reverse("web:org_merge", args=[t["w1c1"].pk])
    data = {"on": "2026-01-01", "into": str(t["w1c2"].pk), "issuer_level": "co_so"}
    page = text(c.post(url, data | {"step": "preview"}))
    assert 'id="preview-events">2<' in page and "Nguyễn Văn An" in page
    assert "Chấm dứt hoạt động" in page
    before = MemberEvent.objects.count()
    assert c.post(url, data | {"step": "confirm"}).status_code == 302
    assert MemberEvent.objects.count() - before == 2
    assert MemberEvent.objects.filter(kind=EventKind.REORGANIZATION).count() == 2
    out = c.post(url, {"on": "2026-01-01", "into": str(t["w2c2"].pk), "step": "preview"})
    assert out.status_code == 404  # the merged cell is no longer in the scope to manage


def test_refusals_show_beside_their_field_and_write_nothing(web_world):
    t = web_world.tree
    c = web_world.client(Role.OFFICE)
    url = reverse("web:org_rename", args=[t["w1c1"].pk])
    kind = str(OrgVersion.objects.get(org=t["w1c1"]).kind_id)
    clash = c.post(
        url,
        {
            "on": "2026-01-01",
            "name": "X",
            "code": "P1-C2",
            "kind": kind,
            "issuer_level": "co_so",
            "step": "confirm",
        },
    )
    assert clash.status_code == 200
    assert 'id="id_code-errors"' in text(clash) and "đã được tổ chức khác sử dụng" in text(clash)
    nothing = c.post(
        url,
        {
            "on": "2026-01-01",
            "name": "Chi bộ TDP 1 phường 1",
            "code": "P1-C1",
            "kind": kind,
            "issuer_level": "co_so",
            "step": "preview",
        },
    )
    assert "không có gì thay đổi" in text(nothing)
    half = c.post(
        url,
        {
            "on": "2026-01-01",
            "name": "Y",
            "code": "P1-C1",
            "kind": kind,
            "number": "1-QĐ",
            "issuer_level": "co_so",
            "step": "preview",
        },
    )
    assert 'id="id_issued_on-errors"' in text(half)
    dissolve = c.post(
        reverse("web:org_dissolve", args=[t["w1c1"].pk]),
        {"on": "2026-01-01", "issuer_level": "co_so", "step": "preview"},
    )
    assert dissolve.status_code == 200 and "còn đảng viên sinh hoạt" in text(dissolve)
    assert not Reorganization.objects.exclude(kind="thanh_lap").exists()


def test_found_then_split_a_cell(web_world):
    t = web_world.tree
    c = web_world.client(Role.OFFICE)
    kind = str(OrgVersion.objects.get(org=t["w1c1"]).kind_id)
    found = c.post(
        reverse("web:org_found", args=[t["w1"].pk]),
        {
            "on": "2026-01-01",
            "name": "Chi bộ TDP 3 phường 1",
            "code": "P1-C3",
            "kind": kind,
            "issuer_level": "co_so",
            "step": "confirm",
        },
    )
    assert found.status_code == 302
    new = OrgVersion.objects.get(code="P1-C3").org
    assert found["Location"] == reverse("web:org", args=[new.pk])
    url = reverse("web:org_split", args=[t["w1c1"].pk])
    form = text(c.get(url))
    assert "Nguyễn Văn An" in form and "Chi bộ TDP 3 phường 1" in form
    data = {
        "on": "2026-02-01",
        f"member_{web_world.member_in.pk}": str(new.pk),
        "dissolve_source": "on",
        "issuer_level": "co_so",
    }
    page = text(c.post(url, data | {"step": "preview"}))
    assert 'id="preview-events">1<' in page
    assert c.post(url, data | {"step": "confirm"}).status_code == 302
    web_world.member_in.refresh_from_db()
    assert web_world.member_in.cell_id == new.pk


@pytest.mark.browser
def test_a_clerk_renames_a_cell_with_a_preview_and_sees_it_in_the_tree(web_world, page):
    sign_in(page, "tk_office")
    page.wait_for_url("**/")
    page.goto(reverse("web:org", args=[web_world.org_in.pk]))
    page.click("a.button:has-text('Đổi tên')")
    page.fill("#id_on", "2026-01-01")
    page.fill("#id_name", "Chi bộ Khu dân cư số 1")
    page.click("button[value=preview]")
    assert page.locator("text=Xem trước — chưa ghi").is_visible()
    assert "Chi bộ Khu dân cư số 1" in page.locator("#preview-changes").inner_text()
    page.locator("button[value=confirm]").first.click()
    page.wait_for_url(f"**{reverse('web:org', args=[web_world.org_in.pk])}")
    page.goto(reverse("web:org_tree"))
    assert page.locator(".org-tree").get_by_text("Chi bộ Khu dân cư số 1").is_visible()


def test_a_move_offers_only_new_superiors_in_scope_and_previews_the_members(web_world):
    t = web_world.tree
    c = web_world.client(Role.OFFICE)
    url = reverse("web:org_move", args=[t["w1c1"].pk])
    form = text(c.get(url))
    assert "Đảng bộ phường 2" not in form  # out of scope
    assert f'value="{t["w1"].pk}"' not in form  # already its superior
    ward = text(c.get(reverse("web:org_move", args=[t["w1"].pk])))
    assert f'value="{t["w1c2"].pk}"' not in ward  # a cell cannot take a ward, nor its own cell
    data = {"on": "2026-01-01", "parent": str(t["w2"].pk), "issuer_level": "co_so"}
    refused = c.post(url, data | {"step": "preview"})
    assert refused.status_code == 200 and 'id="id_parent-errors"' in text(refused)
