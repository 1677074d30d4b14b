"""The candidates board (phát triển đảng viên): candidates by the step they wait for, with
due dates, the year's admission target; advancing a candidate one step."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.core.dates import today
from dangbo.core.errors import DomainError
from dangbo.core.models import IssuerLevel
from dangbo.core.services import decision_get_or_create
from dangbo.figures import admissions_series
from dangbo.membership.admission import candidate_advance as advance_service
from dangbo.membership.admission import member_admit
from dangbo.membership.models import (
    Candidate,
    CandidateStage,
    Member,
    MembershipSpell,
    MemberStatus,
)
from dangbo.membership.pipeline import candidates_board, next_stage
from dangbo.reports.builder import admission_target
from dangbo.vn_format import number
from dangbo.web.candidates.forms import AdvanceForm
from dangbo.web.decorators import require
from dangbo.web.forms import add_domain_error
from dangbo.web.home.orgs import chosen_org


def get_candidate_for_user(user: Any, pk: int, action: Action) -> Candidate:
    """The candidate `pk` if the user may do `action` in the candidate's cell; else 404."""
    candidate = Candidate.objects.select_related("person").filter(pk=pk).first()
    if candidate is None or candidate.cell_id not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy quần chúng.")
    return candidate


@require(Action.VIEW_CANDIDATES)
def candidates(request: HttpRequest) -> HttpResponse:
    on = today()
    chosen = chosen_org(request, Action.VIEW_CANDIDATES, on)
    org = chosen.org
    target = admission_target(org, date(on.year, 1, 1), date(on.year, 12, 31))
    admitted = admissions_series(org, date(on.year, 1, 1), [on])[0]
    columns = candidates_board(org.pk, on=on)
    return render(
        request,
        "web/candidates/board.html",
        {
            "org": org,
            "org_name": chosen.name,
            "choices": chosen.choices,
            "on": on,
            "columns": columns,
            "open_count": sum(len(c.cards) for c in columns),
            "target": number(target) if target is not None else None,
            "admitted": number(admitted),
            "percent": round(100 * admitted / target) if target else None,
            "can_manage": can(request.user, Action.MANAGE_CANDIDATES, org.pk),
        },
    )


def _sponsors(candidate: Candidate, on: date) -> list[tuple[int, str]]:
    """Full members of the candidate's cell on `on`, by name."""
    return list(
        MembershipSpell.objects.filter(
            cell_id=candidate.cell_id,
            valid_from__lte=on,
            valid_to__gt=on,
            status=MemberStatus.OFFICIAL,
        )
        .order_by("member__person__full_name")
        .values_list("member_id", "member__person__full_name")
    )


@require(Action.MANAGE_CANDIDATES)
def candidate_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the candidate's next step (or stop considering them) with its date and document."""
    candidate = get_candidate_for_user(request.user, pk, Action.MANAGE_CANDIDATES)
    stage = next_stage(candidate.stage)
    sponsors = _sponsors(candidate, today()) if stage == CandidateStage.SPONSORED else None
    form = AdvanceForm(request.POST or None, sponsors=sponsors)
    if stage is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = request.user.get_username()
        try:
            with transaction.atomic():
                decision = None
                if d["number"]:
                    decision = decision_get_or_create(
                        number=d["number"],
                        issued_on=d["effective_on"],
                        issuer=d["issuer"],
                        issuer_level=IssuerLevel.CELL
                        if stage == CandidateStage.CELL_RESOLUTION
                        else IssuerLevel.BASE,
                    )
                if d["stop"]:
                    advance_service(
                        candidate=candidate,
                        stage=CandidateStage.DROPPED,
                        on=d["effective_on"],
                        note=d["note"],
                        actor=actor,
                    )
                elif stage == CandidateStage.ADMITTED:
                    member_admit(
                        candidate=candidate,
                        cell=candidate.cell,
                        on=d["effective_on"],
                        decision=decision,
                        actor=actor,
                    )
                else:
                    sponsor = None
                    if d.get("sponsor"):
                        sponsor = Member.objects.select_related("person").get(pk=d["sponsor"])
                    advance_service(
                        candidate=candidate,
                        stage=stage,
                        on=d["effective_on"],
                        sponsor=sponsor,
                        decision=decision,
                        note=d["note"],
                        actor=actor,
                    )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Đã ghi bước mới của {candidate.person.full_name}.")
            return redirect(reverse("web:candidates"))
    return render(
        request,
        "web/candidates/advance.html",
        {
            "candidate": candidate,
            "stage": stage,
            "current": CandidateStage(candidate.stage).label,
            "form": form,
        },
    )
