"""A member's dues page: the dues facts in force over time and the exemption and reduction
decisions, with the forms recording them through the dues services."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.core.dates import FOREVER, add_months, today
from dangbo.dues import services
from dangbo.dues.compute import months_of
from dangbo.dues.models import DuesCharge, DuesFact, DuesPayment, DuesRelief
from dangbo.dues.rules import month_start
from dangbo.membership.models import Member
from dangbo.web.access import get_member_for_user
from dangbo.web.decorators import require
from dangbo.web.dues.forms import FactForm, ReliefEndForm, ReliefForm
from dangbo.web.forms import form_write


def _back(member: Member) -> str:
    return reverse("web:dues_member", args=[member.pk])


def _active(relief: DuesRelief, this_month: date) -> bool:
    return not relief.revoked and relief.to_month > this_month


def _end_form(relief: DuesRelief, data=None) -> ReliefEndForm:
    """The form ending `relief`, its fields prefixed by the relief (one per row of the page)."""
    initial = {"to_month": max(month_start(today()), relief.from_month), "decision_on": today()}
    return ReliefEndForm(data, prefix=f"ket-thuc-{relief.pk}", initial=initial)


@require(Action.VIEW_PARTY_WORK)
def dues_member(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's dues facts (newest first) and relief decisions; the links to record them
    for a user who may record dues in the member's cell."""
    member = get_member_for_user(request.user, pk, Action.VIEW_PARTY_WORK)
    facts = list(DuesFact.objects.filter(member=member).order_by("-valid_from"))
    can_record = can(request.user, Action.RECORD_DUES, member.cell_id)
    this_month = month_start(today())
    reliefs = [
        (
            r,
            None if r.to_month == FOREVER else add_months(r.to_month, -1),
            _end_form(r) if can_record and _active(r, this_month) else None,
        )
        for r in DuesRelief.objects.filter(member=member).order_by("-from_month", "-pk")
    ]
    year = today().year
    months = months_of(date(year, 1, 1), date(year, 12, 1))
    due = dict(
        DuesCharge.objects.filter(member=member, month__in=months).values_list("month", "amount")
    )
    paid: dict[date, int] = {}
    for month, amount in DuesPayment.objects.filter(member=member, month__in=months).values_list(
        "month", "amount"
    ):
        paid[month] = paid.get(month, 0) + amount
    return render(
        request,
        "web/dues/member.html",
        {
            "member": member,
            "person": member.person,
            "facts": facts,
            "reliefs": reliefs,
            "can_record": can_record,
            "year": year,
            "months": [(m, due.get(m), paid.get(m, 0)) for m in months],
        },
    )


@require(Action.RECORD_DUES)
def dues_fact(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the member's dues facts from a day (a fact of the same day is replaced)."""
    member = get_member_for_user(request.user, pk, Action.RECORD_DUES)
    latest = DuesFact.objects.filter(member=member).order_by("-valid_from").first()
    initial: dict[str, object] = {"valid_from": today()}
    if latest is not None:
        initial |= {
            "category": latest.category,
            "base_amount": latest.base_amount or None,
            "region": latest.region,
        }
    form = FactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _fact = form_write(
            form,
            lambda: services.dues_fact_set(
                member=member,
                valid_from=d["valid_from"],
                category=d["category"],
                base_amount=d["base_amount"] or 0,
                region=d["region"] or "",
                note=d["note"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, "Đã ghi căn cứ đóng đảng phí.")
            return redirect(_back(member))
    return render(
        request,
        "web/dues/member_form.html",
        {"member": member, "form": form, "title": "Căn cứ đóng đảng phí", "submit": "Ghi"},
    )


@require(Action.RECORD_DUES)
def dues_relief(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an exemption or a reduction decision for the member."""
    member = get_member_for_user(request.user, pk, Action.RECORD_DUES)
    form = ReliefForm(
        request.POST or None, initial={"from_month": month_start(today()), "decision_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _relief = form_write(
            form,
            lambda: services.dues_relief_add(
                member=member,
                reason=d["reason"],
                from_month=d["from_month"],
                months=d["months"],
                percent=d["percent"],
                decision_number=d["decision_number"],
                decision_on=d["decision_on"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(request, "Đã ghi quyết định miễn, giảm đảng phí.")
            return redirect(_back(member))
    return render(
        request,
        "web/dues/member_form.html",
        {
            "member": member,
            "form": form,
            "title": "Quyết định miễn, giảm đảng phí",
            "submit": "Ghi quyết định",
        },
    )


@require(Action.RECORD_DUES)
def dues_relief_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End the relief decision `pk` early: the months from the end month are due in full
    again and the member's charges are recomputed.

    Edge cases: an end month from the decision's first month revokes it; a revoked decision
    is not found (404); an end month after the decision's own end is refused beside it.
    """
    relief = get_object_or_404(DuesRelief.objects.select_related("member"), pk=pk)
    member = get_member_for_user(request.user, relief.member_id, Action.RECORD_DUES)
    if relief.revoked:
        raise Http404("Quyết định đã hủy.")
    form = _end_form(relief, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _ended = form_write(
            form,
            lambda: services.dues_relief_end(
                relief=relief,
                to_month=d["to_month"],
                decision_number=d["decision_number"],
                decision_on=d["decision_on"],
                actor=request.user.get_username(),
            ),
        )
        if ok:
            messages.success(
                request, f"Đã kết thúc quyết định {relief.decision_number}; đã tính lại đảng phí."
            )
            return redirect(_back(member))
    return render(
        request,
        "web/dues/member_form.html",
        {
            "member": member,
            "form": form,
            "title": f"Kết thúc sớm quyết định {relief.decision_number}",
            "submit": "Kết thúc",
        },
    )
