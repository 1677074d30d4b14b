"""Previews of reorganizations (what the write would record, with nothing left behind), an
organization's history, the tree with member counts, and the figures workbook."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import AuditEntry
from dangbo.membership.models import EventKind, MemberEvent
from dangbo.membership.tree_counts import tree_with_counts
from dangbo.organizations import services as org
from dangbo.organizations.closure import closure_differences
from dangbo.organizations.history import org_history
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion, Reorganization
from dangbo.organizations.preview import reorganization_preview
from dangbo.reports.xlsx import figures_xlsx
from dangbo.statistics import period_statistics
from tests.conftest import ACTOR, admit, kind, record, ward_decision

D = date


def written() -> tuple[int, ...]:
    """How many rows of everything a reorganization may write."""
    return (
        Organization.objects.count(),
        OrgVersion.objects.count(),
        OrgClosure.objects.count(),
        Reorganization.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def events_of_last_reorganization() -> list[tuple[int, int, int]]:
    reorg = Reorganization.objects.order_by("-pk").first()
    return sorted(
        MemberEvent.objects.filter(reorganization=reorg, kind=EventKind.REORGANIZATION).values_list(
            "member_id", "from_org_id", "to_org_id"
        )
    )


def test_a_merge_preview_lists_the_events_the_merge_then_writes(city_tree):
    t = city_tree
    a, b = admit(t["w1c1"], D(2022, 3, 1)), admit(t["w1c1"], D(2022, 4, 1))
    admit(t["w1c2"], D(2022, 3, 1))
    args = dict(sources=[t["w1c1"]], into=t["w1c2"], on=D(2024, 1, 1), actor=ACTOR)
    before = written()
    preview = reorganization_preview(org.org_merge, **args)
    assert written() == before
    assert closure_differences() == []
    assert preview.reorganizations == ("hop_nhat",)
    assert preview.events == 2
    assert [(m.member_id, m.from_org, m.to_org) for m in preview.moves] == [
        (a.pk, t["w1c1"].pk, t["w1c2"].pk),
        (b.pk, t["w1c1"].pk, t["w1c2"].pk),
    ]
    [change] = preview.changes
    assert (change.org_id, change.after, change.what) == (t["w1c1"].pk, None, "Chấm dứt hoạt động")

    org.org_merge(**args)
    assert events_of_last_reorganization() == sorted(
        (m.member_id, m.from_org, m.to_org) for m in preview.moves
    )
    assert MemberEvent.objects.count() - before[4] == preview.events


def test_a_ward_merge_preview_counts_every_member_below_it(city_tree):
    t = city_tree
    for cell in ("w1c1", "w1c2", "w1c2"):
        admit(t[cell], D(2022, 3, 1))
    args = dict(sources=[t["w1"]], into=t["w2"], on=D(2024, 1, 1), actor=ACTOR)
    preview = reorganization_preview(org.org_merge, **args)
    assert preview.events == 3
    assert {(c.org_id, c.what) for c in preview.changes} == {
        (t["w1"].pk, "Chấm dứt hoạt động"),
        (t["w1c1"].pk, "Điều chuyển trực thuộc"),
        (t["w1c2"].pk, "Điều chuyển trực thuộc"),
    }
    n = MemberEvent.objects.count()
    org.org_merge(**args)
    assert MemberEvent.objects.count() - n == 3 == len(events_of_last_reorganization())


def test_a_rename_preview_shows_the_names_and_writes_no_event(city_tree):
    t = city_tree
    admit(t["w1c1"], D(2022, 3, 1))
    before = written()
    preview = reorganization_preview(
        org.org_rename,
        org=t["w1c1"],
        on=D(2024, 1, 1),
        name="Chi bộ Khu phố 1",
        decision=ward_decision(),
        actor=ACTOR,
    )
    assert written()[:5] == before[:5]
    [change] = preview.changes
    assert change.before and change.after
    assert (change.before.name, change.after.name, change.what) == (
        "Chi bộ TDP 1 phường 1",
        "Chi bộ Khu phố 1",
        "Đổi tên, mã",
    )
    assert preview.events == 0 and preview.reorganizations == ("doi_ten",)


def test_move_split_found_and_dissolve_previews_match_their_writes(city_tree):
    t = city_tree
    a, b = admit(t["w1c1"], D(2022, 3, 1)), admit(t["w1c1"], D(2022, 3, 1))
    on = D(2024, 1, 1)
    cases = [
        (org.org_move, dict(org=t["w1c1"], parent=t["w2"], on=on, actor=ACTOR)),
        (
            org.org_found,
            dict(
                kind=kind("chi_bo"),
                name="Chi bộ mới",
                code="P2-C9",
                parent=t["w2"],
                on=D(2024, 2, 1),
                actor=ACTOR,
            ),
        ),
    ]
    for service, args in cases:
        preview = reorganization_preview(service, **args)
        n = MemberEvent.objects.count()
        service(**args)
        assert MemberEvent.objects.count() - n == preview.events
    assert reorganization_preview(org.org_found, **cases[1][1] | {"code": "X"}).changes[0].what == (
        "Thành lập"
    )
    new = Organization.objects.get(versions__code="P2-C9")
    split = dict(
        source=t["w1c1"],
        parts=[{"into": new, "members": [a.pk]}, {"into": t["w2c1"], "members": [b.pk]}],
        on=D(2024, 3, 1),
        actor=ACTOR,
    )
    preview = reorganization_preview(org.org_split, **split)
    assert preview.events == 2
    n = MemberEvent.objects.count()
    org.org_split(**split)
    assert MemberEvent.objects.count() - n == 2 == len(events_of_last_reorganization())
    preview = reorganization_preview(org.org_dissolve, org=t["w1c2"], on=D(2024, 4, 1), actor=ACTOR)
    assert preview.events == 0 and [c.what for c in preview.changes] == ["Chấm dứt hoạt động"]


def test_a_refused_preview_raises_the_write_s_error_and_leaves_nothing(city_tree):
    t = city_tree
    admit(t["w1c1"], D(2022, 3, 1))
    before = written()
    with pytest.raises(DomainError) as caught:
        reorganization_preview(org.org_dissolve, org=t["w1c1"], on=D(2024, 1, 1), actor=ACTOR)
    assert "còn đảng viên" in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        reorganization_preview(
            org.org_rename, org=t["w1c1"], on=D(2024, 1, 1), code="P1-C2", actor=ACTOR
        )
    assert caught.value.field == "code"
    assert written() == before


def test_history_lists_versions_and_reorganizations_with_decisions(city_tree):
    t = city_tree
    decision = ward_decision("07-QĐ/ĐU", D(2023, 12, 20))
    org.org_rename(org=t["w1c2"], on=D(2023, 1, 1), name="Chi bộ Khu phố 2", actor=ACTOR)
    org.org_merge(
        sources=[t["w1c1"]], into=t["w1c2"], on=D(2024, 1, 1), decision=decision, actor=ACTOR
    )
    h = org_history(t["w1c2"])
    assert [(v.name, v.valid_from, v.valid_to, v.parent_name) for v in h.versions] == [
        ("Chi bộ TDP 2 phường 1", D(2018, 1, 1), D(2023, 1, 1), "Đảng bộ phường 1"),
        ("Chi bộ Khu phố 2", D(2023, 1, 1), None, "Đảng bộ phường 1"),
    ]
    assert [(r.kind, r.role, r.others) for r in h.reorganizations] == [
        ("thanh_lap", "tổ chức được thành lập", ((t["w1"].pk, "Đảng bộ phường 1"),)),
        ("doi_ten", "tổ chức được đổi tên", ()),
        ("hop_nhat", "tổ chức tiếp nhận", ((t["w1c1"].pk, "Chi bộ TDP 1 phường 1"),)),
    ]
    assert h.reorganizations[-1].decision == decision
    merged = org_history(t["w1c1"])
    assert merged.versions[-1].valid_to == D(2024, 1, 1)
    assert merged.reorganizations[-1].role == "tổ chức được hợp nhất"
    ward = org_history(t["w1"])
    assert [r.role for r in ward.reorganizations] == ["tổ chức được thành lập"] + [
        "cấp trên của tổ chức mới"
    ] * 2


def test_the_tree_counts_each_subtree_and_flags_small_cells(city_tree):
    t = city_tree
    for _ in range(3):
        receive_official = admit(t["w1c1"], D(2020, 3, 1))
        record(receive_official, EventKind.RECOGNITION, D(2021, 3, 1))
    admit(t["w1c1"], D(2022, 3, 1))
    admit(t["w1c2"], D(2022, 3, 1))
    nodes = {n.node.code: n for n in tree_with_counts(on=D(2023, 1, 1))}
    assert (nodes["P1-C1"].official, nodes["P1-C1"].probationary) == (3, 1)
    assert (nodes["P1"].official, nodes["P1"].probationary, nodes["TP"].members) == (3, 2, 5)
    assert not nodes["P1-C1"].below_minimum and nodes["P1-C2"].below_minimum
    assert not nodes["P1"].below_minimum
    assert nodes["TP"].children == 2
    scoped = tree_with_counts(on=D(2023, 1, 1), within={t["w1"].pk, t["w1c1"].pk, t["w1c2"].pk})
    assert [(n.node.code, n.node.depth, n.members) for n in scoped] == [
        ("P1", 0, 5),
        ("P1-C1", 1, 4),
        ("P1-C2", 1, 1),
    ]
    assert [n.node.code for n in tree_with_counts(on=D(2017, 1, 1))] == []


def test_the_workbook_holds_the_stats_figures_as_numbers(city_tree):
    t = city_tree
    for cell in ("w1c1", "w1c1", "w2c1"):
        admit(t[cell], D(2022, 3, 1), gender="nu")
    m = admit(t["w1c2"], D(2022, 5, 1))
    record(m, EventKind.RECOGNITION, D(2023, 5, 1))
    figures = period_statistics(t["city"], D(2023, 1, 1), D(2023, 6, 30))
    data = figures_xlsx(figures, org_name="Đảng bộ thành phố Thử", org_code="TP")
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Số liệu"]
    assert ws["A2"].value == "Đảng bộ thành phố Thử (TP)"
    assert ws["A3"].value == "Từ ngày 01/01/2023 đến ngày 30/06/2023"
    assert ws.freeze_panes == "A6"
    assert ws["B5"].value == "Chỉ tiêu"
    rows = {r[5]: r for r in ws.iter_rows(min_row=6, values_only=True)}
    canonical = figures.to_dict()
    for key in ("members", "official", "probationary", "women", "exempt"):
        assert rows[key][2:4] == (canonical[f"{key}_start"], canonical[f"{key}_end"])
        assert all(isinstance(v, int) for v in rows[key][2:4])
    for key in ("admitted", "recognized_official", "transferred_in", "died", "disciplined_total"):
        assert rows[key][4] == canonical[key]
    assert rows["recognized_official"][4] == 1 and rows["members"][3] == 4
    assert rows["women"][3] == 3
    structure = wb["Cơ cấu"]
    counted = {(r[3], r[1]): r[2] for r in structure.iter_rows(min_row=6, values_only=True) if r[3]}
    assert counted[("gender", "Nữ")] == 3 and counted[("gender", "Nam")] == 1


def test_a_decision_is_recorded_with_the_write_only(city_tree):
    from dangbo.core.models import Decision
    from dangbo.organizations.services import DecisionRef, org_reorganize

    t = city_tree
    ref = DecisionRef(number="09-QĐ/ĐU", issued_on=D(2023, 12, 1), issuer="Đảng ủy phường 1")
    args = dict(org=t["w1c1"], on=D(2024, 1, 1), name="Chi bộ Khu phố 1", actor=ACTOR)
    preview = reorganization_preview(org_reorganize, org.org_rename, decision=ref, **args)
    assert preview.changes[0].after and preview.changes[0].after.name == "Chi bộ Khu phố 1"
    assert not Decision.objects.filter(number="09-QĐ/ĐU").exists()
    with pytest.raises(InvalidInput) as caught:  # refused: no decision left behind
        org_reorganize(org.org_rename, decision=ref, **args | {"code": "P1-C2"})
    assert caught.value.field == "code"
    assert not Decision.objects.filter(number="09-QĐ/ĐU").exists()
    org_reorganize(org.org_rename, decision=ref, **args)
    [rename] = Reorganization.objects.filter(kind="doi_ten")
    assert rename.decision and rename.decision.number == "09-QĐ/ĐU"
    with pytest.raises(InvalidInput) as caught:
        org_reorganize(org.org_rename, decision=DecisionRef("", D(2023, 1, 1), "Đảng ủy"), **args)
    assert caught.value.field == "decision.number"
