"""Inspection, supervision and discipline: the rules of 22-QĐ/TW and 296-QĐ/TW, the link of
member discipline to the ledger, and the figures.

Every refusal is checked for its rule, the regulation it cites and that nothing was
written. The figures of the wards and the city are compared key by key with counts made
by hand from the case list in the `town` fixture's docstring.
"""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.errors import DomainError, InvalidInput, RuleViolation
from dangbo.core.models import AuditEntry
from dangbo.figures import membership_figures
from dangbo.inspections import services as svc
from dangbo.inspections.figures import inspection_figures
from dangbo.inspections.models import Case, CaseStep, MemberDisciplineLink, OrgDiscipline
from dangbo.membership.events import event_record, event_reverse
from dangbo.membership.models import EventKind, MemberEvent, MemberStatus
from dangbo.organizations import services as org_services
from tests.conftest import ACTOR, admit, kind, provincial_decision, ward_decision
from tests.reference import reference_figures

D = date
R22, R262, R296 = "Quy định 22-QĐ/TW", "Quy định 262-QĐ/TW", "Quy định 296-QĐ/TW"
Y2024 = (D(2024, 1, 1), D(2024, 12, 31))
Y2025 = (D(2025, 1, 1), D(2025, 12, 31))
KINDS = (
    "giam_sat_thuong_xuyen",
    "giam_sat_chuyen_de",
    "kiem_tra_dau_hieu",
    "kiem_tra_chuyen_de",
    "khieu_nai",
    "to_cao",
)

_decisions = {"n": 0}


def decision(on: date):
    _decisions["n"] += 1
    return ward_decision(f"{_decisions['n']}-QĐ/UBKT", on)


def official(cell, name: str):
    member = admit(cell, D(2019, 1, 1), name=name)
    event_record(member=member, kind=EventKind.RECOGNITION, effective_on=D(2020, 1, 1), actor=ACTOR)
    return member


def open_case(kind_: str, by, on: date, *, org=None, member=None, topic: str = "Nội dung kiểm tra"):
    return svc.case_open(
        kind=kind_,
        conducting_org=by,
        conducting_body=f"Ủy ban Kiểm tra — {by}",
        starts_on=on,
        topic=topic,
        subject_org=org,
        subject_member=member,
        decision=decision(on),
        actor=ACTOR,
    )


def conclude(case, on: date, violation: bool):
    return svc.case_conclude(
        case=case,
        on=on,
        violation_found=violation,
        conclusion="Có vi phạm." if violation else "Không có vi phạm.",
        decision=decision(on),
        actor=ACTOR,
    )


def discipline_member(case, form: str, on: date):
    return svc.case_discipline_member(
        case=case, form=form, on=on, decision=decision(on), actor=ACTOR
    )


def discipline_org(case, form: str, on: date):
    return svc.case_discipline_org(case=case, form=form, on=on, decision=decision(on), actor=ACTOR)


def written() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        CaseStep.objects.count(),
        OrgDiscipline.objects.count(),
        MemberDisciplineLink.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
        Case.objects.filter(concluded_on__isnull=False).count(),
    )


def refused(action, rule: str, regulation: str, *, contains: str = "") -> RuleViolation:
    """`action` raises a RuleViolation naming `rule` and citing `regulation`; nothing is written."""
    before = written()
    with pytest.raises(RuleViolation) as caught:
        action()
    hits = [v for v in caught.value.violations if v.rule == rule]
    assert hits, caught.value.violations
    assert hits[0].regulation == regulation
    assert f"{regulation}: " in str(caught.value)
    assert contains in hits[0].message
    assert written() == before
    return caught.value


def refused_input(action, exc=InvalidInput, contains: str = "") -> None:
    before = written()
    with pytest.raises(exc) as caught:
        action()
    assert contains in caught.value.message
    assert written() == before


# --- rules -------------------------------------------------------------------------------
@pytest.fixture
def small(city_tree):
    return small_tree(city_tree)


