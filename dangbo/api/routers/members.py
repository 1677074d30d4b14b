"""Members: the register (keyset pages, filters, search without diacritics), a member's
record (personal data masked as the web masks it) and ledger."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from dangbo.accounts.masking import mask_citizen_id, mask_phone, personal_view_audit
from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.api.gate import action_extra, actor, require
from dangbo.api.schemas import READ_ERRORS
from dangbo.core.dates import today
from dangbo.core.errors import InvalidInput
from dangbo.membership.models import EventKind, Gender, Member, MemberEvent, MemberStatus, Theory
from dangbo.membership.register import (
    AGE_BANDS,
    PARTY_AGE_BANDS,
    RegisterFilter,
    register_page,
)
from dangbo.organizations.models import OrgClosure
from dangbo.web.access import get_member_for_user
from dangbo.web.register.views import scope_for

router = Router(tags=["Đảng viên"])

MAX_PAGE = 200


class MemberRow(Schema):
    id: int
    full_name: str
    gender: str
    birth_date: date
    status: str | None
    cell_id: int | None
    host_cell_id: int | None
    admitted_on: date | None
    official_on: date | None
    card_number: str
    exempt: bool
    citizen_id: str = Field(description="che bớt trừ khi vai trò được xem dữ liệu cá nhân")
    phone: str


class MemberPage(Schema):
    items: list[MemberRow]
    next_cursor: str | None
    prev_cursor: str | None
    total: int = Field(description="số đảng viên khớp, đếm tối đa 10.001")


class MemberOut(MemberRow):
    ethnicity: str
    religion: str
    home_town: str
    address: str
    occupation: str
    education: str
    qualification: str
    theory: str
    badges: list[Any]
    out_reason: str
    out_since: date | None
    unmasked: bool


class DecisionRef(Schema):
    number: str
    issued_on: date
    issuer: str
    issuer_level: str


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    effective_on: date
    from_org_id: int | None
    to_org_id: int | None
    form: str
    card_number: str
    badge_years: int | None
    early: bool
    posthumous: bool
    until: date | None
    details: dict[str, Any]
    decision: DecisionRef | None
    exception_decision: DecisionRef | None
    waived_rules: list[str]
    reverses_id: int | None
    actor: str
    recorded_at: datetime


class RegisterQuery(Schema):
    q: str = Field("", max_length=200, description="tên (không cần dấu) hoặc số thẻ")
    org: int | None = Field(None, description="chỉ đảng viên thuộc tổ chức này (và cấp dưới)")
    status: MemberStatus | None = None
    gender: Gender | None = None
    age_band: str | None = Field(None, description="30, 31-40, 41-50, 51-60, 61-70, 71")
    party_age_band: str | None = Field(None, description="0-9, 10-19, 20-29, 30-39, 40-49, 50")
    theory: Theory | None = None
    exempt: bool | None = None
    cursor: str | None = Field(None, max_length=400)
    size: int = Field(50, ge=1, le=MAX_PAGE)


def _band(value: str | None, bands: dict[str, Any], field: str) -> str | None:
    if value and value not in bands:
        raise InvalidInput(
            f"«{value}» không phải một nhóm; chọn một trong: {', '.join(bands)}.", field=field
        )
    return value or None


def decision_ref(d: Any) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "number": d.number,
        "issued_on": d.issued_on,
        "issuer": d.issuer,
        "issuer_level": d.issuer_level,
    }


def member_row(m: Member, unmasked: bool) -> dict[str, Any]:
    p = m.person
    return {
        "id": m.pk,
        "full_name": p.full_name,
        "gender": p.gender,
        "birth_date": p.birth_date,
        "status": m.status,
        "cell_id": m.cell_id,
        "host_cell_id": m.host_cell_id,
        "admitted_on": m.admitted_on,
        "official_on": m.official_on,
        "card_number": m.card_number,
        "exempt": m.exempt,
        "citizen_id": (p.citizen_id or "") if unmasked else mask_citizen_id(p.citizen_id),
        "phone": p.phone if unmasked else mask_phone(p.phone),
    }


@router.get(
    "/members",
    response={200: MemberPage, **READ_ERRORS},
    operation_id="member_list",
    summary="Danh sách đảng viên trong phạm vi (trang theo con trỏ, lọc, tìm không dấu)",
    description="Trang kế tiếp: gửi lại `cursor` bằng `next_cursor` của trang trước. "
    "Thứ tự: tên theo cách xếp tiếng Việt.",
    openapi_extra=action_extra(Action.VIEW_MEMBERS),
)
def member_list(request: HttpRequest, q: Query[RegisterQuery]) -> Any:
    user = require(request, Action.VIEW_MEMBERS)
    on = today()
    scope: Any = scope_for(user, Action.VIEW_MEMBERS, on)
    if q.org is not None:
        if q.org not in scope_org_ids(user, Action.VIEW_MEMBERS):
            raise Http404("Không tìm thấy tổ chức.")
        scope = OrgClosure.objects.filter(ancestor_id=q.org, valid_from__lte=on, valid_to__gt=on)
    filters = RegisterFilter(
        q=q.q,
        status=q.status.value if q.status else None,
        gender=q.gender.value if q.gender else None,
        age_band=_band(q.age_band, AGE_BANDS, "age_band"),
        party_age_band=_band(q.party_age_band, PARTY_AGE_BANDS, "party_age_band"),
        theory=q.theory.value if q.theory else None,
        exempt=q.exempt,
    )
    page = register_page(org_ids=scope, filters=filters, on=on, cursor=q.cursor, size=q.size)
    personal = scope_org_ids(user, Action.VIEW_PERSONAL_DATA)
    return {
        "items": [member_row(m, bool({m.cell_id, m.host_cell_id} & personal)) for m in page.rows],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
        "total": page.total,
    }


@router.get(
    "/members/{member_id}",
    response={200: MemberOut, **READ_ERRORS},
    operation_id="member_detail",
    summary="Hồ sơ một đảng viên",
    description="Số CCCD và điện thoại che bớt trừ khi vai trò được xem dữ liệu cá nhân "
    "(khi đó lần xem được ghi nhật ký).",
    openapi_extra=action_extra(Action.VIEW_MEMBERS),
)
def member_detail(request: HttpRequest, member_id: int) -> Any:
    user = require(request, Action.VIEW_MEMBERS)
    m = get_member_for_user(user, member_id, Action.VIEW_MEMBERS)
    personal = can(user, Action.VIEW_PERSONAL_DATA) and bool(
        {m.cell_id, m.host_cell_id} & scope_org_ids(user, Action.VIEW_PERSONAL_DATA)
    )
    if personal:
        personal_view_audit(person=m.person, actor=actor(request), what="api")
    p = m.person
    return {
        **member_row(m, personal),
        "ethnicity": p.ethnicity,
        "religion": p.religion,
        "home_town": p.home_town,
        "address": p.address if personal else "",
        "occupation": p.occupation,
        "education": p.education,
        "qualification": p.qualification,
        "theory": p.theory,
        "badges": m.badges,
        "out_reason": m.out_reason,
        "out_since": m.out_since,
        "unmasked": personal,
    }


def event_out(e: MemberEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_label": EventKind(e.kind).label,
        "effective_on": e.effective_on,
        "from_org_id": e.from_org_id,
        "to_org_id": e.to_org_id,
        "form": e.form,
        "card_number": e.card_number,
        "badge_years": e.badge_years,
        "early": e.early,
        "posthumous": e.posthumous,
        "until": e.until,
        "details": e.details or {},
        "decision": decision_ref(e.decision),
        "exception_decision": decision_ref(e.exception_decision),
        "waived_rules": list(e.waived_rules or []),
        "reverses_id": e.reverses_id,
        "actor": e.actor,
        "recorded_at": e.recorded_at,
    }


@router.get(
    "/members/{member_id}/events",
    response={200: list[EventOut], **READ_ERRORS},
    operation_id="member_events",
    summary="Sổ sự kiện của một đảng viên (cả sự kiện hủy bỏ)",
    openapi_extra=action_extra(Action.VIEW_MEMBERS),
)
def member_events(request: HttpRequest, member_id: int) -> Any:
    user = require(request, Action.VIEW_MEMBERS)
    m = get_member_for_user(user, member_id, Action.VIEW_MEMBERS)
    events = MemberEvent.objects.filter(member=m).select_related("decision", "exception_decision")
    return [event_out(e) for e in events]
