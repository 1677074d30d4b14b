"""Annual grading (đánh giá, xếp loại chất lượng): the year's figures and base organizations of
a subtree, the grid of a base organization's members with the "excellent ≤ 20% of good" cap
shown live as the clerk chooses, organizations' grades, members not completed two years
running."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.core.dates import today
from dangbo.core.errors import DomainError
from dangbo.grading.figures import grading_figures
from dangbo.grading.models import Grade, MemberGrade, NotGradedReason, OrgGrade
from dangbo.grading.rules import (
    check_excellent_cap,
    excellent_cap,
    grade_label,
    grading_rules_on,
)
from dangbo.grading.selectors import not_completed_running
from dangbo.grading.services import (
    grading_record_members,
    grading_record_org,
    grading_withdraw_members,
    grading_withdraw_org,
)
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.selectors import org_version_on
from dangbo.web.access import get_org_for_user
from dangbo.web.decorators import require
from dangbo.web.forms import form_write
from dangbo.web.grading.data import (
    base_orgs_under,
    default_graded_on,
    default_year,
    grid_rows,
    latest_graded_year,
)
from dangbo.web.grading.forms import GridForm, OrgGradeForm, WithdrawForm
from dangbo.web.home.orgs import chosen_org


def _year(request: HttpRequest, org: Organization) -> int:
    """`?nam=`, else the latest year graded in `org`'s subtree, else the year being graded."""
    raw = request.GET.get("nam", "")
    if raw.isdigit() and 1930 <= int(raw) <= today().year + 1:
        return int(raw)
    return latest_graded_year(org) or default_year()


def _grid_url(org_id: int, year: int) -> str:
    return reverse("web:grading_grid", kwargs={"pk": org_id, "year": year})


@require(Action.VIEW_PARTY_WORK)
def grading(request: HttpRequest) -> HttpResponse:
    """The year's figures of the chosen organization's subtree, its base organizations with
    their results, and the members not completed two years running."""
    on = today()
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, on)
    year = _year(request, chosen.org)
    figures = grading_figures(chosen.org, year)
    by_grade = [(grade_label(g), figures.members_by_grade.get(g, 0)) for g in Grade.values]
    by_reason = [
        (NotGradedReason(r).label, n) for r, n in figures.members_not_graded_by_reason.items() if n
    ]
    return render(
        request,
        "web/grading/index.html",
        {
            "org": chosen.org,
            "org_name": chosen.name,
            "choices": chosen.choices,
            "year": year,
            "years": sorted({*range(today().year, today().year - 6, -1), year}, reverse=True),
            "figures": figures,
            "by_grade": by_grade,
            "by_reason": by_reason,
            "base_orgs": base_orgs_under(chosen.org, year, on),
            "running": not_completed_running(year=year, within=chosen.org.pk),
            "can_manage": can(request.user, Action.MANAGE_GRADING, chosen.org.pk),
        },
    )


def _base_version(org: Organization, on: date) -> OrgVersion:
    """The version of `org` on `on` when it is then a base organization; else 404."""
    try:
        version = org_version_on(org, on)
    except DomainError:
        raise Http404("Không tìm thấy tổ chức.") from None
    if not version.kind.is_base:
        raise Http404("Không phải tổ chức cơ sở đảng.")
    return version


def _recorded_on(org: Organization, year: int) -> date | None:
    return (
        MemberGrade.objects.filter(base_org=org, year=year)
        .values_list("graded_on", flat=True)
        .first()
    )


def _cap_summary(rs, org_name: str, grades: list[str]) -> dict[str, Any]:
    """The cap of a base organization for the grades chosen: counts, the most allowed and
    the rule's refusal when over."""
    excellent = grades.count(Grade.EXCELLENT)
    good = grades.count(Grade.GOOD)
    refused = check_excellent_cap(rs, org_name=org_name, excellent=excellent, good=good)
    return {
        "excellent": excellent,
        "good": good,
        "cap": excellent_cap(rs, good),
        "percent": rs.excellent_cap_percent,
        "rule_set": rs.code,
        "refusal": str(refused[0]) if refused else "",
    }


