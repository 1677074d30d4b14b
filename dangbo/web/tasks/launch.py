"""Pages that start long work: the review reports of all units of an organization, the
breakdown snapshot of the large subtrees."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dangbo.accounts.permissions import Action
from dangbo.core.dates import today as today_date
from dangbo.core.errors import DomainError
from dangbo.organizations.selectors import org_version_shown
from dangbo.reports.builder import report_period
from dangbo.web.access import get_org_for_user
from dangbo.web.decorators import require
from dangbo.web.forms import add_domain_error
from dangbo.web.tasks.api import enqueue_and_redirect, start_page
from dangbo.web.tasks.jobs import breakdown_snapshot as breakdown_snapshot_task
from dangbo.web.tasks.jobs import unit_reports as unit_reports_task
from dangbo.web.tasks.units import child_versions


class UnitReportsForm(forms.Form):
    period = forms.CharField(
        label="Kỳ báo cáo",
        max_length=20,
        help_text="Ví dụ 2025-H1 (6 tháng), 2025-9M (9 tháng), 2025 (năm), 2020-2025 (nhiệm kỳ)",
    )
    fmt = forms.ChoiceField(
        label="Định dạng", choices=[("pdf", "PDF"), ("docx", "DOCX (Word)")], initial="pdf"
    )


@require(Action.DRAFT_REPORTS)
def unit_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """A form (period, format); its POST puts the task on the queue and goes to its page.

    A period the reports do not know is refused beside its field; nothing is enqueued.
    """
    org = get_org_for_user(request.user, pk, Action.DRAFT_REPORTS)
    today = date.today()
    version = org_version_shown(org, today)
    form = UnitReportsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"].strip()
        try:
            report_period("", period, org)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return enqueue_and_redirect(
                request,
                unit_reports_task,
                org.pk,
                period,
                form.cleaned_data["fmt"],
                title=f"Báo cáo {period} của các đơn vị trực thuộc {version.name}",
                org_id=org.pk,
                action=Action.DRAFT_REPORTS,
            )
    units = child_versions(org.pk, today)
    return render(
        request,
        "web/tasks/unit_reports.html",
        {"org": org, "version": version, "units": units, "form": form},
    )


@require(Action.MANAGE_ACCOUNTS)
def breakdown_snapshot(request: HttpRequest) -> HttpResponse:
    """The administrator recomputes the breakdowns (age, party age, education…) of the large
    subtrees as of today: a GET shows the button, its POST puts the work on the queue.

    The snapshot is derived from the records (nothing is changed by recomputing it), so an
    administrator of any scope may start it."""
    on = today_date()
    title = f"Tính lại cơ cấu đảng viên tính đến ngày {on:%d/%m/%Y}"
    if request.method != "POST":
        return start_page(request, title=title, button="Tính lại", back=reverse("web:accounts"))
    return enqueue_and_redirect(
        request,
        breakdown_snapshot_task,
        on.isoformat(),
        title=title,
        action=Action.MANAGE_ACCOUNTS,
        back=reverse("web:accounts"),
    )
