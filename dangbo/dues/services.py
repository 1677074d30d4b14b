"""Writes of dues records: facts, exemption and reduction decisions, the month's charges,
payments and their reversal.

Every service is keyword-only, atomic and audited; a refusal raises before anything is
written, with a Vietnamese message naming the field. A change of facts or decisions
recomputes the member's charges already computed from its month on, so what is due never
disagrees with the facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from dangbo.core.dates import FOREVER, add_months
from dangbo.core.errors import DomainError, InvalidInput, RuleViolation
from dangbo.core.services import audit
from dangbo.dues.compute import charges_write, computed_months, months_of, subtree_cells
from dangbo.dues.error_codes import DuesErrorCode
from dangbo.dues.models import Channel, DuesCharge, DuesFact, DuesPayment, DuesRelief
from dangbo.dues.reference import Region
from dangbo.dues.rules import Category, check_exemption, check_reduction, month_label, month_start
from dangbo.membership.models import Member
from dangbo.organizations.models import Organization


def _recompute(member: Member, since: date) -> None:
    months = computed_months(member.pk, since)
    if months:
        charges_write(months, member_ids=[member.pk])


@transaction.atomic
def dues_fact_set(
    *,
    member: Member,
    valid_from: date,
    category: str,
    base_amount: int = 0,
    region: str = "",
    note: str = "",
    actor: str,
) -> DuesFact:
    """From `valid_from` the member pays in `category`; a fact of the same day is replaced.

    Edge cases: salary and pension need their amount; "others" need the region.
    """
    if category not in set(Category):
        raise InvalidInput(f"Đối tượng đóng đảng phí «{category}» không có.", field="category")
    if category in (Category.SALARY, Category.PENSION) and base_amount <= 0:
        raise InvalidInput(
            "Đảng viên hưởng lương hoặc lương hưu cần mức lương làm căn cứ đóng đảng phí.",
            field="base_amount",
        )
    if category == Category.OTHER and region not in set(Region):
        raise InvalidInput(
            "Đối tượng khác cần vùng lương tối thiểu nơi đảng viên sinh sống.", field="region"
        )
    if base_amount < 0:
        raise InvalidInput("Mức lương không được âm.", field="base_amount")
    before = DuesFact.objects.filter(member=member, valid_from=valid_from).first()
    values = {
        "category": category,
        "base_amount": base_amount if category in (Category.SALARY, Category.PENSION) else 0,
        "region": region,
        "note": note,
    }
    fact, _created = DuesFact.objects.update_or_create(
        member=member, valid_from=valid_from, defaults={**values, "actor": actor}
    )
    audit(
        actor=actor,
        action="dues_fact_set",
        obj=fact,
        before=None
        if before is None
        else {
            "category": before.category,
            "base_amount": before.base_amount,
            "region": before.region,
        },
        after={"member": member.pk, "valid_from": valid_from.isoformat(), **values},
    )
    _recompute(member, valid_from)
    return fact


@transaction.atomic
def dues_relief_add(
    *,
    member: Member,
    reason: str,
    from_month: date,
    months: int | None = None,
    percent: int = 100,
    decision_number: str,
    decision_on: date,
    actor: str,
) -> DuesRelief:
    """An exemption (`reason` an exemption reason; `months` None: until revoked) or a
    reduction (`reason` "giam", `percent` 30/50/70, at most 12 months)."""
    first = month_start(from_month)
    if not decision_number.strip():
        raise InvalidInput("Cần số quyết định miễn, giảm đảng phí.", field="decision_number")
    if reason == "giam":
        violations = check_reduction(percent=percent, months=months or 0, from_month=first)
    else:
        violations = check_exemption(reason=reason, from_month=first)
        percent = 100
    if violations:
        raise RuleViolation(violations)
    relief = DuesRelief.objects.create(
        member=member,
        reason=reason,
        percent=percent,
        from_month=first,
        to_month=add_months(first, months) if months else FOREVER,
        decision_number=decision_number.strip(),
        decision_on=decision_on,
        actor=actor,
    )
    audit(
        actor=actor,
        action="dues_relief_add",
        obj=relief,
        after={
            "member": member.pk,
            "reason": reason,
            "percent": percent,
            "from_month": first.isoformat(),
            "to_month": relief.to_month.isoformat(),
            "decision": f"{relief.decision_number} ngày {decision_on:%d/%m/%Y}",
        },
    )
    _recompute(member, first)
    return relief


@transaction.atomic
def dues_relief_end(
    *,
    relief: DuesRelief,
    to_month: date,
    actor: str,
    decision_number: str = "",
    decision_on: date | None = None,
) -> DuesRelief:
    """End an exemption or reduction before the month `to_month` (revoked when it is its first
    month); the decision that ends it, when given, is kept in the audit entry."""
    end = month_start(to_month)
    if end > relief.to_month:
        raise InvalidInput("Chỉ có thể kết thúc sớm hơn thời hạn của quyết định.", field="to_month")
    before = {"to_month": relief.to_month.isoformat(), "revoked": relief.revoked}
    if end <= relief.from_month:
        relief.revoked = True
    else:
        relief.to_month = end
    relief.save(update_fields=["to_month", "revoked"])
    audit(
        actor=actor,
        action="dues_relief_end",
        obj=relief,
        before=before,
        after={
            "to_month": relief.to_month.isoformat(),
            "revoked": relief.revoked,
            **({"decision_number": decision_number} if decision_number else {}),
            **({"decision_on": decision_on.isoformat()} if decision_on else {}),
        },
    )
    _recompute(relief.member, relief.from_month)
    return relief


@transaction.atomic
def dues_charges_compute(*, org: Organization, start: date, end: date, actor: str) -> int:
    """Compute (again) the charges of the members in `org`'s subtree for the months from
    `start`'s to `end`'s; the number of member-months written."""
    months = months_of(start, end)
    if not months or len(months) > 120:
        raise InvalidInput("Khoảng tháng không hợp lệ (tối đa 10 năm).", field="end")
    count = charges_write(months, cells=subtree_cells(org, months[0], end))
    audit(
        actor=actor,
        action="dues_charges_compute",
        obj=org,
        after={"from": months[0].isoformat(), "to": months[-1].isoformat(), "charges": count},
    )
    return count


def _charge(member: Member, month: date) -> DuesCharge:
    charge = DuesCharge.objects.filter(member=member, month=month).first()
    if charge is None:
        charges_write([month], member_ids=[member.pk])
        charge = DuesCharge.objects.filter(member=member, month=month).first()
    if charge is None:
        raise DomainError(
            f"Đảng viên không sinh hoạt ở chi bộ nào trong {month_label(month)}.",
            code=DuesErrorCode.KHONG_SINH_HOAT,
            field="months",
        )
    return charge


@transaction.atomic
def dues_pay(
    *,
    member: Member,
    months: Sequence[date],
    paid_on: date,
    channel: str,
    receipt_number: str = "",
    amount: int | None = None,
    cell: Organization | None = None,
    actor: str,
) -> list[DuesPayment]:
    """Record a payment for each of `months` (several: paid in advance), each for `amount` or,
    by default, the month's due.

    Edge cases: an exempt month is refused; with `cell`, a month that another cell holds is
    refused (a cell records its own months).
    """
    if channel not in Channel.values:
        raise InvalidInput(f"Hình thức nộp «{channel}» không có.", field="channel")
    if not months:
        raise InvalidInput("Chọn ít nhất một tháng.", field="months")
    if amount is not None and amount <= 0:
        raise InvalidInput("Số tiền nộp phải lớn hơn 0.", field="amount")
    payments = []
    for month in sorted({month_start(m) for m in months}):
        charge = _charge(member, month)
        if cell is not None and charge.cell_id != cell.pk:
            raise DomainError(
                f"{month_label(month).capitalize()} đảng viên sinh hoạt ở chi bộ khác.",
                code=DuesErrorCode.SAI_CHI_BO,
                field="months",
            )
        if charge.exempt_reason:
            raise DomainError(
                f"Đảng viên được miễn đóng đảng phí {month_label(month)}.",
                code=DuesErrorCode.DUOC_MIEN,
                field="months",
            )
        value = amount if amount is not None else charge.amount
        if value <= 0:
            raise DomainError(
                f"Chưa tính được số đảng phí phải đóng {month_label(month)} "
                "(thiếu căn cứ đóng đảng phí); nhập số tiền.",
                code=DuesErrorCode.THIEU_CAN_CU,
                field="amount",
            )
        payment = DuesPayment.objects.create(
            member=member,
            month=month,
            cell_id=charge.cell_id,
            amount=value,
            paid_on=paid_on,
            channel=channel,
            receipt_number=receipt_number.strip(),
            actor=actor,
        )
        audit(
            actor=actor,
            action="dues_pay",
            obj=payment,
            after={
                "member": member.pk,
                "month": month.isoformat(),
                "amount": value,
                "paid_on": paid_on.isoformat(),
                "channel": channel,
                "receipt_number": payment.receipt_number,
            },
        )
        payments.append(payment)
    return payments


@transaction.atomic
def dues_payment_reverse(*, payment: DuesPayment, reason: str = "", actor: str) -> DuesPayment:
    """Correct a wrong payment by a row with the opposite amount that points at it."""
    if payment.reverses_id is not None:
        raise DomainError("Không hủy một bút toán hủy.", code=DuesErrorCode.DA_HUY, field="payment")
    if DuesPayment.objects.filter(reverses=payment).exists():
        raise DomainError("Khoản nộp này đã được hủy.", code=DuesErrorCode.DA_HUY, field="payment")
    reversal = DuesPayment.objects.create(
        member_id=payment.member_id,
        month=payment.month,
        cell_id=payment.cell_id,
        amount=-payment.amount,
        paid_on=payment.paid_on,
        channel=payment.channel,
        receipt_number=payment.receipt_number,
        reverses=payment,
        actor=actor,
    )
    audit(
        actor=actor,
        action="dues_payment_reverse",
        obj=reversal,
        after={"reverses": payment.pk, "amount": -payment.amount, "reason": reason},
    )
    return reversal


@transaction.atomic
def dues_cell_month_pay(
    *,
    cell: Organization,
    month: date,
    member_ids: Sequence[int],
    paid_on: date,
    channel: str = Channel.CASH,
    actor: str,
) -> list[DuesPayment]:
    """The cell's month entered at once: each listed member pays what remains due for the
    month (members paid up or exempt are skipped)."""
    first = month_start(month)
    charges_write([first], cells=subtree_cells(cell, first, first))
    charges = {
        c.member_id: c
        for c in DuesCharge.objects.filter(cell=cell, month=first, member_id__in=list(member_ids))
    }
    paid: dict[int, int] = {}
    for member_id, amount in DuesPayment.objects.filter(
        cell=cell, month=first, member_id__in=list(charges)
    ).values_list("member_id", "amount"):
        paid[member_id] = paid.get(member_id, 0) + amount
    out = []
    for member_id in sorted(charges):
        rest = charges[member_id].amount - paid.get(member_id, 0)
        if rest <= 0:
            continue
        out += dues_pay(
            member=Member.objects.get(pk=member_id),
            months=[first],
            paid_on=paid_on,
            channel=channel,
            amount=rest,
            cell=cell,
            actor=actor,
        )
    return out
