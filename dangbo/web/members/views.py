"""The member page and its forms: events, reversals, a cell's proposals, admission, reception.

Views are thin: the form checks the shape, one service writes (and audits), a refusal of
the domain is shown beside the field it names and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dangbo.accounts.masking import mask_citizen_id, mask_phone, personal_view_audit
from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.core.dates import today
from dangbo.core.errors import DomainError
from dangbo.membership.edits import (
    event_record_fields,
    event_reverse_checked,
    member_version,
    person_admit,
    person_receive,
)
from dangbo.membership.models import (
    EventKind,
    EventProposal,
    Member,
    MemberEvent,
    MemberStatus,
    ProposalStatus,
)
from dangbo.membership.proposals import (
    PROPOSABLE_KINDS,
    pending_proposals,
    proposal_confirm,
    proposal_create,
    proposal_reject,
)
from dangbo.organizations.models import OrgVersion
from dangbo.web.access import get_member_for_user
from dangbo.web.decorators import require
from dangbo.web.forms import add_domain_error
from dangbo.web.members.forms import (
    ACTIONS,
    DISCIPLINE,
    AdmitForm,
    EventAction,
    PersonForm,
    ProposalDecisionForm,
    ReceiveForm,
    ReverseForm,
    decision_value,
    error_field,
    event_fields,
    event_form_class,
    field_groups,
)
from dangbo.web.members.timeline import Entry, OrgNames, member_timeline, proposal_lines


def _may(user: Any, action: Action, org_id: int | None) -> bool:
    """Whether the user may do `action` for a member of `org_id` (no query if nowhere)."""
    return can(user, action) and org_id is not None and can(user, action, org_id)


def _refuse(form: forms.Form, exc: DomainError) -> None:
    add_domain_error(form, exc, rename=error_field)


def _cells(scope: frozenset[int] | None = None) -> list[tuple[int, str]]:
    """Cells alive today (within `scope` if given), by name."""
    on = today()
    qs = OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, kind__holds_members=True)
    if scope is not None:
        qs = qs.filter(org_id__in=scope)
    return [
        (org_id, f"{name} ({code})")
        for org_id, name, code in qs.order_by("name", "org_id").values_list(
            "org_id", "name", "code"
        )
    ]


def _actions(user: Any, member: Member) -> tuple[list[dict[str, str]], bool]:
    """The event forms offered on the member page, and whether they are proposals."""
    cell = member.cell_id
    record = _may(user, Action.RECORD_EVENTS, cell)
    discipline = _may(user, Action.RECORD_DISCIPLINE, cell)
    propose = not record and _may(user, Action.PROPOSE_EVENTS, cell)
    out = []
    for a in ACTIONS.values():
        if not a.offered(member):
            continue
        if propose and a.kind in PROPOSABLE_KINDS:
            url = reverse("web:member_propose", args=[member.pk, a.slug])
        elif a is DISCIPLINE and discipline:
            url = reverse("web:member_discipline", args=[member.pk])
        elif a is not DISCIPLINE and record:
            url = reverse("web:member_event", args=[member.pk, a.slug])
        else:
            continue
        out.append({"title": a.title, "url": url, "slug": a.slug})
    return out, propose


def _years_months(months: int | None) -> str:
    if months is None:
        return ""
    years, rest = divmod(months, 12)
    return f"{years} năm {rest} tháng" if years else f"{rest} tháng"


def _away(timeline: list[Entry]) -> bool:
    """Whether the member's live ledger ends on a temporary transfer out not yet ended."""
    away = False
    for e in timeline:
        if e.reversal is not None:
            continue
        if e.event.kind == EventKind.TEMPORARY_OUT:
            away = True
        elif e.event.kind in (EventKind.TEMPORARY_BACK, EventKind.TRANSFER) or e.event.kind in (
            EventKind.REMOVAL,
            EventKind.LEAVING,
            EventKind.DEATH,
        ):
            away = False
    return away


