"""The member register page and its export.

The filters are GET parameters (a search is a link); an htmx request gets the results
fragment only. National ID and phone are masked; a role that may read personal data can
show them (``pd=1``), which is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from dangbo.accounts.masking import mask_citizen_id, mask_phone
from dangbo.accounts.permissions import PERMISSIONS, Action
from dangbo.accounts.scope import assignments_on, can, home_org, scope_org_ids
from dangbo.core.dates import today
from dangbo.core.services import audit
from dangbo.membership.models import Gender, Member, MemberStatus
from dangbo.membership.register import (
    COUNT_CAP,
    RegisterFilter,
    register_page,
    register_queryset,
)
from dangbo.organizations.models import OrgClosure, OrgVersion
from dangbo.vn_format import date_numeric, number
from dangbo.web.decorators import require
from dangbo.web.register.export import EXPORT_LIMIT, register_workbook
from dangbo.web.register.forms import RegisterFilterForm
from dangbo.web.tasks.api import enqueue_and_redirect, start_page

#: Up to this many organizations a scope is passed to the database as a list of ids (and
#: its cells are offered in the filter); above it, as a subquery over the closure, which
#: costs the planner nothing (2,700 literal ids cost PostgreSQL ~50 ms of planning).
SMALL_SCOPE = CELL_LIST_LIMIT = 300
PAGE_SIZE = 50
#: An export of more members than this is written on the task queue.
QUEUE_ABOVE = 5_000
FILTER_PARAMS = ("q", "cell", "status", "gender", "age", "party_age", "theory", "exempt")


@dataclass
class Query:
    """What a register request asks for, within the user's scope."""

    on: date
    scope: frozenset[int] | QuerySet[Any]
    form: RegisterFilterForm
    filters: RegisterFilter
    params: dict[str, str]  # the filter parameters set, to carry into links


def scope_for(user: Any, action: Action, on: date) -> frozenset[int] | QuerySet[Any]:
    """The organizations where `user` may do `action` (as `scope_org_ids`): their ids when
    there are at most `SMALL_SCOPE`, else the closure rows that reach them. One query."""
    roots = {a.org_id for a in assignments_on(user, on) if action in PERMISSIONS[a.role_enum]}
    closure = OrgClosure.objects.filter(ancestor_id__in=roots, valid_from__lte=on, valid_to__gt=on)
    ids = list(closure.values_list("descendant_id", flat=True)[: SMALL_SCOPE + 1])
    return frozenset(ids) if len(ids) <= SMALL_SCOPE else closure


def _cells(scope: frozenset[int] | QuerySet[Any], on: date) -> list[tuple[int, str]] | None:
    if not isinstance(scope, frozenset) or len(scope) > CELL_LIST_LIMIT:
        return None
    return list(
        OrgVersion.objects.filter(
            org_id__in=scope, valid_from__lte=on, valid_to__gt=on, kind__holds_members=True
        )
        .order_by("code", "org_id")
        .values_list("org_id", "name")
    )


def _query(request: HttpRequest, action: Action = Action.VIEW_MEMBERS) -> Query:
    return query_for(request.user, request.GET, today(), action)


def query_for(user: Any, data: Any, on: date, action: Action) -> Query:
    """What the filter parameters `data` ask for on `on`, within `user`'s scope for `action`."""
    scope = scope_for(user, action, on)
    form = RegisterFilterForm(data, cells=_cells(scope, on))
    params = {k: data[k] for k in FILTER_PARAMS if data.get(k, "").strip()}
    return Query(on=on, scope=scope, form=form, filters=form.filters(), params=params)


def _cells_listed(form: RegisterFilterForm) -> bool:
    return bool(getattr(form.fields["cell"], "choices", None))


def _selects(form: RegisterFilterForm) -> list[dict[str, Any]]:
    """The filter selects with their options and the chosen one (rendered by a plain loop:
    Django's select widget renders one template per option, ~0.2 ms each)."""
    out = []
    for name in FILTER_PARAMS[1:]:
        field = form.fields[name]
        choices = getattr(field, "choices", None)
        if not choices:
            continue
        current = str(form.data.get(name, ""))
        out.append(
            {
                "name": name,
                "label": field.label,
                "options": [(str(v), label, str(v) == current) for v, label in choices],
            }
        )
    return out


def _member_href() -> str:
    """The member page's URL with "{pk}" for the id (a plain path while that page is absent)."""
    try:
        return reverse("web:member", kwargs={"pk": 987654321}).replace("987654321", "{pk}")
    except NoReverseMatch:
        return "/thanh-vien/{pk}/"


def _cell_names(rows: list[Member], on: date) -> dict[int, str]:
    ids = {m.cell_id for m in rows} | {m.host_cell_id for m in rows if m.host_cell_id}
    return dict(
        OrgVersion.objects.filter(org_id__in=ids, valid_from__lte=on, valid_to__gt=on).values_list(
            "org_id", "name"
        )
    )


