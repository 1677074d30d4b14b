"""Party work: congresses, targets, documents (secret ones only where cleared) and issued
review reports with their DOCX and, once rendered, their PDF."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.api.errors import ApiError
from dangbo.api.gate import action_extra, require
from dangbo.api.schemas import READ_ERRORS, ErrorOut
from dangbo.congresses.models import Congress
from dangbo.core.numbers import json_number
from dangbo.documents.models import Direction
from dangbo.documents.selectors import documents_search
from dangbo.reports.models import ReportStatus, ReviewReport
from dangbo.targets.models import Target
from dangbo.targets.selectors import current_evaluations
from dangbo.web.documents.access import get_document_for_user, readable_for_user
from dangbo.web.reports.access import get_report_for_user
from dangbo.web.reports.pdf import kept_pdf, render_report_docx
from dangbo.web.reports.views import file_stem

router = Router(tags=["Công tác đảng"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get(
    path: str, out: Any, summary: str, errors: dict[int, Any] = READ_ERRORS, **extra: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a read of party work: 200 with `out`, the refusals `errors`, the action
    «xem công tác đảng» kept in the schema; the operation's id is the function's name.

    `extra` goes to the router (``description``, ``openapi_extra`` merged with the action).
    """
    openapi_extra = {**action_extra(Action.VIEW_PARTY_WORK), **extra.pop("openapi_extra", {})}

    def declare(view: Callable[..., Any]) -> Callable[..., Any]:
        return router.get(
            path,
            response={200: out, **errors},
            operation_id=view.__name__,
            summary=summary,
            openapi_extra=openapi_extra,
            **extra,
        )(view)

    return declare


class OrgQuery(Schema):
    org: int | None = Field(None, description="chỉ của tổ chức này (mặc định: cả phạm vi)")


def _orgs(user: Any, org: int | None) -> set[int]:
    """The organizations whose party work `user` sees: `org` alone if given (404 when out
    of scope), else the whole scope."""
    scope = set(scope_org_ids(user, Action.VIEW_PARTY_WORK))
    if org is None:
        return scope
    if org not in scope:
        raise Http404("Không tìm thấy tổ chức.")
    return {org}


class CongressOut(Schema):
    id: int
    org_id: int
    term_id: int
    kind: str
    number: int | None
    starts_on: date
    ends_on: date
    summoned: int
    present: int
    approved_on: date | None


@_get("/congresses", list[CongressOut], "Đại hội của các tổ chức trong phạm vi")
def congress_list(request: HttpRequest, q: Query[OrgQuery]) -> Any:
    ids = _orgs(require(request, Action.VIEW_PARTY_WORK), q.org)
    rows = Congress.objects.filter(org_id__in=ids).order_by("starts_on", "pk")
    return [
        {
            "id": c.pk,
            "org_id": c.org_id,
            "term_id": c.term_id,
            "kind": c.kind,
            "number": c.number,
            "starts_on": c.starts_on,
            "ends_on": c.ends_on,
            "summoned": c.summoned,
            "present": c.present,
            "approved_on": c.approved_on,
        }
        for c in rows
    ]


class EvaluationOut(Schema):
    id: int
    kind: str
    period_start: date
    period_end: date
    actual: int | float | str
    computed: bool
    late: bool
    reason: str
    actor: str
    recorded_at: datetime


class TargetOut(Schema):
    id: int
    org_id: int
    name: str
    category: str
    unit: str
    direction: str
    source_kind: str
    year: int | None
    term_id: int | None
    planned: int | float | str
    computed_from: str
    adopted_on: date
    evaluations: list[EvaluationOut] = Field(description="kết quả đang có hiệu lực")


class TargetQuery(OrgQuery):
    year: int | None = Field(None, ge=1930, le=2199, description="chỉ tiêu năm này")


def _number(value: Decimal | None) -> int | float | str | None:
    return None if value is None else json_number(value.normalize())


def evaluation_out(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "period_start": e.period_start,
        "period_end": e.period_end,
        "actual": _number(e.actual),
        "computed": e.computed,
        "late": e.late,
        "reason": e.reason,
        "actor": e.actor,
        "recorded_at": e.recorded_at,
    }


@_get("/targets", list[TargetOut], "Chỉ tiêu nghị quyết và kết quả thực hiện")
def target_list(request: HttpRequest, q: Query[TargetQuery]) -> Any:
    ids = _orgs(require(request, Action.VIEW_PARTY_WORK), q.org)
    targets = Target.objects.filter(org_id__in=ids).order_by("org_id", "pk")
    if q.year is not None:
        targets = targets.filter(Q(year=q.year) | Q(year__isnull=True))
    found = list(targets[:1000])
    evaluations: dict[int, list[dict[str, Any]]] = {}
    for e in current_evaluations().filter(target__in=found).order_by("period_end", "pk"):
        evaluations.setdefault(e.target_id, []).append(evaluation_out(e))
    return [
        {
            "id": t.pk,
            "org_id": t.org_id,
            "name": t.name,
            "category": t.category,
            "unit": t.unit,
            "direction": t.direction,
            "source_kind": t.source_kind,
            "year": t.year,
            "term_id": t.term_id,
            "planned": _number(t.planned),
            "computed_from": t.computed_from,
            "adopted_on": t.adopted_on,
            "evaluations": evaluations.get(t.pk, []),
        }
        for t in found
    ]


class DocumentOut(Schema):
    id: int
    direction: str
    org_id: int
    number_text: str
    type_name: str
    issuer_body: str
    issued_on: date
    received_on: date | None
    title: str
    signer: str
    security_mark: str


