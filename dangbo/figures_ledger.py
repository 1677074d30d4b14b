"""The membership figures computed from the ledger itself (spells, events, steps, closure).

:func:`dangbo.figures.membership_figures` reads the aggregates; this module counts the same
figures the long way, in set-based SQL over the ledger and the tree as it stood on each date
— what `dangbo verify`, the tests and the benchmarks compare the aggregates with.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection

from dangbo.figures import (
    FLOWS,
    STEP_FIGURES,
    T_CLOSURE,
    T_EVENT,
    T_PERSON,
    T_SPELL,
    T_STEP,
    FlowRow,
    MembershipFigures,
    Period,
    classify_flows,
    date_literal,
    figures_of,
    stock_counts,
)
from dangbo.membership.models import EventKind
from dangbo.organizations.models import Organization


def ledger_figures(org: Organization | int, start: date, end: date) -> MembershipFigures:
    """The figures of :func:`~dangbo.figures.membership_figures` (without the breakdowns)
    counted from the ledger."""
    org_id = org if isinstance(org, int) else org.pk
    period = Period(start, end)
    counts: dict[str, Any] = _stocks(org_id, start - timedelta(days=1), end)
    flows = classify_flows(_ledger_flows(org_id, period))
    counts.update(flows)
    counts.update(_candidates(org_id, period))
    assert all(k in counts for k in FLOWS)
    return figures_of(org_id, period, counts)


def _stocks(org_id: int, on_start: date, on_end: date) -> dict[str, int]:
    """The stocks on two dates from the spells, in one pass over the spells and closure rows
    that overlap [on_start, on_end] (a date lies in at most one closure interval of a pair)."""
    d = date_literal()
    at = (
        f"CASE WHEN s.valid_from <= {d} AND s.valid_to > {d} AND c.valid_from <= {d} "
        f"AND c.valid_to > {d} THEN 1 ELSE 0 END"
    )
    sql = f"""
        SELECT s.status, '', CASE WHEN pe.gender = 'nu' THEN 1 ELSE 0 END, s.exempt,
               SUM({at}), SUM({at})
        FROM {T_CLOSURE} c
        JOIN {T_SPELL} s ON s.cell_id = c.descendant_id
        JOIN {T_PERSON} pe ON pe.id = s.person_id
        WHERE c.ancestor_id = %s AND c.valid_from <= {d} AND c.valid_to > {d}
          AND s.valid_from <= {d} AND s.valid_to > {d}
        GROUP BY s.status, CASE WHEN pe.gender = 'nu' THEN 1 ELSE 0 END, s.exempt
    """
    params: list[Any] = [*[on_start] * 4, *[on_end] * 4, org_id, on_end, on_start, on_end, on_start]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return stock_counts(cur.fetchall())


def _ledger_flows(org_id: int, period: Period) -> list[FlowRow]:
    """The period's events touching `org_id`'s subtree, grouped as :func:`_classify` reads
    them, from the ledger: each side of an event read from the tree on its own date."""
    sql = f"""
        SELECT e.kind, e.form, e.badge_years, e.posthumous, x.t, x.f, COUNT(*) FROM (
            SELECT id, MAX(t) AS t, MAX(f) AS f FROM (
                SELECT e.id AS id, 1 AS t, 0 AS f FROM {T_EVENT} e
                JOIN {T_CLOSURE} ct ON ct.ancestor_id = %s AND ct.descendant_id = e.to_org_id
                     AND ct.valid_from <= e.effective_on AND ct.valid_to > e.effective_on
                WHERE e.effective_on >= %s AND e.effective_on <= %s
                UNION ALL
                SELECT e.id, 0, 1 FROM {T_EVENT} e
                JOIN {T_CLOSURE} cf ON cf.ancestor_id = %s AND cf.descendant_id = e.from_org_id
                     AND cf.valid_from <= e.from_on AND cf.valid_to > e.from_on
                WHERE e.effective_on >= %s AND e.effective_on <= %s
            ) u GROUP BY id
        ) x
        JOIN {T_EVENT} e ON e.id = x.id
        WHERE e.kind <> %s AND NOT EXISTS (SELECT 1 FROM {T_EVENT} r WHERE r.reverses_id = e.id)
        GROUP BY e.kind, e.form, e.badge_years, e.posthumous, x.t, x.f
    """
    params: list[Any] = [org_id, period.start, period.end] * 2 + [EventKind.REVERSAL.value]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _candidates(org_id: int, period: Period) -> dict[str, int]:
    sql = f"""
        SELECT st.stage, COUNT(*) FROM {T_STEP} st
        JOIN {T_CLOSURE} c ON c.ancestor_id = %s AND c.descendant_id = st.org_id
             AND c.valid_from <= st.effective_on AND c.valid_to > st.effective_on
        WHERE st.effective_on >= %s AND st.effective_on <= %s AND st.stage IN ('hoc_lop', 'tham_tra', 'ho_so')
        GROUP BY st.stage
    """
    out = {v: 0 for v in STEP_FIGURES.values()}
    with connection.cursor() as cur:
        cur.execute(sql, [org_id, period.start, period.end])
        for stage, n in cur.fetchall():
            out[STEP_FIGURES[stage]] = n
    return out
