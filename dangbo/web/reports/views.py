"""Read pages of review reports: the list, a report's page, its preview and downloads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin

from dangbo import vn_format as vf
from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.core.models import AuditEntry
from dangbo.organizations.models import OrgVersion
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.models import ReportKind, ReportStatus, ReviewReport
from dangbo.reports.narrative import NARRATIVE_KEYS
from dangbo.reports.render_html import render_html
from dangbo.web.decorators import require
from dangbo.web.reports.access import get_report_for_user
from dangbo.web.reports.forms import (
    AddressingForm,
    IssueForm,
    NarrativeForm,
    OverrideForm,
    override_choices,
)
from dangbo.web.reports.pdf import file_stem, kept_pdf, render_report_docx, report_pdf_task
from dangbo.web.reports.svg import chart_svg
from dangbo.web.tasks.api import enqueue_and_redirect, start_page

PER_PAGE = 50


def org_names(ids: Iterable[int]) -> dict[int, str]:
    """The latest name of each organization (one query)."""
    names: dict[int, str] = {}
    for org_id, name in (
        OrgVersion.objects.filter(org_id__in=set(ids))
        .order_by("org_id", "valid_from")
        .values_list("org_id", "name")
    ):
        names[org_id] = name
    return names


@require(Action.VIEW_PARTY_WORK)
def report_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("trang-thai", "")
    reports = ReviewReport.objects.filter(
        org_id__in=scope_org_ids(request.user, Action.VIEW_PARTY_WORK)
    ).select_related("number")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    pager = Paginator(reports.order_by("-updated_at", "-pk"), PER_PAGE)
    page = pager.get_page(request.GET.get("trang"))
    rows = list(page.object_list)
    names = org_names(r.org_id for r in rows) if rows else {}
    return render(
        request,
        "web/reports/list.html",
        {
            "rows": [
                {
                    "r": r,
                    "org": names.get(r.org_id, ""),
                    "kind": ReportKind(r.kind).label,
                    "issued": r.status == ReportStatus.ISSUED,
                }
                for r in rows
            ],
            "page": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "can_draft": can(request.user, Action.DRAFT_REPORTS),
        },
    )


def _override_reasons(report: ReviewReport) -> dict[str, str]:
    """The reason given with the latest override of each figure."""
    reasons: dict[str, str] = {}
    entries = AuditEntry.objects.filter(
        object_type=report._meta.label_lower, object_id=str(report.pk), action="report_override"
    ).order_by("at", "pk")
    for after in entries.values_list("after", flat=True):
        after = after or {}
        for key in after:
            if key != "reason":
                reasons[key] = str(after.get("reason", ""))
    return reasons


def revision_rows(report: ReviewReport, last: int = 20) -> list[tuple[Any, str, str, str]]:
    """The latest saves of the narrative: when, who, which sections, from where."""
    return [
        (
            r.saved_at,
            r.actor,
            ", ".join(NARRATIVE_KEYS.get(s, s).split(" (")[0] for s in r.sections),
            r.source,
        )
        for r in report.revisions.order_by("-saved_at", "-id")[:last]
    ]


def page_context(request: HttpRequest, report: ReviewReport, **forms: Any) -> dict[str, Any]:
    """What the report's page shows: its state, the section editors, overrides, addressing,
    the history of the narrative, and which actions the user may take."""
    draft = report.status == ReportStatus.DRAFT
    user = request.user
    may_draft = draft and report.org_id in scope_org_ids(user, Action.DRAFT_REPORTS)
    may_issue = draft and report.org_id in scope_org_ids(user, Action.ISSUE_REPORTS)
    labels = dict(override_choices())
    reasons = _override_reasons(report) if report.overrides else {}
    sections = []
    for key, title in NARRATIVE_KEYS.items():
        given = forms.get("narrative_form")
        if given is not None and given.data.get("section") == key:
            form = given
        else:
            form = NarrativeForm(
                initial={"section": key, "text": report.narrative.get(key, "")},
                prefix=None,
            )
        sections.append({"key": key, "title": title, "form": form})
    return {
        "report": report,
        "org_name": org_names([report.org_id]).get(report.org_id, ""),
        "kind": ReportKind(report.kind).label,
        "draft": draft,
        "may_draft": may_draft,
        "may_issue": may_issue,
        "sections": sections,
        "overrides": [
            (labels.get(k, k), k, vf.number(v), reasons.get(k, ""))
            for k, v in sorted(report.overrides.items())
        ],
        "revisions": revision_rows(report),
        "override_form": forms.get("override_form") or OverrideForm(),
        "addressing_form": forms.get("addressing_form")
        or AddressingForm(
            initial={
                "place": report.place,
                "signature_form": report.signature_form,
                "signer_position": report.signer_position,
                "signer_name": report.signer_name,
                "recipients": "\n".join(report.recipients),
            }
        ),
        "issue_form": forms.get("issue_form")
        or IssueForm(initial={"signer_name": report.signer_name}),
        "stem": file_stem(report),
    }


@require(Action.VIEW_PARTY_WORK)
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return render(request, "web/reports/report.html", page_context(request, report))


@xframe_options_sameorigin
@require(Action.VIEW_PARTY_WORK)
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as the composer writes it, in HTML. A POST of a section's text (from the
    editor's «Xem trước») shows the draft with that text, without saving it."""
    report = get_report_for_user(request.user, pk)
    if request.method == "POST" and report.status == ReportStatus.DRAFT:
        form = NarrativeForm(request.POST)
        if form.is_valid():
            report.narrative = {
                **report.narrative,
                form.cleaned_data["section"]: form.cleaned_data["text"],
            }
    return HttpResponse(render_html(compose_review(build_review(report)), draw_chart=chart_svg))


@require(Action.VIEW_PARTY_WORK)
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    response = HttpResponse(
        render_report_docx(report),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        content_disposition_header(True, f"{file_stem(report)}.docx") or ""
    )
    return response


@require(Action.VIEW_PARTY_WORK)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF: at once when this very report was rendered before (an issued one, mostly);
    else a POST puts it on the task queue, whose page shows the progress and then the file.

    A GET of a PDF not rendered yet shows the button that starts it: a GET writes nothing.
    """
    report = get_report_for_user(request.user, pk)
    kept = kept_pdf(render_report_docx(report))
    if kept is not None:
        response = FileResponse(kept.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = (
            content_disposition_header(True, f"{file_stem(report)}.pdf") or ""
        )
        return response  # type: ignore[return-value]  # streamed: the gate passes it through
    name = org_names([report.org_id]).get(report.org_id, "")
    title = f"Tệp PDF: {ReportKind(report.kind).label} {report.period_code} — {name}"
    back = reverse("web:report", kwargs={"pk": report.pk})
    if request.method != "POST":
        return start_page(request, title=title, button="Tạo tệp PDF", back=back)
    return enqueue_and_redirect(
        request,
        report_pdf_task,
        report.pk,
        title=title,
        org_id=report.org_id,
        action=Action.VIEW_PARTY_WORK,
        back=back,
    )
