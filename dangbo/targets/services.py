"""Writes for targets: adoption, revision by decision, and evaluations (entered or computed).

Every write is keyword-only, atomic and audited; a refusal raises a ``DomainError``
(mostly ``InvalidInput`` naming the field) before anything is written.

Evaluations (DOMAIN §5):

* Yearly targets (work programme) are evaluated at the 6-month, 9-month and year-end
  review points; term targets (congress resolution) at mid-term and end of term. The
  review period must overlap the target's period and end on or after its adoption.
* A second entry for the same review point (target, kind, start, end) supersedes the
  current one; an entered correction needs a reason. Nothing is overwritten.
* An entry made after the period is closed (its end + ``grace_days()``, or once the
  organization's review report of that period is issued) is accepted, flagged ``late``
  and audited as ``evaluation_record_late`` with the superseded values as "before".
* Computed targets take their actual value from the records over the review period
  clipped to the target's period — the *window* (see
  :func:`dangbo.targets.computed.evaluations_compute`); a value
  entered by hand for them is refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.organizations.models import Organization, Term
from dangbo.organizations.selectors import org_version_on
from dangbo.targets.error_codes import TargetErrorCode
from dangbo.targets.models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    Category,
    Direction,
    Evaluation,
    Figure,
    ReviewKind,
    SourceKind,
    Target,
    TargetRevision,
)
from dangbo.targets.rules import (
    check_percent_unit,
    check_review_kind,
    check_review_period,
    check_revision_date,
    check_target_new,
    check_target_period,
    period_field,
)
from dangbo.targets.selectors import (
    assessment_of,
    current_evaluation,
    in_force,
    period_bounds,
    period_closed,
)

SYSTEM_ACTOR = "hệ thống"
RECOMPUTED_REASON = "Tính lại từ số liệu"


def _d(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def _s(value: Decimal | None) -> str | None:
    """A value for the audit trail: plain digits, no trailing zeros ("6", "0.8")."""
    return None if value is None else format(Decimal(value).normalize(), "f")


# --- input -------------------------------------------------------------------------------
def parse_value(raw, *, field: str, label: str, required: bool = True) -> Decimal | None:
    """A planned, baseline or actual value: int, Decimal or text ("790,2" or "790.2").

    Floats are refused (inexact), as are more than VALUE_PLACES decimals."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise InvalidInput(f"Trường «{label}» không được để trống.", field=field)
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
        raise InvalidInput(
            f"Trường «{label}»: «{raw}» không phải là số hợp lệ (nhập số nguyên "
            "hoặc số thập phân dạng 790,2).",
            field=field,
        )
    value = raw
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        if text.count(",") + text.count(".") > 1:
            raise InvalidInput(
                f"Trường «{label}»: «{raw}» không hợp lệ — không dùng dấu phân cách "
                "hàng nghìn; chỉ một dấu thập phân (790,2).",
                field=field,
            )
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise InvalidInput(
                f"Trường «{label}»: «{raw}» không phải là số hợp lệ.", field=field
            ) from None
    value = Decimal(value)
    if not value.is_finite():
        raise InvalidInput(f"Trường «{label}»: «{raw}» không phải là số hợp lệ.", field=field)
    if abs(value) >= Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES):
        raise InvalidInput(f"Trường «{label}»: giá trị «{raw}» quá lớn.", field=field)
    if value != value.quantize(Decimal(1).scaleb(-VALUE_PLACES)):
        raise InvalidInput(
            f"Trường «{label}»: tối đa {VALUE_PLACES} chữ số sau dấu thập phân.", field=field
        )
    return value


