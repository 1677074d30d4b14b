"""The dated snapshot of the breakdowns of the large subtrees (REPORTS §2, national scale).

Counting the stock of a province or of the nation by age, party age, education… reads
every member's spell and person; the snapshot does it once for a date, for every
organization whose stock that day reaches ``DANGBO_SNAPSHOT_MIN_MEMBERS`` (the nation, the
provinces, the large communes), and :func:`dangbo.figures.membership_figures` reads a few
hundred rows instead. Smaller subtrees are counted live, which is fast for them.

One pass over the spells valid on the date: each spell is counted once, under its nearest
large ancestor as the tree stood that day (GROUPING SETS on PostgreSQL, one GROUP BY per
dimension elsewhere), then the few resulting rows are summed up the tree to every large
ancestor. The labels and bands are those of :func:`dangbo.figures.stock_breakdowns`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from dangbo.core.dates import today
from dangbo.figures import (
    BREAKDOWNS,
    T_CLOSURE,
    T_PERSON,
    T_SPELL,
    breakdown_expressions,
    shape_breakdowns,
)
from dangbo.figures_history import attributes_on
from dangbo.membership.models import (
    BreakdownCount,
    BreakdownSnapshot,
    MemberEvent,
    PersonAttributeChange,
)
from dangbo.organizations.models import OrgClosure, OrgVersion

#: Reports the steps of a refresh: (done, total).
Progressing = Callable[[int, int], None]

Counts = dict[int, dict[str, dict[str, int]]]


def min_members() -> int:
    """The stock from which a subtree's breakdowns come from the snapshot."""
    return int(getattr(settings, "DANGBO_SNAPSHOT_MIN_MEMBERS", 20000))


def snapshot_compute(on: date, threshold: int | None = None) -> Counts:
    """The breakdowns on `on` of every organization whose stock that day is at least
    `threshold` (the setting when None), by organization id; nothing is written."""
    threshold = min_members() if threshold is None else threshold
    exprs = breakdown_expressions(on)
    attr_cte, attr_columns, attr_joins = attributes_on("%s")
    valid = "c.valid_from <= %s AND c.valid_to > %s"
    columns = ", ".join(f"{expr} AS {dim}" for dim, expr, _ in exprs)
    if connection.vendor == "postgresql":
        # GROUPING(d1, …, d9) has bit 8-i clear for the set grouping dimension i alone
        dims = ", ".join(BREAKDOWNS)
        sets = ", ".join(f"(g, {dim})" for dim in BREAKDOWNS)
        which = {dim: 511 - (1 << (8 - i)) for i, dim in enumerate(BREAKDOWNS)}
        dim_case = " ".join(f"WHEN {n} THEN '{dim}'" for dim, n in which.items())
        val_case = " ".join(f"WHEN {n} THEN CAST({dim} AS TEXT)" for dim, n in which.items())
        flat = f"""
            agg AS (
                SELECT g, GROUPING({dims}) AS gs, {dims}, COUNT(*) AS n
                FROM b GROUP BY GROUPING SETS ({sets})
            ),
            flat AS (
                SELECT g, CASE gs {dim_case} END AS dim, CASE gs {val_case} END AS val, n FROM agg
            )"""
    else:
        flat = "flat AS ({})".format(
            " UNION ALL ".join(
                f"SELECT g, '{dim}' AS dim, {dim} AS val, COUNT(*) AS n FROM b GROUP BY g, {dim}"
                for dim in BREAKDOWNS
            )
        )
    sql = f"""
        WITH {attr_cte},
        cells AS (
            SELECT cell_id, COUNT(*) AS n FROM {T_SPELL}
            WHERE valid_from <= %s AND valid_to > %s GROUP BY cell_id
        ),
        large AS (
            SELECT c.ancestor_id AS org_id FROM {T_CLOSURE} c
            JOIN cells ON cells.cell_id = c.descendant_id
            WHERE {valid} GROUP BY c.ancestor_id HAVING SUM(cells.n) >= %s
        ),
        near AS (
            SELECT cell, g FROM (
                SELECT c.descendant_id AS cell, c.ancestor_id AS g, ROW_NUMBER() OVER (
                    PARTITION BY c.descendant_id ORDER BY c.depth
                ) AS rn
                FROM {T_CLOSURE} c WHERE {valid} AND c.ancestor_id IN (SELECT org_id FROM large)
            ) x WHERE rn = 1
        ),
        stock AS (
            SELECT near.g, pe.gender, pe.birth_date, s.party_anchor, {attr_columns} near
            JOIN {T_SPELL} s ON s.cell_id = near.cell AND s.valid_from <= %s AND s.valid_to > %s
            JOIN {T_PERSON} pe ON pe.id = s.person_id
            {attr_joins}
        ),
        b AS (SELECT g, {columns} FROM stock),
        {flat}
        SELECT c.ancestor_id, flat.dim, flat.val, SUM(flat.n) FROM flat
        JOIN {T_CLOSURE} c ON c.descendant_id = flat.g AND {valid}
        WHERE c.ancestor_id IN (SELECT org_id FROM large)
        GROUP BY c.ancestor_id, flat.dim, flat.val
    """
    params: list[Any] = [on, on, on, on, on, threshold, on, on, on, on]
    for _, _, expr_params in exprs:
        params.extend(expr_params)
    params += [on, on]
    rows: dict[int, list[tuple[str, Any, int]]] = {}
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # the planner cannot estimate how many cells lie under the large organizations
            # (a handful of rows standing for most of the tree) and would reach spells and
            # people row by row: every join here is over most of the table, so hash them
            cur.execute("SET LOCAL enable_nestloop = off")
        cur.execute(sql, params)
        for org_id, dim, value, n in cur.fetchall():
            rows.setdefault(org_id, []).append((dim, value, int(n)))
    return {org_id: shape_breakdowns(r) for org_id, r in sorted(rows.items())}


