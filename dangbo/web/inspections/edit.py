"""Writes of the inspection pages: open a case, record a step, conclude, discipline (a
member through the ledger, an organization by its own record). Each goes through the
inspections services; a refusal is shown beside its field, nothing is written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.core.dates import today
from dangbo.core.services import decision_get_or_create
from dangbo.inspections.services import (
    case_add_step,
    case_conclude,
    case_discipline_member,
    case_discipline_org,
    case_open,
)
from dangbo.membership.models import Member, MemberStatus
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.web.decorators import require
from dangbo.web.forms import form_write
from dangbo.web.inspections.access import get_case_for_user
from dangbo.web.inspections.forms import ConcludeForm, DisciplineFormForm, OpenForm, StepForm


def _orgs(ids: frozenset[int]) -> list[tuple[int, str]]:
    on = today()
    return list(
        OrgVersion.objects.filter(org_id__in=ids, valid_from__lte=on, valid_to__gt=on)
        .order_by("kind__rank", "name")
        .values_list("org_id", "name")
    )


def _members(ids: frozenset[int]) -> list[tuple[int, str]]:
    """Members on the rolls of a cell in `ids`, by name."""
    return list(
        Member.objects.filter(cell_id__in=ids)
        .exclude(status=MemberStatus.OUT)
        .order_by("person__full_name", "pk")
        .values_list("pk", "person__full_name")
    )


def _page(request: HttpRequest, form: Any, heading: str, case: Any = None) -> HttpResponse:
    return render(
        request, "web/inspections/form.html", {"form": form, "heading": heading, "case": case}
    )


@require(Action.MANAGE_INSPECTIONS)
def inspection_case_open(request: HttpRequest) -> HttpResponse:
    scope = scope_org_ids(request.user, Action.MANAGE_INSPECTIONS)
    orgs = _orgs(scope)
    form = OpenForm(request.POST or None, orgs=orgs, subjects=orgs, members=_members(scope))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        subject_org = Organization.objects.filter(pk=d.pop("subject_org")).first()
        subject_member = Member.objects.filter(pk=d.pop("subject_member")).first()
        conducting = Organization.objects.get(pk=d.pop("conducting_org"))
        ok, case = form_write(
            form,
            lambda: case_open(
                conducting_org=conducting,
                subject_org=subject_org,
                subject_member=subject_member,
                actor=request.user.get_username(),
                **d,
            ),
        )
        if ok and case is not None:
            messages.success(request, "Đã mở vụ việc.")
            return redirect("web:inspection_case", pk=case.pk)
    return _page(request, form, "Mở cuộc kiểm tra, giám sát, vụ việc")


def _case_write(
    request: HttpRequest, pk: int, form_class: Any, write: Any, done: str, heading: str
) -> HttpResponse:
    """A form on one case whose cleaned data go to the service `write` as they are."""
    case = get_case_for_user(request.user, pk, Action.MANAGE_INSPECTIONS)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _ = form_write(form, lambda: write(case=case, actor=request.user.get_username(), **d))
        if ok:
            messages.success(request, done)
            return redirect("web:inspection_case", pk=case.pk)
    return _page(request, form, f"{heading} — {case}", case)


@require(Action.MANAGE_INSPECTIONS)
def inspection_case_step(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_write(request, pk, StepForm, case_add_step, "Đã ghi bước tiến hành.", "Ghi bước")


@require(Action.MANAGE_INSPECTIONS)
def inspection_case_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_write(request, pk, ConcludeForm, case_conclude, "Đã ghi kết luận.", "Kết luận")


@require(Action.RECORD_DISCIPLINE)
def inspection_case_discipline(request: HttpRequest, pk: int) -> HttpResponse:
    """Discipline after a conclusion with a violation: a member's goes into the ledger."""
    case = get_case_for_user(request.user, pk, Action.RECORD_DISCIPLINE)
    of_org = case.subject_org_id is not None
    form = DisciplineFormForm(request.POST or None, of_org=of_org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = request.user.get_username()

        def run() -> Any:
            with transaction.atomic():
                decision = decision_get_or_create(
                    number=d["number"],
                    issued_on=d["on"],
                    issuer=d["issuer"],
                    issuer_level=d["issuer_level"],
                    title="Quyết định kỷ luật",
                )
                write = case_discipline_org if of_org else case_discipline_member
                return write(case=case, form=d["form"], on=d["on"], decision=decision, actor=actor)

        ok, _ = form_write(form, run)
        if ok:
            messages.success(request, "Đã ghi kỷ luật.")
            return redirect("web:inspection_case", pk=case.pk)
    return _page(request, form, f"Kỷ luật — {case}", case)
