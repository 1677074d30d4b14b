"""Writes: ledger events of each kind, candidates' steps, target evaluations — each through
the service the web pages call — and the rendering of a report's PDF, each with an
``Idempotency-Key``.

A refusal of the domain is a 422 (409 for an edit conflict) with the rule's code, message,
regulation and field; it is stored under the key like a success.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Header, Router, Schema, Status

from dangbo.accounts.permissions import Action
from dangbo.api.gate import action_extra, actor, require
from dangbo.api.idempotency import HEADER, run_once
from dangbo.api.params import day
from dangbo.api.routers.members import EventOut, event_out
from dangbo.api.routers.members import router as members_router
from dangbo.api.routers.party_work import EvaluationOut, evaluation_out, issued_report
from dangbo.api.routers.party_work import router as party_work_router
from dangbo.api.schemas import WRITE_ERRORS
from dangbo.core.models import IssuerLevel
from dangbo.core.services import decision_get_or_create
from dangbo.membership.admission import candidate_advance, member_admit
from dangbo.membership.edits import EventFields, event_record_fields
from dangbo.membership.models import CandidateStage, EventKind, Member, MemberStatus
from dangbo.reports.models import ReportKind
from dangbo.targets.models import ReviewKind
from dangbo.targets.services import evaluation_record
from dangbo.web.access import get_member_for_user
from dangbo.web.candidates.views import get_candidate_for_user
from dangbo.web.reports.pdf import report_pdf_task
from dangbo.web.reports.views import org_names
from dangbo.web.targets.views import get_target_for_user
from dangbo.web.tasks.api import enqueue

router = Router(tags=["Ghi"])

KEY = Header(
    ...,
    alias=HEADER,
    description="chuỗi duy nhất cho mỗi thao tác ghi; gửi lại "
    "đúng yêu cầu với cùng khóa thì nhận lại kết quả đã ghi, không ghi hai lần",
)


def _post(
    path: str,
    out: type[Schema],
    summary: str,
    action: Action,
    on: Router = router,
    status: int = 201,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a write: `status` with `out`, the write refusals, the action kept in the
    schema; the operation's id is the function's name."""

    def declare(view: Callable[..., Any]) -> Callable[..., Any]:
        return on.post(
            path,
            response={status: out, **WRITE_ERRORS},
            operation_id=view.__name__,
            summary=summary,
            openapi_extra=action_extra(action),
        )(view)

    return declare


RecordedKind = StrEnum(  # type: ignore[misc]
    "RecordedKind",
    {
        k.name: k.value
        for k in EventKind
        if k not in (EventKind.REVERSAL, EventKind.REORGANIZATION, EventKind.DISCIPLINE)
        and k not in (EventKind.OPENING, EventKind.ADMISSION)
    },
)


class DecisionIn(Schema):
    number: str = Field(..., min_length=1, max_length=60)
    issued_on: date
    issuer: str = Field("", max_length=200)
    issuer_level: IssuerLevel = IssuerLevel.BASE


class EventFieldsIn(Schema):
    effective_on: date
    from_org: int | None = Field(None, description="mặc định: chi bộ hiện tại (chuyển sinh hoạt)")
    to_org: int | None = None
    form: str = Field("", max_length=30)
    card_number: str = Field("", max_length=20)
    badge_years: int | None = Field(None, ge=1, le=120)
    early: bool = False
    posthumous: bool = False
    until: date | None = None
    details: dict[str, str | bool] = Field(
        default_factory=dict, description="place, reason, consent, conviction_kind, …"
    )
    decision: DecisionIn | None = None
    exception_decision: DecisionIn | None = None
    version: int | None = Field(
        None, ge=0, description="phiên bản hồ sơ đã xem (chống ghi đè); bỏ trống: không so"
    )


class EventIn(EventFieldsIn):
    kind: RecordedKind