@require(Action.VIEW_PARTY_WORK)
def grading_grid(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A base organization's members with their grades of `year` (or, before the grading,
    who will be graded and who is not graded by rule)."""
    org = get_org_for_user(request.user, pk, Action.VIEW_PARTY_WORK)
    recorded = _recorded_on(org, year)
    on = recorded or default_graded_on(year)
    version = _base_version(org, on)
    rs = grading_rules_on(on)
    rows = grid_rows(org, year, on, rs)
    own = OrgGrade.objects.filter(org=org, year=year).first()
    return render(
        request,
        "web/grading/grid.html",
        {
            "org": org,
            "org_name": version.name,
            "year": year,
            "on": on,
            "recorded": recorded,
            "rs": rs,
            "rows": rows,
            "own": own,
            "own_label": grade_label(own.grade) if own else "",
            "cap": _cap_summary(rs, version.name, [r.grade for r in rows]) if recorded else None,
            "can_manage": can(request.user, Action.MANAGE_GRADING, org.pk),
        },
    )


def _record_date(request: HttpRequest, year: int) -> date:
    raw = request.POST.get("graded_on") or request.GET.get("ngay") or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return default_graded_on(year)


@require(Action.MANAGE_GRADING)
def grading_record(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Grade every member of a base organization for `year` in one write; the service refuses
    the whole grading (the cap, the reasons, the points) with nothing written."""
    org = get_org_for_user(request.user, pk, Action.MANAGE_GRADING)
    on = _record_date(request, year)
    version = _base_version(org, on)
    rs = grading_rules_on(on)
    rows = grid_rows(org, year, on, rs)
    form = GridForm(request.POST or None, rows=rows, rs=rs, year=year, initial={"graded_on": on})
    if request.method == "POST" and form.is_valid():
        ok, _ = form_write(
            form,
            lambda: grading_record_members(
                base_org=org,
                year=year,
                graded_on=form.cleaned_data["graded_on"],
                grades=form.grades(),
                decision=None,
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, f"Đã ghi kết quả xếp loại năm {year} của «{version.name}».")
            return redirect(_grid_url(org.pk, year))
    chosen = [form[f"grade_{r.member_id}"].value() or "" for r in form.rows]
    return render(
        request,
        "web/grading/record.html",
        {
            "org": org,
            "org_name": version.name,
            "year": year,
            "on": on,
            "rs": rs,
            "form": form,
            "elsewhere": [r for r in rows if r.elsewhere],
            "already": _recorded_on(org, year),
            "cap": _cap_summary(rs, version.name, chosen),
        },
    )


@require(Action.MANAGE_GRADING)
def grading_cap(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The cap line for the grades being chosen (the htmx fragment of the grid form)."""
    org = get_org_for_user(request.user, pk, Action.MANAGE_GRADING)
    on = _record_date(request, year)
    version = _base_version(org, on)
    chosen = [str(v) for k, v in request.POST.items() if k.startswith("grade_")]
    return render(
        request,
        "web/grading/_cap.html",
        {"cap": _cap_summary(grading_rules_on(on), version.name, chosen)},
    )


@require(Action.MANAGE_GRADING)
def grading_withdraw(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Remove a base organization's member grading of `year` to record it again."""
    org = get_org_for_user(request.user, pk, Action.MANAGE_GRADING)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, n = form_write(
            form,
            lambda: grading_withdraw_members(
                base_org=org,
                year=year,
                reason=form.cleaned_data["reason"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, f"Đã hủy {n} kết quả xếp loại năm {year}.")
            return redirect(_grid_url(org.pk, year))
    return render(
        request,
        "web/grading/form.html",
        {
            "form": form,
            "title": f"Hủy kết quả xếp loại đảng viên năm {year} — {org}",
            "submit": "Hủy kết quả",
            "back": _grid_url(org.pk, year),
        },
    )


@require(Action.MANAGE_GRADING)
def grading_org(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Record (or, when recorded, withdraw) an organization's own grade of `year`."""
    org = get_org_for_user(request.user, pk, Action.MANAGE_GRADING)
    own = OrgGrade.objects.filter(org=org, year=year).first()
    back = reverse("web:grading") + f"?org={org.pk}&nam={year}"
    actor = request.user.get_username()
    if own is not None:
        form: Any = WithdrawForm(request.POST or None)
        write: Any = lambda: grading_withdraw_org(  # noqa: E731
            org=org, year=year, reason=form.cleaned_data["reason"], actor=actor
        )
        title = f"Hủy kết quả xếp loại năm {year} của {org} ({grade_label(own.grade)})"
        done = f"Đã hủy kết quả xếp loại năm {year} của «{org}»."
    else:
        form = OrgGradeForm(request.POST or None, initial={"graded_on": default_graded_on(year)})

        def write() -> OrgGrade:
            d = form.cleaned_data
            return grading_record_org(
                org=org,
                year=year,
                graded_on=d["graded_on"],
                grade=d["grade"],
                points=d["points"],
                exemplary=d["exemplary"],
                tasks_done_pct=d["tasks_done_pct"],
                tasks_exceeded_pct=d["tasks_exceeded_pct"],
                tasks_late_pct=d["tasks_late_pct"],
                decision=None,
                actor=actor,
            )

        title = f"Xếp loại tổ chức năm {year} — {org}"
        done = f"Đã ghi kết quả xếp loại năm {year} của «{org}»."
    if request.method == "POST" and form.is_valid():
        ok, _ = form_write(form, write)
        if ok:
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        "web/grading/form.html",
        {
            "form": form,
            "title": title,
            "submit": "Hủy kết quả" if own else "Ghi kết quả",
            "back": back,
        },
    )
