"""Exports of the lists and tables of figures as xlsx.

A list naming people (candidates, badges, a grading grid) needs the right to export member
lists and is audited (who, which organization, how many rows) in the same transaction as it
is read; the targets grid needs only the right to read the party work. The figures of all
units of an organization are computed on the task queue.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from dangbo.accounts.permissions import Action
from dangbo.core.dates import today
from dangbo.core.errors import DomainError
from dangbo.core.services import audit
from dangbo.grading.rules import grading_rules_on
from dangbo.membership.agenda import badges_due, next_ceremonies
from dangbo.membership.pipeline import candidates_board
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_version_shown
from dangbo.reports.xlsx_tables import Sheet, workbook
from dangbo.targets.figures import target_figures
from dangbo.web.access import get_org_for_user
from dangbo.web.decorators import require
from dangbo.web.exports import sheets
from dangbo.web.exports.jobs import units_figures_workbook
from dangbo.web.grading.data import default_graded_on, grid_rows
from dangbo.web.grading.views import _base_version, _recorded_on
from dangbo.web.home.orgs import chosen_org
from dangbo.web.orgs.access import get_org_page_for_user
from dangbo.web.orgs.forms import resolve_period
from dangbo.web.targets.data import targets_grid
from dangbo.web.tasks.api import enqueue_and_redirect
from dangbo.web.xlsx import xlsx_response


def _year(request: HttpRequest, default: int) -> int:
    raw = request.GET.get("nam", "")
    return int(raw) if raw.isdigit() and 1930 <= int(raw) <= today().year + 5 else default


def _audited(
    request: HttpRequest, action: str, org: Organization, *sheets_: Sheet, **facts: Any
) -> bytes:
    """The workbook of `sheets_`, audited as `action` on `org` with the rows written."""
    with transaction.atomic():
        data = workbook(*sheets_)
        audit(
            actor=request.user.get_username(),
            action=action,
            obj=org,
            after={"rows": sum(s.written for s in sheets_), "format": "xlsx", **facts},
        )
    return data


@require(Action.EXPORT_MEMBERS)
def candidates_xlsx(request: HttpRequest) -> HttpResponse:
    """The candidates board of `?org=` as a list."""
    on = today()
    chosen = chosen_org(request, Action.EXPORT_MEMBERS, on)
    sheet = sheets.candidates_sheet(chosen.name, on, candidates_board(chosen.org.pk, on=on))
    data = _audited(request, "candidates_export", chosen.org, sheet)
    return xlsx_response(data, f"quan-chung-uu-tu-{on.isoformat()}.xlsx")


@require(Action.EXPORT_MEMBERS)
def badges_xlsx(request: HttpRequest) -> HttpResponse:
    """The members due a badge at the next two ceremonies (the second without those due at
    the first, as the home page lists them) and the badges awarded in `?nam=`."""
    on = today()
    chosen = chosen_org(request, Action.EXPORT_MEMBERS, on)
    year = _year(request, on.year)
    first, second = next_ceremonies(on, 2)
    due1 = badges_due(chosen.org.pk, ceremony=first, on=on)
    seen = {b.member_id for b in due1 if not b.early}
    due2 = [b for b in badges_due(chosen.org.pk, ceremony=second, on=on) if b.member_id not in seen]
    awarded = sheets.badges_awarded(chosen.org, date(year, 1, 1), date(year, 12, 31))
    data = _audited(
        request,
        "badges_export",
        chosen.org,
        sheets.badges_due_sheet(chosen.name, first, due1, 1),
        sheets.badges_due_sheet(chosen.name, second, due2, 2),
        sheets.badges_awarded_sheet(chosen.name, year, awarded),
        year=year,
    )
    return xlsx_response(data, f"huy-hieu-dang-{on.isoformat()}.xlsx")


@require(Action.EXPORT_MEMBERS)
def grading_grid_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A base organization's grading grid of `year`, as its page shows it."""
    org = get_org_for_user(request.user, pk, Action.EXPORT_MEMBERS)
    on = _recorded_on(org, year) or default_graded_on(year)
    version = _base_version(org, on)
    rows = grid_rows(org, year, on, grading_rules_on(on))
    sheet = sheets.grading_sheet(version.name, year, on, rows)
    data = _audited(request, "grading_export", org, sheet, year=year)
    return xlsx_response(data, f"xep-loai-{version.code}-{year}.xlsx")


@require(Action.VIEW_PARTY_WORK)
def targets_xlsx(request: HttpRequest) -> HttpResponse:
    """The targets grid of `?org=` for `?nam=`."""
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, today())
    year = _year(request, today().year)
    figures = target_figures(chosen.org, date(year, 1, 1), date(year, 12, 31))
    sheet = sheets.targets_sheet(chosen.name, year, targets_grid(chosen.org, year), figures)
    return xlsx_response(workbook(sheet), f"chi-tieu-{chosen.org.pk}-{year}.xlsx")


@require(Action.VIEW_FIGURES)
def units_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """POST (the period as the organization page asks for it): the figures of its units side
    by side, computed on the task queue; the answer is the task's page. A period refused is
    said on the organization page, nothing enqueued."""
    org = get_org_page_for_user(request.user, pk, Action.VIEW_FIGURES)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    try:
        start, end, code = resolve_period(request.POST, org.founded_on)
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    version = org_version_shown(org, end)
    text = code or f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
    return enqueue_and_redirect(
        request,
        units_figures_workbook,
        org.pk,
        start.isoformat(),
        end.isoformat(),
        title=f"Số liệu các đơn vị trực thuộc {version.name}, kỳ {text}",
        org_id=org.pk,
        action=Action.VIEW_FIGURES,
    )
