"""Inspection, supervision and discipline (kiểm tra, giám sát, thi hành kỷ luật): the cases of
an organization by kind and status, a case's page (steps, conclusion, discipline), and the
inspection committee's own view (the year's figures and the open cases it conducts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.core.dates import today
from dangbo.inspections.figures import inspection_figures
from dangbo.inspections.models import (
    COMPLAINT_KINDS,
    INSPECTION_KINDS,
    SUPERVISION_KINDS,
    Case,
    CaseKind,
    OrgDisciplineForm,
)
from dangbo.membership.models import DisciplineForm
from dangbo.organizations.models import OrgVersion
from dangbo.organizations.selectors import subtree_ids
from dangbo.web.decorators import require
from dangbo.web.home.orgs import chosen_org
from dangbo.web.inspections.access import cases_held, get_case_for_user

GROUPS = {
    "kiem_tra": ("Kiểm tra", INSPECTION_KINDS),
    "giam_sat": ("Giám sát", SUPERVISION_KINDS),
    "khieu_nai": ("Khiếu nại, tố cáo", COMPLAINT_KINDS),
}
STATUSES = {"mo": "Đang tiến hành", "ket_luan": "Đã kết luận"}


def org_names(ids: set[int], on: date) -> dict[int, str]:
    """Names of organizations on `on` (their latest for those gone), in one query."""
    names: dict[int, str] = {}
    rows = OrgVersion.objects.filter(org_id__in=ids, valid_from__lte=on).order_by("valid_from")
    for org_id, name in rows.values_list("org_id", "name"):
        names[org_id] = name
    return names


def _rows(cases: list[Case], on: date) -> list[dict[str, Any]]:
    ids = {c.subject_org_id for c in cases if c.subject_org_id}
    ids |= {c.subject_cell_id for c in cases if c.subject_cell_id}
    names = org_names({i for i in ids if i is not None}, on)
    rows = []
    for c in cases:
        if c.subject_member is not None:
            subject = f"Đảng viên {c.subject_member.person.full_name}"
            where = names.get(c.subject_cell_id or 0, "")
        else:
            subject, where = names.get(c.subject_org_id or 0, ""), ""
        rows.append(
            {
                "case": c,
                "subject": subject,
                "where": where,
                "overdue": c.concluded_on is None and c.ends_on is not None and c.ends_on < on,
                "disciplined": _discipline_label(c),
            }
        )
    return rows


def _discipline_label(case: Case) -> str:
    link = getattr(case, "member_discipline", None)
    if link is not None:
        return DisciplineForm(link.event.form).label
    org_d = getattr(case, "org_discipline", None)
    return OrgDisciplineForm(org_d.form).label if org_d is not None else ""


def _cases(ids: set[int]):
    return cases_held(ids).select_related(
        "subject_member__person", "member_discipline__event", "org_discipline"
    )


@require(Action.VIEW_PARTY_WORK)
def inspections(request: HttpRequest) -> HttpResponse:
    on = today()
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, on)
    within = set(subtree_ids(chosen.org, on=on)) & scope_org_ids(
        request.user, Action.VIEW_PARTY_WORK
    )
    qs = _cases(within)
    group, status = request.GET.get("nhom", ""), request.GET.get("tt", "")
    if group in GROUPS:
        qs = qs.filter(kind__in=GROUPS[group][1])
    if status == "mo":
        qs = qs.filter(concluded_on__isnull=True)
    elif status == "ket_luan":
        qs = qs.filter(concluded_on__isnull=False)
    cases = list(qs.order_by("-starts_on", "-pk")[:200])
    return render(
        request,
        "web/inspections/list.html",
        {
            "org": chosen.org,
            "org_name": chosen.name,
            "choices": chosen.choices,
            "rows": _rows(cases, on),
            "groups": [(k, v[0]) for k, v in GROUPS.items()],
            "statuses": list(STATUSES.items()),
            "group": group,
            "status": status,
            "can_manage": can(request.user, Action.MANAGE_INSPECTIONS),
        },
    )


@require(Action.VIEW_PARTY_WORK)
def inspection_committee(request: HttpRequest) -> HttpResponse:
    """The inspection committee's own view: the year's figures of the organization's subtree
    (as the report counts them) and the open cases the organization conducts."""
    on = today()
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, on)
    year = int(request.GET["nam"]) if request.GET.get("nam", "").isdigit() else on.year
    year = min(max(year, 1945), on.year + 1)
    figures = inspection_figures(chosen.org, date(year, 1, 1), date(year, 12, 31))
    own = list(
        _cases({chosen.org.pk})
        .filter(conducting_org=chosen.org, concluded_on__isnull=True)
        .order_by("ends_on", "starts_on", "pk")
    )
    by_kind = [
        (CaseKind(k).label, c)
        for k in CaseKind.values
        if (c := figures.by_kind.get(k)) is not None and c.cases
    ]
    return render(
        request,
        "web/inspections/committee.html",
        {
            "org": chosen.org,
            "org_name": chosen.name,
            "choices": chosen.choices,
            "year": year,
            "f": figures,
            "by_kind": by_kind,
            "disciplined_members": [
                (DisciplineForm(k).label, n) for k, n in figures.disciplined_members.items() if n
            ],
            "disciplined_orgs": [
                (OrgDisciplineForm(k).label, n) for k, n in figures.disciplined_orgs.items() if n
            ],
            "rows": _rows(own, on),
        },
    )


@require(Action.VIEW_PARTY_WORK)
def inspection_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    on = today()
    row = _rows(
        [
            Case.objects.select_related(
                "subject_member__person", "member_discipline__event", "org_discipline__decision"
            ).get(pk=case.pk)
        ],
        on,
    )[0]
    held = {case.conducting_org_id, case.subject_org_id, case.subject_cell_id} - {None}
    names = org_names({i for i in held if i is not None}, on)
    return render(
        request,
        "web/inspections/case.html",
        {
            "case": row["case"],
            "row": row,
            "conducting": names.get(case.conducting_org_id, ""),
            "steps": list(case.steps.order_by("on", "pk")),
            "can_manage": can(request.user, Action.MANAGE_INSPECTIONS, case.conducting_org_id),
            "can_discipline": can(request.user, Action.RECORD_DISCIPLINE),
        },
    )
