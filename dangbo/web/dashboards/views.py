"""The leadership dashboard: an organization over the last years and its units side by
side, four charts, each downloadable as xlsx and PNG."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.core.dates import today
from dangbo.organizations.selectors import org_version_shown
from dangbo.reports.charts import chart_png
from dangbo.vn_format import number
from dangbo.web.access import get_org_for_user
from dangbo.web.dashboards.charts import CHARTS, chart
from dangbo.web.dashboards.data import GRADES, YEARS, Dashboard, Row, dashboard
from dangbo.web.dashboards.jobs import UNITS, dashboard_workbook
from dangbo.web.decorators import require
from dangbo.web.home.orgs import chosen_org
from dangbo.web.svgchart import chart_svg
from dangbo.web.tasks.api import enqueue_and_redirect, start_page


def _cells(row: Row) -> list[str]:
    """The figures of a table row as the page prints them (vn_format)."""
    target = row.admissions_target
    return [
        number(row.members),
        number(row.admissions),
        "—" if target is None else number(target),
        *(number(n) for n in row.grade_counts),
        f"{number(row.targets_done)}/{number(row.targets_total)}",
    ]


def _year(request: HttpRequest, on: date) -> int:
    """`?nam=` between 2000 and this year, else this year."""
    raw = request.GET.get("nam", "")
    if raw.isdigit() and 2000 <= int(raw) <= on.year:
        return int(raw)
    return on.year


@require(Action.VIEW_FIGURES)
def dashboards(request: HttpRequest) -> HttpResponse:
    """The dashboard of `?org=` (in the user's scope for figures) or of the user's own
    organization, for the year `?nam=` and the years before it."""
    on = today()
    chosen = chosen_org(request, Action.VIEW_FIGURES, on)
    year = _year(request, on)
    board = dashboard(chosen.org, chosen.name, year, on)
    charts = [
        (key, title, mark_safe(chart_svg(chart(board, key))))  # noqa: S308 — numbers and escaped text
        for key, title in CHARTS.items()
    ]
    return render(
        request,
        "web/dashboards/dashboard.html",
        {
            "org": chosen.org,
            "board": board,
            "choices": chosen.choices,
            "charts": charts,
            "grades": GRADES,
            "years": [(r.label, _cells(r)) for r in board.years],
            "units": [(r, _cells(r)) for r in board.units],
            "total": _cells(board.total),
            "year_choices": list(range(on.year, max(on.year - 10, 1999), -1)),
            "first_year": year - YEARS + 1,
            "reports_url": reverse("web:task_unit_reports", kwargs={"pk": chosen.org.pk})
            if board.units and can(request.user, Action.DRAFT_REPORTS, chosen.org.pk)
            else "",
        },
    )


def _board(request: HttpRequest, pk: int) -> Dashboard:
    on = today()
    org = get_org_for_user(request.user, pk, Action.VIEW_FIGURES)
    name = org_version_shown(org, on).name
    return dashboard(org, name, _year(request, on), on)


def _attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@require(Action.VIEW_FIGURES)
def dashboard_xlsx(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """A chart's figures by year, or (``don-vi``) the units' table, as xlsx: a POST puts it
    on the task queue, whose page offers the file; a GET shows the button that does."""
    if key != UNITS and key not in CHARTS:
        raise Http404("Không có bảng số liệu này.")
    on = today()
    org = get_org_for_user(request.user, pk, Action.VIEW_FIGURES)
    year = _year(request, on)
    what = "các đơn vị" if key == UNITS else CHARTS[key]
    title = f"Bảng số liệu (xlsx): {what}, {org_version_shown(org, on).name}, năm {year}"
    back = f"{reverse('web:dashboards')}?{urlencode({'org': org.pk, 'nam': year})}"
    if request.method != "POST":
        return start_page(request, title=title, button="Tạo bảng số liệu", back=back)
    return enqueue_and_redirect(
        request,
        dashboard_workbook,
        org.pk,
        key,
        year,
        on.isoformat(),
        title=title,
        org_id=org.pk,
        action=Action.VIEW_FIGURES,
        back=back,
    )


@require(Action.VIEW_FIGURES)
def dashboard_png(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """A chart as PNG, drawn by the reports' chart renderer (no browser)."""
    if key not in CHARTS:
        raise Http404("Không có biểu đồ này.")
    board = _board(request, pk)
    return _attachment(
        chart_png(chart(board, key)), "image/png", f"tong-hop-{key}-{board.year}.png"
    )