def _decision(d: DecisionIn | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "number": d.number,
        "issued_on": day(d.issued_on, "decision.issued_on").isoformat(),
        "issuer": d.issuer,
        "issuer_level": d.issuer_level.value,
    }


def _fields(m: Member, kind: str, body: EventFieldsIn) -> EventFields:
    from_org = body.from_org
    active = m.status in (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)
    if from_org is None and kind == EventKind.TRANSFER and active:
        from_org = m.cell_id
    out: EventFields = {
        "effective_on": day(body.effective_on, "effective_on").isoformat(),
        "from_org": from_org,
        "to_org": body.to_org,
        "form": body.form,
        "card_number": body.card_number,
        "badge_years": body.badge_years,
        "early": body.early,
        "posthumous": body.posthumous,
        "until": day(body.until, "until").isoformat() if body.until else None,
        "details": dict(body.details),
        "decision": _decision(body.decision),
        "exception_decision": _decision(body.exception_decision),
    }
    return out


def _record(request: HttpRequest, m: Member, kind: str, body: EventFieldsIn, key: str) -> Any:
    def write() -> tuple[int, dict[str, Any]]:
        event = event_record_fields(
            member=m,
            kind=kind,
            fields=_fields(m, kind, body),
            actor=actor(request),
            version=body.version,
        )
        return 201, EventOut(**event_out(event)).model_dump(mode="json")

    return Status(*run_once(request, key, {"kind": kind, **body.model_dump(mode="json")}, write))


@_post(
    "/members/{member_id}/events",
    EventOut,
    "Ghi một sự kiện vào sổ đảng viên (kỷ luật: /discipline)",
    Action.RECORD_EVENTS,
    on=members_router,  # beside the ledger's GET (one router per path)
)
def member_event_record(
    request: HttpRequest, member_id: int, body: EventIn, idempotency_key: str = KEY
) -> Any:
    user = require(request, Action.RECORD_EVENTS)
    m = get_member_for_user(user, member_id, Action.RECORD_EVENTS)
    return _record(request, m, str(body.kind.value), body, idempotency_key)


class DisciplineIn(EventFieldsIn):
    form: str = Field(..., min_length=1, max_length=30, description="hình thức kỷ luật")


@_post(
    "/members/{member_id}/discipline", EventOut, "Ghi kỷ luật đảng viên", Action.RECORD_DISCIPLINE
)
def member_discipline_record(
    request: HttpRequest, member_id: int, body: DisciplineIn, idempotency_key: str = KEY
) -> Any:
    user = require(request, Action.RECORD_DISCIPLINE)
    m = get_member_for_user(user, member_id, Action.RECORD_DISCIPLINE)
    return _record(request, m, EventKind.DISCIPLINE.value, body, idempotency_key)


class StepIn(Schema):
    stage: CandidateStage = Field(description="bước tiếp theo, hoặc «dung» để dừng xem xét")
    effective_on: date
    sponsor: int | None = Field(None, description="đảng viên giúp đỡ (bước phân công)")
    number: str = Field("", max_length=60, description="số nghị quyết, quyết định")
    issuer: str = Field("", max_length=200)
    note: str = Field("", max_length=300)


class StepOut(Schema):
    candidate_id: int
    stage: str
    effective_on: date
    member_id: int | None = None


