"""Ledger writes from form values: the edit-conflict guard and the cells' proposals."""

from __future__ import annotations

from datetime import date as D

import pytest

from dangbo.core.errors import DomainError, InvalidInput, LedgerError, RuleViolation
from dangbo.core.models import AuditEntry
from dangbo.membership.edits import (
    EditConflict,
    event_check,
    event_record_fields,
    event_reverse_checked,
    member_version,
)
from dangbo.membership.error_codes import MembershipRule
from dangbo.membership.models import EventKind, EventProposal, MemberEvent, ProposalStatus
from dangbo.membership.proposals import (
    pending_proposals,
    proposal_confirm,
    proposal_create,
    proposal_reject,
)
from tests.conftest import admit

ACTOR = "van_phong"


def recognition(on: str = "2022-01-10", **extra):
    return {"effective_on": on, **extra}


def test_fields_record_the_event_with_its_decision(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    event = event_record_fields(
        member=m,
        kind=EventKind.RECOGNITION,
        fields=recognition(
            decision={"number": "7-QĐ/ĐU", "issued_on": "2022-01-05", "issuer": "Đảng ủy phường"}
        ),
        actor=ACTOR,
    )
    assert event.kind == EventKind.RECOGNITION
    assert event.decision is not None and event.decision.number == "7-QĐ/ĐU"
    assert m.status == "chinh_thuc"


def test_a_rule_violation_names_the_field_and_writes_nothing(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    before = MemberEvent.objects.count()
    with pytest.raises(RuleViolation) as exc:
        event_record_fields(
            member=m,
            kind=EventKind.RECOGNITION,
            fields=recognition(
                "2022-02-01",
                decision={"number": "8-QĐ/ĐU", "issued_on": "2022-01-05", "issuer": "Đảng ủy"},
            ),
            actor=ACTOR,
        )
    assert exc.value.field == "effective_on"
    assert exc.value.violations[0].rule == MembershipRule.NGAY_CHINH_THUC
    assert MemberEvent.objects.count() == before
    from dangbo.core.models import Decision

    assert not Decision.objects.filter(number="8-QĐ/ĐU").exists()


def test_an_exception_decision_waives_the_rule(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    event = event_record_fields(
        member=m,
        kind=EventKind.RECOGNITION,
        fields=recognition(
            "2022-02-01",
            exception_decision={
                "number": "1-QĐ/TU",
                "issued_on": "2022-01-20",
                "issuer": "Thành ủy",
                "issuer_level": "tinh",
            },
        ),
        actor=ACTOR,
    )
    assert event.waived_rules == [MembershipRule.NGAY_CHINH_THUC]


def test_the_second_clerk_gets_a_conflict_not_a_lost_update(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    shown = member_version(m.pk)  # both clerks open the form
    event_record_fields(
        member=m,
        kind=EventKind.TRANSFER,
        fields={
            "effective_on": "2021-06-01",
            "from_org": city_tree["w1c1"].pk,
            "to_org": city_tree["w1c2"].pk,
        },
        actor="clerk_a",
        version=shown,
    )
    count = MemberEvent.objects.count()
    with pytest.raises(EditConflict) as exc:
        event_record_fields(
            member=m,
            kind=EventKind.TRANSFER,
            fields={
                "effective_on": "2021-06-02",
                "from_org": city_tree["w1c1"].pk,
                "to_org": city_tree["w2c1"].pk,
            },
            actor="clerk_b",
            version=shown,
        )
    assert "clerk_a" in exc.value.message and "chưa có gì được ghi" in exc.value.message
    assert MemberEvent.objects.count() == count
    with pytest.raises(EditConflict):
        event_reverse_checked(
            event=MemberEvent.objects.filter(member=m).latest("pk"),
            reason="ghi nhầm",
            on=D(2021, 7, 1),
            actor="clerk_b",
            version=shown,
        )
    assert member_version(m.pk) > shown


def test_the_version_grows_with_a_reversal(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    v = member_version(m.pk)
    event = event_record_fields(
        member=m,
        kind=EventKind.EXEMPTION,
        fields={"effective_on": "2021-03-01"},
        actor=ACTOR,
        version=v,
    )
    v2 = member_version(m.pk)
    event_reverse_checked(
        event=event, reason="nhầm người", on=D(2021, 3, 2), actor=ACTOR, version=v2
    )
    assert member_version(m.pk) > v2
    m.refresh_from_db()
    assert m.exempt is False


def test_bad_values_name_their_field(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    with pytest.raises(InvalidInput) as exc:
        event_check(member=m, kind=EventKind.CARD, fields={"effective_on": ""})
    assert exc.value.field == "effective_on"
    with pytest.raises(InvalidInput) as exc:
        event_check(member=m, kind=EventKind.REVERSAL, fields={"effective_on": "2021-03-01"})
    assert exc.value.field == "kind"
    with pytest.raises(LedgerError) as exc2:
        event_check(
            member=m,
            kind=EventKind.TRANSFER,
            fields={
                "effective_on": "2021-03-01",
                "from_org": city_tree["w1c1"].pk,
                "to_org": city_tree["w1c1"].pk,
            },
        )
    assert exc2.value.field == "to_org"


def test_a_proposal_waits_then_confirming_records_the_event(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    events = MemberEvent.objects.count()
    p = proposal_create(
        member=m,
        kind=EventKind.RECOGNITION,
        fields=recognition(),
        proposer="bi_thu",
        note="đủ điều kiện",
    )
    assert MemberEvent.objects.count() == events
    assert list(pending_proposals(cell_ids=[city_tree["w1c1"].pk])) == [p]
    assert list(pending_proposals(cell_ids=[city_tree["w2c1"].pk])) == []
    assert AuditEntry.objects.filter(action="proposal_create", object_id=str(p.pk)).exists()
    event = proposal_confirm(proposal=p, actor="van_phong")
    assert p.status == ProposalStatus.CONFIRMED and p.event == event and p.decided_by == "van_phong"
    assert event.kind == EventKind.RECOGNITION and event.actor == "van_phong"
    assert AuditEntry.objects.filter(action="proposal_confirm", object_id=str(p.pk)).exists()
    with pytest.raises(DomainError, match="đã được xử lý"):
        proposal_confirm(proposal=p, actor="van_phong_2")
    assert list(pending_proposals(member=m)) == []


def test_a_proposal_breaking_a_rule_is_refused_when_made(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    with pytest.raises(RuleViolation) as exc:
        proposal_create(
            member=m, kind=EventKind.RECOGNITION, fields=recognition("2022-03-01"), proposer="bt"
        )
    assert exc.value.field == "effective_on"
    assert not EventProposal.objects.exists()
    with pytest.raises(InvalidInput):
        proposal_create(member=m, kind=EventKind.ADMISSION, fields=recognition(), proposer="bt")


def test_confirming_checks_the_rules_again_and_leaves_the_proposal_pending(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    p = proposal_create(
        member=m, kind=EventKind.EXEMPTION, fields={"effective_on": "2021-05-01"}, proposer="bt"
    )
    event_record_fields(
        member=m, kind=EventKind.EXEMPTION, fields={"effective_on": "2021-04-01"}, actor=ACTOR
    )
    with pytest.raises(LedgerError):
        proposal_confirm(proposal=p, actor=ACTOR)
    p.refresh_from_db()
    assert p.status == ProposalStatus.PENDING and p.event is None


def test_rejecting_needs_a_reason_and_keeps_it(city_tree):
    m = admit(city_tree["w1c1"], D(2021, 1, 10))
    p = proposal_create(
        member=m, kind=EventKind.EXEMPTION, fields={"effective_on": "2021-05-01"}, proposer="bt"
    )
    with pytest.raises(InvalidInput) as exc:
        proposal_reject(proposal=p, reason=" ", actor=ACTOR)
    assert exc.value.field == "reason"
    proposal_reject(proposal=p, reason="chưa đủ hồ sơ", actor=ACTOR)
    assert p.status == ProposalStatus.REJECTED and p.reason == "chưa đủ hồ sơ"
    assert AuditEntry.objects.filter(action="proposal_reject").exists()
    with pytest.raises(DomainError):
        proposal_confirm(proposal=p, actor=ACTOR)
