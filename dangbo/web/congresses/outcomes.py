"""When an election does not fill its seats: the congress stops it, or the higher committee
appoints the cell secretary after the failed rounds."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.congresses.voting import election_stop, secretary_appoint
from dangbo.core.services import decision_get_or_create
from dangbo.membership.models import Person
from dangbo.web.congresses.access import get_election_for_user
from dangbo.web.congresses.forms import AppointForm, StopForm, write_placed
from dangbo.web.congresses.roll import summoned_roll
from dangbo.web.congresses.voting import congress_head
from dangbo.web.decorators import require


@require(Action.MANAGE_CONGRESSES)
def election_halt(request: HttpRequest, pk: int) -> HttpResponse:
    """The congress's vote to hold no further round: the seats left stay unfilled."""
    election = get_election_for_user(request.user, pk, Action.MANAGE_CONGRESSES)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = write_placed(
            form, lambda: election_stop(election=election, actor=request.user.get_username())
        )
        if ok:
            return redirect("web:congress", pk=election.congress_id)
    return render(
        request,
        "web/congresses/outcome.html",
        {
            **congress_head(election.congress),
            "election": election,
            "form": form,
            "title": "Dừng bầu",
        },
    )


@require(Action.MANAGE_CONGRESSES)
def election_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The cell secretary appointed by the higher committee; a refused appointment records
    no decision either."""
    election = get_election_for_user(request.user, pk, Action.MANAGE_CONGRESSES)
    congress = election.congress
    people = [(r.person_id, r.name) for r in summoned_roll(congress.org, congress.starts_on).full]
    form = AppointForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        @transaction.atomic
        def appoint() -> Any:
            decision = decision_get_or_create(
                number=d["number"],
                issued_on=d["issued_on"],
                issuer=d["issuer"],
                issuer_level=d["issuer_level"],
                title="Chỉ định bí thư chi bộ",
            )
            return secretary_appoint(
                election=election,
                person=Person.objects.get(pk=int(d["person"])),
                decision=decision,
                on=d["on"],
                actor=request.user.get_username(),
            )

        ok, _ = write_placed(form, appoint)
        if ok:
            return redirect("web:congress", pk=congress.pk)
    return render(
        request,
        "web/congresses/outcome.html",
        {**congress_head(congress), "election": election, "form": form, "title": "Chỉ định bí thư"},
    )