def _text(
    raw: str | None, *, field: str, label: str, max_length: int, required: bool = True
) -> str:
    text = " ".join((raw or "").split())
    if required and not text:
        raise InvalidInput(f"Trường «{label}» không được để trống.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"Trường «{label}» dài quá {max_length} ký tự.", field=field)
    return text


def _choice(value: str, choices, *, field: str, label: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            f"Trường «{label}»: «{value}» không hợp lệ (dùng {', '.join(choices.values)}).",
            field=field,
        )
    return value


def _check_percent_unit(figure: str, unit: str) -> None:
    for v in check_percent_unit(figure=figure, unit=unit):
        raise InvalidInput(v.sentence(), code=v.rule, field="unit")


def _target_dict(t: Target) -> dict:
    return {
        "org": t.org_id,
        "source_kind": t.source_kind,
        "source": t.source_id,
        "term": t.term_id,
        "year": t.year,
        "category": t.category,
        "name": t.name,
        "unit": t.unit,
        "direction": t.direction,
        "planned": _s(t.planned),
        "baseline": _s(t.baseline),
        "computed_from": t.computed_from,
        "adopted_on": t.adopted_on.isoformat(),
    }


# --- adoption and revision ---------------------------------------------------------------
@transaction.atomic
def target_adopt(
    *,
    org: Organization,
    source_kind: str,
    source: Decision | None,
    category: str,
    name: str,
    direction: str,
    planned,
    adopted_on: date,
    actor: str,
    unit: str = "",
    term: Term | None = None,
    year: int | None = None,
    baseline=None,
    computed_from: str = "",
) -> Target:
    """Adopt a target of `org`: a term target of a congress resolution (`term`) or a yearly
    target of a work programme (`year`). `computed_from` (a ``Figure``) makes the records
    fill its actual value."""
    _choice(source_kind, SourceKind, field="source_kind", label="loại văn bản nguồn")
    if source is None:
        raise InvalidInput(
            "Trường «văn bản nguồn» là bắt buộc: chỉ tiêu phải có nghị quyết đại hội "
            "hoặc chương trình công tác năm làm căn cứ.",
            field="source",
        )
    for v in check_target_period(source_kind=source_kind, has_term=term is not None, year=year):
        raise InvalidInput(v.sentence(), code=v.rule, field=period_field(source_kind))
    if term is not None and term.org_id != org.pk:
        raise InvalidInput(f"Nhiệm kỳ {term.label} không phải nhiệm kỳ của «{org}».", field="term")
    _choice(category, Category, field="category", label="nhóm chỉ tiêu")
    _choice(direction, Direction, field="direction", label="chiều đánh giá")
    name = _text(name, field="name", label="tên chỉ tiêu", max_length=300)
    unit = _text(unit, field="unit", label="đơn vị tính", max_length=40, required=False)
    planned = parse_value(planned, field="planned", label="kế hoạch")
    baseline = parse_value(baseline, field="baseline", label="giá trị đầu kỳ", required=False)
    computed_from = computed_from or ""
    if computed_from:
        _choice(computed_from, Figure, field="computed_from", label="tính từ số liệu")
        _check_percent_unit(computed_from, unit)
    if adopted_on < source.issued_on:
        raise InvalidInput(
            f"Ngày thông qua {_d(adopted_on)} trước ngày ban hành văn bản nguồn "
            f"({_d(source.issued_on)}).",
            field="adopted_on",
        )
    org_version_on(org, adopted_on, field="adopted_on")
    target = Target(
        org=org,
        source_kind=source_kind,
        source=source,
        term=term,
        year=year,
        category=category,
        name=name,
        unit=unit,
        direction=direction,
        planned=planned,
        baseline=baseline,
        computed_from=computed_from,
        adopted_on=adopted_on,
        actor=actor,
    )
    start, end = period_bounds(target)
    if adopted_on > end:
        raise InvalidInput(
            f"Ngày thông qua {_d(adopted_on)} sau khi kỳ của chỉ tiêu đã kết thúc ({_d(end)}).",
            field="adopted_on",
        )
    exists = Target.objects.filter(org=org, term=term, year=year, name=name).exists()
    for v in check_target_new(org_name=str(org), name=name, exists=exists):
        raise DomainError(v.sentence(), code=v.rule)
    target.save()
    audit(actor=actor, action="target_adopt", obj=target, after=_target_dict(target))
    return target


@transaction.atomic
def target_revise(
    *,
    target: Target,
    decision: Decision | None,
    effective_on: date,
    reason: str,
    actor: str,
    planned=None,
    unit: str | None = None,
    name: str | None = None,
) -> TargetRevision:
    """Change a target's planned value, unit or name from `effective_on`, by `decision`.

    Values left as None keep those in force on `effective_on`; the target itself is never
    touched."""
    if decision is None:
        raise InvalidInput(
            "Trường «quyết định điều chỉnh» là bắt buộc: chỉ tiêu đã thông qua chỉ "
            "được điều chỉnh theo quyết định của cấp có thẩm quyền, không sửa trực tiếp.",
            field="decision",
        )
    reason = _text(reason, field="reason", label="lý do điều chỉnh", max_length=500)
    for v in check_revision_date(effective_on=effective_on, adopted_on=target.adopted_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="effective_on")
    if effective_on < decision.issued_on:
        raise InvalidInput(
            f"Ngày hiệu lực {_d(effective_on)} trước ngày ban hành quyết định điều chỉnh "
            f"({_d(decision.issued_on)}).",
            field="effective_on",
        )
    _, end = period_bounds(target)
    if effective_on > end:
        raise InvalidInput(
            f"Ngày hiệu lực {_d(effective_on)} sau khi kỳ của chỉ tiêu đã kết thúc ({_d(end)}).",
            field="effective_on",
        )
    current = in_force(target, effective_on)
    new_name = (
        current.name
        if name is None
        else _text(name, field="name", label="tên chỉ tiêu", max_length=300)
    )
    new_unit = (
        current.unit
        if unit is None
        else _text(unit, field="unit", label="đơn vị tính", max_length=40, required=False)
    )
    new_planned = (
        current.planned
        if planned is None
        else parse_value(planned, field="planned", label="kế hoạch")
    )
    if target.computed_from:
        _check_percent_unit(target.computed_from, new_unit)
    if (new_name, new_unit, new_planned) == (current.name, current.unit, current.planned):
        raise InvalidInput(
            "Điều chỉnh không thay đổi tên, đơn vị tính hay kế hoạch của chỉ tiêu "
            f"đang có hiệu lực ngày {_d(effective_on)}.",
            field="planned",
        )
    revision = TargetRevision.objects.create(
        target=target,
        name=new_name,
        unit=new_unit,
        planned=new_planned,
        decision=decision,
        effective_on=effective_on,
        reason=reason,
        actor=actor,
    )
    audit(
        actor=actor,
        action="target_revise",
        obj=revision,
        before={
            "target": target.pk,
            "name": current.name,
            "unit": current.unit,
            "planned": _s(current.planned),
            "revision": current.revision.pk if current.revision else None,
        },
        after={
            "target": target.pk,
            "name": new_name,
            "unit": new_unit,
            "planned": _s(new_planned),
            "decision": decision.pk,
            "effective_on": effective_on.isoformat(),
            "reason": reason,
        },
    )
    return revision


# --- evaluations -------------------------------------------------------------------------
def _check_review(target: Target, kind: str, start: date, end: date) -> None:
    _choice(kind, ReviewKind, field="kind", label="kỳ đánh giá")
    for v in check_review_period(period_start=start, period_end=end):
        raise InvalidInput(v.sentence(), code=v.rule, field="period_end")
    for v in check_review_kind(yearly=target.year is not None, kind=kind, target_name=target.name):
        raise InvalidInput(v.sentence(), code=v.rule, field="kind")
    p_start, p_end = period_bounds(target)
    if start > p_end or end < p_start:
        raise InvalidInput(
            f"Kỳ đánh giá {_d(start)}–{_d(end)} nằm ngoài kỳ của chỉ tiêu "
            f"«{target.name}» ({_d(p_start)}–{_d(p_end)}).",
            field="period_end",
        )
    if end < target.adopted_on:
        raise InvalidInput(
            f"Kỳ đánh giá kết thúc ngày {_d(end)}, trước ngày thông qua chỉ tiêu "
            f"«{target.name}» ({_d(target.adopted_on)}).",
            field="period_end",
        )


def _evaluation_dict(e: Evaluation) -> dict:
    force = in_force(e.target, e.period_end)
    a = assessment_of(e, force.planned)
    return {
        "target": e.target_id,
        "kind": e.kind,
        "period_start": e.period_start.isoformat(),
        "period_end": e.period_end.isoformat(),
        "actual": _s(e.actual),
        "actual_part": e.actual_part,
        "actual_whole": e.actual_whole,
        "computed": e.computed,
        "late": e.late,
        "planned_in_force": _s(force.planned),
        "status": a.status,
        "percent": a.percent,
        "reason": e.reason,
    }


def _write_evaluation(
    target: Target,
    kind: str,
    start: date,
    end: date,
    *,
    actual: Decimal,
    part: int | None,
    whole: int | None,
    computed: bool,
    basis: dict,
    reason: str,
    actor: str,
    previous: Evaluation | None,
) -> Evaluation:
    late = period_closed(target.org_id, start, end, on=timezone.localdate())
    evaluation = Evaluation.objects.create(
        target=target,
        kind=kind,
        period_start=start,
        period_end=end,
        actual=actual,
        actual_part=part,
        actual_whole=whole,
        computed=computed,
        basis=basis,
        late=late,
        supersedes=previous,
        reason=reason,
        actor=actor,
    )
    audit(
        actor=actor,
        action="evaluation_record_late" if late else "evaluation_record",
        obj=evaluation,
        before=_evaluation_dict(previous) if previous else None,
        after=_evaluation_dict(evaluation),
    )
    return evaluation


@transaction.atomic
def evaluation_record(
    *,
    target: Target,
    kind: str,
    period_start: date,
    period_end: date,
    actual,
    actor: str,
    reason: str = "",
) -> Evaluation:
    """Record the actual value entered for `target` at the review point `kind`
    [period_start, period_end]. A second entry for the same point supersedes the first and
    needs `reason`."""
    if target.computed_from:
        raise DomainError(
            f"Chỉ tiêu «{target.name}» được tính tự động từ số liệu ({Figure(target.computed_from).label}); "
            "không nhập tay giá trị thực hiện — hãy dùng chức năng tính kết quả từ số liệu.",
            code=TargetErrorCode.CHI_TIEU_TINH_TU_DONG,
        )
    _check_review(target, kind, period_start, period_end)
    value = parse_value(actual, field="actual", label="thực hiện")
    assert value is not None  # a required value
    reason = _text(reason, field="reason", label="lý do ghi lại", max_length=500, required=False)
    previous = current_evaluation(target, kind, period_start, period_end)
    if previous is not None and not reason:
        raise InvalidInput(
            f"Chỉ tiêu «{target.name}» đã có kết quả kỳ {_d(period_start)}–{_d(period_end)} "
            f"(ghi ngày {timezone.localtime(previous.recorded_at):%d/%m/%Y}); ghi lại phải nêu "
            "«lý do ghi lại».",
            field="reason",
        )
    return _write_evaluation(
        target,
        kind,
        period_start,
        period_end,
        actual=value,
        part=None,
        whole=None,
        computed=False,
        basis={},
        reason=reason,
        actor=actor,
        previous=previous,
    )
