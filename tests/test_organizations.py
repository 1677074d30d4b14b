"""The organization tree: founding, renaming, moving, merging, splitting and dissolving, each
dated, with the closure table kept consistent and the past left as it was."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.dates import FOREVER
from dangbo.core.errors import DomainError, InvalidInput, LedgerError
from dangbo.figures import membership_figures
from dangbo.membership.admission import member_admit
from dangbo.membership.models import EventKind, MemberEvent
from dangbo.membership.projection import projection_differences
from dangbo.organizations import services as org
from dangbo.organizations.closure import closure_differences
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion, Reorganization
from dangbo.organizations.selectors import is_within, org_label, org_resolve, org_tree, subtree_ids
from tests.conftest import ACTOR, admit, kind, make_person
from tests.reference import assert_same_as_reference, identity_holds

D = date


def shape(on: date) -> list[tuple[int, str, str]]:
    return [(n.depth, n.code, n.kind) for n in org_tree(on=on)]


def ids(*orgs) -> set[int]:
    return {o.pk for o in orgs}


# --- found -----------------------------------------------------------------------------------


def test_founding_builds_versions_and_closure(city_tree):
    t = city_tree
    assert shape(D(2018, 1, 1)) == [
        (0, "TP", "tinh"),
        (1, "P1", "co_so"),
        (2, "P1-C1", "chi_bo"),
        (2, "P1-C2", "chi_bo"),
        (1, "P2", "co_so"),
        (2, "P2-C1", "chi_bo"),
        (2, "P2-C2", "chi_bo"),
    ]
    assert shape(D(2017, 12, 31)) == []
    assert set(subtree_ids(t["w1"], on=D(2020, 1, 1))) == ids(t["w1"], t["w1c1"], t["w1c2"])
    assert set(subtree_ids(t["city"], on=D(2020, 1, 1))) == {o.pk for o in t.values()}
    assert OrgClosure.objects.get(ancestor=t["city"], descendant=t["w2c2"]).depth == 2
    assert Reorganization.objects.filter(kind="thanh_lap").count() == 7
    assert closure_differences() == []


def test_it_refuses_founding_under_a_subordinate_cell(city_tree):
    with pytest.raises(InvalidInput) as caught:
        org.org_found(
            kind=kind("chi_bo"),
            name="Chi bộ con",
            code="X1",
            parent=city_tree["w1c1"],
            on=D(2020, 1, 1),
            actor=ACTOR,
        )
    assert "là chi bộ trực thuộc, không thể có tổ chức cấp dưới" in caught.value.message
    assert not OrgVersion.objects.filter(code="X1").exists()


def test_it_refuses_founding_under_a_parent_that_did_not_exist_yet(city_tree):
    with pytest.raises(InvalidInput) as caught:
        org.org_found(
            kind=kind("chi_bo"),
            name="Chi bộ sớm",
            code="X2",
            parent=city_tree["w1"],
            on=D(2017, 6, 1),
            actor=ACTOR,
        )
    assert "không tồn tại vào ngày 01/06/2017" in caught.value.message


@pytest.mark.parametrize("code", ["P1", "p1-c1"])
def test_it_refuses_a_code_already_in_use(city_tree, code):
    before = Organization.objects.count()
    with pytest.raises(InvalidInput) as caught:
        org.org_found(
            kind=kind("chi_bo"),
            name="Chi bộ mới",
            code=code,
            parent=city_tree["w1"],
            on=D(2020, 1, 1),
            actor=ACTOR,
        )
    assert f"Mã «{code}» đã được tổ chức khác sử dụng." == caught.value.message
    assert Organization.objects.count() == before


def test_it_refuses_an_empty_name(city_tree):
    with pytest.raises(InvalidInput) as caught:
        org.org_found(
            kind=kind("chi_bo"),
            name="  ",
            code="X3",
            parent=city_tree["w1"],
            on=D(2020, 1, 1),
            actor=ACTOR,
        )
    assert "tên tổ chức" in caught.value.message


# --- rename ----------------------------------------------------------------------------------


def test_a_rename_keeps_the_old_name_on_past_dates(city_tree):
    w1 = city_tree["w1"]
    org.org_rename(
        org=w1, on=D(2023, 1, 1), name="Đảng bộ phường Hòa Bình", code="PHB", actor=ACTOR
    )
    assert w1.version_on(D(2022, 12, 31)).name == "Đảng bộ phường 1"
    assert w1.version_on(D(2023, 1, 1)).name == "Đảng bộ phường Hòa Bình"
    assert org_label(w1, on=D(2020, 5, 5)) == "Đảng bộ phường 1 (P1)"
    assert org_label(w1, on=D(2024, 5, 5)) == "Đảng bộ phường Hòa Bình (PHB)"
    assert [n.name for n in org_tree(on=D(2022, 6, 1)) if n.id == w1.pk] == ["Đảng bộ phường 1"]
    assert org_resolve("P1", on=D(2022, 6, 1)) == w1
    assert org_resolve("phb") == w1
    assert str(w1) == "Đảng bộ phường Hòa Bình"
    # the tree did not change: no closure change and no member events
    assert set(subtree_ids(w1, on=D(2023, 6, 1))) == ids(w1, city_tree["w1c1"], city_tree["w1c2"])
    assert closure_differences() == []


def test_two_changes_on_the_same_day_amend_one_version(city_tree):
    w1 = city_tree["w1"]
    org.org_rename(org=w1, on=D(2023, 1, 1), name="Tên tạm", actor=ACTOR)
    org.org_rename(org=w1, on=D(2023, 1, 1), name="Tên đúng", actor=ACTOR)
    assert list(w1.versions.values_list("name", "valid_from", "valid_to")) == [
        ("Đảng bộ phường 1", D(2018, 1, 1), D(2023, 1, 1)),
        ("Tên đúng", D(2023, 1, 1), FOREVER),
    ]


def test_it_refuses_a_change_dated_before_the_latest_change(city_tree):
    w1 = city_tree["w1"]
    org.org_rename(org=w1, on=D(2023, 1, 1), name="Đảng bộ phường Hòa Bình", actor=ACTOR)
    for action in (
        lambda: org.org_rename(org=w1, on=D(2022, 6, 1), name="Tên khác", actor=ACTOR),
        lambda: org.org_move(org=w1, parent=city_tree["w2"], on=D(2022, 6, 1), actor=ACTOR),
    ):
        with pytest.raises(DomainError) as caught:
            action()
        assert caught.value.code == "thay_doi_lui_ngay"
        assert "không thể ghi thay đổi lùi về ngày 01/06/2022" in caught.value.message
    assert w1.versions.count() == 2


def test_it_refuses_renaming_to_another_organizations_code(city_tree):
    with pytest.raises(InvalidInput):
        org.org_rename(org=city_tree["w1"], on=D(2023, 1, 1), code="P2", actor=ACTOR)
    org.org_rename(org=city_tree["w1"], on=D(2023, 1, 1), code="P1", name="Giữ mã", actor=ACTOR)


# --- move ------------------------------------------------------------------------------------


def test_moving_a_cell_changes_the_subtree_from_its_date_only(city_tree):
    t = city_tree
    a = admit(t["w1c1"], D(2022, 3, 1))
    org.org_move(org=t["w1c1"], parent=t["w2"], on=D(2023, 1, 1), actor=ACTOR)
    assert set(subtree_ids(t["w1"], on=D(2022, 12, 31))) == ids(t["w1"], t["w1c1"], t["w1c2"])
    assert set(subtree_ids(t["w1"], on=D(2023, 1, 1))) == ids(t["w1"], t["w1c2"])
    assert set(subtree_ids(t["w2"], on=D(2023, 1, 1))) == ids(
        t["w2"], t["w1c1"], t["w2c1"], t["w2c2"]
    )
    assert set(Organization.objects.in_subtree(t["w2"], on=D(2022, 12, 31))) == {
        t["w2"],
        t["w2c1"],
        t["w2c2"],
    }
    assert is_within(t["w1c1"].pk, t["w1"].pk, on=D(2022, 12, 31))
    assert not is_within(t["w1c1"].pk, t["w1"].pk, on=D(2023, 1, 1))
    assert is_within(t["w1c1"].pk, t["city"].pk, on=D(2023, 1, 1))
    event = MemberEvent.objects.get(member=a, kind=EventKind.REORGANIZATION)
    assert (event.effective_on, event.from_on, event.from_org, event.to_org) == (
        D(2023, 1, 1),
        D(2022, 12, 31),
        t["w1c1"],
        t["w1c1"],
    )
    assert closure_differences() == []


@pytest.mark.parametrize("child, parent", [("city", "w1"), ("w1", "w1"), ("city", "city")])
def test_it_refuses_a_move_that_makes_a_cycle(city_tree, child, parent):
    with pytest.raises(InvalidInput) as caught:
        org.org_move(org=city_tree[child], parent=city_tree[parent], on=D(2023, 1, 1), actor=ACTOR)
    assert "làm cấp trên của chính tổ chức cấp dưới của nó" in caught.value.message
    assert OrgVersion.objects.filter(valid_from=D(2023, 1, 1)).count() == 0
    assert closure_differences() == []


def test_it_refuses_a_move_under_a_subordinate_cell(city_tree):
    with pytest.raises(InvalidInput) as caught:
        org.org_move(org=city_tree["w1c1"], parent=city_tree["w2c1"], on=D(2023, 1, 1), actor=ACTOR)
    assert "là chi bộ trực thuộc" in caught.value.message


# --- merge -----------------------------------------------------------------------------------


def test_merging_cells_moves_members_and_ends_the_source(city_tree):
    t = city_tree
    a = admit(t["w1c1"], D(2022, 3, 1))
    b = admit(t["w1c2"], D(2022, 3, 1))
    reorg = org.org_merge(sources=[t["w1c1"]], into=t["w1c2"], on=D(2024, 1, 1), actor=ACTOR)
    a.refresh_from_db()
    t["w1c1"].refresh_from_db()
    assert a.cell == t["w1c2"]
    assert t["w1c1"].dissolved_on == D(2024, 1, 1)
    assert (
        t["w1c1"].version_on(D(2023, 12, 31)) is not None
        and t["w1c1"].version_on(D(2024, 1, 1)) is None
    )
    assert list(
        MemberEvent.objects.filter(reorganization=reorg).values_list("member", "from_org", "to_org")
    ) == [(a.pk, t["w1c1"].pk, t["w1c2"].pk)]
    assert not MemberEvent.objects.filter(member=b, kind=EventKind.REORGANIZATION).exists()
    assert set(subtree_ids(t["w1"], on=D(2024, 1, 1))) == ids(t["w1"], t["w1c2"])
    assert closure_differences() == [] and projection_differences() == []
    with pytest.raises(LedgerError):  # nobody can join the ended cell
        admit(t["w1c1"], D(2024, 2, 1))
    with pytest.raises(DomainError) as caught:
        org.org_rename(org=t["w1c1"], on=D(2024, 3, 1), name="Sau giải thể", actor=ACTOR)
    assert "đã chấm dứt hoạt động" in caught.value.message


def test_merging_wards_moves_their_cells_under_the_receiver(city_tree):
    t = city_tree
    admit(t["w1c1"], D(2022, 3, 1))
    admit(t["w1c2"], D(2022, 3, 1))
    org.org_merge(sources=[t["w1"]], into=t["w2"], on=D(2025, 7, 1), actor=ACTOR)
    assert shape(D(2025, 7, 1)) == [
        (0, "TP", "tinh"),
        (1, "P2", "co_so"),
        (2, "P1-C1", "chi_bo"),
        (2, "P1-C2", "chi_bo"),
        (2, "P2-C1", "chi_bo"),
        (2, "P2-C2", "chi_bo"),
    ]
    assert shape(D(2025, 6, 30))[1] == (1, "P1", "co_so")
    assert MemberEvent.objects.filter(kind=EventKind.REORGANIZATION).count() == 2
    assert closure_differences() == []


def test_it_refuses_merging_members_into_a_committee_or_into_itself(city_tree):
    t = city_tree
    admit(t["w1c1"], D(2022, 3, 1))
    with pytest.raises(InvalidInput) as caught:
        org.org_merge(sources=[t["w1c1"]], into=t["w1"], on=D(2024, 1, 1), actor=ACTOR)
    assert (
        "có đảng viên sinh hoạt trực tiếp nhưng «Đảng bộ phường 1» không phải chi bộ"
        in caught.value.message
    )
    with pytest.raises(InvalidInput):
        org.org_merge(sources=[t["w1c1"]], into=t["w1c1"], on=D(2024, 1, 1), actor=ACTOR)
    assert not Reorganization.objects.filter(kind="hop_nhat").exists()
    assert Organization.objects.filter(dissolved_on__isnull=False).count() == 0


# --- split -----------------------------------------------------------------------------------


def test_splitting_a_cell_assigns_every_member(city_tree):
    t = city_tree
    a = admit(t["w1c1"], D(2022, 3, 1))
    b = admit(t["w1c1"], D(2022, 3, 1))
    new = org.org_found(
        kind=kind("chi_bo"),
        name="Chi bộ TDP 3 phường 1",
        code="P1-C3",
        parent=t["w1"],
        on=D(2024, 1, 1),
        actor=ACTOR,
    )
    with pytest.raises(InvalidInput) as caught:
        org.org_split(
            source=t["w1c1"],
            parts=[{"into": new, "members": [a.pk]}],
            on=D(2024, 1, 1),
            actor=ACTOR,
        )
    assert "Chưa phân bổ 1 đảng viên" in caught.value.message
    org.org_split(
        source=t["w1c1"],
        parts=[{"into": new, "members": [a.pk]}, {"into": t["w1c2"], "members": [b.pk]}],
        on=D(2024, 1, 1),
        actor=ACTOR,
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.cell, b.cell) == (new, t["w1c2"])
    assert t["w1c1"].version_on(D(2024, 1, 1)) is None
    f = membership_figures(t["w1"], D(2024, 1, 1), D(2024, 12, 31))
    assert (f["members_start"], f["members_end"], f["reorganized_in"], f["reorganized_out"]) == (
        2,
        2,
        0,
        0,
    )
    assert closure_differences() == [] and projection_differences() == []


def test_splitting_a_ward_hands_its_cells_to_new_wards(city_tree):
    t = city_tree
    admit(t["w1c1"], D(2022, 3, 1))
    admit(t["w1c2"], D(2022, 3, 1))
    w3 = org.org_found(
        kind=kind("co_so"),
        name="Đảng bộ phường 3",
        code="P3",
        parent=t["city"],
        on=D(2024, 1, 1),
        actor=ACTOR,
    )
    org.org_split(
        source=t["w1"],
        parts=[{"into": w3, "children": [t["w1c1"]]}, {"into": t["w2"], "children": [t["w1c2"]]}],
        on=D(2024, 1, 1),
        actor=ACTOR,
    )
    assert set(subtree_ids(w3, on=D(2024, 1, 1))) == ids(w3, t["w1c1"])
    for ward, flows in (
        (t["w1"], (2, 0, 0, 2)),
        (w3, (0, 1, 1, 0)),
        (t["w2"], (0, 1, 1, 0)),
        (t["city"], (2, 2, 0, 0)),
    ):
        f = membership_figures(ward, D(2024, 1, 1), D(2024, 12, 31))
        assert (
            f["members_start"],
            f["members_end"],
            f["reorganized_in"],
            f["reorganized_out"],
        ) == flows
        assert identity_holds(f)
        assert_same_as_reference(f, ward, D(2024, 1, 1), D(2024, 12, 31))
    assert closure_differences() == []


# --- dissolve --------------------------------------------------------------------------------


def test_it_refuses_dissolving_an_organization_with_members_or_children(city_tree):
    t = city_tree
    admit(t["w1c1"], D(2022, 3, 1))
    with pytest.raises(DomainError) as caught:
        org.org_dissolve(org=t["w1c1"], on=D(2024, 1, 1), actor=ACTOR)
    assert caught.value.code == "con_dang_vien"
    assert "còn đảng viên sinh hoạt" in caught.value.message
    with pytest.raises(DomainError) as caught:
        org.org_dissolve(org=t["w2"], on=D(2024, 1, 1), actor=ACTOR)
    assert "còn tổ chức trực thuộc" in caught.value.message
    assert Organization.objects.filter(dissolved_on__isnull=False).count() == 0


def test_it_refuses_dissolving_a_cell_whose_members_join_after_the_date(city_tree):
    t = city_tree
    admit(t["w2c2"], D(2024, 3, 1))
    with pytest.raises(DomainError):
        org.org_dissolve(org=t["w2c2"], on=D(2024, 1, 1), actor=ACTOR)
    assert t["w2c2"].versions.get().valid_to == FOREVER


def test_it_refuses_merging_a_cell_whose_members_join_after_the_date(city_tree):
    t = city_tree
    admit(t["w2c2"], D(2024, 3, 1))
    with pytest.raises(DomainError):
        org.org_merge(sources=[t["w2c2"]], into=t["w2c1"], on=D(2024, 1, 1), actor=ACTOR)
    assert t["w2c2"].versions.get().valid_to == FOREVER


def test_dissolving_an_empty_cell_frees_its_code_from_that_date(city_tree):
    t = city_tree
    org.org_dissolve(org=t["w2c2"], on=D(2023, 1, 1), actor=ACTOR)
    t["w2c2"].refresh_from_db()
    assert t["w2c2"].dissolved_on == D(2023, 1, 1)
    assert set(subtree_ids(t["w2"], on=D(2023, 1, 1))) == ids(t["w2"], t["w2c1"])
    with pytest.raises(InvalidInput):
        org.org_found(
            kind=kind("chi_bo"),
            name="Chi bộ mới",
            code="P2-C2",
            parent=t["w2"],
            on=D(2022, 12, 31),
            actor=ACTOR,
        )
    again = org.org_found(
        kind=kind("chi_bo"),
        name="Chi bộ mới",
        code="P2-C2",
        parent=t["w2"],
        on=D(2023, 1, 1),
        actor=ACTOR,
    )
    assert org_resolve("P2-C2", on=D(2022, 6, 1)) == t["w2c2"]
    assert org_resolve("P2-C2", on=D(2023, 6, 1)) == again
    assert closure_differences() == []


# --- closure check ---------------------------------------------------------------------------


def test_closure_differences_reports_a_missing_or_extra_row(city_tree):
    t = city_tree
    OrgClosure.objects.filter(ancestor=t["city"], descendant=t["w2c2"]).delete()
    problems = closure_differences()
    assert problems == [
        f"Thiếu quan hệ cấp trên #{t['city'].pk} → #{t['w2c2'].pk} (2018-01-01 – 9999-12-31)"
    ]
    OrgClosure.objects.create(
        ancestor=t["w1"], descendant=t["w2c2"], depth=1, valid_from=D(2018, 1, 1), valid_to=FOREVER
    )
    assert len(closure_differences()) == 2


# --- the 2025 change: district level abolished -----------------------------------------------


@pytest.fixture
def province(db):
    on = D(2018, 1, 1)
    p = org.org_found(
        kind=kind("tinh"), name="Đảng bộ tỉnh Thử", code="T", doc_code="TU", on=on, actor=ACTOR
    )
    q = org.org_found(
        kind=kind("huyen"),
        name="Đảng bộ huyện Một",
        code="H1",
        doc_code="HU",
        parent=p,
        on=on,
        actor=ACTOR,
    )
    w = org.org_found(
        kind=kind("co_so"),
        name="Đảng bộ xã An",
        code="XA",
        doc_code="ĐU",
        parent=q,
        on=on,
        actor=ACTOR,
    )
    c = org.org_found(
        kind=kind("chi_bo"), name="Chi bộ thôn 1", code="XA-C1", parent=w, on=on, actor=ACTOR
    )
    return p, q, w, c


def test_the_tree_before_and_after_the_district_level_is_abolished(province):
    p, q, w, c = province
    member = admit(c, D(2020, 5, 5))
    change = D(2025, 7, 1)
    org.org_rename(
        org=w, on=change, kind=kind("xa"), name="Đảng bộ xã An Phú", code="XAP", actor=ACTOR
    )
    org.org_move(org=w, parent=p, on=change, actor=ACTOR)
    org.org_dissolve(org=q, on=change, actor=ACTOR)

    assert shape(D(2025, 6, 30)) == [
        (0, "T", "tinh"),
        (1, "H1", "huyen"),
        (2, "XA", "co_so"),
        (3, "XA-C1", "chi_bo"),
    ]
    assert shape(change) == [(0, "T", "tinh"), (1, "XAP", "xa"), (2, "XA-C1", "chi_bo")]
    assert [n.name for n in org_tree(on=change)][1] == "Đảng bộ xã An Phú"
    assert set(subtree_ids(q, on=D(2025, 6, 30))) == ids(q, w, c)
    assert subtree_ids(q, on=change) == []
    assert closure_differences() == []
    # the member did not move, but left the district's figures by reorganization
    fq = membership_figures(q, D(2025, 1, 1), D(2025, 12, 31))
    fp = membership_figures(p, D(2025, 1, 1), D(2025, 12, 31))
    assert (fq["members_start"], fq["reorganized_out"], fq["members_end"]) == (1, 1, 0)
    assert (
        fp["members_start"],
        fp["reorganized_out"],
        fp["reorganized_in"],
        fp["members_end"],
    ) == (1, 0, 0, 1)
    assert MemberEvent.objects.filter(member=member, kind=EventKind.REORGANIZATION).count() == 1
    # the first half of 2025 still reads the district as it stood
    assert membership_figures(q, D(2025, 1, 1), D(2025, 6, 30))["members_end"] == 1


def test_a_backdated_admission_into_a_cell_that_later_ended_is_refused(city_tree):
    t = city_tree
    admit(t["w1c1"], D(2022, 3, 1))
    org.org_merge(sources=[t["w1c1"]], into=t["w1c2"], on=D(2024, 1, 1), actor=ACTOR)
    person = make_person()
    with pytest.raises(LedgerError) as caught:
        member_admit(person=person, cell=t["w1c1"], on=D(2023, 6, 1), decision=None, actor=ACTOR)
    assert "chấm dứt" in caught.value.message
    f = membership_figures(t["city"], D(2023, 1, 1), D(2024, 12, 31))
    assert identity_holds(f)
    assert_same_as_reference(f, t["city"], D(2023, 1, 1), D(2024, 12, 31))


def test_an_organization_can_later_sit_above_its_former_superior(db):
    # given: B under A until 2025, then A moved under B (no loop at any one date)
    from dangbo.organizations.closure import closure_differences, compute_closure

    d = date
    versions = [
        (1, None, d(2018, 1, 1), d(2025, 7, 1)),
        (1, 2, d(2025, 7, 1), d(9999, 12, 31)),
        (2, 1, d(2018, 1, 1), d(2025, 7, 1)),
        (2, None, d(2025, 7, 1), d(9999, 12, 31)),
    ]
    rows = set(compute_closure(versions))
    assert (1, 2, 1, d(2018, 1, 1), d(2025, 7, 1)) in rows
    assert (2, 1, 1, d(2025, 7, 1), d(9999, 12, 31)) in rows
    with pytest.raises(ValueError, match="vòng lặp"):
        compute_closure(
            [(1, 2, d(2018, 1, 1), d(2020, 1, 1)), (2, 1, d(2019, 1, 1), d(2021, 1, 1))]
        )
    assert closure_differences() == []
