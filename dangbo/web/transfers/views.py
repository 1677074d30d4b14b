"""Transfers between organizations of the system: what waits for receipt in the user's
scope, what was sent and received lately; receiving one, sending a member."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.core.dates import today
from dangbo.membership.models import TransferOut
from dangbo.membership.transfers import (
    transfer_receive as receive_service,
)
from dangbo.membership.transfers import (
    transfer_send as send_service,
)
from dangbo.membership.transfers import (
    transfers_received,
    transfers_sent,
    transfers_waiting,
)
from dangbo.organizations.models import Organization
from dangbo.web.access import get_member_for_user
from dangbo.web.decorators import require
from dangbo.web.forms import form_write
from dangbo.web.transfers.forms import ReceiveForm, SendForm, cells_under, committees

#: How far back the page lists transfers sent and received.
RECENT_DAYS = 365


def get_transfer_for_user(user: Any, pk: int, action: Action) -> TransferOut:
    """The transfer `pk` if its receiving organization is in the user's scope for `action`;
    else 404."""
    transfer = (
        TransferOut.objects.select_related("member__person", "out_event").filter(pk=pk).first()
    )
    if transfer is None or transfer.to_org_id not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy giấy giới thiệu chuyển sinh hoạt.")
    return transfer


@require(Action.RECEIVE_TRANSFERS)
def transfers(request: HttpRequest) -> HttpResponse:
    scope = sorted(scope_org_ids(request.user, Action.RECEIVE_TRANSFERS))
    since = today() - timedelta(days=RECENT_DAYS)
    return render(
        request,
        "web/transfers/transfers.html",
        {
            "waiting": list(transfers_waiting(scope)),
            "sent": list(transfers_sent(scope, since=since)),
            "received": list(transfers_received(scope, since=since)),
            "since": since,
        },
    )


@require(Action.RECEIVE_TRANSFERS)
def transfer_receive(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_transfer_for_user(request.user, pk, Action.RECEIVE_TRANSFERS)
    on = today()
    form = ReceiveForm(request.POST or None, cells=cells_under(transfer.to_org_id, on))
    if request.method == "POST" and form.is_valid():
        ok, _ = form_write(
            form,
            lambda: receive_service(
                transfer=transfer,
                cell=Organization.objects.get(pk=form.cleaned_data["cell"]),
                on=form.cleaned_data["on"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, f"Đã tiếp nhận đảng viên {transfer.member.person.full_name}.")
            return redirect("web:transfers")
    return render(
        request,
        "web/transfers/receive.html",
        {"transfer": transfer, "form": form, "to_name": str(transfer.to_org)},
    )


@require(Action.RECORD_EVENTS)
def transfer_send(request: HttpRequest, member: int) -> HttpResponse:
    """Transfer a member of the user's scope to another base organization of the system."""
    m = get_member_for_user(request.user, member, Action.RECORD_EVENTS)
    on = today()
    form = SendForm(request.POST or None, orgs=committees(on, leaving_out=m.cell_id or 0))
    if request.method == "POST" and form.is_valid():
        ok, _ = form_write(
            form,
            lambda: send_service(
                member=m,
                to_org=Organization.objects.get(pk=form.cleaned_data["to_org"]),
                on=form.cleaned_data["on"],
                letter_number=form.cleaned_data["letter_number"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, f"Đã ghi chuyển sinh hoạt đi của {m.person.full_name}.")
            return redirect("web:transfers")
    return render(request, "web/transfers/send.html", {"member": m, "form": form})
