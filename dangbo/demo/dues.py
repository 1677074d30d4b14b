"""The demo's party dues: each member's dues facts, a few exemption and reduction decisions,
the charges of every month under 342-QĐ/TW and 01-QĐ/TW — from 1/1/2018 for the members of
two cells of the city's first ward, from 1/1/2024 for everyone — and the payments: most on
time in cash at the cell, later more by bank and the public-service portal, some late, some
in advance, a few short, a few members with four months unpaid in 2024 and a few who stop
paying in May 2026 (the 3-month rule).

Everything is written in bulk (plain multi-row inserts, the tables' secondary indexes built
once after the rows are in), deterministic from its own random generator; the charges come
from the same computation as the services'.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import connection, models
from django.utils import timezone

from dangbo.core.dates import FOREVER, add_months
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
#: every member's months from here on; before, the first two cells of the first ward only
#: (each year of the whole city is ~220,000 charges and as many payments, ~12 s)
EVERYONE_FROM = date(2024, 1, 1)
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
FACT_COLUMNS = (
    "member_id",
    "valid_from",
    "category",
    "base_amount",
    "region",
    "note",
    "actor",
    "recorded_at",
)
RELIEF_COLUMNS = (
    "member_id",
    "reason",
    "percent",
    "from_month",
    "to_month",
    "decision_number",
    "decision_on",
    "revoked",
    "actor",
    "recorded_at",
)


@contextmanager
def _indexes_later(*tables: type[models.Model]) -> Iterator[None]:
    """The tables' plain indexes dropped while rows go in, and built once at the end (an
    index kept up row by row costs several times the insert)."""
    editor = connection.schema_editor(collect_sql=True)
    indexes = [(m, i) for m in tables for i in m._meta.indexes]
    with connection.cursor() as cursor:
        for _model, index in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index.name)}")
        yield
        postgres = connection.vendor == "postgresql"
        if postgres:  # PostgreSQL builds no index over a table with deferred checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, index in indexes:
            cursor.execute(str(index.create_sql(model, editor)))
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


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
    now = models.DateTimeField().get_db_prep_save(timezone.now(), connection)
    facts: list[tuple] = []
    reliefs: list[tuple] = []
    for pk, occupation, birth, gender, admitted in members:
        start = max(FIRST_MONTH, admitted or FIRST_MONTH)
        category, base = _category(rng, occupation, birth, gender)
        facts.append((pk, start, category, base, "I", "", actor, now))
        if category == "luong":
            retired = retirement_date(birth, gender)
            if retired < today:  # retires during the history: on a pension from then
                since = max(retired, start + timedelta(1))
                facts.append((pk, since, "huu_tri", base * 7 // 10, "I", "", actor, now))
            elif start < date(2024, 7, 1) and rng.random() < 0.5:  # a raise on 1/7/2024
                facts.append((pk, date(2024, 7, 1), "luong", base * 13 // 10, "I", "", actor, now))
        draw, number = rng.random(), f"{len(reliefs) + 1}-QĐ/ĐU"
        if draw < 0.012:
            reason = rng.choice(["ho_ngheo", "ho_can_ngheo", "tro_cap_xa_hoi"])
            reliefs.append(
                (
                    pk,
                    reason,
                    100,
                    date(2026, 2, 1),
                    FOREVER,
                    number,
                    date(2026, 1, 28),
                    False,
                    actor,
                    now,
                )
            )
        elif draw < 0.02:
            percent = rng.choice([30, 50, 70])
            reliefs.append(
                (pk, "giam", percent, date(2026, 3, 1), date(2026, 9, 1), number, date(2026, 2, 25))
                + (False, actor, now)
            )
        elif draw < 0.023:
            reliefs.append(
                (pk, "om_dau", 100, date(2021, 4, 1), date(2022, 4, 1), number, date(2021, 3, 20))
                + (False, actor, now)
            )
    insert_rows(DuesFact, FACT_COLUMNS, facts)
    insert_rows(DuesRelief, RELIEF_COLUMNS, reliefs)
    ids = [m[0] for m in members]
    log(f"  {len(facts)} căn cứ đóng đảng phí, {len(reliefs)} quyết định miễn, giảm")
    before = months_of(FIRST_MONTH, EVERYONE_FROM - timedelta(1))
    early = charge_rows(before, member_ids=_first_ward_members(today)) if before else []
    charges = early + charge_rows(months_of(EVERYONE_FROM, today), member_ids=ids)
    # the kind of payer each member is; a few stop paying (the 3-month rule) in 2024 or 2026
    stoppers = set(rng.sample(ids, k=min(6, len(ids))))
    gaps = set(rng.sample(ids, k=min(6, len(ids))))
    kind = {pk: rng.random() for pk in ids}
    this_month = today.replace(day=1)
    payments = []
    for member_id, month, cell_id, due, *_rest in charges:
        if due <= 0 or month >= this_month:
            continue
        k = kind[member_id]
        if member_id in stoppers and month >= date(2026, 5, 1):
            continue  # stopped paying: the 3-month rule
        if member_id in gaps and date(2024, 3, 1) <= month < date(2024, 7, 1):
            continue  # four months unpaid in 2024
        if k < 0.04 and month >= add_months(this_month, -2):
            continue  # a late payer who has not paid the last months yet
        if k < 0.04:
            paid_on = add_months(month, 2).replace(day=1 + int(rng.random() * 25))  # late
        elif k < 0.07:
            quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
            paid_on = quarter.replace(day=1 + int(rng.random() * 10))  # the quarter in advance
        else:
            paid_on = month.replace(day=3 + int(rng.random() * 26))
        amount = due // 2 if k > 0.995 and month.year == 2026 else due  # short, no reduction
        payments.append(
            (member_id, month, cell_id, amount, paid_on, _channel(rng, month), "", actor, now)
        )
    with _indexes_later(DuesCharge, DuesPayment):
        insert_rows(DuesCharge, CHARGE_COLUMNS, charges)
        insert_rows(DuesPayment, PAYMENT_COLUMNS, payments)
    return len(charges), len(payments)
