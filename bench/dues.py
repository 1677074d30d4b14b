#!/usr/bin/env python
"""Benchmark of the party dues: a month's charges for every member computed and written in
bulk, and a city's dues figures of a year.

Runs against the database named by ``DATABASE_URL`` holding the province that
``bench/province.py run --load-only`` loaded (bench/dues_run does both on a throw-away
PostgreSQL cluster). Steps:

1. dues facts for every member (not timed): salary, pension, student or "others" in
   region I–IV, a share with an exemption or a reduction decision;
2. **timed**: ``dues.compute.charges_write`` of one month for the whole province (spells,
   facts, decisions and people read set-wise, the rate computed per member, the charges
   replaced in bulk), twice (the second replaces the first);
3. the twelve months of a year for the largest district (the «city») and a payment for most
   member-months (not timed);
4. **timed**: ``dues.figures.dues_figures`` of the city for the year (after one warm-up),
   and of the province for the month.

    DATABASE_URL=postgres://… .venv/bin/python bench/dues.py --month 2026-02 --year 2025
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--month", default="2026-02", help="the month computed for everyone")
    p.add_argument("--year", type=int, default=2025, help="the year of the city's figures")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--json", help="write the measurements here")
    args = p.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from dangbo.demo.dues import PAYMENT_COLUMNS
    from dangbo.dues.compute import charges_write, insert_rows, months_of, subtree_cells
    from dangbo.dues.figures import dues_figures
    from dangbo.dues.models import DuesCharge, DuesFact, DuesPayment, DuesRelief
    from dangbo.membership.models import Member
    from dangbo.organizations.models import Organization, OrgClosure, OrgVersion

    rng = random.Random(args.seed)
    month = date.fromisoformat(args.month + "-01")
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731

    members = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    log(f"{len(members):,} đảng viên; ghi căn cứ đóng đảng phí…")
    facts, reliefs = [], []
    for pk in members:
        draw = rng.random()
        if draw < 0.35:
            fact = DuesFact(member_id=pk, valid_from=date(2018, 1, 1), category="huu_tri",
                            base_amount=rng.randrange(3_500, 9_000) * 1_000)  # fmt: skip
        elif draw < 0.7:
            fact = DuesFact(member_id=pk, valid_from=date(2018, 1, 1), category="luong",
                            base_amount=rng.randrange(4_500, 15_000) * 1_000)  # fmt: skip
        elif draw < 0.73:
            fact = DuesFact(member_id=pk, valid_from=date(2018, 1, 1), category="hoc_sinh")
        else:
            fact = DuesFact(member_id=pk, valid_from=date(2018, 1, 1), category="khac",
                            region=rng.choice("I II III IV".split()))  # fmt: skip
        fact.actor = "bench"
        facts.append(fact)
        if rng.random() < 0.02:
            reliefs.append(DuesRelief(member_id=pk, reason="ho_can_ngheo", from_month=date(2026, 2, 1),
                                      decision_number="1", decision_on=date(2026, 1, 20), actor="bench"))  # fmt: skip
        elif rng.random() < 0.01:
            reliefs.append(DuesRelief(member_id=pk, reason="giam", percent=50, from_month=date(2026, 2, 1),
                                      to_month=date(2026, 8, 1), decision_number="2",
                                      decision_on=date(2026, 1, 20), actor="bench"))  # fmt: skip
    DuesFact.objects.all().delete()
    DuesRelief.objects.all().delete()
    DuesFact.objects.bulk_create(facts, batch_size=10_000)
    DuesRelief.objects.bulk_create(reliefs, batch_size=10_000)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ANALYZE")

    root = OrgVersion.objects.filter(parent__isnull=True).order_by("org_id").first().org
    cells = subtree_cells(root, month, month)
    month_runs = []
    for _ in range(2):
        t0 = time.perf_counter()
        written = charges_write([month], cells=cells)
        month_runs.append(time.perf_counter() - t0)
        log(
            f"tháng {month:%m/%Y}: {written:,} tháng-đảng viên tính và ghi trong {month_runs[-1]:.1f} s"
        )

    # the «city»: the district with the most cells
    depth1 = OrgClosure.objects.filter(
        ancestor=root,
        depth=1,
        valid_from__lte=date(args.year, 1, 1),
        valid_to__gt=date(args.year, 12, 31),
    ).values_list("descendant_id", flat=True)  # fmt: skip
    city = max(
        Organization.objects.filter(pk__in=list(depth1)),
        key=lambda o: OrgClosure.objects.filter(ancestor=o).count(),
    )
    months = months_of(date(args.year, 1, 1), date(args.year, 12, 1))
    city_cells = subtree_cells(city, months[0], date(args.year, 12, 31))
    t0 = time.perf_counter()
    year_written = charges_write(months, cells=city_cells)
    year_seconds = time.perf_counter() - t0
    log(f"thành phố, năm {args.year}: {year_written:,} tháng-đảng viên trong {year_seconds:.1f} s")
    now = timezone.now()
    payments = [
        (m, mo, c, a, mo, "tien_mat", "", "bench", now)
        for m, mo, c, a in DuesCharge.objects.filter(cell_id__in=city_cells, month__in=months)
        .values_list("member_id", "month", "cell_id", "amount")
        .iterator(chunk_size=10_000)
        if a > 0 and rng.random() < 0.93
    ]
    insert_rows(DuesPayment, PAYMENT_COLUMNS, payments)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ANALYZE")
    start, end = date(args.year, 1, 1), date(args.year, 12, 31)
    dues_figures(city, start, end)
    city_runs = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        f = dues_figures(city, start, end)
        city_runs.append(time.perf_counter() - t0)
    log(
        f"số liệu năm của thành phố: {statistics.median(city_runs) * 1000:.0f} ms (trung vị), {f.to_dict()}"
    )
    dues_figures(root, month, month)
    prov_runs = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        pf = dues_figures(root, month, month)
        prov_runs.append(time.perf_counter() - t0)
    log(f"số liệu tháng của tỉnh: {statistics.median(prov_runs) * 1000:.0f} ms (trung vị)")
    result = {
        "database": connection.vendor,
        "members": len(members),
        "month": args.month,
        "month_charges": written,
        "month_seconds": [round(s, 2) for s in month_runs],
        "city_year_charges": year_written,
        "city_year_payments": len(payments),
        "city_year_compute_seconds": round(year_seconds, 2),
        "city_year_figures_ms_median": round(statistics.median(city_runs) * 1000, 1),
        "city_year_figures_ms_max": round(max(city_runs) * 1000, 1),
        "province_month_figures_ms_median": round(statistics.median(prov_runs) * 1000, 1),
        "city_figures": f.to_dict(),
        "province_month_figures": pf.to_dict(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(
            json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
