"""Organizations: the tree on a date, an organization's history, its figures for a period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dangbo.accounts.permissions import Action
from dangbo.api.gate import action_extra, require
from dangbo.api.params import day, period
from dangbo.api.schemas import READ_ERRORS
from dangbo.core.dates import today
from dangbo.core.errors import InvalidInput
from dangbo.organizations.history import org_history
from dangbo.organizations.selectors import org_tree
from dangbo.statistics import period_statistics
from dangbo.web.orgs.access import get_org_page_for_user, scope_ids_on

router = Router(tags=["Tổ chức"])


class OrgNode(Schema):
    id: int
    code: str
    doc_code: str
    name: str
    kind: str
    kind_name: str
    parent_id: int | None
    depth: int
    founded_on: date
    dissolved_on: date | None


class TreeOut(Schema):
    on: date
    organizations: list[OrgNode]


class DecisionOut(Schema):
    number: str
    issued_on: date
    issuer: str


class VersionOut(Schema):
    valid_from: date
    valid_to: date | None
    name: str
    code: str
    doc_code: str
    kind: str
    parent_id: int | None
    parent_name: str
    decision: DecisionOut | None


class OtherOrg(Schema):
    id: int
    name: str


class ReorgOut(Schema):
    id: int
    kind: str
    kind_label: str
    effective_on: date
    role: str
    decision: DecisionOut | None
    others: list[OtherOrg]


class HistoryOut(Schema):
    id: int
    founded_on: date
    dissolved_on: date | None
    versions: list[VersionOut]
    reorganizations: list[ReorgOut]


class FiguresOut(Schema):
    organization: OtherOrg
    start: date
    end: date
    figures: dict[str, Any]


class TreeQuery(Schema):
    on: date | None = None


class PeriodQuery(Schema):
    period: str | None = Field(
        None, description="2023, 2023-H1, 2023-H2, 2023-9M, 2023-Q3, 2023-M05"
    )
    start: date | None = Field(None, description="ngày đầu kỳ (thay cho period)")
    end: date | None = Field(None, description="ngày cuối kỳ (thay cho period)")


def _decision(d: Any) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"number": d.number, "issued_on": d.issued_on, "issuer": d.issuer}


@router.get(
    "/orgs",
    response={200: TreeOut, **READ_ERRORS},
    operation_id="org_tree",
    summary="Cây tổ chức trong phạm vi tài khoản vào một ngày",
    openapi_extra=action_extra(Action.VIEW_ORGS),
)
def tree(request: HttpRequest, q: Query[TreeQuery]) -> Any:
    require(request, Action.VIEW_ORGS)
    on = day(q.on)
    within = scope_ids_on(request.user, Action.VIEW_ORGS, on)
    nodes = [n for n in org_tree(on=on) if n.id in within]
    return {"on": on, "organizations": [n.__dict__ for n in nodes]}


@router.get(
    "/orgs/{org_id}",
    response={200: HistoryOut, **READ_ERRORS},
    operation_id="org_history",
    summary="Lịch sử một tổ chức: các phiên bản tên, mã, cấp trên và các lần tổ chức lại",
    openapi_extra=action_extra(Action.VIEW_ORGS),
)
def history(request: HttpRequest, org_id: int) -> Any:
    require(request, Action.VIEW_ORGS)
    org = get_org_page_for_user(request.user, org_id, Action.VIEW_ORGS)
    h = org_history(org)
    return {
        "id": org.pk,
        "founded_on": org.founded_on,
        "dissolved_on": org.dissolved_on,
        "versions": [{**v.__dict__, "decision": _decision(v.decision)} for v in h.versions],
        "reorganizations": [
            {
                **r.__dict__,
                "decision": _decision(r.decision),
                "others": [{"id": i, "name": n} for i, n in r.others],
            }
            for r in h.reorganizations
        ],
    }


@router.get(
    "/orgs/{org_id}/figures",
    response={200: FiguresOut, **READ_ERRORS},
    operation_id="org_figures",
    summary="Số liệu của tổ chức (toàn bộ cấp dưới) trong một kỳ, theo các khóa chuẩn",
    description="Các khóa của REPORTS §1 (như `dangbo stats --format json`): số là số "
    "nguyên, tỷ lệ là số thập phân (một chữ số) hoặc null khi mẫu số bằng 0.",
    openapi_extra=action_extra(Action.VIEW_FIGURES),
)
def figures(request: HttpRequest, org_id: int, q: Query[PeriodQuery]) -> Any:
    require(request, Action.VIEW_FIGURES)
    org = get_org_page_for_user(request.user, org_id, Action.VIEW_FIGURES)
    start, end = period(q.period, q.start, q.end)
    if start > today():
        raise InvalidInput(f"Kỳ từ {start:%d/%m/%Y} chưa bắt đầu; chưa có số liệu.", field="period")
    version = org.version_on(end) or org.version_on(start) or org.latest_version
    stats = period_statistics(org, start, end)
    out = stats.to_dict()
    if not stats.membership.available:
        kept = ("from", "to", "not_available_before")
        out.update({k: None for k in stats.membership.to_dict() if k not in kept})
    return {
        "organization": {"id": org.pk, "name": version.name},
        "start": start,
        "end": end,
        "figures": out,
    }
