"""Ledger writes from a form: the event's values as plain data, and the edit-conflict guard.

A form (or a cell's proposal) carries an event as plain JSON values (:data:`EventFields`):
dates as ISO text, organizations by id, decisions by their reference. The functions here
turn them into an :func:`~dangbo.membership.events.event_record` call with the same rules.

Two clerks may open the same member's form at once. The form carries the member's version
(:func:`member_version`: the id of the member's latest ledger row, reversals included); a
write given a version refuses with :class:`EditConflict` when the member changed since, so
the second clerk is told instead of writing over a history they did not see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from dangbo.core.errors import DomainError, InvalidInput, RuleViolation
from dangbo.core.models import Decision, IssuerLevel
from dangbo.core.services import decision_get_or_create
from dangbo.membership.admission import member_admit, member_receive
from dangbo.membership.error_codes import MembershipErrorCode, MembershipRule
from dangbo.membership.events import event_record, event_reverse
from dangbo.membership.ledger import EventData
from dangbo.membership.models import EventKind, Member, MemberEvent
from dangbo.membership.people import person_create
from dangbo.membership.planning import NewEvent, OrgIndex, live_events, person_data, plan_member
from dangbo.membership.rules import RULES
from dangbo.organizations.models import Organization

#: The values of one event, as stored in a proposal and posted by a form.
EventFields = dict[str, Any]

_DIRECT_KINDS = frozenset(EventKind.values) - {EventKind.REVERSAL, EventKind.REORGANIZATION}


class EditConflict(DomainError):
    """The member changed after the form was shown; nothing was written."""

    code: str = MembershipErrorCode.HO_SO_DA_THAY_DOI


def member_version(member_id: int) -> int:
    """The id of the member's latest ledger row (0 before any): grows with every write."""
    latest = MemberEvent.objects.filter(member_id=member_id).aggregate(m=Max("pk"))["m"]
    return int(latest or 0)


def _ensure_version(member: Member, version: int) -> None:
    """Refuse when the member's ledger gained a row after `version`; call with the row locked."""
    newer = (
        MemberEvent.objects.filter(member_id=member.pk, pk__gt=version)
        .order_by("-pk")
        .only("kind", "actor", "recorded_at")
        .first()
    )
    if newer is None:
        return
    what = EventKind(newer.kind).label.lower()
    raise EditConflict(
        f"Hồ sơ của {member.person.full_name} vừa được «{newer.actor}» cập nhật ({what}, ghi lúc "
        f"{newer.recorded_at:%H:%M %d/%m/%Y}) sau khi anh/chị mở biểu mẫu; chưa có gì được ghi. "
        "Hãy xem lại hồ sơ rồi nhập lại nếu vẫn cần.",
    )


def _date(value: Any, field: str, *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput("Trường này không được để trống.", field=field)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"«{value}» không phải là ngày.", field=field) from None


def _org(value: Any, field: str) -> Organization | None:
    if value in (None, ""):
        return None
    org: Organization | None = Organization.objects.filter(pk=value).first()
    if org is None:
        raise InvalidInput("Không có tổ chức này.", field=field)
    return org


def _decision(value: Any, field: str, *, save: bool) -> Decision | None:
    """The decision a form cites (None when its number is empty)."""
    if not value or not str(value.get("number", "")).strip():
        return None
    issued_on = _date(value.get("issued_on"), f"{field}.issued_on", required=True)
    assert issued_on is not None
    level = value.get("issuer_level") or IssuerLevel.BASE
    if save:
        return decision_get_or_create(
            number=str(value["number"]),
            issued_on=issued_on,
            issuer=str(value.get("issuer", "")),
            issuer_level=level,
        )
    if level not in IssuerLevel.values:
        raise InvalidInput(f"Cấp ban hành «{level}» không hợp lệ.", field=f"{field}.issuer_level")
    return Decision(
        number=str(value["number"]),
        issued_on=issued_on,
        issuer=str(value.get("issuer", "")),
        issuer_level=level,
    )


def event_kwargs(fields: EventFields, *, save: bool) -> dict[str, Any]:
    """The keyword arguments of `event_record` from plain values (decisions written if `save`)."""
    badge = fields.get("badge_years")
    try:
        badge_years = None if badge in (None, "") else int(str(badge))
    except ValueError:
        raise InvalidInput(f"«{badge}» không phải là số năm.", field="badge_years") from None
    return {
        "effective_on": _date(fields.get("effective_on"), "effective_on", required=True),
        "from_org": _org(fields.get("from_org"), "from_org"),
        "to_org": _org(fields.get("to_org"), "to_org"),
        "form": str(fields.get("form") or ""),
        "card_number": str(fields.get("card_number") or ""),
        "badge_years": badge_years,
        "posthumous": bool(fields.get("posthumous")),
        "early": bool(fields.get("early")),
        "until": _date(fields.get("until"), "until", required=False),
        "details": dict(fields.get("details") or {}),
        "decision": _decision(fields.get("decision"), "decision", save=save),
        "exception_decision": _decision(
            fields.get("exception_decision"), "exception_decision", save=save
        ),
    }


