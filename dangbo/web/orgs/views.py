"""The organization tree on a date, an organization's page (history, figures, workbook)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dangbo import vn_format as vf
from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.core.dates import parse_date, today
from dangbo.core.errors import DomainError
from dangbo.figure_labels import (
    BREAKDOWN_LABELS,
    DISCIPLINE_LABELS,
    LABELS,
    breakdowns_caption,
    not_available,
    value_label,
)
from dangbo.figures import FLOWS, INFLOWS, OUTFLOWS, STOCKS, identity_gap
from dangbo.figures_history import opened_on
from dangbo.membership.tree_counts import tree_with_counts
from dangbo.organizations.history import org_history
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_version_shown
from dangbo.reports.compose_congresses import committee_noun, units_held
from dangbo.statistics import PeriodStatistics, period_statistics
from dangbo.web.decorators import require
from dangbo.web.orgs.access import get_org_page_for_user, reachable_org_ids, scope_ids_on
from dangbo.web.orgs.forms import PERIOD_HELP, resolve_period
from dangbo.web.tasks.api import enqueue_and_redirect, start_page
from dangbo.web.tasks.jobs import org_figures_workbook

#: A tree of at most this many organizations opens whole; a larger one opens its first level.
OPEN_ALL_UP_TO = 300
PERIOD_SUGGESTIONS = ("H1", "9M", "Q1", "Q2", "Q3", "Q4", "H2")


def _date_param(request: HttpRequest) -> tuple[date, str]:
    """The `on` parameter (dd/mm/yyyy or ISO; default today) and an error message."""
    text = (request.GET.get("on") or "").strip()
    if not text:
        return today(), ""
    try:
        return parse_date(text, field="ngày"), ""
    except DomainError as exc:
        return today(), exc.message


@require(Action.VIEW_ORGS)
def org_tree(request: HttpRequest) -> HttpResponse:
    on, error = _date_param(request)
    nodes = tree_with_counts(on=on, within=scope_ids_on(request.user, Action.VIEW_ORGS, on))
    rows = []
    for i, n in enumerate(nodes):
        next_depth = nodes[i + 1].node.depth if i + 1 < len(nodes) else 0
        rows.append(
            {
                "n": n,
                "official": vf.number(n.official),
                "probationary": vf.number(n.probationary),
                "closes": range(0 if n.children else n.node.depth - next_depth),
            }
        )
    small = sum(1 for n in nodes if n.below_minimum)
    return render(
        request,
        "web/orgs/tree.html",
        {
            "rows": rows,
            "on": on,
            "on_text": f"{on:%d/%m/%Y}",
            "error": error,
            "small": small,
            "open_all": request.GET.get("mo") == "tat-ca",
            "open_depth": 99 if len(nodes) <= OPEN_ALL_UP_TO else 1,
            "official": vf.number(sum(n.official for n in nodes if n.node.depth == 0)),
            "probationary": vf.number(sum(n.probationary for n in nodes if n.node.depth == 0)),
        },
    )


def _figure_rows(figures: PeriodStatistics) -> dict[str, Any]:
    f = figures.membership
    n = vf.number
    gap = identity_gap(f)
    ins = " + ".join(n(f.count(k)) for k in INFLOWS)
    outs = " + ".join(n(f.count(k)) for k in OUTFLOWS)
    c, g = figures.congresses, figures.grading
    return {
        "eve": f"{f.start - timedelta(days=1):%d/%m/%Y}",
        "end": f"{f.end:%d/%m/%Y}",
        "stocks": [(LABELS[k], n(f.count(f"{k}_start")), n(f.count(f"{k}_end"))) for k in STOCKS],
        "flows": [(LABELS[k], n(f.count(k)), k == "badges_posthumous") for k in FLOWS],
        "badges": [(f"{y} năm", n(v)) for y, v in f.badges_by_milestone.items()],
        "disciplined_total": n(f.disciplined_total),
        "disciplined": [(DISCIPLINE_LABELS.get(k, k), n(v)) for k, v in f.disciplined.items() if v],
        "identity": (
            f"{n(f.members_start)} + ({ins}) − ({outs}) = {n(f.members_end - gap)}; "
            f"cuối kỳ {n(f.members_end)}"
        ),
        "identity_ok": gap == 0,
        "congress": (
            f"{units_held(c)} đã đại hội; bí thư được bầu "
            f"{c.secretaries_elected}; {committee_noun(c)} {c.committee_elected} (nữ "
            f"{vf.percent(c.committee_women, c.committee_elected)})"
            if c.congresses_due or c.congresses_held
            else ""
        ),
        "grading": (
            f"Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên "
            f"{vf.ratio(g.base_orgs_good_or_better, g.base_orgs_total)}; đảng viên được xếp loại "
            f"{vf.ratio(g.members_graded, g.members_total)}, xuất sắc {g.members_excellent}, "
            f"tốt {g.members_good}"
            if g and (g.members_total or g.base_orgs_total)
            else ""
        ),
        "breakdowns_caption": breakdowns_caption(f.end, f.breakdowns_as_of),
        "breakdowns": [
            (
                BREAKDOWN_LABELS.get(dim, dim),
                [(value_label(dim, k), n(v)) for k, v in values.items()],
            )
            for dim, values in (f.breakdowns or {}).items()
        ],
    }


@require(Action.VIEW_ORGS)
def org_page(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org_page_for_user(request.user, pk)
    now = today()
    version = org_version_shown(org, now)
    parent = (
        Organization.objects.filter(pk=version.parent_id).first() if version.parent_id else None
    )
    parent_name = org_version_shown(parent, now).name if parent else ""
    alive = org.dissolved_on is None
    history = org_history(org)
    linked = {v.parent_id for v in history.versions if v.parent_id} | {
        i for r in history.reorganizations for i, _ in r.others
    }
    context: dict[str, Any] = {
        "org": org,
        "v": version,
        "parent": parent,
        "parent_name": parent_name,
        "history": history,
        "reachable": reachable_org_ids(request.user, linked),
        "alive": alive,
        "manage": alive and can(request.user, Action.MANAGE_ORGS, org.pk),
        "period_help": PERIOD_HELP,
        "suggestions": [str(now.year)]
        + [f"{now.year}-{s}" for s in PERIOD_SUGGESTIONS]
        + [str(now.year - 1)],
        "q": {k: request.GET.get(k, "") for k in ("period", "from", "to")},
    }
    if can(request.user, Action.VIEW_FIGURES, org.pk) or (
        not alive and can(request.user, Action.VIEW_FIGURES)
    ):
        try:
            start, end, code = resolve_period(request.GET, org.founded_on)
        except DomainError as exc:
            context["period_error"] = exc.message
        else:
            figures = period_statistics(org, start, end, breakdowns="snapshot")
            opened = figures.membership.not_available_before
            if opened is not None:  # no zeros for a period the records do not cover
                context["period_error"] = (
                    f"{not_available(opened)}; hãy chọn kỳ bắt đầu từ ngày {opened:%d/%m/%Y}."
                )
        if "period_error" not in context:
            context["figures"] = _figure_rows(figures)
            context["period"] = {
                "code": code,
                "text": f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}",
                "query": request.GET.urlencode(),
            }
    template = "web/orgs/_figures.html" if request.htmx else "web/orgs/org.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require(Action.VIEW_FIGURES)
def org_figures_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures of the period (``?period=`` as the organization page asks for it) as an
    xlsx workbook: a POST puts it on the task queue, whose page offers the file; a GET shows
    the button that does. A period the records do not cover is refused at once (400)."""
    org = get_org_page_for_user(request.user, pk, Action.VIEW_FIGURES)
    try:
        start, end, code = resolve_period(request.GET, org.founded_on)
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    opened = opened_on(org.pk)
    if opened is not None and start < opened:
        return HttpResponse(
            f"{not_available(opened)}.", status=400, content_type="text/plain; charset=utf-8"
        )
    name = org_version_shown(org, end).name
    title = f"Bảng số liệu (xlsx): {name}, từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    back = reverse("web:org", kwargs={"pk": org.pk}) + (
        f"?{request.GET.urlencode()}" if request.GET else ""
    )
    if request.method != "POST":
        return start_page(request, title=title, button="Tạo bảng số liệu", back=back)
    return enqueue_and_redirect(
        request,
        org_figures_workbook,
        org.pk,
        start.isoformat(),
        end.isoformat(),
        code,
        title=title,
        org_id=org.pk,
        action=Action.VIEW_FIGURES,
        back=back,
    )
