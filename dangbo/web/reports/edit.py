"""Writes of the review report pages: start a draft, its narrative, overrides, addressing,
issue. Each goes through a service of dangbo.reports; a refusal shows beside its field."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import home_org, scope_org_ids
from dangbo.core.dates import today
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.reports import services
from dangbo.reports.models import ReviewReport
from dangbo.reports.narrative import NARRATIVE_KEYS
from dangbo.web.decorators import require
from dangbo.web.forms import form_write
from dangbo.web.reports.access import get_report_for_user
from dangbo.web.reports.forms import (
    AddressingForm,
    IssueForm,
    NarrativeForm,
    NewReportForm,
    OverrideForm,
)
from dangbo.web.reports.views import page_context, revision_rows


def _draft_orgs(user) -> list[tuple[int, str]]:
    """The organizations in today's tree where the user may draft reports (committees first)."""
    on = today()
    return [
        (v.org_id, v.name)
        for v in OrgVersion.objects.filter(
            org_id__in=scope_org_ids(user, Action.DRAFT_REPORTS),
            valid_from__lte=on,
            valid_to__gt=on,
        )
        .select_related("kind")
        .order_by("kind__rank", "name")
    ]


def _page(request: HttpRequest, report: ReviewReport, status: int = 200, **forms) -> HttpResponse:
    return render(
        request, "web/reports/report.html", page_context(request, report, **forms), status=status
    )


@require(Action.DRAFT_REPORTS)
def report_new(request: HttpRequest) -> HttpResponse:
    orgs = _draft_orgs(request.user)
    if request.method == "POST":
        form = NewReportForm(request.POST, orgs=orgs)
        if form.is_valid():
            d = form.cleaned_data
            org = Organization.objects.get(pk=d["org"])  # among the choices: in scope
            ok, result = form_write(
                form,
                lambda: services.report_draft_save(
                    org=org,
                    period_code=d["period_code"],
                    kind=d["kind"] or None,
                    topic=d["topic"],
                    actor=request.user.get_username(),
                ),
            )
            if ok and result is not None:
                report, created = result
                messages.success(
                    request,
                    "Đã tạo bản dự thảo." if created else "Kỳ này đã có bản dự thảo; mở bản đó.",
                )
                return redirect("web:report", pk=report.pk)
    else:
        home = home_org(request.user)
        form = NewReportForm(orgs=orgs, initial={"org": home.pk if home else None})
    return render(request, "web/reports/new.html", {"form": form})


@require(Action.DRAFT_REPORTS)
def report_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one section (a revision with its author); with htmx, answer the section's card
    and ask the page to reload the preview."""
    report = get_report_for_user(request.user, pk, Action.DRAFT_REPORTS)
    if request.method != "POST":
        return redirect("web:report", pk=report.pk)
    form = NarrativeForm(request.POST)
    saved = False
    if form.is_valid():
        key, text = form.cleaned_data["section"], form.cleaned_data["text"].strip()
        ok, _ = form_write(
            form,
            lambda: services.report_update_narrative(
                report=report,
                narrative={key: text},
                actor=request.user.get_username(),
                source="trang web",
            ),
        )
        saved = ok
    if request.htmx:  # type: ignore[attr-defined]
        key = form.data.get("section", "")
        response = render(
            request,
            "web/reports/_section.html",
            {
                "s": {"key": key, "title": NARRATIVE_KEYS.get(key, ""), "form": form},
                "report": report,
                "may_draft": True,
                "saved": saved,
                "oob": saved,
                "revisions": revision_rows(report) if saved else [],
            },
        )
        if saved:
            response["HX-Trigger"] = "report-saved"
        return response
    if saved:
        messages.success(request, "Đã lưu nội dung.")
        return redirect("web:report", pk=report.pk)
    return _page(request, report, narrative_form=form)


def _write(
    request: HttpRequest,
    report: ReviewReport,
    form: forms.Form,
    slot: str,
    write: Callable[[], object],
    done: str,
) -> HttpResponse:
    """Run `write` through :func:`form_write` once `form` is valid (an unbound form needs no
    validation): done, the message `done` and back to the report's page; refused, the page
    with `form` (its errors beside their fields) in its `slot`."""
    if not form.is_bound or form.is_valid():
        ok, _ = form_write(form, write)
        if ok:
            messages.success(request, done)
            return redirect("web:report", pk=report.pk)
    return render(request, "web/reports/report.html", page_context(request, report, **{slot: form}))


@require(Action.DRAFT_REPORTS)
def report_override(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a computed figure with a reason, or (``bo``) give it back to the computation."""
    report = get_report_for_user(request.user, pk, Action.DRAFT_REPORTS)
    if request.method != "POST":
        return redirect("web:report", pk=report.pk)
    actor = request.user.get_username()
    if request.POST.get("bo"):
        return _write(
            request,
            report,
            OverrideForm(),
            "override_form",
            lambda: services.report_override_remove(
                report=report, key=request.POST["bo"], actor=actor
            ),
            "Đã bỏ số liệu sửa tay.",
        )
    form = OverrideForm(request.POST)
    return _write(
        request,
        report,
        form,
        "override_form",
        lambda: services.report_override(
            report=report,
            key=form.cleaned_data["key"],
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
            actor=actor,
        ),
        "Đã sửa số liệu; báo cáo ghi dấu (*).",
    )


@require(Action.DRAFT_REPORTS)
def report_addressing(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, Action.DRAFT_REPORTS)
    if request.method != "POST":
        return redirect("web:report", pk=report.pk)
    form = AddressingForm(request.POST)

    def write() -> object:
        d = form.cleaned_data
        return services.report_set_addressing(
            report=report,
            actor=request.user.get_username(),
            place=d["place"],
            signer_name=d["signer_name"],
            signer_position=d["signer_position"],
            signature_form=d["signature_form"],
            recipients=d["recipients"].splitlines(),
        )

    return _write(
        request,
        report,
        form,
        "addressing_form",
        write,
        "Đã lưu địa danh, người ký và nơi nhận.",
    )


@require(Action.ISSUE_REPORTS)
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the draft: the next BC number of the committee's term, the figures frozen."""
    report = get_report_for_user(request.user, pk, Action.ISSUE_REPORTS)
    if request.method != "POST":
        return redirect("web:report", pk=report.pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data

        def write() -> ReviewReport:
            with transaction.atomic():
                locked = ReviewReport.objects.select_for_update().get(pk=report.pk)
                return services.report_issue(
                    report=locked,
                    on=d["issued_on"],
                    signer_name=d["signer_name"],
                    reason=d["reason"],
                    actor=request.user.get_username(),
                )

        ok, issued = form_write(form, write)
        if ok and issued is not None and issued.number is not None:
            messages.success(
                request,
                f"Đã ban hành Báo cáo số {issued.number.text}, ngày {issued.issued_on:%d/%m/%Y}.",
            )
            return redirect("web:report", pk=report.pk)
    report.refresh_from_db()
    return _page(request, report, issue_form=form)