def small_tree(city_tree):
    """The city tree with an official member (a), a probationary one (p) and a branch
    committee (bp) with its cell (bpc)."""
    t = dict(city_tree)
    t["a"] = official(t["w1c1"], "Nguyễn Văn An")
    t["p"] = admit(t["w1c2"], D(2024, 9, 1), name="Trần Thị Bình")  # probationary
    t["bp"] = org_services.org_found(
        kind=kind("bo_phan"),
        name="Đảng bộ bộ phận khu 3",
        code="P1-BP",
        parent=t["w1"],
        on=D(2018, 1, 1),
        actor=ACTOR,
    )
    t["bpc"] = org_services.org_found(
        kind=kind("chi_bo"),
        name="Chi bộ khu 3A",
        code="P1-BP-C1",
        parent=t["bp"],
        on=D(2018, 1, 1),
        actor=ACTOR,
    )
    return t


def test_conducting_body_must_have_an_inspection_commission(small):
    t = small
    err = refused(
        lambda: open_case("giam_sat_chuyen_de", t["bp"], D(2024, 3, 1), org=t["bpc"]),
        "cap_tien_hanh",
        R22,
        contains="từ cấp đảng ủy cơ sở trở lên",
    )
    assert [v.rule for v in err.violations] == ["cap_tien_hanh"]
    assert "Đảng bộ bộ phận khu 3" in str(err)
    # the ward committee can
    case = open_case("kiem_tra_dau_hieu", t["w1"], D(2025, 6, 1), member=t["a"])
    assert case.regulation == R296 and case.subject_cell_id == t["w1c1"].pk


def test_conducting_body_must_be_above_the_subject_as_the_tree_stood(small):
    t = small
    refused(
        lambda: open_case("kiem_tra_chuyen_de", t["w1"], D(2024, 3, 1), org=t["w2c1"]),
        "cap_tren_doi_tuong",
        R22,
        contains="không trực thuộc «Đảng bộ phường 1»",
    )
    refused(
        lambda: open_case("kiem_tra_chuyen_de", t["w1"], D(2025, 5, 30), org=t["w1"]),
        "cap_tren_doi_tuong",
        R296,
    )
    refused(
        lambda: open_case("khieu_nai", t["w2"], D(2024, 3, 1), member=t["a"]),
        "cap_tren_doi_tuong",
        R22,
        contains="Nguyễn Văn An",
    )
    # 262-QĐ/TW from 3/2/2025, 296-QĐ/TW from 30/5/2025
    refused(
        lambda: open_case("kiem_tra_chuyen_de", t["w1"], D(2025, 2, 2), org=t["w2c1"]),
        "cap_tren_doi_tuong",
        R22,
    )
    refused(
        lambda: open_case("kiem_tra_chuyen_de", t["w1"], D(2025, 2, 3), org=t["w2c1"]),
        "cap_tren_doi_tuong",
        R262,
    )
    refused(
        lambda: open_case("kiem_tra_chuyen_de", t["w1"], D(2025, 5, 29), org=t["w2c1"]),
        "cap_tren_doi_tuong",
        R262,
    )
    refused(
        lambda: open_case("kiem_tra_chuyen_de", t["w1"], D(2025, 5, 30), org=t["w2c1"]),
        "cap_tren_doi_tuong",
        R296,
    )
    # cell 2 of ward 1 moves to ward 2 on 1/3/2025: ward 1 is its superior before, not after
    org_services.org_move(org=t["w1c2"], parent=t["w2"], on=D(2025, 3, 1), actor=ACTOR)
    assert open_case("giam_sat_chuyen_de", t["w1"], D(2025, 2, 28), org=t["w1c2"]).pk
    refused(
        lambda: open_case("giam_sat_chuyen_de", t["w1"], D(2025, 3, 1), org=t["w1c2"]),
        "cap_tren_doi_tuong",
        R262,
    )
    assert open_case("giam_sat_chuyen_de", t["w2"], D(2025, 3, 1), org=t["w1c2"]).pk