@_post(
    "/candidates/{candidate_id}/steps",
    StepOut,
    "Ghi bước tiếp theo của quần chúng (hoặc dừng xem xét)",
    Action.MANAGE_CANDIDATES,
)
def candidate_step_record(
    request: HttpRequest, candidate_id: int, body: StepIn, idempotency_key: str = KEY
) -> Any:
    user = require(request, Action.MANAGE_CANDIDATES)
    candidate = get_candidate_for_user(user, candidate_id, Action.MANAGE_CANDIDATES)
    on = day(body.effective_on, "effective_on")

    def write() -> tuple[int, dict[str, Any]]:
        who = actor(request)
        with transaction.atomic():
            decision = None
            if body.number.strip():
                decision = decision_get_or_create(
                    number=body.number.strip(),
                    issued_on=on,
                    issuer=body.issuer,
                    issuer_level=IssuerLevel.CELL
                    if body.stage == CandidateStage.CELL_RESOLUTION
                    else IssuerLevel.BASE,
                )
            member_id = None
            if body.stage == CandidateStage.ADMITTED:
                member = member_admit(
                    candidate=candidate, cell=candidate.cell, on=on, decision=decision, actor=who
                )
                member_id = member.pk
            else:
                sponsor = None
                if body.sponsor is not None:
                    sponsor = (
                        Member.objects.select_related("person").filter(pk=body.sponsor).first()
                    )
                    if sponsor is None:
                        raise Http404("Không tìm thấy đảng viên giúp đỡ.")
                candidate_advance(
                    candidate=candidate,
                    stage=body.stage.value,
                    on=on,
                    sponsor=sponsor,
                    decision=decision,
                    note=body.note,
                    actor=who,
                )
        out = StepOut(
            candidate_id=candidate.pk, stage=body.stage.value, effective_on=on, member_id=member_id
        )
        return 201, out.model_dump(mode="json")

    return Status(*run_once(request, idempotency_key, body.model_dump(mode="json"), write))


class EvaluationIn(Schema):
    kind: ReviewKind
    period_start: date
    period_end: date
    actual: Decimal = Field(..., max_digits=18, decimal_places=4)
    reason: str = Field("", max_length=500, description="bắt buộc khi ghi lại kết quả đã có")


@_post(
    "/targets/{target_id}/evaluations",
    EvaluationOut,
    "Ghi kết quả thực hiện một chỉ tiêu tại một kỳ đánh giá",
    Action.MANAGE_TARGETS,
)
def target_evaluation_record(
    request: HttpRequest, target_id: int, body: EvaluationIn, idempotency_key: str = KEY
) -> Any:
    user = require(request, Action.MANAGE_TARGETS)
    target = get_target_for_user(user, target_id, Action.MANAGE_TARGETS)

    def write() -> tuple[int, dict[str, Any]]:
        evaluation = evaluation_record(
            target=target,
            kind=body.kind.value,
            period_start=day(body.period_start, "period_start"),
            period_end=day(body.period_end, "period_end"),
            actual=body.actual,
            reason=body.reason,
            actor=actor(request),
        )
        return 201, EvaluationOut(**evaluation_out(evaluation)).model_dump(mode="json")

    return Status(*run_once(request, idempotency_key, body.model_dump(mode="json"), write))


class TaskOut(Schema):
    task_id: str = Field(description="việc chạy nền (trang «/viec-nen/<mã>/» của ứng dụng web)")
    pdf_url: str = Field(description="tải tệp PDF ở đây khi việc xong (trước đó: 409)")


@_post(
    "/reports/{report_id}/pdf",
    TaskOut,
    "Tạo nền tệp PDF của một báo cáo đã ban hành",
    Action.VIEW_PARTY_WORK,
    on=party_work_router,  # beside the PDF's GET (one router per path)
    status=202,
)
def report_pdf_render(request: HttpRequest, report_id: int, idempotency_key: str = KEY) -> Any:
    """Queue the rendering (a PDF already kept is found at once by the task)."""
    user = require(request, Action.VIEW_PARTY_WORK)
    report = issued_report(user, report_id)

    def write() -> tuple[int, dict[str, Any]]:
        task_id = enqueue(
            report_pdf_task,
            report.pk,
            owner_id=int(user.pk),
            title=f"Tệp PDF: {ReportKind(report.kind).label} {report.period_code} — "
            + org_names([report.org_id]).get(report.org_id, ""),
            org_id=report.org_id,
            action=Action.VIEW_PARTY_WORK,
        )
        return 202, {"task_id": task_id, "pdf_url": f"/api/reports/{report.pk}/pdf"}

    return Status(*run_once(request, idempotency_key, {}, write))
