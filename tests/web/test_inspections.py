"""The inspection pages: a case opened, stepped, concluded and disciplined in the browser's
forms (a member's discipline lands in the ledger), refusals beside their fields, the
inspection committee's view, scope, and pinned query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.inspections.models import Case
from dangbo.inspections.services import case_open
from dangbo.membership.models import EventKind, MemberEvent
from tests.conftest import ACTOR

BODY = "Ủy ban Kiểm tra Đảng ủy phường 1"


def _text(r) -> str:
    return r.content.decode()


def test_a_case_from_opening_to_the_members_discipline(web_world):
    c = web_world.client(Role.INSPECTION)
    w1, member = web_world.tree["w1"], web_world.member_in
    r = c.post(
        reverse("web:inspection_case_open"),
        {
            "kind": "kiem_tra_dau_hieu",
            "conducting_org": w1.pk,
            "conducting_body": BODY,
            "subject_member": member.pk,
            "topic": "Kiểm tra dấu hiệu vi phạm trong kê khai tài sản",
            "starts_on": "2024-06-01",
            "ends_on": "2024-07-31",
        },
    )
    assert r.status_code == 302, _text(r)
    case = Case.objects.get()
    page = reverse("web:inspection_case", args=[case.pk])
    assert r["Location"] == page
    step = reverse("web:inspection_case_step", args=[case.pk])
    assert c.post(step, {"on": "2024-06-05", "name": "Thông báo quyết định"}).status_code == 302
    # a discipline before the conclusion is refused, nothing written
    discipline = reverse("web:inspection_case_discipline", args=[case.pk])
    data = {
        "form": "khien_trach",
        "on": "2024-08-10",
        "number": "12-QĐ/UBKT",
        "issuer": BODY,
        "issuer_level": "co_so",
    }
    r = c.post(discipline, data)
    assert r.status_code == 200 and "errorlist" in _text(r)
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.DISCIPLINE).exists()
    conclude = reverse("web:inspection_case_conclude", args=[case.pk])
    r = c.post(
        conclude,
        {
            "on": "2024-07-20",
            "violation_found": "1",
            "conclusion": "Có vi phạm, kê khai không trung thực.",
            "violation_on": "2024-03-01",
        },
    )
    assert r.status_code == 302, _text(r)
    r = c.post(discipline, data)
    assert r.status_code == 302, _text(r)
    event = MemberEvent.objects.get(member=member, kind=EventKind.DISCIPLINE)
    assert event.effective_on == date(2024, 8, 10) and event.form == "khien_trach"
    html = _text(c.get(page))
    assert "Khiển trách" in html and "Thông báo quyết định" in html and "có vi phạm" in html
    # the list and the committee's view
    listing = _text(c.get(reverse("web:inspections") + "?nhom=kiem_tra&tt=ket_luan"))
    assert "kê khai tài sản" in listing and "Khiển trách" in listing
    assert "kê khai tài sản" not in _text(c.get(reverse("web:inspections") + "?nhom=giam_sat"))
    committee = _text(c.get(reverse("web:inspection_committee") + f"?org={w1.pk}&nam=2024"))
    assert "<strong>1</strong> đảng viên" in committee


def test_refusals_show_beside_their_fields(web_world):
    c = web_world.client(Role.INSPECTION)
    cell = web_world.org_in
    r = c.post(
        reverse("web:inspection_case_open"),
        {
            "kind": "kiem_tra_chuyen_de",
            "conducting_org": cell.pk,
            "conducting_body": "Chi bộ",
            "subject_org": web_world.tree["w1c2"].pk,
            "topic": "Một chi bộ không kiểm tra chi bộ khác",
            "starts_on": "2024-06-01",
        },
    )
    assert r.status_code == 200 and "errorlist" in _text(r)
    r = c.post(
        reverse("web:inspection_case_open"),
        {
            "kind": "kiem_tra_chuyen_de",
            "conducting_org": cell.pk,
            "conducting_body": "Chi bộ",
            "topic": "Không có đối tượng",
            "starts_on": "2024-06-01",
        },
    )
    assert "Cần chỉ rõ đúng một đối tượng" in _text(r)
    assert not Case.objects.exists()


def _open(world, n: int) -> None:
    for i in range(n):
        case_open(
            kind="giam_sat_chuyen_de",
            conducting_org=world.tree["w1"],
            conducting_body=BODY,
            subject_org=world.tree["w1c1"] if i % 2 else None,
            subject_member=None if i % 2 else world.member_in,
            starts_on=date(2024, 1, 1 + i),
            topic=f"Giám sát chuyên đề {i}",
            actor=ACTOR,
        )


@pytest.mark.parametrize("n", [1, 8])
def test_query_counts(web_world, n, django_assert_num_queries):
    _open(web_world, n)
    c = web_world.client(Role.LEADERSHIP)
    case = Case.objects.first()
    assert case is not None
    with django_assert_num_queries(9):
        c.get(reverse("web:inspections"))
    with django_assert_num_queries(9):
        c.get(reverse("web:inspection_case", args=[case.pk]))


def test_a_cell_secretary_sees_cases_of_the_own_cell_only(web_world):
    _open(web_world, 2)
    case_open(
        kind="kiem_tra_dau_hieu",
        conducting_org=web_world.org_out,
        conducting_body="Chi bộ",
        subject_member=web_world.member_out,
        starts_on=date(2024, 6, 1),
        topic="Vụ việc của phường khác",
        actor=ACTOR,
    )
    c = web_world.client(Role.CELL_SECRETARY)
    html = _text(c.get(reverse("web:inspections")))
    assert "Giám sát chuyên đề 0" in html and "phường khác" not in html
    other = Case.objects.get(topic="Vụ việc của phường khác")
    assert c.get(reverse("web:inspection_case", args=[other.pk])).status_code == 404