def test_bad_input_is_refused_and_nothing_written(small):
    t = small
    refused_input(
        lambda: svc.case_open(
            kind="kiem_tra",
            conducting_org=t["w1"],
            conducting_body="UBKT",
            starts_on=D(2024, 1, 1),
            topic="x",
            subject_org=t["w1c1"],
            actor=ACTOR,
        ),
        contains="Loại vụ việc",
    )
    refused_input(
        lambda: svc.case_open(
            kind="kiem_tra_dau_hieu",
            conducting_org=t["w1"],
            conducting_body="UBKT",
            starts_on=D(2024, 1, 1),
            topic="x",
            subject_org=t["w1c1"],
            subject_member=t["a"],
            actor=ACTOR,
        ),
        contains="đúng một đối tượng",
    )
    refused_input(
        lambda: svc.case_open(
            kind="kiem_tra_dau_hieu",
            conducting_org=t["w1"],
            conducting_body="UBKT",
            starts_on=D(2024, 1, 1),
            topic="x",
            actor=ACTOR,
        ),
        contains="đúng một đối tượng",
    )
    refused_input(
        lambda: open_case("kiem_tra_dau_hieu", t["w1"], D(2024, 1, 1), org=t["w1c1"], topic=" "),
        contains="nội dung",
    )
    # not yet a member on the start date
    refused_input(
        lambda: open_case("kiem_tra_dau_hieu", t["w1"], D(2024, 1, 1), member=t["p"]),
        contains="không có trong danh sách đảng viên",
    )
    case = open_case("kiem_tra_dau_hieu", t["w1"], D(2024, 1, 10), member=t["a"])
    refused_input(
        lambda: svc.case_add_step(
            case=case, on=D(2024, 1, 9), name="Công bố quyết định", actor=ACTOR
        ),
        contains="trước ngày bắt đầu",
    )
    svc.case_add_step(case=case, on=D(2024, 1, 10), name="Công bố quyết định", actor=ACTOR)
    assert list(case.steps.values_list("name", flat=True)) == ["Công bố quyết định"]
    refused_input(lambda: conclude(case, D(2024, 1, 9), True), contains="trước ngày bắt đầu")
    conclude(case, D(2024, 2, 1), True)
    refused_input(
        lambda: conclude(case, D(2024, 2, 2), False), DomainError, contains="đã có kết luận"
    )
    refused_input(
        lambda: discipline_member(case, "giai_tan", D(2024, 2, 5)), contains="không hợp lệ"
    )
    refused_input(
        lambda: svc.case_discipline_member(
            case=case, form="canh_cao", on=D(2024, 2, 5), decision=None, actor=ACTOR
        ),
        contains="quyết định",
    )
    refused_input(
        lambda: discipline_org(case, "canh_cao", D(2024, 2, 5)), DomainError, contains="đảng viên"
    )
    discipline_member(case, "khien_trach", D(2024, 2, 5))
    refused_input(
        lambda: discipline_member(case, "canh_cao", D(2024, 2, 6)),
        DomainError,
        contains="đã có quyết định kỷ luật",
    )


def test_discipline_only_after_a_conclusion_with_violation(small):
    t = small
    case = open_case("kiem_tra_dau_hieu", t["w1"], D(2024, 3, 1), member=t["a"])
    refused(
        lambda: discipline_member(case, "canh_cao", D(2024, 4, 1)),
        "ket_luan_truoc_ky_luat",
        R22,
        contains="chưa có kết luận",
    )
    clean = open_case("kiem_tra_chuyen_de", t["w1"], D(2024, 3, 1), org=t["w1c1"])
    conclude(clean, D(2024, 4, 1), False)
    refused(
        lambda: discipline_org(clean, "khien_trach", D(2024, 4, 5)),
        "ket_luan_truoc_ky_luat",
        R22,
        contains="không xác định có vi phạm",
    )
    conclude(case, D(2025, 6, 1), True)
    refused(
        lambda: discipline_member(case, "canh_cao", D(2025, 5, 31)),
        "ket_luan_truoc_ky_luat",
        R296,
        contains="trước ngày kết luận",
    )
    assert discipline_member(case, "canh_cao", D(2025, 6, 1)).form == "canh_cao"


