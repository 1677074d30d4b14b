"""The congress pages: the plan with the roll from the register, elections with the surplus
rule, ballot rounds computed live, the approval and the overview with the report's
paragraph."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.congresses.models import BallotRound, CommitteeSeat, Congress, Election, SeatStatus
from dangbo.congresses.voting import ballot_round_record, election_open
from dangbo.core.models import Decision
from dangbo.membership.models import EventKind
from tests.conftest import ACTOR, admit, record
from tests.web.matrix.congresses import cell_congress

D = date


def text(response) -> str:
    return response.content.decode()


def full_members(cell, n: int, start: int = 0) -> list:
    out = []
    for i in range(n):
        m = admit(cell, D(2020, 2, 1 + start + i), name=f"Thành viên {start + i + 1}")
        record(m, EventKind.RECOGNITION, D(2021, 2, 1 + start + i))
        out.append(m)
    return out


# --- the plan ---------------------------------------------------------------------------------


def test_plan_shows_the_roll_with_who_is_left_out_and_why(web_world):
    cell = web_world.org_in
    members = full_members(cell, 3)
    record(members[0], EventKind.EXEMPTION, D(2025, 1, 10))
    client = web_world.client(Role.OFFICE)
    r = client.get(reverse("web:congress_new"), {"org": cell.pk, "on": "2026-03-10"})
    assert r.status_code == 200
    page = text(r)
    assert 'id="roll-summoned">3<' in page  # the probationary member_in is listed apart
    assert "Miễn công tác và sinh hoạt đảng" in page
    assert "Thành viên 1" in page and "không biểu quyết" in page
    assert 'name="absent_exempt" value="1"' in page
    fragment = client.get(
        reverse("web:congress_new"), {"org": cell.pk, "on": "2024-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in text(fragment) and 'id="roll-summoned">3<' in text(fragment)


def test_plan_records_the_congress(web_world):
    cell = web_world.org_in
    full_members(cell, 3)
    client = web_world.client(Role.OFFICE)
    data = {
        "kind": "all_member",
        "term_label": "2026–2028",
        "starts_on": "2026-03-10",
        "summoned": 3,
        "present": 3,
        "documents": "Báo cáo chính trị\nBáo cáo kiểm điểm",
    }
    for name in ("temporarily_elsewhere", "absent_exempt", "suspended_detained"):
        data[name] = 0
    for name in ("absent_approved", "absent_delegates_no_substitute"):
        data[name] = 0
    data["absent_convening_committee"] = 0
    r = client.post(f"{reverse('web:congress_new')}?org={cell.pk}", data)
    congress = Congress.objects.get(org=cell)
    assert r.status_code == 302 and r.url == reverse("web:congress", args=[congress.pk])
    assert congress.documents[0] == {"title": "Báo cáo chính trị", "adopted": True}
    page = text(client.get(r.url))
    assert "2026–2028" in page and "Số phiếu cần để trúng cử" in page


def test_plan_refusal_beside_its_field_nothing_written(web_world):
    cell = web_world.org_in
    client = web_world.client(Role.OFFICE)
    data = {
        "kind": "all_member",
        "term_label": "2026–2028",
        "starts_on": "2026-03-10",
        "summoned": 3,
        "present": 4,
        "temporarily_elsewhere": 0,
        "absent_exempt": 0,
        "suspended_detained": 0,
        "absent_approved": 0,
        "absent_delegates_no_substitute": 0,
        "absent_convening_committee": 0,
    }
    r = client.post(f"{reverse('web:congress_new')}?org={cell.pk}", data)
    assert r.status_code == 200
    assert "Số có mặt (4) không được vượt" in text(r)
    assert r.context["form"].errors["present"]
    assert not Congress.objects.exists()


def test_plan_of_an_organization_out_of_scope_is_404(web_world):
    client = web_world.client(Role.OFFICE)
    r = client.get(reverse("web:congress_new"), {"org": web_world.org_out.pk})
    assert r.status_code == 404


# --- elections --------------------------------------------------------------------------------


def test_election_surplus_rule_live_and_enforced(web_world):
    congress, people = cell_congress(web_world.org_in, members=5)
    client = web_world.client(Role.OFFICE)
    url = reverse("web:election_new", args=[congress.pk])
    picks = [str(p.pk) for p in people[:3]]
    live = client.post(url, {"preview": "1", "what": "deputy", "seats": "1", "candidates": picks})
    assert "tối đa <strong>2</strong> người" in text(live)
    assert "danh sách có 3 người" in text(live)
    r = client.post(url, {"what": "deputy", "seats": "1", "candidates": picks})
    assert r.status_code == 200 and "danh sách có 3 người" in text(r)
    assert not Election.objects.exists()
    r = client.post(url, {"what": "deputy", "seats": "1", "candidates": picks[:2]})
    assert r.status_code == 302
    assert Election.objects.get().candidates.count() == 2


def test_floor_nominations_with_the_agreement_rule_beside_the_field(web_world):
    """190-QĐ/TW: a person not proposed by the committee — nominated at the congress or
    standing themselves — is listed only with more than 30% of those present agreeing."""
    congress, people = cell_congress(web_world.org_in, members=5)
    client = web_world.client(Role.OFFICE)
    url = reverse("web:election_new", args=[congress.pk])
    page = text(client.get(url))
    assert 'name="nominee_1_person"' in page and "Tự ứng cử" in page and "trên 30%" in page
    body = {
        "what": "deputy",
        "seats": "1",
        "candidates": [str(people[0].pk)],
        "nominee_1_person": str(people[1].pk),
        "nominee_1_by": "self",
        "nominee_1_pct": "25",
    }
    live = text(client.post(url, {**body, "preview": "1"}))
    assert "danh sách đang có" in live.lower() or "Danh sách đang có" in live
    assert "chỉ được 25%" in live
    refused = text(client.post(url, body))
    assert 'id="id_nominee_1_pct-errors"' in refused and "chỉ được 25%" in refused
    twice = text(client.post(url, {**body, "nominee_1_person": str(people[0].pk)}))
    assert 'id="id_nominee_1_person-errors"' in twice
    assert not Election.objects.exists()

    r = client.post(url, {**body, "nominee_1_pct": "40"})
    assert r.status_code == 302
    rows = list(
        Election.objects.get()
        .candidates.order_by("pk")
        .values_list("person_id", "proposed_by", "nominee_agreement_pct")
    )
    assert rows == [(people[0].pk, "committee", None), (people[1].pk, "self", 40)]


def test_round_live_threshold_and_winners(web_world):
    congress, people = cell_congress(web_world.org_in, members=5)
    election = election_open(
        congress=congress, what="secretary", seats=1, candidates=people[:2], actor=ACTOR
    )
    a, b = election.candidates.order_by("pk")
    client = web_world.client(Role.OFFICE)
    url = reverse("web:ballot_round", args=[election.pk])
    page = text(client.get(url))
    assert 'id="votes-needed">3<' in page
    live = client.post(
        url,
        {
            "preview": "1",
            "issued": 5,
            "cast": 5,
            "valid": 5,
            "invalid": 0,
            f"votes_{a.pk}": 4,
            f"votes_{b.pk}": 1,
        },
    )
    assert "Trúng cử: Đảng viên" in text(live)
    bad = client.post(
        url,
        {"preview": "1", "issued": 5, "cast": 6, "valid": 5, "invalid": 0},
    )
    assert "không được vượt số phiếu phát ra" in text(bad)


def test_two_rounds_then_approval(web_world):
    congress, people = cell_congress(web_world.org_in, members=5)
    election = election_open(
        congress=congress, what="secretary", seats=1, candidates=people[:2], actor=ACTOR
    )
    a, b = election.candidates.order_by("pk")
    client = web_world.client(Role.OFFICE)
    url = reverse("web:ballot_round", args=[election.pk])
    base = {"issued": 5, "cast": 5, "valid": 5, "invalid": 0, "held_on": "2026-03-10"}
    r = client.post(url, {**base, f"votes_{a.pk}": 2, f"votes_{b.pk}": 2})
    assert r.status_code == 302
    page = text(client.get(reverse("web:congress", args=[congress.pk])))
    assert "Chưa đủ số lượng, cần bầu tiếp" in page and "Ghi lần bầu tiếp theo" in page
    r = client.post(url, {**base, f"votes_{a.pk}": 6, f"votes_{b.pk}": 1})
    assert r.status_code == 200 and "vượt số phiếu hợp lệ" in text(r)
    assert BallotRound.objects.count() == 1
    r = client.post(url, {**base, f"votes_{a.pk}": 4, f"votes_{b.pk}": 1})
    assert r.status_code == 302
    assert election.candidates.get(pk=a.pk).elected_in_round == 2
    approve = reverse("web:congress_approve", args=[congress.pk])
    decision = {
        "number": "15-QĐ/ĐU",
        "issued_on": "2026-03-20",
        "issuer": "Đảng ủy phường 1",
        "issuer_level": "co_so",
        "on": "2026-03-01",
    }
    r = client.post(approve, decision)
    assert r.status_code == 200 and "errorlist" in text(r)
    assert not Decision.objects.filter(number="15-QĐ/ĐU").exists()
    r = client.post(approve, {**decision, "on": "2026-03-20"})
    assert r.status_code == 302
    seat = CommitteeSeat.objects.get(org=congress.org)
    assert seat.status == SeatStatus.APPROVED and seat.person_id == people[0].pk


def test_congress_page_and_overview_paragraph(web_world):
    congress, people = cell_congress(web_world.org_in, members=5)
    election = election_open(
        congress=congress, what="secretary", seats=1, candidates=people[:2], actor=ACTOR
    )
    a, b = election.candidates.order_by("pk")
    ballot_round_record(
        election=election, issued=5, cast=5, valid=5, invalid=0, votes={a: 4, b: 1}, actor=ACTOR
    )
    client = web_world.client(Role.LEADERSHIP)
    page = text(client.get(reverse("web:congress", args=[congress.pk])))
    assert "Đã bầu đủ số lượng" in page and "Mở cuộc bầu cử" not in page
    r = client.get(reverse("web:congresses"), {"from": "2026-01-01", "to": "2026-12-31"})
    page = text(r)
    assert "Có 1/1 chi bộ tổ chức đại hội nhiệm kỳ 2026–2028" in page
    assert "Bầu 01 đồng chí bí thư" in page
    assert "Chi bộ TDP 1 phường 1" in page


# --- query counts -----------------------------------------------------------------------------


def _grow(world, n: int) -> None:
    for i, cell in enumerate(("w1c1", "w1c2")[:n]):
        congress, people = cell_congress(world.tree[cell], members=3, label=f"2026–202{8 + i}")
        election = election_open(
            congress=congress, what="secretary", seats=1, candidates=people[:1], actor=ACTOR
        )
        ballot_round_record(
            election=election,
            issued=3,
            cast=3,
            valid=3,
            invalid=0,
            votes={people[0]: 3},
            actor=ACTOR,
        )


@pytest.mark.parametrize("size", [1, 2])
def test_overview_queries(web_world, size, django_assert_num_queries):
    _grow(web_world, size)
    client = web_world.client(Role.OFFICE)
    client.get(reverse("web:home"))
    with django_assert_num_queries(QUERIES["overview"]):
        r = client.get(reverse("web:congresses"), {"from": "2026-01-01", "to": "2026-12-31"})
    assert r.status_code == 200


@pytest.mark.parametrize("size", [1, 2])
def test_congress_page_queries(web_world, size, django_assert_num_queries):
    congress, people = cell_congress(web_world.org_in, members=3)
    for what in ("secretary", "deputy")[:size]:
        election = election_open(
            congress=congress, what=what, seats=1, candidates=people[:2], actor=ACTOR
        )
    client = web_world.client(Role.OFFICE)
    client.get(reverse("web:home"))
    with django_assert_num_queries(QUERIES[f"congress{size}"]):
        r = client.get(reverse("web:congress", args=[congress.pk]))
    assert r.status_code == 200 and election.get_what_display() in text(r)


#: The overview is flat in the data; a congress's page reads each election apart (a
#: congress holds a handful).
QUERIES = {"overview": 15, "congress1": 14, "congress2": 19}


def test_overview_ages_and_default_period(web_world):
    congress, people = cell_congress(web_world.org_in, members=3)
    election = election_open(
        congress=congress, what="secretary", seats=1, candidates=people[:1], actor=ACTOR
    )
    ballot_round_record(
        election=election, issued=3, cast=3, valid=3, invalid=0, votes={people[0]: 3}, actor=ACTOR
    )
    r = web_world.client(Role.OFFICE).get(reverse("web:congresses"))
    assert r.context["start"] == D(2026, 1, 1)  # the year of the latest congress
    assert r.context["ages"]["average"] == "40,0"  # born 15/6/1985, elected 10/3/2026
    assert [b["ratio"] for b in r.context["ages"]["bands"]] == ["0/1", "1/1", "0/1"]


# --- further rounds: stop, appointment --------------------------------------------------------


def test_stop_an_election_after_a_round_short_of_seats(web_world):
    congress, people = cell_congress(web_world.org_in, members=5)
    election = election_open(
        congress=congress, what="deputy", seats=1, candidates=people[:2], actor=ACTOR
    )
    a, b = election.candidates.order_by("pk")
    client = web_world.client(Role.OFFICE)
    url = reverse("web:election_stop", args=[election.pk])
    r = client.post(url, {"confirm": "on"})
    assert r.status_code == 200 and "Chỉ dừng bầu sau ít nhất một lần bầu" in text(r)
    ballot_round_record(
        election=election, issued=5, cast=5, valid=5, invalid=0, votes={a: 2, b: 2}, actor=ACTOR
    )
    page = text(client.get(reverse("web:congress", args=[congress.pk])))
    assert url in page
    assert client.post(url, {"confirm": "on"}).status_code == 302
    election.refresh_from_db()
    assert election.stopped


def test_appoint_the_cell_secretary_after_three_failed_rounds(web_world):
    congress, people = cell_congress(web_world.org_in, members=5)
    election = election_open(
        congress=congress, what="secretary", seats=1, candidates=people[:2], actor=ACTOR
    )
    a, b = election.candidates.order_by("pk")
    for _ in range(3):
        ballot_round_record(
            election=election,
            issued=5,
            cast=5,
            valid=5,
            invalid=0,
            votes={a: 2, b: 2},
            actor=ACTOR,
        )
    client = web_world.client(Role.OFFICE)
    url = reverse("web:secretary_appoint", args=[election.pk])
    page = text(client.get(reverse("web:congress", args=[congress.pk])))
    assert "Chờ cấp ủy cấp trên chỉ định" in page and url in page
    data = {
        "person": people[2].pk,
        "number": "30-QĐ/ĐU",
        "issued_on": "2026-03-15",
        "issuer": "Đảng ủy phường 1",
        "issuer_level": "co_so",
        "on": "2026-03-01",
    }
    r = client.post(url, data)
    assert r.status_code == 200 and r.context["form"].errors["on"]
    assert not Decision.objects.filter(number="30-QĐ/ĐU").exists()
    assert client.post(url, {**data, "on": "2026-03-15"}).status_code == 302
    seat = CommitteeSeat.objects.get(org=congress.org)
    assert seat.person_id == people[2].pk and seat.status == SeatStatus.APPROVED
    assert "Cấp ủy cấp trên chỉ định" in text(
        client.get(reverse("web:congress", args=[congress.pk]))
    )