def _with_field(exc: RuleViolation) -> RuleViolation:
    """Name the input the (first) violated rule is about, so a form shows it there."""
    if exc.field is None and exc.violations:
        rule = exc.violations[0].rule
        spec = RULES.get(rule) if isinstance(rule, MembershipRule) else None
        exc.field = spec.field if spec else None
    return exc


def _check_kind(kind: str) -> None:
    if kind not in _DIRECT_KINDS:
        raise InvalidInput(f"Loại sự kiện «{kind}» không ghi trực tiếp được.", field="kind")


def event_check(*, member: Member, kind: str, fields: EventFields) -> list[str]:
    """Check an event against the member's history and the rules without writing anything.

    Raises what recording it would raise now; returns the rules an exception decision waives.
    """
    _check_kind(kind)
    kw = event_kwargs(fields, save=False)
    data = EventData(
        kind=kind,
        effective_on=kw["effective_on"],
        from_org=kw["from_org"].pk if kw["from_org"] else None,
        to_org=kw["to_org"].pk if kw["to_org"] else None,
        form=kw["form"],
        card_number=kw["card_number"],
        badge_years=kw["badge_years"],
        posthumous=kw["posthumous"],
        early=kw["early"],
        until=kw["until"],
        details=kw["details"],
    )
    new = NewEvent(data, decision=kw["decision"], exception_decision=kw["exception_decision"])
    try:
        plan_member(
            person_data(member.person), live_events([member.pk])[member.pk], [new], OrgIndex()
        )
    except RuleViolation as exc:
        raise _with_field(exc) from None
    return new.waived


def event_record_fields(
    *, member: Member, kind: str, fields: EventFields, actor: str, version: int | None = None
) -> MemberEvent:
    """Record an event from plain values; with `version`, refuse if the member changed since.

    The member's row is locked before the version is compared, so of two clerks writing at
    once the second waits and then gets an :class:`EditConflict`.
    """
    _check_kind(kind)
    try:
        with transaction.atomic():
            locked = Member.objects.select_for_update().select_related("person").get(pk=member.pk)
            if version is not None:
                _ensure_version(locked, version)
            event = event_record(
                member=locked, kind=kind, actor=actor, **event_kwargs(fields, save=True)
            )
    except RuleViolation as exc:
        raise _with_field(exc) from None
    member.refresh_from_db()
    return event


def event_reverse_checked(
    *, event: MemberEvent, reason: str, on: date, actor: str, version: int | None = None
) -> MemberEvent:
    """Reverse a wrong event (see `event_reverse`); with `version`, refuse if the member changed."""
    with transaction.atomic():
        locked = Member.objects.select_for_update().select_related("person").get(pk=event.member_id)
        if version is not None:
            _ensure_version(locked, version)
        return event_reverse(event=event, reason=reason, on=on, actor=actor)


def _cell(cell_id: int | None) -> Organization:
    org = _org(cell_id, "cell")
    if org is None:
        raise InvalidInput("Hãy chọn chi bộ.", field="cell")
    return org


def _entry_errors(exc: DomainError) -> DomainError:
    """Name the admission form's inputs: the cell (the ledger says `to_org`) and the date."""
    if isinstance(exc, RuleViolation):
        return _with_field(exc)
    if exc.field == "to_org":
        exc.field = "cell"
    return exc


def person_admit(
    *,
    person: dict[str, Any],
    cell_id: int | None,
    on: date,
    decision: dict[str, Any] | None,
    exception_decision: dict[str, Any] | None = None,
    ceremony_on: date | None = None,
    considered_on: date | None = None,
    actor: str,
) -> Member:
    """Admit a new person: their personal record and the admission, all or nothing
    (`ceremony_on`, `considered_on`: see :func:`member_admit`)."""
    try:
        with transaction.atomic():
            created = person_create(actor=actor, **person)
            return member_admit(
                person=created,
                cell=_cell(cell_id),
                on=on,
                decision=_decision(decision, "decision", save=True),
                exception_decision=_decision(exception_decision, "exception_decision", save=True),
                ceremony_on=ceremony_on,
                considered_on=considered_on,
                actor=actor,
            )
    except DomainError as exc:
        raise _entry_errors(exc) from None


def person_receive(
    *,
    person: dict[str, Any],
    cell_id: int | None,
    on: date,
    status: str,
    admitted_on: date,
    official_on: date | None,
    decision: dict[str, Any] | None,
    ceremony_on: date | None = None,
    actor: str,
) -> Member:
    """Receive a member transferred in from outside the system: a new personal record and the
    transfer in, all or nothing."""
    try:
        with transaction.atomic():
            created = person_create(actor=actor, **person)
            return member_receive(
                person=created,
                cell=_cell(cell_id),
                on=on,
                status=status,
                admitted_on=admitted_on,
                official_on=official_on,
                ceremony_on=ceremony_on,
                decision=_decision(decision, "decision", save=True),
                actor=actor,
            )
    except DomainError as exc:
        raise _entry_errors(exc) from None