def test_dissolution_is_a_discipline_of_any_organization_a_cell_included(small):
    """Điều lệ Đảng art. 35, Quy định 22-QĐ/TW and 296-QĐ/TW: the discipline forms of a party
    organization are reprimand, warning and dissolution, whatever its level."""
    t = small
    case = open_case("kiem_tra_dau_hieu", t["w1"], D(2024, 3, 1), org=t["w1c1"])
    conclude(case, D(2024, 5, 1), True)
    row = discipline_org(case, "giai_tan", D(2024, 5, 10))
    assert (row.form, row.regulation, row.org) == ("giai_tan", R22, t["w1c1"])
    # a base committee (by the city)
    ward = open_case("kiem_tra_dau_hieu", t["city"], D(2025, 6, 1), org=t["w2"])
    conclude(ward, D(2025, 7, 1), True)
    row = discipline_org(ward, "giai_tan", D(2025, 7, 10))
    assert (row.form, row.regulation, row.org) == ("giai_tan", R296, t["w2"])


def test_probationary_member_cannot_be_removed_from_post(small):
    t = small
    case = open_case("kiem_tra_dau_hieu", t["w1"], D(2024, 10, 1), member=t["p"])
    conclude(case, D(2024, 11, 1), True)
    before_events = list(MemberEvent.objects.filter(member=t["p"]).values_list("kind", flat=True))
    err = refused(
        lambda: discipline_member(case, "cach_chuc", D(2024, 11, 10)),
        "ky_luat_du_bi",
        "Quy định 24-QĐ/TW",
        contains="đảng viên dự bị vi phạm chỉ bị kỷ luật khiển trách hoặc cảnh cáo",
    )
    assert "Trần Thị Bình" in str(err)
    assert (
        list(MemberEvent.objects.filter(member=t["p"]).values_list("kind", flat=True))
        == before_events
    )
    event = discipline_member(case, "canh_cao", D(2024, 11, 10))
    assert event.member_id == t["p"].pk and event.form == "canh_cao"


# --- ledger ------------------------------------------------------------------------------
def test_member_discipline_is_a_ledger_event(small):
    t = small
    b = official(t["w1c2"], "Lê Văn Cường")
    warn = open_case("kiem_tra_dau_hieu", t["w1"], D(2024, 2, 1), member=t["a"])
    conclude(warn, D(2024, 3, 1), True)
    dec = decision(D(2024, 3, 15))
    event = svc.case_discipline_member(
        case=warn, form="canh_cao", on=D(2024, 3, 15), decision=dec, actor=ACTOR
    )
    expel = open_case("to_cao", t["city"], D(2024, 5, 1), member=b)
    conclude(expel, D(2024, 6, 1), True)
    discipline_member(expel, "khai_tru", D(2024, 6, 20))

    ledger = list(
        MemberEvent.objects.filter(member=t["a"])
        .order_by("effective_on", "pk")
        .values_list("kind", "effective_on", "form", "decision_id")
    )
    assert ledger[-1] == ("ky_luat", D(2024, 3, 15), "canh_cao", dec.pk)
    assert MemberDisciplineLink.objects.get(case=warn).event_id == event.pk
    t["a"].refresh_from_db()
    b.refresh_from_db()
    assert t["a"].status == MemberStatus.OFFICIAL
    assert b.status == MemberStatus.OUT

    figures = membership_figures(t["w1"], *Y2024, breakdowns=False)
    assert figures["disciplined"] == {
        "khien_trach": 0,
        "canh_cao": 1,
        "cach_chuc": 0,
        "khai_tru": 1,
    }
    assert figures["expelled"] == 1
    # a and b at the start; a and the probationary member admitted in September at the end
    assert (figures["members_start"], figures["members_end"]) == (2, 2)
    mine = inspection_figures(t["w1"], *Y2024)
    assert mine["disciplined_members"] == figures["disciplined"]
    # a reversed discipline leaves both figures
    event_reverse(event=event, reason="Quyết định kỷ luật bị hủy", on=D(2024, 8, 1), actor=ACTOR)
    assert membership_figures(t["w1"], *Y2024, breakdowns=False)["disciplined"]["canh_cao"] == 0
    assert inspection_figures(t["w1"], *Y2024)["disciplined_members"]["canh_cao"] == 0


