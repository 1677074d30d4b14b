"""The demo's party dues: each member's dues facts, a few exemption and reduction decisions,
the charges of every month under 342-QĐ/TW and 01-QĐ/TW — from 1/1/2018 for the members of
two cells of the city's first ward, from 1/1/2026 for everyone (to keep the demo quick) —
and the payments: most on time in cash at the cell, later more by bank and the
public-service portal, some late, some in advance, a few short, and a few members who stop
paying in May 2026 (the 3-month rule).

Everything is written in bulk (a few statements per table), deterministic from its own
random generator; the charges come from the same computation as the services'.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection, models
from django.utils import timezone

from dangbo.core.dates import add_months
from dangbo.demo.common import CITY_CODE
from dangbo.dues.compute import (
    CHARGE_COLUMNS,
    charge_rows,
    insert_rows,
    months_of,
    subtree_cell_ids,
)
from dangbo.dues.models import Channel, DuesCharge, DuesFact, DuesPayment, DuesRelief
from dangbo.dues.reference import retirement_date
from dangbo.membership.models import Member, MembershipSpell
from dangbo.organizations.models import OrgVersion

FIRST_MONTH = date(2018, 1, 1)
EVERYONE_FROM = date(2026, 1, 1)
_SALARIED = {"can_bo_cong_chuc", "vien_chuc", "luc_luong_vu_trang", "cong_nhan"}
_BATCH = 5_000
PAYMENT_COLUMNS = (
    "member_id",
    "month",
    "cell_id",
    "amount",
    "paid_on",
    "channel",
    "receipt_number",
    "actor",
    "recorded_at",
)


def _category(rng: random.Random, occupation: str, birth: date, gender: str) -> tuple[str, int]:
    if occupation == "huu_tri" or retirement_date(birth, gender) <= FIRST_MONTH:
        return "huu_tri", rng.randrange(3_500, 9_000) * 1_000
    if occupation in _SALARIED:
        return "luong", rng.randrange(4_500, 14_000) * 1_000
    if occupation == "hoc_sinh_sinh_vien":
        return "hoc_sinh", 0
    return "khac", 0


def _first_ward_members(today: date) -> list[int]:
    """The members who sat in the first two cells of the city's first ward (by code) since it
    was formed."""
    city = OrgVersion.objects.get(parent__isnull=True, code=CITY_CODE, valid_to__gt=today).org
    ward = (
        OrgVersion.objects.filter(parent=city, valid_from__lte=today, valid_to__gt=today)
        .order_by("code")
        .first()
    )
    if ward is None:
        return []
    cells = subtree_cell_ids(ward.org, today, today)
    cells = sorted(c for c in cells if c != ward.org_id)[:2]
    return sorted(
        set(MembershipSpell.objects.filter(cell_id__in=cells).values_list("member_id", flat=True))
    )


def _channel(rng: random.Random, month: date) -> str:
    online = 0.05 if month.year < 2022 else 0.25 if month.year < 2026 else 0.45
    draw = rng.random()
    if draw < online * 0.6:
        return Channel.BANK
    if draw < online:
        return Channel.PORTAL
    return Channel.CASH


def write_dues(rng: random.Random, actor: str, today: date, log) -> tuple[int, int]:
    """Write the demo's dues records; (charges, payments) written."""
    members = list(
        Member.objects.filter(spells__valid_to__gt=FIRST_MONTH)
        .distinct()
        .order_by("pk")
        .values_list(
            "pk", "person__occupation", "person__birth_date", "person__gender", "admitted_on"
        )
    )
    facts: list[DuesFact] = []
    reliefs: list[DuesRelief] = []
    for pk, occupation, birth, gender, admitted in members:
        start = max(FIRST_MONTH, admitted or FIRST_MONTH)
        category, base = _category(rng, occupation, birth, gender)
        facts.append(
            DuesFact(
                member_id=pk,
                valid_from=start,
                category=category,
                base_amount=base,
                region="I",
                actor=actor,
            )
        )
        if category == "luong":
            retired = retirement_date(birth, gender)
            if retired < today:  # retires during the history: on a pension from then
                facts.append(
                    DuesFact(
                        member_id=pk,
                        valid_from=max(retired, start + timedelta(1)),
                        category="huu_tri",
                        base_amount=base * 7 // 10,
                        region="I",
                        actor=actor,
                    )
                )
            elif start < date(2024, 7, 1) and rng.random() < 0.5:  # a raise on 1/7/2024
                facts.append(
                    DuesFact(
                        member_id=pk,
                        valid_from=date(2024, 7, 1),
                        category="luong",
                        base_amount=base * 13 // 10,
                        region="I",
                        actor=actor,
                    )
                )
        draw = rng.random()
        if draw < 0.012:
            reliefs.append(
                DuesRelief(
                    member_id=pk,
                    reason=rng.choice(["ho_ngheo", "ho_can_ngheo", "tro_cap_xa_hoi"]),
                    from_month=date(2026, 2, 1),
                    decision_number=f"{len(reliefs) + 1}-QĐ/ĐU",
                    decision_on=date(2026, 1, 28),
                    actor=actor,
                )
            )
        elif draw < 0.02:
            reliefs.append(
                DuesRelief(
                    member_id=pk,
                    reason="giam",
                    percent=rng.choice([30, 50, 70]),
                    from_month=date(2026, 3, 1),
                    to_month=date(2026, 9, 1),
                    decision_number=f"{len(reliefs) + 1}-QĐ/ĐU",
                    decision_on=date(2026, 2, 25),
                    actor=actor,
                )
            )
        elif draw < 0.023:
            reliefs.append(
                DuesRelief(
                    member_id=pk,
                    reason="om_dau",
                    from_month=date(2021, 4, 1),
                    to_month=date(2022, 4, 1),
                    decision_number=f"{len(reliefs) + 1}-QĐ/ĐU",
                    decision_on=date(2021, 3, 20),
                    actor=actor,
                )
            )
    DuesFact.objects.bulk_create(facts, batch_size=_BATCH)
    DuesRelief.objects.bulk_create(reliefs, batch_size=_BATCH)
    ids = [m[0] for m in members]
    log(f"  {len(facts)} căn cứ đóng đảng phí, {len(reliefs)} quyết định miễn, giảm")
    early = charge_rows(
        months_of(FIRST_MONTH, EVERYONE_FROM - timedelta(1)), member_ids=_first_ward_members(today)
    )
    late = charge_rows(months_of(EVERYONE_FROM, today), member_ids=ids)
    charges = early + late
    insert_rows(DuesCharge, CHARGE_COLUMNS, charges)
    # the kind of payer each member is
    stoppers = set(rng.sample(ids, k=min(6, len(ids))))
    kind = {pk: rng.random() for pk in ids}
    this_month = today.replace(day=1)
    now = models.DateTimeField().get_db_prep_save(timezone.now(), connection)
    payments = []
    for member_id, month, cell_id, due, *_rest in charges:
        if due <= 0 or month >= this_month:
            continue
        k = kind[member_id]
        if member_id in stoppers and month >= date(2026, 5, 1):
            continue  # stopped paying: the 3-month rule
        if k < 0.04 and month >= add_months(this_month, -2):
            continue  # a late payer who has not paid the last months yet
        if k < 0.04:
            paid_on = add_months(month, 2).replace(day=rng.randint(1, 25))  # late
        elif k < 0.07:
            quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
            paid_on = quarter.replace(day=rng.randint(1, 10))  # the quarter in advance
        else:
            paid_on = month.replace(day=rng.randint(3, 28))
        amount = due // 2 if k > 0.995 and month.year == 2026 else due  # short, no reduction
        payments.append(
            (member_id, month, cell_id, amount, paid_on, _channel(rng, month), "", actor, now)
        )
    insert_rows(DuesPayment, PAYMENT_COLUMNS, payments)
    return len(charges), len(payments)