class DocumentPage(Schema):
    items: list[DocumentOut]
    next_cursor: str | None


class DocumentQuery(OrgQuery):
    direction: Direction | None = None
    q: str = Field("", max_length=200, description="từ trong số, trích yếu, cơ quan ban hành")
    year: int | None = Field(None, ge=1930, le=2199)
    cursor: str | None = Field(None, max_length=100)
    size: int = Field(50, ge=1, le=200)


def _doc_cursor(text: str | None) -> tuple[date, int] | None:
    if not text:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        day, pk = raw.split(":")
        return date.fromisoformat(day), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def document_out(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "direction": d.direction,
        "org_id": d.org_id,
        "number_text": d.number_text,
        "type_name": d.type_name,
        "issuer_body": d.issuer_body,
        "issued_on": d.issued_on,
        "received_on": d.received_on,
        "title": d.title,
        "signer": d.signer,
        "security_mark": d.security_mark,
    }


@_get(
    "/documents",
    DocumentPage,
    "Sổ văn bản (văn bản mật chỉ khi được xem văn bản mật)",
    description="Mới nhất trước; trang kế tiếp bằng `cursor` = `next_cursor`.",
)
def document_list(request: HttpRequest, q: Query[DocumentQuery]) -> Any:
    user = require(request, Action.VIEW_PARTY_WORK)
    within = _orgs(user, q.org) if q.org is not None else None
    qs = documents_search(
        readable_for_user(user, within=within),
        direction=q.direction.value if q.direction else "",
        text=q.q,
        year=q.year,
        own=within,
    )
    pos = _doc_cursor(q.cursor)
    if pos is not None:
        day, pk = pos
        qs = qs.filter(Q(issued_on__lt=day) | Q(issued_on=day, pk__lt=pk))
    rows = list(qs[: q.size + 1])
    more, rows = len(rows) > q.size, rows[: q.size]
    cursor = None
    if more and rows:
        last = rows[-1]
        raw = f"{last.issued_on.isoformat()}:{last.pk}".encode("ascii")
        cursor = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    return {"items": [document_out(d) for d in rows], "next_cursor": cursor}


@_get("/documents/{document_id}", DocumentOut, "Một văn bản")
def document_detail(request: HttpRequest, document_id: int) -> Any:
    user = require(request, Action.VIEW_PARTY_WORK)
    return document_out(get_document_for_user(user, document_id))


class ReportOut(Schema):
    id: int
    org_id: int
    kind: str
    period_code: str
    period_start: date
    period_end: date
    topic: str
    number: str | None
    issued_on: date | None
    signer_name: str
    docx_url: str
    pdf_url: str = Field(description="tệp PDF khi đã được tạo (POST cùng địa chỉ để tạo)")


def report_out(r: ReviewReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "org_id": r.org_id,
        "kind": r.kind,
        "period_code": r.period_code,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "topic": r.topic,
        "number": r.number.text if r.number is not None else None,
        "issued_on": r.issued_on,
        "signer_name": r.signer_name,
        "docx_url": f"/api/reports/{r.pk}/docx",
        "pdf_url": f"/api/reports/{r.pk}/pdf",
    }


def issued_report(user: Any, pk: int) -> ReviewReport:
    report = get_report_for_user(user, pk)
    if report.status != ReportStatus.ISSUED:
        raise Http404("Không tìm thấy báo cáo đã ban hành.")
    return report


@_get("/reports", list[ReportOut], "Báo cáo sơ kết, tổng kết đã ban hành")
def report_list(request: HttpRequest, q: Query[OrgQuery]) -> Any:
    ids = _orgs(require(request, Action.VIEW_PARTY_WORK), q.org)
    rows = (
        ReviewReport.objects.filter(org_id__in=ids, status=ReportStatus.ISSUED)
        .select_related("number")
        .order_by("-issued_on", "-pk")
    )
    return [report_out(r) for r in rows[:500]]


@_get("/reports/{report_id}", ReportOut, "Một báo cáo đã ban hành")
def report_detail(request: HttpRequest, report_id: int) -> Any:
    user = require(request, Action.VIEW_PARTY_WORK)
    return report_out(issued_report(user, report_id))


@_get(
    "/reports/{report_id}/docx",
    bytes,
    "Tệp DOCX của một báo cáo đã ban hành",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp DOCX",
                "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    },
)
def report_docx(request: HttpRequest, report_id: int) -> Any:
    user = require(request, Action.VIEW_PARTY_WORK)
    report = issued_report(user, report_id)
    return _file(render_report_docx(report), DOCX, f"{file_stem(report)}.docx")


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@_get(
    "/reports/{report_id}/pdf",
    bytes,
    "Tệp PDF của một báo cáo đã ban hành (khi đã được tạo)",
    errors={**READ_ERRORS, 409: ErrorOut},
    description="Chưa tạo thì 409: gửi `POST` cùng địa chỉ (tạo nền), rồi tải lại.",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    },
)
def report_pdf(request: HttpRequest, report_id: int) -> Any:
    user = require(request, Action.VIEW_PARTY_WORK)
    report = issued_report(user, report_id)
    kept = kept_pdf(render_report_docx(report))
    if kept is None:
        raise ApiError(
            409,
            "pdf_chua_tao",
            "Tệp PDF của báo cáo này chưa được tạo: gửi POST /api/reports/"
            f"{report.pk}/pdf (hoặc mở tệp PDF trên trang báo cáo) để tạo, rồi tải lại.",
        )
    return _file(kept.read_bytes(), "application/pdf", f"{file_stem(report)}.pdf")