# --- figures -----------------------------------------------------------------------------
@pytest.fixture
def town(city_tree):
    """City → ward 1 (cells 11, 12), ward 2 (cells 21, 22); members a (cell 11), c (cell 12),
    d (cell 21), all official since 2020.

    c transfers from cell 12 to cell 21 on 1/9/2024; cell 12 moves from ward 1 to ward 2 on
    1/3/2025. Cases (conducting body → subject, start, conclusion, discipline):

    K1 kiểm tra dấu hiệu, ward 1 → a, 1/2/2024, 1/4/2024 violation, a cảnh cáo 15/4/2024
    K2 kiểm tra chuyên đề, ward 1 → cell 11, 1/3/2024, 1/5/2024 no violation
    K3 kiểm tra chuyên đề, city → cell 11, 1/6/2024, open
    K4 giám sát chuyên đề, ward 1 → c, 1/5/2024, 1/10/2024 violation, c khai trừ 15/10/2024
       (c is in cell 21, ward 2, by then)
    K5 giám sát thường xuyên, city → ward 1, 10/1/2024, open
    K6 giám sát thường xuyên, ward 2 → cell 21, 1/2/2024, 1/3/2024 violation, cell 21 khiển trách 10/3/2024
    K7 khiếu nại, city → d, 1/7/2024, 1/8/2024 no violation
    K8 tố cáo, ward 2 → d, 1/11/2024, 10/1/2025 violation, d khiển trách 20/1/2025
    K9 kiểm tra dấu hiệu, ward 1 → cell 12, 1/11/2023, 1/2/2024 violation, cell 12 cảnh cáo 15/2/2024
    K10 kiểm tra dấu hiệu, city → cell 12, 1/4/2025 (cell 12 in ward 2 by then), open
    """
    t = dict(city_tree)
    a = official(t["w1c1"], "Nguyễn Văn An")
    c = official(t["w1c2"], "Phạm Văn Chung")
    d = official(t["w2c1"], "Hoàng Thị Dung")
    city, w1, w2 = t["city"], t["w1"], t["w2"]
    k1 = open_case("kiem_tra_dau_hieu", w1, D(2024, 2, 1), member=a)
    svc.case_add_step(case=k1, on=D(2024, 2, 5), name="Công bố quyết định kiểm tra", actor=ACTOR)
    conclude(k1, D(2024, 4, 1), True)
    discipline_member(k1, "canh_cao", D(2024, 4, 15))
    k2 = open_case(
        "kiem_tra_chuyen_de", w1, D(2024, 3, 1), org=t["w1c1"], topic="Thu, nộp đảng phí"
    )
    conclude(k2, D(2024, 5, 1), False)
    open_case("kiem_tra_chuyen_de", city, D(2024, 6, 1), org=t["w1c1"])
    k4 = open_case("giam_sat_chuyen_de", w1, D(2024, 5, 1), member=c)
    event_record(
        member=c,
        kind=EventKind.TRANSFER,
        effective_on=D(2024, 9, 1),
        from_org=t["w1c2"],
        to_org=t["w2c1"],
        actor=ACTOR,
    )
    conclude(k4, D(2024, 10, 1), True)
    discipline_member(k4, "khai_tru", D(2024, 10, 15))
    open_case("giam_sat_thuong_xuyen", city, D(2024, 1, 10), org=w1)
    k6 = open_case("giam_sat_thuong_xuyen", w2, D(2024, 2, 1), org=t["w2c1"])
    conclude(k6, D(2024, 3, 1), True)
    discipline_org(k6, "khien_trach", D(2024, 3, 10))
    k7 = open_case("khieu_nai", city, D(2024, 7, 1), member=d)
    conclude(k7, D(2024, 8, 1), False)
    k8 = open_case("to_cao", w2, D(2024, 11, 1), member=d)
    conclude(k8, D(2025, 1, 10), True)
    discipline_member(k8, "khien_trach", D(2025, 1, 20))
    k9 = open_case("kiem_tra_dau_hieu", w1, D(2023, 11, 1), org=t["w1c2"])
    conclude(k9, D(2024, 2, 1), True)
    discipline_org(k9, "canh_cao", D(2024, 2, 15))
    org_services.org_move(org=t["w1c2"], parent=w2, on=D(2025, 3, 1), actor=ACTOR)
    k10 = open_case("kiem_tra_dau_hieu", city, D(2025, 4, 1), org=t["w1c2"])
    t.update(a=a, c=c, d=d, k1=k1, k10=k10)
    return t


