"""Official transfers between organizations of this system (chuyển sinh hoạt đảng chính thức).

The sending cell records the transfer out on the day the letter is issued: the ledger gets a
`chuyen_sinh_hoat` event leaving the system and a :class:`TransferOut` waits at the receiving
organization. Receiving it writes the entering event into a cell of the receiver on its own
date, so the sender counts `transferred_out` on `sent_on` and the receiver `transferred_in`
on `received_on`; a common ancestor counts both (the member is in no stock in between).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.membership.error_codes import MembershipErrorCode
from dangbo.membership.events import event_record
from dangbo.membership.models import (
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    TransferOut,
    TransferStatus,
)
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.selectors import is_within


def _version(org: Organization, on: date, field: str, what: str) -> OrgVersion:
    version = (
        OrgVersion.objects.filter(org=org, valid_from__lte=on, valid_to__gt=on)
        .select_related("kind")
        .first()
    )
    if version is None:
        raise InvalidInput(f"{what} không hoạt động vào ngày {on:%d/%m/%Y}.", field=field)
    return version


@transaction.atomic
def transfer_send(
    *,
    member: Member,
    to_org: Organization,
    on: date,
    actor: str,
    letter_number: str = "",
    decision: Decision | None = None,
) -> TransferOut:
    """Transfer `member` officially to `to_org` (a committee of this system) on `on`.

    Refused when `to_org` is a cell (the receiver chooses the cell), does not exist on `on`,
    or already holds the member's cell (a move inside one committee is an internal transfer).
    The ledger's rules apply to the out event (the member must sit in a cell that day).
    """
    dest = _version(to_org, on, "to_org", "Tổ chức nhận")
    if dest.kind.holds_members:
        raise InvalidInput(
            f"«{dest.name}» là chi bộ; hãy chọn đảng bộ hoặc chi bộ cơ sở nhận, "
            "nơi nhận sẽ phân về chi bộ.",
            field="to_org",
        )
    spell = (
        MembershipSpell.objects.filter(member=member, valid_from__lte=on, valid_to__gt=on)
        .select_related("member__person")
        .first()
    )
    if spell is None:
        raise DomainError(
            f"{member.person.full_name} không sinh hoạt ở chi bộ nào vào ngày {on:%d/%m/%Y}.",
            code=MembershipErrorCode.CHUYEN_SINH_HOAT,
            field="on",
        )
    if is_within(spell.cell_id, to_org.pk, on=on):
        raise DomainError(
            f"Chi bộ của {member.person.full_name} đã thuộc «{dest.name}»; "
            "hãy ghi chuyển sinh hoạt nội bộ.",
            code=MembershipErrorCode.CHUYEN_SINH_HOAT,
            field="to_org",
        )
    from_cell = Organization.objects.get(pk=spell.cell_id)
    event = event_record(
        member=member,
        kind=EventKind.TRANSFER,
        effective_on=on,
        from_org=from_cell,
        details={"letter_number": letter_number.strip()} if letter_number.strip() else None,
        decision=decision,
        actor=actor,
    )
    transfer = TransferOut.objects.create(
        member=member,
        from_cell=from_cell,
        to_org=to_org,
        sent_on=on,
        letter_number=letter_number.strip(),
        out_event=event,
        actor=actor,
    )
    audit(
        actor=actor,
        action="transfer_send",
        obj=transfer,
        after={"member": member.pk, "to_org": to_org.pk, "on": on.isoformat()},
    )
    return transfer


@transaction.atomic
def transfer_receive(
    *,
    transfer: TransferOut,
    cell: Organization,
    on: date,
    actor: str,
    decision: Decision | None = None,
) -> TransferOut:
    """Receive a waiting transfer into `cell` (a cell of the receiving organization) on `on`.

    Refused when the transfer was already received or its out event reversed, when `on` is
    before the day it was sent, or when `cell` is not a cell under the receiver that day.
    """
    transfer = (
        TransferOut.objects.select_for_update().select_related("member__person").get(pk=transfer.pk)
    )
    if transfer.status != TransferStatus.PENDING:
        raise DomainError(
            "Giấy giới thiệu này đã được tiếp nhận.", code=MembershipErrorCode.CHUYEN_SINH_HOAT
        )
    if MemberEvent.objects.filter(reverses_id=transfer.out_event_id).exists():
        raise DomainError(
            "Sự kiện chuyển đi của giấy giới thiệu này đã bị hủy bỏ.",
            code=MembershipErrorCode.CHUYEN_SINH_HOAT,
        )
    if on < transfer.sent_on:
        raise InvalidInput(
            f"Ngày tiếp nhận trước ngày chuyển đi ({transfer.sent_on:%d/%m/%Y}).", field="on"
        )
    version = _version(cell, on, "cell", "Chi bộ tiếp nhận")
    if not version.kind.holds_members or not is_within(cell.pk, transfer.to_org_id, on=on):
        raise InvalidInput(
            f"«{version.name}» không phải chi bộ trực thuộc tổ chức nhận vào ngày {on:%d/%m/%Y}.",
            field="cell",
        )
    event = event_record(
        member=transfer.member,
        kind=EventKind.TRANSFER,
        effective_on=on,
        to_org=cell,
        details={"letter_number": transfer.letter_number} if transfer.letter_number else None,
        decision=decision,
        actor=actor,
    )
    transfer.status = TransferStatus.RECEIVED
    transfer.received_on = on
    transfer.received_cell = cell
    transfer.in_event = event
    transfer.save(update_fields=["status", "received_on", "received_cell", "in_event"])
    audit(
        actor=actor,
        action="transfer_receive",
        obj=transfer,
        before={"status": TransferStatus.PENDING.value},
        after={"status": transfer.status, "cell": cell.pk, "on": on.isoformat()},
    )
    return transfer


def _name(ref: str) -> Subquery:
    """The latest name of the organization `ref` points at."""
    return Subquery(
        OrgVersion.objects.filter(org_id=OuterRef(ref)).order_by("-valid_from").values("name")[:1]
    )


def _listed(qs: QuerySet[TransferOut]) -> QuerySet[TransferOut]:
    return qs.select_related("member__person").annotate(
        from_name=_name("from_cell_id"),
        to_name=_name("to_org_id"),
        received_name=_name("received_cell_id"),
    )


def transfers_waiting(org_ids: Collection[int] | QuerySet[Any, Any]) -> QuerySet[TransferOut]:
    """Transfers waiting for receipt at any of `org_ids`, oldest first (out event not reversed)."""
    return _listed(
        TransferOut.objects.filter(
            to_org_id__in=org_ids,
            status=TransferStatus.PENDING,
            out_event__reversed_by__isnull=True,
        )
    ).order_by("sent_on", "pk")


def transfers_sent(
    org_ids: Collection[int] | QuerySet[Any, Any], *, since: date
) -> QuerySet[TransferOut]:
    """Transfers sent from cells among `org_ids` on or after `since`, newest first."""
    return _listed(
        TransferOut.objects.filter(from_cell_id__in=org_ids, sent_on__gte=since)
    ).order_by("-sent_on", "-pk")


def transfers_received(
    org_ids: Collection[int] | QuerySet[Any, Any], *, since: date
) -> QuerySet[TransferOut]:
    """Transfers received at any of `org_ids` on or after `since`, newest first."""
    return _listed(
        TransferOut.objects.filter(
            to_org_id__in=org_ids, status=TransferStatus.RECEIVED, received_on__gte=since
        )
    ).order_by("-received_on", "-pk")