def _row(m: Member, cells: dict[int, str], href: str, unmasked: bool) -> dict[str, Any]:
    p = m.person
    return {
        "href": href.format(pk=m.pk),
        "name": p.full_name,
        "birth": date_numeric(p.birth_date, pad=True),
        "gender": Gender(p.gender).label,
        "cell": cells.get(m.cell_id or 0, ""),
        "host": cells.get(m.host_cell_id, "") if m.host_cell_id else "",
        "status": MemberStatus(m.status).label if m.status else "",
        "probation": m.status == MemberStatus.PROBATIONARY,
        "admitted": date_numeric(m.admitted_on, pad=True) if m.admitted_on else "",
        "card": m.card_number,
        "exempt": m.exempt,
        "citizen_id": (p.citizen_id or "") if unmasked else mask_citizen_id(p.citizen_id),
        "phone": p.phone if unmasked else mask_phone(p.phone),
    }


@require(Action.VIEW_MEMBERS)
def register(request: HttpRequest) -> HttpResponse:
    query = _query(request)
    page = register_page(
        org_ids=query.scope,
        filters=query.filters,
        on=query.on,
        cursor=request.GET.get("c"),
        size=PAGE_SIZE,
    )
    can_personal = can(request.user, Action.VIEW_PERSONAL_DATA, on=query.on)
    show_personal = request.GET.get("pd") == "1" and can_personal
    personal_scope = (
        scope_org_ids(request.user, Action.VIEW_PERSONAL_DATA, on=query.on)
        if show_personal
        else frozenset()
    )
    unmasked = [
        m for m in page.rows if show_personal and {m.cell_id, m.host_cell_id} & personal_scope
    ]
    if unmasked:
        with transaction.atomic():
            audit(
                actor=request.user.get_username(),
                action="register_view_personal_data",
                obj=home_org(request.user) or request.user,
                after={"members": [m.pk for m in unmasked], "filter": query.params},
            )
    cells, href, shown = _cell_names(page.rows, query.on), _member_href(), {m.pk for m in unmasked}
    base = reverse("web:register")
    keep = dict(query.params, **({"pd": "1"} if show_personal else {}))

    def link(**extra: str) -> str:
        args = dict(keep, **extra)
        return base + ("?" + urlencode(args) if args else "")

    context = {
        "form": query.form,
        "page": page,
        "rows": [_row(m, cells, href, m.pk in shown) for m in page.rows],
        "total": number(min(page.total, COUNT_CAP)),
        "more_than": page.more_than_cap,
        "filtered": bool(query.params),
        "next_url": link(c=page.next_cursor) if page.next_cursor else None,
        "prev_url": link(c=page.prev_cursor) if page.prev_cursor else None,
        "first_url": link() if page.prev_cursor else None,
        "export_url": reverse("web:register_export")
        + ("?" + urlencode(query.params) if query.params else ""),
        "can_export": can(request.user, Action.EXPORT_MEMBERS, on=query.on),
        "can_import": can(request.user, Action.RECORD_EVENTS, on=query.on),
        "can_personal": can_personal,
        "show_personal": show_personal,
        "personal_url": link(pd="0" if show_personal else "1"),
        "selects": _selects(query.form),
        "cell_hidden": query.form.data.get("cell", "") if not _cells_listed(query.form) else "",
    }
    if not request.htmx:  # type: ignore[attr-defined]
        return render(request, "web/register/register.html", context)
    response = render(request, "web/register/_results.html", context)
    # the address bar gets the clean link of what is shown (no empty parameters)
    cursor = request.GET.get("c")
    response["HX-Push-Url"] = link(**({"c": cursor} if cursor else {}))
    return response


@require(Action.EXPORT_MEMBERS)
def register_export(request: HttpRequest) -> HttpResponse:
    """POST: the list as filtered (the query string), as xlsx; above :data:`QUEUE_ABOVE`
    members it is written on the task queue (its page is the answer, its result only the
    requester's). A GET shows the button: the export is audited, and a GET writes nothing."""
    query = _query(request, Action.EXPORT_MEMBERS)
    if request.method != "POST":
        return start_page(
            request,
            title="Xuất danh sách đảng viên ra Excel",
            button="Xuất Excel",
            back=reverse("web:register") + ("?" + urlencode(query.params) if query.params else ""),
            note="Danh sách theo điều kiện lọc đang chọn; việc xuất được ghi vào nhật ký.",
        )
    total = register_queryset(org_ids=query.scope, filters=query.filters, on=query.on).count()
    if QUEUE_ABOVE < total <= EXPORT_LIMIT:
        from dangbo.web.register.jobs import register_export_task

        return enqueue_and_redirect(
            request,
            register_export_task,
            int(request.user.pk or 0),
            query.params,
            query.on.isoformat(),
            title=f"Danh sách {number(total)} đảng viên (Excel)",
        )
    personal = scope_org_ids(request.user, Action.VIEW_PERSONAL_DATA, on=query.on)
    org = home_org(request.user)
    try:
        result = register_workbook(
            user=request.user,
            org_ids=query.scope,
            personal_scope=personal,
            filters=query.filters,
            on=query.on,
            title_org=str(org) if org else "",
        )
    except OverflowError:
        messages.error(
            request,
            f"Danh sách có hơn {number(EXPORT_LIMIT)} đảng viên: hãy lọc bớt trước khi xuất.",
        )
        return redirect(reverse("web:register") + "?" + urlencode(query.params))
    response = HttpResponse(
        result,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="danh-sach-dang-vien-{query.on.isoformat()}.xlsx"'
    )
    return response