def expect(
    *,
    inspected=(0, 0),
    supervised=(0, 0),
    by_kind=None,
    received=0,
    handled=0,
    violations=(0, 0),
    orgs=None,
    members=None,
    period=Y2024,
    by_cells=(0, 0, 0),
) -> dict:
    """Expected figures; `by_kind` maps a kind to (orgs, members, cases); `by_cells` is (members
    inspected, members supervised, complaints) by their own cells; everything unnamed is 0."""
    org_forms = {"khien_trach": 0, "canh_cao": 0, "giai_tan": 0, **(orgs or {})}
    member_forms = {
        "khien_trach": 0,
        "canh_cao": 0,
        "cach_chuc": 0,
        "khai_tru": 0,
        **(members or {}),
    }
    kinds = {k: {"orgs": 0, "members": 0, "cases": 0} for k in KINDS}
    for k, (o, m, n) in (by_kind or {}).items():
        kinds[k] = {"orgs": o, "members": m, "cases": n}
    return {
        "from": period[0].isoformat(),
        "to": period[1].isoformat(),
        "inspected_orgs": inspected[0],
        "inspected_members": inspected[1],
        "supervised_orgs": supervised[0],
        "supervised_members": supervised[1],
        "by_kind": kinds,
        "complaints_received": received,
        "complaints_handled": handled,
        "violations_found": violations[0] + violations[1],
        "violations_found_orgs": violations[0],
        "violations_found_members": violations[1],
        "disciplined_orgs": org_forms,
        "disciplined_orgs_total": sum(org_forms.values()),
        "disciplined_members": member_forms,
        "disciplined_members_total": sum(member_forms.values()),
        "cells_inspected_members": by_cells[0],
        "cells_supervised_members": by_cells[1],
        "cells_complaints_received": by_cells[2],
    }


def assert_same(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected)
    for key in expected:
        assert actual[key] == expected[key], key


def test_figures_2024_by_hand(town):
    t = town
    # ward 1: K1 (a), K2 + K3 (cell 11 twice: one organization), K4 (c, in cell 12 when it began),
    # K5 (ward 1 itself); violations concluded in 2024: K1 a, K4 c, K9 cell 12 (began 2023);
    # discipline: cell 12 cảnh cáo (K9), a cảnh cáo (K1); c's expulsion was in cell 21 (ward 2)
    assert_same(
        inspection_figures(t["w1"], *Y2024),
        expect(
            inspected=(1, 1),
            supervised=(1, 1),
            by_kind={
                "kiem_tra_dau_hieu": (0, 1, 1),
                "kiem_tra_chuyen_de": (1, 0, 2),
                "giam_sat_chuyen_de": (0, 1, 1),
                "giam_sat_thuong_xuyen": (1, 0, 1),
            },
            violations=(1, 2),
            orgs={"canh_cao": 1},
            members={"canh_cao": 1},
        ),
    )
    # ward 2: K6 (cell 21), K7 + K8 (d); K7 handled in 2024, K8 in 2025; violation K6;
    # discipline: cell 21 khiển trách, c khai trừ (from cell 21)
    assert_same(
        inspection_figures(t["w2"], *Y2024),
        expect(
            supervised=(1, 0),
            by_kind={
                "giam_sat_thuong_xuyen": (1, 0, 1),
                "khieu_nai": (0, 1, 1),
                "to_cao": (0, 1, 1),
            },
            received=2,
            handled=1,
            violations=(1, 0),
            orgs={"khien_trach": 1},
            members={"khai_tru": 1},
        ),
    )
    # the city: both wards, cell 11 still one organization
    assert_same(
        inspection_figures(t["city"], *Y2024),
        expect(
            inspected=(1, 1),
            supervised=(2, 1),
            by_kind={
                "kiem_tra_dau_hieu": (0, 1, 1),
                "kiem_tra_chuyen_de": (1, 0, 2),
                "giam_sat_chuyen_de": (0, 1, 1),
                "giam_sat_thuong_xuyen": (2, 0, 2),
                "khieu_nai": (0, 1, 1),
                "to_cao": (0, 1, 1),
            },
            received=2,
            handled=1,
            violations=(2, 2),
            orgs={"khien_trach": 1, "canh_cao": 1},
            members={"canh_cao": 1, "khai_tru": 1},
        ),
    )
    # a cell: K2, K3 on cell 11 and K1 on its member a
    assert_same(
        inspection_figures(t["w1c1"], *Y2024),
        expect(
            inspected=(1, 1),
            by_kind={"kiem_tra_dau_hieu": (0, 1, 1), "kiem_tra_chuyen_de": (1, 0, 2)},
            violations=(0, 1),
            members={"canh_cao": 1},
        ),
    )