def snapshot_refresh(on: date | None = None, *, progress: Progressing | None = None) -> int:
    """Compute the snapshot of `on` (today when None) and replace the one of that date, in
    one transaction; returns the number of organizations it holds (none when no subtree
    reaches the threshold: the header is still written, so the date is known as done).

    Earlier snapshots of a day that is not the last of its month are dropped: periods end
    on a month's last day, and browsing reads the latest snapshot, so only those serve (and
    `verify` recounts each one kept)."""
    on = on or today()
    threshold = min_members()
    if progress:
        progress(0, 2)
    with transaction.atomic():
        marks = {
            "last_event_id": MemberEvent.objects.aggregate(m=Max("pk"))["m"] or 0,
            "last_closure_id": OrgClosure.objects.aggregate(m=Max("pk"))["m"] or 0,
            "last_attribute_id": PersonAttributeChange.objects.aggregate(m=Max("pk"))["m"] or 0,
        }
        counts = snapshot_compute(on, threshold)
        if progress:
            progress(1, 2)
        BreakdownCount.objects.filter(as_of=on).delete()
        BreakdownSnapshot.objects.filter(as_of=on).delete()
        passing = [
            d
            for d in BreakdownSnapshot.objects.filter(as_of__lt=on).values_list("as_of", flat=True)
            if (d + timedelta(days=1)).day != 1
        ]
        BreakdownCount.objects.filter(as_of__in=passing).delete()
        BreakdownSnapshot.objects.filter(as_of__in=passing).delete()
        BreakdownSnapshot.objects.create(
            as_of=on,
            computed_at=timezone.now(),
            min_members=threshold,
            orgs=len(counts),
            **marks,
        )
        BreakdownCount.objects.bulk_create(
            (
                BreakdownCount(as_of=on, org_id=org_id, dim=dim, value=value, n=n)
                for org_id, dims in counts.items()
                for dim, values in dims.items()
                for value, n in values.items()
            ),
            batch_size=2000,
        )
    if progress:
        progress(2, 2)
    return len(counts)


def snapshot_differences() -> list[str]:
    """Where a stored snapshot differs from its date's stock computed afresh (a back-dated
    event, a corrected person or a changed tree recorded after it): one line per
    organization and date, naming the first dimension that differs."""
    problems: list[str] = []
    for head in BreakdownSnapshot.objects.order_by("as_of"):
        stored: dict[int, list[tuple[str, str, int]]] = {}
        for org_id, dim, value, n in BreakdownCount.objects.filter(as_of=head.as_of).values_list(
            "org_id", "dim", "value", "n"
        ):
            stored.setdefault(org_id, []).append((dim, value, n))
        fresh = snapshot_compute(head.as_of, head.min_members)
        names = {
            org_id: f"{name} ({code})"
            for org_id, name, code in OrgVersion.objects.filter(
                valid_from__lte=head.as_of, valid_to__gt=head.as_of
            ).values_list("org_id", "name", "code")
        }
        when = head.as_of.strftime("%d/%m/%Y")
        for org_id in sorted(set(stored) | set(fresh)):
            was = shape_breakdowns(stored.get(org_id, []))
            now = fresh.get(org_id) or shape_breakdowns([])
            if was == now:
                continue
            dim = next(d for d in BREAKDOWNS if was[d] != now[d])
            problems.append(
                f"Cơ cấu đảng viên tính đến ngày {when} của {names.get(org_id, f'tổ chức #{org_id}')} "
                f"đã cũ (khác số tính lại ở «{dim}»); chạy «dangbo snapshot --on "
                f"{head.as_of.isoformat()}» để tính lại"
            )
    return problems
