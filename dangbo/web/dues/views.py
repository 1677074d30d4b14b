"""Party dues pages: an organization's figures and alerts with its cells, a cell's month grid
(members × months, paid or not), the quick entry of a whole cell's month."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.core.dates import today
from dangbo.dues import services
from dangbo.dues.book import ward_summary
from dangbo.dues.compute import months_of
from dangbo.dues.figures import dues_figures
from dangbo.dues.rules import month_label
from dangbo.dues.selectors import cell_grid, cell_month_open, underpaid, unpaid_three_months
from dangbo.organizations.models import OrgVersion
from dangbo.vn_format import number
from dangbo.web.access import get_org_for_user
from dangbo.web.decorators import require
from dangbo.web.dues.forms import CellMonthForm
from dangbo.web.forms import form_write
from dangbo.web.home.orgs import chosen_org


def year_of(request: HttpRequest, default: int) -> int:
    text = request.GET.get("nam", "")
    if not text:
        return default
    if not text.isdigit() or not 1945 <= int(text) <= 2200:
        raise Http404("Năm không hợp lệ.")
    return int(text)


def cell_of(request: HttpRequest, pk: int, action: Action):
    org = get_org_for_user(request.user, pk, action)
    version = (
        OrgVersion.objects.filter(org=org).select_related("kind").order_by("-valid_from").first()
    )
    if version is None or not version.kind.holds_members:
        raise Http404("Không phải chi bộ.")
    return org, version.name


@require(Action.VIEW_PARTY_WORK)
def dues(request: HttpRequest) -> HttpResponse:
    """The dues figures of `?org=` for a year, its cells, and the alerts: members with 3 months
    unpaid (grounds for removal) and payments below the due amount."""
    on = today()
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, on)
    year = year_of(request, on.year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    cells = ward_summary(chosen.org, months_of(start, end))
    return render(
        request,
        "web/dues/list.html",
        {
            "org": chosen.org,
            "org_name": chosen.name,
            "org_choices": chosen.choices,
            "year": year,
            "years": list(range(on.year - 4, on.year + 1)),
            "figures": dues_figures(chosen.org, start, end),
            "cells": cells,
            "unpaid": unpaid_three_months(chosen.org, year, as_of=on),
            "underpaid": underpaid(chosen.org, start, min(end, on)),
        },
    )


@require(Action.VIEW_PARTY_WORK)
def dues_cell(request: HttpRequest, org: int) -> HttpResponse:
    """The cell's members × the months of `?nam=`: due and paid, the unpaid months marked."""
    cell, name = cell_of(request, org, Action.VIEW_PARTY_WORK)
    on = today()
    year = year_of(request, on.year)
    months = months_of(date(year, 1, 1), date(year, 12, 1))
    rows = cell_grid(cell, months)
    grid = [
        {
            "row": r,
            "cells": [
                {"month": m, "due": r.months[m][0], "paid": r.months[m][1]}
                if m in r.months
                else None
                for m in months
            ],
        }
        for r in rows
    ]
    totals = [
        (
            sum(r.months.get(m, (0, 0))[0] for r in rows),
            sum(r.months.get(m, (0, 0))[1] for r in rows),
        )
        for m in months
    ]
    return render(
        request,
        "web/dues/cell.html",
        {
            "cell": cell,
            "cell_name": name,
            "year": year,
            "years": list(range(on.year - 4, on.year + 1)),
            "months": months,
            "grid": grid,
            "totals": totals,
            "due": sum(r.due for r in rows),
            "paid": sum(r.paid for r in rows),
            "can_record": can(request.user, Action.RECORD_DUES, cell.pk),
        },
    )


@require(Action.RECORD_DUES)
def dues_cell_month(request: HttpRequest, org: int, year: int, month: int) -> HttpResponse:
    """Quick entry of the cell's month: tick the members who paid; each is recorded for what
    remains due."""
    cell, name = cell_of(request, org, Action.RECORD_DUES)
    if not (1 <= month <= 12 and 1945 <= year <= 2200):
        raise Http404("Tháng không hợp lệ.")
    first = date(year, month, 1)
    choices = [
        (pk, f"{name} — còn {number(rest)} đồng") for pk, name, rest in cell_month_open(cell, first)
    ]
    form = CellMonthForm(
        request.POST or None,
        members=choices,
        initial={
            "paid_on": min(today(), first.replace(day=28)),
            "members": [c[0] for c in choices],
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, written = form_write(
            form,
            lambda: services.dues_cell_month_pay(
                cell=cell,
                month=first,
                member_ids=d["members"],
                paid_on=d["paid_on"],
                channel=d["channel"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(
                request, f"Đã ghi {len(written or [])} khoản nộp {month_label(first)}."
            )
            return redirect(reverse("web:dues_cell", args=[cell.pk]) + f"?nam={year}")
    return render(
        request,
        "web/dues/month.html",
        {
            "cell": cell,
            "cell_name": name,
            "month": first,
            "form": form,
            "year": year,
            "empty": not choices,
        },
    )


@require_POST
@require(Action.RECORD_DUES)
def dues_compute(request: HttpRequest, org: int) -> HttpResponse:
    """Compute (again) the cell's charges of a year up to the current month."""
    cell, _name = cell_of(request, org, Action.RECORD_DUES)
    year = year_of(request, today().year)
    end = min(date(year, 12, 31), today())
    if end < date(year, 1, 1):
        raise Http404("Năm chưa đến.")
    count = services.dues_charges_compute(
        org=cell, start=date(year, 1, 1), end=end, actor=request.user.get_username()
    )
    messages.success(request, f"Đã tính đảng phí {count} tháng-đảng viên.")
    return redirect(reverse("web:dues_cell", args=[cell.pk]) + f"?nam={year}")