def test_figures_2025_after_the_move(town):
    t = town
    # K10 on cell 12 after its move: ward 2; K8 concluded and disciplined in 2025: ward 2
    assert_same(inspection_figures(t["w1"], *Y2025), expect(period=Y2025))
    assert_same(
        inspection_figures(t["w2"], *Y2025),
        expect(
            period=Y2025,
            inspected=(1, 0),
            by_kind={"kiem_tra_dau_hieu": (1, 0, 1)},
            handled=1,
            violations=(0, 1),
            members={"khien_trach": 1},
        ),
    )
    assert t["k10"].regulation == R262 and t["k1"].regulation == R22
    # the 2023–2024 figures do not change with the move made since: K9 stays in ward 1
    assert inspection_figures(t["w1"], D(2023, 1, 1), D(2023, 12, 31))["by_kind"][
        "kiem_tra_dau_hieu"
    ] == {"orgs": 1, "members": 0, "cases": 1}
    assert inspection_figures(t["w2"], D(2023, 1, 1), D(2023, 12, 31))["inspected_orgs"] == 0


def test_member_discipline_agrees_with_the_ledger_figures(town):
    t = town
    for org in ("city", "w1", "w2", "w1c1", "w2c1"):
        for period in (Y2024, Y2025):
            ledger = membership_figures(t[org], *period, breakdowns=False)
            mine = inspection_figures(t[org], *period)
            # both against a count of the raw ledger rows, not only against each other
            counted = reference_figures(t[org], *period)
            assert ledger["disciplined"] == counted["disciplined"], (org, period)
            assert mine["disciplined_members"] == counted["disciplined"], (org, period)
            assert mine["disciplined_members"]["khai_tru"] == counted["expelled"]
            assert mine["disciplined_members"] == ledger["disciplined"], (org, period)
            assert mine["disciplined_members"]["khai_tru"] == ledger["expelled"]
    assert membership_figures(t["w2"], *Y2024, breakdowns=False)["expelled"] == 1


def test_figures_refuse_a_reversed_period(city_tree):
    with pytest.raises(InvalidInput):
        inspection_figures(city_tree["city"], D(2024, 2, 1), D(2024, 1, 1))


def test_decision_levels_are_kept(small):
    t = small
    case = open_case("kiem_tra_dau_hieu", t["city"], D(2024, 3, 1), org=t["w1"])
    conclude(case, D(2024, 4, 1), True)
    row = svc.case_discipline_org(
        case=case,
        form="khien_trach",
        on=D(2024, 4, 10),
        decision=provincial_decision("30-QĐ/TU", D(2024, 4, 10)),
        actor=ACTOR,
    )
    assert row.decision.issuer_level == "tinh" and row.regulation == R22