@require(Action.VIEW_MEMBERS)
def member(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's record (personal data masked unless the role needs it) and ledger."""
    m = get_member_for_user(request.user, pk, Action.VIEW_MEMBERS)
    person = m.person
    unmasked = _may(request.user, Action.VIEW_PERSONAL_DATA, m.cell_id) or _may(
        request.user, Action.VIEW_PERSONAL_DATA, m.host_cell_id
    )
    if unmasked:
        personal_view_audit(person=person, actor=request.user.get_username())
    timeline = member_timeline(m)
    m.away = _away(timeline)  # type: ignore[attr-defined]
    names = OrgNames([m.cell_id, m.host_cell_id])
    actions, propose = _actions(request.user, m)
    can_reverse = _may(request.user, Action.RECORD_EVENTS, m.cell_id)
    proposals = proposal_lines(pending_proposals(member=m))
    now = today()
    return render(
        request,
        "web/members/member.html",
        {
            "member": m,
            "person": person,
            "citizen_id": person.citizen_id if unmasked else mask_citizen_id(person.citizen_id),
            "phone": person.phone if unmasked else mask_phone(person.phone),
            "unmasked": unmasked,
            "status": MemberStatus(m.status).label if m.status else "",
            "cell_name": names.on(m.cell_id, now),
            "host_name": names.on(m.host_cell_id, now),
            "party_age": _years_months(m.party_age_months(now)),
            "timeline": timeline,
            "actions": actions,
            "propose": propose,
            "can_reverse": can_reverse,
            "proposals": proposals,
            "can_confirm": _may(request.user, Action.CONFIRM_PROPOSALS, m.cell_id),
        },
    )


def _event_page(
    request: HttpRequest, m: Member, action: EventAction, *, propose: bool
) -> HttpResponse:
    Form = event_form_class(action, _cells())
    if propose:
        Form = type(
            Form.__name__,
            (Form,),
            {"note": forms.CharField(label="Ghi chú gửi cấp ủy", required=False, max_length=300)},
        )
    actor = request.user.get_username()
    if request.method == "POST":
        form = Form(request.POST)
        if form.is_valid():
            fields = event_fields(action, m, form.cleaned_data)
            try:
                if propose:
                    proposal_create(
                        member=m,
                        kind=action.kind,
                        fields=fields,
                        proposer=actor,
                        note=form.cleaned_data.get("note") or "",
                    )
                else:
                    event_record_fields(
                        member=m,
                        kind=action.kind,
                        fields=fields,
                        actor=actor,
                        version=form.cleaned_data.get("version"),
                    )
            except DomainError as exc:
                _refuse(form, exc)
            else:
                done = "Đã gửi đề xuất" if propose else "Đã ghi"
                messages.success(request, f"{done}: {action.title.lower()}.")
                return redirect("web:member", pk=m.pk)
    else:
        form = Form(initial={"version": member_version(m.pk)})
    return render(
        request,
        "web/members/event_form.html",
        {
            "member": m,
            "action": action,
            "form": form,
            "groups": field_groups(form),
            "propose": propose,
        },
    )


def _action(slug: str) -> EventAction:
    action = ACTIONS.get(slug)
    if action is None or action is DISCIPLINE:
        raise Http404("Không có biểu mẫu này.")
    return action


@require(Action.RECORD_EVENTS)
def member_event(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Record one event of the member's ledger (discipline has its own page)."""
    m = get_member_for_user(request.user, pk, Action.RECORD_EVENTS)
    return _event_page(request, m, _action(slug), propose=False)


@require(Action.RECORD_DISCIPLINE)
def member_discipline(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a discipline of the member."""
    m = get_member_for_user(request.user, pk, Action.RECORD_DISCIPLINE)
    return _event_page(request, m, DISCIPLINE, propose=False)


@require(Action.PROPOSE_EVENTS)
def member_propose(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A cell secretary proposes an event for a member of the cell; the office confirms it."""
    m = get_member_for_user(request.user, pk, Action.PROPOSE_EVENTS)
    action = ACTIONS.get(slug)
    if action is None or action.kind not in PROPOSABLE_KINDS:
        raise Http404("Không có biểu mẫu này.")
    return _event_page(request, m, action, propose=True)


@require(Action.RECORD_EVENTS)
def member_reverse(request: HttpRequest, pk: int, event: int) -> HttpResponse:
    """Correct a wrongly recorded event by reversing it, with a reason."""
    m = get_member_for_user(request.user, pk, Action.RECORD_EVENTS)
    wrong = (
        MemberEvent.objects.filter(pk=event, member=m)
        .exclude(kind=EventKind.REVERSAL)
        .select_related("decision")
        .first()
    )
    if wrong is None:
        raise Http404("Không có sự kiện này.")
    if request.method == "POST":
        form = ReverseForm(request.POST)
        if form.is_valid():
            try:
                event_reverse_checked(
                    event=wrong,
                    reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["on"],
                    actor=request.user.get_username(),
                    version=form.cleaned_data.get("version"),
                )
            except DomainError as exc:
                _refuse(form, exc)
            else:
                messages.success(request, "Đã hủy bỏ sự kiện ghi sai.")
                return redirect("web:member", pk=m.pk)
    else:
        form = ReverseForm(initial={"version": member_version(m.pk)})
    names = OrgNames([wrong.from_org_id, wrong.to_org_id])
    return render(
        request,
        "web/members/reverse.html",
        {
            "member": m,
            "event": wrong,
            "title": EventKind(wrong.kind).label,
            "from_name": names.on(wrong.from_org_id, wrong.from_on),
            "to_name": names.on(wrong.to_org_id, wrong.effective_on),
            "form": form,
        },
    )


def _entry_page(
    request: HttpRequest, form_class: type[PersonForm], action: Action, title: str
) -> HttpResponse:
    cells = _cells(scope_org_ids(request.user, action))
    form = form_class(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = request.user.get_username()
        try:
            if isinstance(form, AdmitForm):
                m = person_admit(
                    person=form.person(),
                    cell_id=data["cell"],
                    on=data["effective_on"],
                    decision=decision_value(data, "decision"),
                    exception_decision=decision_value(data, "exception"),
                    ceremony_on=data.get("ceremony_on"),
                    considered_on=data.get("considered_on"),
                    actor=actor,
                )
            else:
                m = person_receive(
                    person=form.person(),
                    cell_id=data["cell"],
                    on=data["effective_on"],
                    status=data["status"],
                    admitted_on=data["admitted_on"],
                    official_on=data.get("official_on"),
                    ceremony_on=data.get("ceremony_on"),
                    decision=decision_value(data, "decision"),
                    actor=actor,
                )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Đã ghi: {title.lower()} {m.person.full_name}.")
            return redirect("web:member", pk=m.pk)
    return render(
        request,
        "web/members/entry_form.html",
        {"form": form, "groups": field_groups(form), "title": title},
    )


@require(Action.RECORD_EVENTS)
def member_admit(request: HttpRequest) -> HttpResponse:
    """Admit a new member: the person's particulars, the cell, the date and the decision."""
    return _entry_page(request, AdmitForm, Action.RECORD_EVENTS, "Kết nạp đảng viên mới")


@require(Action.RECEIVE_TRANSFERS)
def member_receive(request: HttpRequest) -> HttpResponse:
    """Receive a member transferred in from a party organization outside the system."""
    return _entry_page(
        request, ReceiveForm, Action.RECEIVE_TRANSFERS, "Tiếp nhận đảng viên từ nơi khác chuyển đến"
    )


@require(Action.CONFIRM_PROPOSALS)
def proposals(request: HttpRequest) -> HttpResponse:
    """The cells' proposals waiting for confirmation in the user's scope, oldest first."""
    scope = scope_org_ids(request.user, Action.CONFIRM_PROPOSALS)
    lines = proposal_lines(pending_proposals(cell_ids=scope))
    return render(request, "web/members/proposals.html", {"lines": lines})


def get_proposal_for_user(user: Any, pk: int, action: Action) -> EventProposal:
    """The proposal `pk` if its member's cell is in the user's scope for `action`; else 404."""
    proposal = EventProposal.objects.select_related("member__person").filter(pk=pk).first()
    if proposal is None or proposal.member.cell_id not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy đề xuất.")
    return proposal


@require(Action.CONFIRM_PROPOSALS)
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """A cell's proposal: confirm it (the event is recorded) or reject it with a reason."""
    p = get_proposal_for_user(request.user, pk, Action.CONFIRM_PROPOSALS)
    form = ProposalDecisionForm(request.POST or None)
    actor = request.user.get_username()
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["verdict"] == "confirm":
                if p.kind == EventKind.DISCIPLINE and not _may(
                    request.user, Action.RECORD_DISCIPLINE, p.member.cell_id
                ):
                    raise DomainError(
                        "Đề xuất kỷ luật do cấp có thẩm quyền kỷ luật xác nhận; tài khoản này "
                        "không ghi được kỷ luật."
                    )
                proposal_confirm(proposal=p, actor=actor)
                messages.success(request, "Đã xác nhận đề xuất và ghi vào sổ đảng viên.")
            else:
                proposal_reject(
                    proposal=p, reason=form.cleaned_data.get("reason") or "", actor=actor
                )
                messages.success(request, "Đã từ chối đề xuất.")
        except DomainError as exc:
            _refuse(form, exc)
        else:
            return redirect("web:proposals")
    (line,) = proposal_lines([p])
    return render(
        request,
        "web/members/proposal.html",
        {"line": line, "form": form, "pending": p.status == ProposalStatus.PENDING},
    )
