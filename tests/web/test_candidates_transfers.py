"""The candidates board and the transfers pages: acting through the services, refusals beside
their fields, query counts pinned for two sizes of data."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.figures import membership_figures
from dangbo.membership.admission import candidate_advance, candidate_create
from dangbo.membership.models import Candidate, CandidateStage, MemberStatus, TransferOut
from dangbo.membership.transfers import transfer_send
from tests.conftest import ACTOR, make_person, receive

BOARD_QUERIES = 10
TRANSFERS_QUERIES = 7
RECEIVE_QUERIES = 10
ADVANCE_QUERIES = 6


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2024-06-10")


def _candidates(tree, n: int) -> list[Candidate]:
    out = []
    for _ in range(n):
        c = candidate_create(
            person=make_person(), cell=tree["w1c1"], on=date(2024, 1, 2), actor=ACTOR
        )
        candidate_advance(
            candidate=c, stage=CandidateStage.TRAINED, on=date(2024, 3, 1), actor=ACTOR
        )
        out.append(c)
    return out


def _waiting(tree, n: int) -> list[TransferOut]:
    return [
        transfer_send(
            member=receive(tree["w2c2"], date(2020, 1, 1), admitted=date(2015, 1, 1)),
            to_org=tree["w1"],
            on=date(2024, 5, 2),
            letter_number=f"{i}-GGT/ĐU",
            actor=ACTOR,
        )
        for i in range(n)
    ]


def test_the_board_and_its_query_count(web_world, django_assert_num_queries):
    c = web_world.client(Role.ORGANIZATION)
    url = reverse("web:candidates")
    _candidates(web_world.tree, 1)
    with django_assert_num_queries(BOARD_QUERIES):
        page = c.get(url).content.decode()
    assert "Thẩm tra lý lịch" in page and "Ghi bước tiếp" in page
    _candidates(web_world.tree, 10)
    with django_assert_num_queries(BOARD_QUERIES):
        page = c.get(url).content.decode()
    assert page.count("Ghi bước tiếp") == 11
    # the cell secretary reads the board, without the actions
    page = web_world.client(Role.CELL_SECRETARY).get(url).content.decode()
    assert "Thẩm tra lý lịch" in page and "Ghi bước tiếp" not in page


def test_advancing_a_candidate(web_world):
    (cand,) = _candidates(web_world.tree, 1)
    c = web_world.client(Role.ORGANIZATION)
    url = reverse("web:candidate_advance", kwargs={"pk": cand.pk})
    # the sponsor step needs a sponsor: the service's message beside the field
    response = c.post(url, {"effective_on": "2024-04-01"})
    assert response.status_code == 200
    assert 'id="id_sponsor-errors"' in response.content.decode()
    # a date before the last step: beside the date
    official = receive(web_world.tree["w1c1"], date(2020, 1, 2), admitted=date(2011, 1, 1))
    response = c.post(url, {"effective_on": "2024-02-01", "sponsor": official.pk})
    assert response.status_code == 200
    assert 'id="id_effective_on-errors"' in response.content.decode()
    response = c.post(url, {"effective_on": "2024-04-01", "sponsor": official.pk})
    assert response.status_code == 302
    cand.refresh_from_db()
    assert cand.stage == CandidateStage.SPONSORED and cand.sponsor == official
    assert AuditEntry.objects.filter(action="candidate_advance", actor="tk_organization").exists()
    # stopping the candidate
    response = c.post(url, {"effective_on": "2024-04-02", "stop": "on", "note": "Chuyển nơi ở"})
    assert response.status_code == 302
    cand.refresh_from_db()
    assert cand.stage == CandidateStage.DROPPED


def test_the_transfers_page_and_its_query_count(web_world, django_assert_num_queries):
    c = web_world.client(Role.OFFICE)
    url = reverse("web:transfers")
    _waiting(web_world.tree, 1)
    with django_assert_num_queries(TRANSFERS_QUERIES):
        page = c.get(url).content.decode()
    assert "0-GGT/ĐU" in page
    _waiting(web_world.tree, 8)
    with django_assert_num_queries(TRANSFERS_QUERIES):
        page = c.get(url).content.decode()
    assert page.count(">Tiếp nhận</a>") == 9


def test_receiving_completes_both_sides(web_world):
    (transfer,) = _waiting(web_world.tree, 1)
    tree = web_world.tree
    c = web_world.client(Role.OFFICE)
    url = reverse("web:transfer_receive", kwargs={"pk": transfer.pk})
    page = c.get(url).content.decode()
    assert "Chi bộ TDP 2 phường 1" in page and "Chi bộ TDP 1 phường 2" not in page
    response = c.post(url, {"cell": tree["w1c2"].pk, "on": "2024-04-30"})
    assert response.status_code == 200  # before the day it was sent
    assert 'id="id_on-errors"' in response.content.decode()
    response = c.post(url, {"cell": tree["w1c2"].pk, "on": "2024-05-20"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (
        transfer.received_cell == tree["w1c2"] and transfer.member.status == MemberStatus.OFFICIAL
    )
    year = (date(2024, 1, 1), date(2024, 6, 10))
    assert membership_figures(tree["w1"], *year, breakdowns=False).transferred_in == 1
    assert membership_figures(tree["w2"], *year, breakdowns=False).transferred_out == 1
    assert AuditEntry.objects.filter(action="transfer_receive", actor="tk_office").exists()
    assert ">Tiếp nhận</a>" not in c.get(reverse("web:transfers")).content.decode()


def test_sending_a_member(web_world):
    tree = web_world.tree
    member = receive(tree["w1c1"], date(2020, 1, 1), admitted=date(2012, 1, 1))
    c = web_world.client(Role.OFFICE)
    url = reverse("web:transfer_send", kwargs={"member": member.pk})
    page = c.get(url).content.decode()
    assert "Đảng bộ phường 2" in page and ">Đảng bộ phường 1<" not in page
    response = c.post(url, {"to_org": tree["w2"].pk, "on": "2024-06-03", "letter_number": "7-GGT"})
    assert response.status_code == 302
    transfer = TransferOut.objects.get(member=member)
    assert transfer.to_org == tree["w2"] and transfer.letter_number == "7-GGT"
    response = c.post(url, {"to_org": tree["w2"].pk, "on": "2024-06-04"})
    assert response.status_code == 200  # gone: the service's refusal on the form
    assert "không sinh hoạt ở chi bộ nào" in response.content.decode()


def test_the_form_pages_keep_their_query_counts(web_world, django_assert_num_queries):
    """The receive form lists the receiver's cells, the sponsor step the cell's full
    members: one query each, whatever their number."""
    from dangbo.organizations import services as org_services
    from dangbo.organizations.models import OrgKind

    tree = web_world.tree
    c = web_world.client(Role.OFFICE)
    (transfer,) = _waiting(tree, 1)
    (cand,) = _candidates(tree, 1)
    receive_url = reverse("web:transfer_receive", kwargs={"pk": transfer.pk})
    advance_url = reverse("web:candidate_advance", kwargs={"pk": cand.pk})
    for size in (1, 2):
        with django_assert_num_queries(RECEIVE_QUERIES):
            assert c.get(receive_url).status_code == 200
        with django_assert_num_queries(ADVANCE_QUERIES):
            assert c.get(advance_url).status_code == 200
        for i in range(6):  # more cells under the receiver, more full members in the cell
            org_services.org_found(
                kind=OrgKind.objects.get(code="chi_bo"),
                name=f"Chi bộ mới {size}-{i}",
                code=f"P1-N{size}{i}",
                parent=tree["w1"],
                on=date(2024, 1, 1),
                actor=ACTOR,
            )
            receive(tree["w1c1"], date(2020, 1, 1), admitted=date(2010, 1, 1))
    page = c.get(receive_url).content.decode()
    assert "Chi bộ mới 1-5" in page
