"""Targets (chỉ tiêu): the grid of an organization's targets for a year with their plan in
force, adopting a target, revisions by decision, evaluations at 6 and 9 months, the year end and mid-term,
"done/total"; entering an evaluation, revising by decision, filling the computed targets."""

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
from dangbo.core.services import decision_get_or_create
from dangbo.targets.computed import evaluations_compute
from dangbo.targets.figures import target_figures
from dangbo.targets.models import ReviewKind, SourceKind, Target
from dangbo.targets.services import evaluation_record, target_adopt, target_revise
from dangbo.web.decorators import require
from dangbo.web.forms import add_domain_error, form_write
from dangbo.web.home.orgs import chosen_org
from dangbo.web.targets.data import COLUMNS, review_period, targets_grid
from dangbo.web.targets.forms import AdoptForm, ComputeForm, EvaluationForm, RevisionForm


def get_target_for_user(user: Any, pk: int, action: Action) -> Target:
    """The target `pk` if the user may do `action` in its organization; else 404."""
    target = Target.objects.select_related("term", "source").filter(pk=pk).first()
    if target is None or target.org_id not in scope_org_ids(user, action):
        raise Http404("Không tìm thấy chỉ tiêu.")
    return target


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam", "")
    if raw.isdigit() and 1930 <= int(raw) <= today().year + 5:
        return int(raw)
    return today().year


def _back(org_id: int, year: int) -> str:
    return reverse("web:targets") + f"?org={org_id}&nam={year}"


@require(Action.VIEW_PARTY_WORK)
def targets(request: HttpRequest) -> HttpResponse:
    """The grid of the chosen organization's targets for the year."""
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, today())
    year = _year(request)
    figures = target_figures(chosen.org, date(year, 1, 1), date(year, 12, 31))
    return render(
        request,
        "web/targets/grid.html",
        {
            "org": chosen.org,
            "org_name": chosen.name,
            "choices": chosen.choices,
            "year": year,
            "years": list(range(today().year + 1, today().year - 6, -1)),
            "rows": targets_grid(chosen.org, year),
            "columns": [ReviewKind(k).label for k in COLUMNS],
            "figures": figures,
            "can_manage": can(request.user, Action.MANAGE_TARGETS, chosen.org.pk),
        },
    )


def _form_page(request: HttpRequest, form: Any, title: str, back: str) -> HttpResponse:
    return render(
        request,
        "web/grading/form.html",
        {"form": form, "title": title, "submit": "Ghi", "back": back},
    )


@require(Action.MANAGE_TARGETS)
def target_new(request: HttpRequest) -> HttpResponse:
    """Adopt a target of the chosen organization: a term target of its congress resolution
    or a yearly target of its work programme, on the decision it stands on."""
    chosen = chosen_org(request, Action.MANAGE_TARGETS, today())
    org = chosen.org
    year = _year(request)
    terms = [(t.pk, t.label) for t in org.terms.order_by("-starts_on")]
    form = AdoptForm(
        request.POST or None,
        terms=terms,
        initial={"source_kind": SourceKind.WORK_PROGRAMME, "year": year},
    )
    back = _back(org.pk, year)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        yearly = d["source_kind"] == SourceKind.WORK_PROGRAMME

        def write() -> Target:
            with transaction.atomic():
                decision = decision_get_or_create(
                    number=d["number"], issued_on=d["issued_on"], issuer=d["issuer"]
                )
                return target_adopt(
                    org=org,
                    source_kind=d["source_kind"],
                    source=decision,
                    category=d["category"],
                    name=d["name"],
                    direction=d["direction"],
                    planned=d["planned"],
                    baseline=d["baseline"] or None,
                    unit=d["unit"],
                    term=None if yearly else org.terms.filter(pk=d["term"] or 0).first(),
                    year=d["year"] if yearly else None,
                    computed_from=d["computed_from"],
                    adopted_on=d["adopted_on"],
                    actor=request.user.get_username(),
                )

        try:
            target = write()
        except DomainError as exc:
            # the one refusal naming no field: a target of that name already adopted
            add_domain_error(form, exc, lambda f: {None: "name", "source": "number"}.get(f, f))
        else:
            messages.success(request, f"Đã ghi chỉ tiêu «{target.name}».")
            return redirect(_back(org.pk, target.year or year))
    return _form_page(request, form, f"Thông qua chỉ tiêu — {chosen.name}", back)


@require(Action.MANAGE_TARGETS)
def target_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the actual value of a target at a review point (again: with a reason)."""
    target = get_target_for_user(request.user, pk, Action.MANAGE_TARGETS)
    year = _year(request)
    kind = request.GET.get("ky", ReviewKind.YEAR_END)
    if kind not in ReviewKind.values:
        kind = ReviewKind.YEAR_END
    start, end = review_period(kind, year, target)
    form = EvaluationForm(
        request.POST or None, initial={"kind": kind, "period_start": start, "period_end": end}
    )
    back = _back(target.org_id, year)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _ = form_write(
            form,
            lambda: evaluation_record(
                target=target,
                kind=d["kind"],
                period_start=d["period_start"],
                period_end=d["period_end"],
                actual=d["actual"],
                reason=d["reason"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, f"Đã ghi kết quả chỉ tiêu «{target.name}».")
            return redirect(back)
    return _form_page(request, form, f"Ghi kết quả thực hiện — {target.name}", back)


@require(Action.MANAGE_TARGETS)
def target_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revise a target's plan, unit or name by a decision, from its effective date."""
    target = get_target_for_user(request.user, pk, Action.MANAGE_TARGETS)
    form = RevisionForm(request.POST or None)
    back = _back(target.org_id, _year(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def write():
            with transaction.atomic():
                decision = decision_get_or_create(
                    number=d["number"], issued_on=d["issued_on"], issuer=d["issuer"]
                )
                return target_revise(
                    target=target,
                    decision=decision,
                    effective_on=d["effective_on"],
                    reason=d["reason"],
                    planned=d["planned"] or None,
                    unit=d["unit"] or None,
                    name=d["name"] or None,
                    actor=request.user.get_username(),
                )

        ok, _ = form_write(form, write)
        if ok:
            messages.success(request, f"Đã ghi điều chỉnh chỉ tiêu «{target.name}».")
            return redirect(back)
    return _form_page(request, form, f"Điều chỉnh chỉ tiêu theo quyết định — {target.name}", back)


@require(Action.MANAGE_TARGETS)
def targets_compute(request: HttpRequest) -> HttpResponse:
    """Fill the chosen organization's computed targets for a review point from the records."""
    chosen = chosen_org(request, Action.MANAGE_TARGETS, today())
    year = _year(request)
    start, end = review_period(ReviewKind.YEAR_END, year)
    form = ComputeForm(
        request.POST or None, initial={"kind": ReviewKind.YEAR_END, "start": start, "end": end}
    )
    back = _back(chosen.org.pk, year)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, result = form_write(
            form,
            lambda: evaluations_compute(
                org=chosen.org,
                kind=d["kind"],
                start=d["start"],
                end=d["end"],
                actor=request.user.get_username(),
            ),
        )
        if ok and result is not None:
            messages.success(
                request,
                f"Đã tính các chỉ tiêu từ số liệu: {len(result.recorded)} kết quả mới, "
                f"{len(result.unchanged)} không đổi.",
            )
            for target, why in result.skipped:
                messages.warning(request, f"«{target.name}»: {why}")
            return redirect(back)
    return _form_page(request, form, f"Tính chỉ tiêu từ số liệu — {chosen.name}", back)
