"""Dues in the interchange file: the members' dues facts, exemption and reduction decisions
and the payments (a reversal names the payment it corrects and carries its amount).

The charges are derived (from these records and the membership spells) and are not in the
file: after an import, ``dangbo dues compute ORG --from … --to …`` computes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dangbo.core.dates import FOREVER
from dangbo.dues.models import (
    REGION_CHOICES,
    RELIEF_CHOICES,
    Channel,
    DuesFact,
    DuesPayment,
    DuesRelief,
)
from dangbo.dues.rules import Category, check_exemption, check_reduction
from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import Checker
from dangbo.interchange.schema import App, Field, RecordType, string

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer

AMOUNT_MAX = 10**12

DUES_FACT = RecordType(
    "dues_fact",
    "dues-fact",
    "căn cứ đóng đảng phí",
    (
        Field("member", "ref", required=True, target="member"),
        Field("valid_from", "date", required=True),
        string(DuesFact, "category", required=True, choices=[c.value for c in Category]),
        Field("base_amount", "int", default=0, maximum=AMOUNT_MAX),
        string(DuesFact, "region", choices=["", *(r for r, _ in REGION_CHOICES)]),
        string(DuesFact, "note"),
        string(DuesFact, "actor"),
    ),
)
DUES_RELIEF = RecordType(
    "dues_relief",
    "dues-relief",
    "quyết định miễn, giảm đảng phí",
    (
        Field("member", "ref", required=True, target="member"),
        string(DuesRelief, "reason", required=True, choices=[r for r, _ in RELIEF_CHOICES]),
        Field("percent", "int", default=100, maximum=100),
        Field("from_month", "date", required=True),
        Field("to_month", "date"),
        string(DuesRelief, "decision_number", required=True),
        Field("decision_on", "date", required=True),
        Field("revoked", "bool", default=False),
        string(DuesRelief, "actor"),
    ),
)
DUES_PAYMENT = RecordType(
    "dues_payment",
    "dues-payment",
    "khoản nộp đảng phí",
    (
        Field("member", "ref", required=True, target="member"),
        Field("month", "date", required=True),
        Field("cell", "ref", required=True, target="organization"),
        Field("amount", "int", required=True, maximum=AMOUNT_MAX),
        Field("paid_on", "date", required=True),
        string(DuesPayment, "channel", required=True, choices=Channel.values),
        string(DuesPayment, "receipt_number"),
        Field("reverses", "ref", target="dues_payment"),
        string(DuesPayment, "actor"),
    ),
)


def _export(w: Writer) -> None:
    members, orgs = w.refs["member"], w.refs["organization"]
    refs = w.number(DuesFact, DUES_FACT)
    for f in DuesFact.objects.order_by("pk"):
        w.record(
            DUES_FACT,
            refs[f.pk],
            {
                "member": members[f.member_id],
                "valid_from": f.valid_from,
                "category": f.category,
                "base_amount": f.base_amount,
                "region": f.region,
                "note": f.note,
                "actor": f.actor,
            },
        )
    refs = w.number(DuesRelief, DUES_RELIEF)
    for r in DuesRelief.objects.order_by("pk"):
        w.record(
            DUES_RELIEF,
            refs[r.pk],
            {
                "member": members[r.member_id],
                "reason": r.reason,
                "percent": r.percent,
                "from_month": r.from_month,
                "to_month": None if r.to_month == FOREVER else r.to_month,
                "decision_number": r.decision_number,
                "decision_on": r.decision_on,
                "revoked": r.revoked,
                "actor": r.actor,
            },
        )
    refs = w.number(DuesPayment, DUES_PAYMENT)
    for p in DuesPayment.objects.order_by("pk").iterator(chunk_size=5_000):
        w.record(
            DUES_PAYMENT,
            refs[p.pk],
            {
                "member": members[p.member_id],
                "month": p.month,
                "cell": orgs[p.cell_id],
                "amount": abs(p.amount),
                "paid_on": p.paid_on,
                "channel": p.channel,
                "receipt_number": p.receipt_number,
                "reverses": refs.get(p.reverses_id) if p.reverses_id else None,
                "actor": p.actor,
            },
        )


def _first_day(ck: Checker, line: int, field: str, value) -> bool:
    if value is not None and value.day != 1:
        ck.err(line, field, "phải là ngày đầu tháng (ví dụ 2026-02-01).")
        return False
    return True


def _check(ck: Checker) -> None:
    seen: set[tuple[int, object]] = set()
    for f in ck.recs.get("dues_fact", []):
        if f.bad:
            continue
        key = (f.get("member"), f.get("valid_from"))
        if key in seen:
            ck.err(f.line, "valid_from", "đảng viên đã có căn cứ đóng đảng phí từ ngày này.")
        seen.add(key)
        category = f.get("category")
        if category in (Category.SALARY, Category.PENSION) and f.get("base_amount") <= 0:
            ck.err(f.line, "base_amount", "đảng viên hưởng lương, lương hưu cần mức lương.")
        if category == Category.OTHER and not f.get("region"):
            ck.err(f.line, "region", "đối tượng khác cần vùng lương tối thiểu.")
    for r in ck.recs.get("dues_relief", []):
        if r.bad or not _first_day(ck, r.line, "from_month", r.get("from_month")):
            continue
        start, end = r.get("from_month"), r.get("to_month")
        if end is not None and (end <= start or end.day != 1):
            ck.err(r.line, "to_month", "phải là ngày đầu một tháng sau «from_month».")
            continue
        if r.get("reason") == "giam":
            months = 0 if end is None else (end.year - start.year) * 12 + end.month - start.month
            violations = check_reduction(percent=r.get("percent"), months=months, from_month=start)
        else:
            violations = check_exemption(reason=r.get("reason"), from_month=start)
        for v in violations:
            ck.violation(r.line, v.field or "reason", v)
    payments = ck.recs.get("dues_payment", [])
    reversed_: set[int] = set()
    for p in payments:
        if p.bad or not _first_day(ck, p.line, "month", p.get("month")):
            continue
        if p.get("amount") <= 0:
            ck.err(p.line, "amount", "số tiền phải lớn hơn 0.")
        target = p.get("reverses")
        if target is None:
            continue
        other = payments[target - 1]
        if target >= p.idx or other.get("reverses") is not None or target in reversed_:
            ck.err(p.line, "reverses", "chỉ hủy một khoản nộp ghi trước, một lần.")
        elif (other.get("member"), other.get("month"), other.get("amount")) != (
            p.get("member"),
            p.get("month"),
            p.get("amount"),
        ):
            ck.err(p.line, "reverses", "bút toán hủy phải cùng đảng viên, tháng và số tiền.")
        reversed_.add(target)


def _write(imp: Importer) -> None:
    member = lambda idx: imp.id("member", idx)  # noqa: E731
    now = imp.now
    Table(
        DuesFact,
        (
            "member",
            "valid_from",
            "category",
            "base_amount",
            "region",
            "note",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            member(f.get("member")),
            f.get("valid_from"),
            f.get("category"),
            f.get("base_amount"),
            f.get("region"),
            f.get("note"),
            f.get("actor"),
            now,
        )
        for f in imp.recs.get("dues_fact", [])
    )
    Table(
        DuesRelief,
        (
            "member",
            "reason",
            "percent",
            "from_month",
            "to_month",
            "decision_number",
            "decision_on",
            "revoked",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            member(r.get("member")),
            r.get("reason"),
            r.get("percent") if r.get("reason") == "giam" else 100,
            r.get("from_month"),
            r.get("to_month") or FOREVER,
            r.get("decision_number"),
            r.get("decision_on"),
            r.get("revoked"),
            r.get("actor"),
            now,
        )
        for r in imp.recs.get("dues_relief", [])
    )
    Table(
        DuesPayment,
        (
            "id",
            "member",
            "month",
            "cell",
            "amount",
            "paid_on",
            "channel",
            "receipt_number",
            "reverses",
            "actor",
            "recorded_at",
        ),
    ).insert(
        (
            imp.id("dues_payment", p.idx),
            member(p.get("member")),
            p.get("month"),
            imp.id("organization", p.get("cell")),
            -p.get("amount") if p.get("reverses") else p.get("amount"),
            p.get("paid_on"),
            p.get("channel"),
            p.get("receipt_number"),
            imp.id("dues_payment", p.get("reverses")),
            p.get("actor"),
            now,
        )
        for p in imp.recs.get("dues_payment", [])
    )


APP = App(
    name="dues",
    types=(DUES_FACT, DUES_RELIEF, DUES_PAYMENT),
    export=_export,
    check=_check,
    write=_write,
    ids=(("dues_payment", DuesPayment),),
    tables=(DuesFact, DuesRelief, DuesPayment),
    occupied=((DuesPayment, "khoản nộp đảng phí"), (DuesFact, "căn cứ đóng đảng phí")),
)
