"""Transfers between organizations of the system: sent by one ward, received by another, each
side's figures on its own date (compared with the independent count of tests/reference.py)."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.dates import add_months
from dangbo.core.errors import DomainError, InvalidInput
from dangbo.figures import identity_gap, membership_figures
from dangbo.membership.events import event_reverse
from dangbo.membership.models import EventKind, MemberStatus, TransferStatus
from dangbo.membership.transfers import transfer_receive, transfer_send, transfers_waiting
from tests.conftest import ACTOR, admit, receive, record
from tests.reference import assert_same_as_reference

SENT = date(2024, 3, 4)
RECEIVED = date(2024, 3, 25)


@pytest.fixture
def sent(city_tree):
    member = receive(city_tree["w1c1"], date(2019, 1, 1), admitted=date(2010, 5, 1))
    receive(city_tree["w1c1"], date(2019, 1, 1), admitted=date(2011, 5, 1))
    transfer = transfer_send(
        member=member, to_org=city_tree["w2"], on=SENT, letter_number="15-GGT/ĐU", actor=ACTOR
    )
    return member, transfer


def _flows(org, start, end):
    f = membership_figures(org, start, end, breakdowns=False)
    assert identity_gap(f) == 0
    assert_same_as_reference(f, org, start, end)
    return f


def test_send_leaves_the_sender_and_waits_at_the_receiver(city_tree, sent):
    member, transfer = sent
    member.refresh_from_db()
    assert member.status == MemberStatus.OUT and member.out_reason == "chuyen_di"
    assert transfer.status == TransferStatus.PENDING
    assert transfer.out_event.kind == EventKind.TRANSFER
    assert transfer.out_event.from_org_id == city_tree["w1c1"].pk
    assert transfer.out_event.to_org_id is None
    assert list(transfers_waiting([city_tree["w2"].pk])) == [transfer]
    assert list(transfers_waiting([city_tree["w1"].pk])) == []


def test_receive_completes_both_sides_each_on_its_own_date(city_tree, sent):
    member, transfer = sent
    anchor = member.party_anchor
    transfer_receive(transfer=transfer, cell=city_tree["w2c2"], on=RECEIVED, actor=ACTOR)
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert member.cell_id == city_tree["w2c2"].pk
    assert member.party_anchor == anchor
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED
    assert transfer.received_on == RECEIVED and transfer.received_cell == city_tree["w2c2"]
    assert list(transfers_waiting([city_tree["w2"].pk])) == []

    year = (date(2024, 1, 1), date(2024, 12, 31))
    w1, w2 = _flows(city_tree["w1"], *year), _flows(city_tree["w2"], *year)
    assert (w1.members_start, w1.transferred_out, w1.transferred_in, w1.members_end) == (2, 1, 0, 1)
    assert (w2.members_start, w2.transferred_in, w2.transferred_out, w2.members_end) == (0, 1, 0, 1)
    # each side on its own date: between the two days only the sender has moved
    between = (date(2024, 3, 4), date(2024, 3, 24))
    assert _flows(city_tree["w1"], *between).transferred_out == 1
    assert _flows(city_tree["w2"], *between).transferred_in == 0
    after = (date(2024, 3, 25), date(2024, 3, 31))
    assert _flows(city_tree["w1"], *after).transferred_out == 0
    assert _flows(city_tree["w2"], *after).transferred_in == 1
    # the city counts the member out and back in (in no stock while the letter travels)
    city = _flows(city_tree["city"], *year)
    assert (city.transferred_out, city.transferred_in, city.members_end) == (1, 1, 2)
    assert (
        membership_figures(city_tree["city"], date(2024, 3, 10), date(2024, 3, 10)).members_end == 1
    )


def test_a_probationary_member_keeps_the_probation(city_tree):
    member = admit(city_tree["w1c2"], date(2023, 9, 1))
    transfer = transfer_send(member=member, to_org=city_tree["w2"], on=SENT, actor=ACTOR)
    transfer_receive(transfer=transfer, cell=city_tree["w2c1"], on=RECEIVED, actor=ACTOR)
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY
    record(member, EventKind.RECOGNITION, add_months(date(2023, 9, 1), 12))
    assert member.status == MemberStatus.OFFICIAL


def test_refusals(city_tree, sent):
    member, transfer = sent
    other = receive(city_tree["w1c2"], date(2019, 1, 1), admitted=date(2012, 1, 1))
    with pytest.raises(InvalidInput) as exc:
        transfer_send(member=other, to_org=city_tree["w2c1"], on=SENT, actor=ACTOR)
    assert exc.value.field == "to_org"
    with pytest.raises(DomainError) as exc:
        transfer_send(member=other, to_org=city_tree["w1"], on=SENT, actor=ACTOR)
    assert "nội bộ" in exc.value.message
    with pytest.raises(DomainError):  # already gone
        transfer_send(member=member, to_org=city_tree["w2"], on=RECEIVED, actor=ACTOR)
    with pytest.raises(InvalidInput) as exc:
        transfer_receive(transfer=transfer, cell=city_tree["w1c2"], on=RECEIVED, actor=ACTOR)
    assert exc.value.field == "cell"
    with pytest.raises(InvalidInput) as exc:
        transfer_receive(
            transfer=transfer, cell=city_tree["w2c1"], on=date(2024, 3, 1), actor=ACTOR
        )
    assert exc.value.field == "on"
    transfer_receive(transfer=transfer, cell=city_tree["w2c1"], on=RECEIVED, actor=ACTOR)
    with pytest.raises(DomainError):
        transfer_receive(transfer=transfer, cell=city_tree["w2c1"], on=RECEIVED, actor=ACTOR)


def test_a_reversed_transfer_is_no_longer_waiting(city_tree, sent):
    member, transfer = sent
    event_reverse(event=transfer.out_event, reason="Ghi nhầm", on=date(2024, 3, 5), actor=ACTOR)
    assert list(transfers_waiting([city_tree["w2"].pk])) == []
    with pytest.raises(DomainError):
        transfer_receive(transfer=transfer, cell=city_tree["w2c1"], on=RECEIVED, actor=ACTOR)
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL and member.cell_id == city_tree["w1c1"].pk
