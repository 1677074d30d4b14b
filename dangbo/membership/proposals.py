"""A cell's proposals: an event proposed for a member, waiting for the office to confirm it.

A proposal is checked against the member's history and the rules when it is made (so the
cell hears of a broken rule at once) and again when it is confirmed, which records the
event through the ledger. A rejected proposal keeps its reason. Each write is audited in
its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.services import audit
from dangbo.membership.edits import EventFields, event_check, event_record_fields
from dangbo.membership.error_codes import MembershipErrorCode
from dangbo.membership.models import (
    EventKind,
    EventProposal,
    Member,
    MemberEvent,
    ProposalStatus,
)

#: What a cell may propose: every event of a member already on the roll.
PROPOSABLE_KINDS = frozenset(EventKind.values) - {
    EventKind.ADMISSION,
    EventKind.REVERSAL,
    EventKind.REORGANIZATION,
}


@transaction.atomic
def proposal_create(
    *, member: Member, kind: str, fields: EventFields, proposer: str, note: str = ""
) -> EventProposal:
    """Propose an event for `member`; refused now if recording it now would be refused."""
    if kind not in PROPOSABLE_KINDS:
        raise InvalidInput(
            f"Chi bộ không đề xuất được sự kiện «{EventKind(kind).label if kind in EventKind.values else kind}».",
            code=MembershipErrorCode.KHONG_DE_NGHI_DUOC,
            field="kind",
        )
    event_check(member=member, kind=kind, fields=fields)
    proposal = EventProposal.objects.create(
        member=member, kind=kind, fields=fields, note=note.strip()[:300], proposer=proposer
    )
    audit(
        actor=proposer,
        action="proposal_create",
        obj=proposal,
        after={"member": member.pk, "kind": kind, "fields": fields},
    )
    return proposal


def _pending(proposal: EventProposal) -> EventProposal:
    """The proposal's row, locked, if it still waits; else refuse."""
    locked = (
        EventProposal.objects.select_for_update()
        .select_related("member__person")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.PENDING:
        raise DomainError(
            f"Đề xuất này đã được xử lý ({ProposalStatus(locked.status).label.lower()} bởi "
            f"«{locked.decided_by}»).",
            code=MembershipErrorCode.DA_XU_LY,
        )
    return locked


@transaction.atomic
def proposal_confirm(*, proposal: EventProposal, actor: str) -> MemberEvent:
    """Confirm a pending proposal: its event is recorded through the ledger, same rules."""
    locked = _pending(proposal)
    event = event_record_fields(
        member=locked.member, kind=locked.kind, fields=locked.fields, actor=actor
    )
    locked.status = ProposalStatus.CONFIRMED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.event = event
    locked.save(update_fields=["status", "decided_by", "decided_at", "event"])
    audit(
        actor=actor,
        action="proposal_confirm",
        obj=locked,
        before={"status": ProposalStatus.PENDING.value},
        after={"status": locked.status, "event": event.pk},
    )
    proposal.refresh_from_db()
    return event


@transaction.atomic
def proposal_reject(*, proposal: EventProposal, reason: str, actor: str) -> EventProposal:
    """Reject a pending proposal with a reason the cell will read."""
    if not reason.strip():
        raise InvalidInput("Trường «lý do từ chối» không được để trống.", field="reason")
    locked = _pending(proposal)
    locked.status = ProposalStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reason = reason.strip()[:300]
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit(
        actor=actor,
        action="proposal_reject",
        obj=locked,
        before={"status": ProposalStatus.PENDING.value},
        after={"status": locked.status, "reason": locked.reason},
    )
    proposal.refresh_from_db()
    return locked


def pending_proposals(
    *, cell_ids: Iterable[int] | None = None, member: Member | None = None
) -> QuerySet[EventProposal]:
    """Pending proposals, oldest first: of members now in `cell_ids`, or of one `member`."""
    qs = EventProposal.objects.filter(status=ProposalStatus.PENDING).select_related(
        "member__person"
    )
    if cell_ids is not None:
        qs = qs.filter(member__cell_id__in=list(cell_ids))
    if member is not None:
        qs = qs.filter(member=member)
    return qs.order_by("proposed_at", "pk")
