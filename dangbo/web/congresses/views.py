"""The congress overview of an organization for a period and one congress's page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangbo import vn_format as vf
from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.congresses.figures import CongressFigures, congress_figures
from dangbo.congresses.models import Congress, CongressKind, ElectionCandidate, ElectionWhat
from dangbo.congresses.selectors import election_result, seats_awaiting_approval
from dangbo.core.dates import parse_date, today, years_between
from dangbo.core.errors import DomainError
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.selectors import org_name_on, subtree_ids
from dangbo.reports.compose_congresses import committee_noun, congress_paragraph, units_held
from dangbo.web.congresses.access import get_congress_for_user
from dangbo.web.decorators import require
from dangbo.web.home.orgs import chosen_org


def period_params(request: HttpRequest, year: int) -> tuple[date, date, str]:
    """`from`/`to` (dd/mm/yyyy or ISO; default the calendar year `year`) and an error."""
    start, end, error = date(year, 1, 1), date(year, 12, 31), ""
    try:
        if request.GET.get("from", "").strip():
            start = parse_date(request.GET["from"].strip(), field="từ ngày")
        if request.GET.get("to", "").strip():
            end = parse_date(request.GET["to"].strip(), field="đến ngày")
    except DomainError as exc:
        error = exc.message
    if end < start:
        start, end, error = date(year, 1, 1), date(year, 12, 31), "Kỳ không hợp lệ."
    return start, end, error


def composition(c: CongressFigures) -> list[dict[str, str]]:
    """The committee elected as the report states it: women, re-elected, first time."""
    n = c.committee_elected
    rows = [
        ("Nữ", c.committee_women),
        ("Tái cử", c.committee_reelected),
        ("Tham gia lần đầu", c.committee_first_time),
    ]
    return [
        {"label": label, "ratio": vf.ratio(k, n), "pct": vf.percent(k, n) if n else "—"}
        for label, k in rows
    ]


def congress_rows(org_ids: list[int], start: date, end: date) -> dict[str, list[dict[str, Any]]]:
    """The congresses of `org_ids` opening in [start, end], by the term they open."""
    congresses = list(
        Congress.objects.filter(org_id__in=org_ids, starts_on__gte=start, starts_on__lte=end)
        .select_related("term")
        .order_by("term__label", "starts_on", "pk")
    )
    names = dict(
        OrgVersion.objects.filter(
            org_id__in={c.org_id for c in congresses}, valid_from__lte=end, valid_to__gt=start
        )
        .order_by("valid_from")
        .values_list("org_id", "name")
    )
    by_term: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in congresses:
        by_term[c.term.label].append(
            {
                "congress": c,
                "org_name": names.get(c.org_id, str(c.org_id)),
                "dates": vf.date_numeric(c.starts_on),
                "kind": CongressKind(c.kind).label,
                "approved": vf.date_numeric(c.approved_on) if c.approved_on else "",
            }
        )
    return dict(by_term)


EXCLUSIONS = (
    "temporarily_elsewhere",
    "absent_exempt",
    "suspended_detained",
    "absent_approved",
    "absent_delegates_no_substitute",
    "absent_convening_committee",
)
AGE_BANDS = ((0, 35, "Dưới 35 tuổi"), (35, 50, "Từ 35 đến dưới 50 tuổi"), (50, 200, "Từ 50 tuổi"))


def committee_ages(org: Organization, org_ids: list[int], start: date, end: date) -> dict:
    """Ages on the congress day of the committee members elected at the congresses of the
    units below `org` in [start, end] (the committee, or the secretary and deputies where no
    committee is elected; one per person and congress): the average and the bands."""
    pairs = set(
        ElectionCandidate.objects.filter(
            election__congress__org_id__in=set(org_ids) - {org.pk},
            election__congress__starts_on__gte=start,
            election__congress__starts_on__lte=end,
            election__what__in=(
                ElectionWhat.COMMITTEE,
                ElectionWhat.SECRETARY,
                ElectionWhat.DEPUTY,
            ),
            elected_in_round__isnull=False,
        ).values_list(
            "election__congress_id",
            "person_id",
            "election__congress__starts_on",
            "person__birth_date",
        )
    )
    ages = [years_between(born, on) for _, _, on, born in pairs]
    n = len(ages)
    bands = [
        {"label": label, "ratio": vf.ratio(k, n), "pct": vf.percent(k, n) if n else "—"}
        for low, high, label in AGE_BANDS
        for k in [sum(1 for a in ages if low <= a < high)]
    ]
    average = vf.number(Decimal(sum(ages)) / n, 1) if n else "—"
    return {"average": average, "bands": bands}


@require(Action.VIEW_PARTY_WORK)
def congress_overview(request: HttpRequest) -> HttpResponse:
    """The congresses of an organization's subtree in a period, its figures and the
    report's congress paragraph (the same composer as the review report). The period
    defaults to the year of the latest congress held (a round of congresses), else this
    year; the years with congresses are offered as links."""
    on = today()
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, on)
    org = chosen.org
    org_ids = subtree_ids(org, on=on)
    years = sorted(
        {
            d.year
            for d in Congress.objects.filter(org_id__in=org_ids, starts_on__lte=on)
            .values_list("starts_on", flat=True)
            .distinct()
        }
    )
    start, end, error = period_params(request, years[-1] if years else on.year)
    figures = congress_figures(org, start, end)
    context = {
        "org": org,
        "org_name": chosen.name,
        "choices": chosen.choices,
        "start": start,
        "end": end,
        "period": f"{vf.date_numeric(start)} – {vf.date_numeric(end)}",
        "error": error,
        "figures": figures,
        "units_held": units_held(figures),
        "committee_noun": committee_noun(figures),
        "composition": composition(figures),
        "ages": committee_ages(org, org_ids, start, end),
        "paragraph": congress_paragraph(figures, chosen.name),
        "by_term": congress_rows(org_ids, start, end),
        "years": years,
        "may_plan": can(request.user, Action.MANAGE_CONGRESSES),
    }
    return render(request, "web/congresses/overview.html", context)


@require(Action.VIEW_PARTY_WORK)
def congress_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance and threshold, each election with its rounds, winners and what is left,
    the people awaiting approval, and the approval."""
    congress = get_congress_for_user(request.user, pk)
    results = [election_result(e) for e in congress.elections.order_by("pk")]
    may_manage = can(request.user, Action.MANAGE_CONGRESSES, congress.org_id)
    context = {
        "congress": congress,
        "org_name": org_name_on(congress.org, congress.starts_on),
        "kind": CongressKind(congress.kind).label,
        "starts_on": vf.date_numeric(congress.starts_on),
        "ends_on": vf.date_numeric(congress.ends_on),
        "approved_on": vf.date_numeric(congress.approved_on) if congress.approved_on else "",
        "results": results,
        "exclusions": [
            (Congress._meta.get_field(name).verbose_name, getattr(congress, name))  # type: ignore[union-attr]
            for name in EXCLUSIONS
            if getattr(congress, name)
        ],
        "pending": seats_awaiting_approval(congress.org) if not congress.approved_on else [],
        "may_manage": may_manage and congress.approved_on is None,
    }
    return render(request, "web/congresses/congress.html", context)
