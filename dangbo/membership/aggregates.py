"""Aggregates of the figures (`FigureDelta`): per organization and day, what changed.

For every organization A and day D the table holds

- ``S`` rows: the change of A's stock on D, by ``status|women exempt`` — a spell [f, t) in
  cell c adds 1 at max(f, start) and takes 1 away at min(t, end) for every closure row
  (A, c, start, end) it overlaps, so the stock of A on D (the sum of the rows up to D) counts
  exactly the spells of the cells under A *as the tree stood on D*;
- ``F`` rows: the ledger events of D that A's figures count, by ``kind|form|milestone|
  posthumous|in_to in_from`` (the event entered A's subtree, left it, or both, each side read
  from the tree on its own date), and the candidates' steps ``C|stage``.

Every row is a sum of contributions of single (spell, closure row), (event, ancestor) and
(step, ancestor) pairs, so a write adds the contributions of what it adds and subtracts
those of what it removes, in the same transaction: :func:`spells_changed`,
:func:`events_changed`, :func:`steps_added`, :func:`closure_changed`. A later
reorganization never rewrites the past: its closure rows start on its date and its events
carry the members across. :func:`aggregates_rebuild` recomputes the whole table in bulk
(after an import); :func:`aggregate_differences` compares the table with the ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from dangbo.core.dates import FOREVER
from dangbo.membership.models import (
    CandidateStep,
    EventKind,
    FigureDelta,
    MemberEvent,
    MembershipSpell,
    Person,
)
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion

T_DELTA = FigureDelta._meta.db_table
T_SPELL = MembershipSpell._meta.db_table
T_EVENT = MemberEvent._meta.db_table
T_STEP = CandidateStep._meta.db_table
T_CLOSURE = OrgClosure._meta.db_table
T_PERSON = Person._meta.db_table

#: the candidates' steps the figures count
COUNTED_STAGES = ("hoc_lop", "tham_tra", "ho_so")
#: events no figure counts (the opening balance is a stock, not a flow)
UNCOUNTED_KINDS = (
    EventKind.REVERSAL.value,
    EventKind.OPENING.value,
    EventKind.TEMPORARY_BACK.value,
    EventKind.EXEMPTION_END.value,
)
#: events counted only when they cross the subtree's border
CROSSING_KINDS = (EventKind.TEMPORARY_OUT.value, EventKind.REORGANIZATION.value)
#: ids per statement in the incremental updates (SQLite allows 32,766 parameters)
CHUNK = 5000

Progressing = Callable[[int, int], None]


def _lit(n: int) -> str:
    return ", ".join(["%s"] * n)


def _date() -> str:
    return "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"


def _stock_sql(where: str) -> str:
    """(org, part, day, key, n) of the spells matching `where` (aliases s, c, p)."""
    key = (
        "s.status || '|' || CASE WHEN p.gender = 'nu' THEN '1' ELSE '0' END"
        " || CASE WHEN s.exempt THEN '1' ELSE '0' END"
    )
    joins = f"""
        FROM {T_SPELL} s
        JOIN {T_CLOSURE} c ON c.descendant_id = s.cell_id
             AND c.valid_from < s.valid_to AND c.valid_to > s.valid_from
        JOIN {T_PERSON} p ON p.id = s.person_id
    """
    start = "CASE WHEN s.valid_from > c.valid_from THEN s.valid_from ELSE c.valid_from END"
    end = "CASE WHEN s.valid_to < c.valid_to THEN s.valid_to ELSE c.valid_to END"
    forever = _date()
    return f"""
        SELECT c.ancestor_id AS org, 'S' AS part, {start} AS day, {key} AS k, 1 AS n
        {joins} WHERE {where}
        UNION ALL
        SELECT c.ancestor_id, 'S', {end}, {key}, -1
        {joins} WHERE {where} AND (s.valid_to < {forever} OR c.valid_to < {forever})
    """


def _stock_params(params: Sequence[Any]) -> list[Any]:
    return [*params, *params, FOREVER, FOREVER]


def _flow_sql(where: str) -> str:
    """(org, part, day, key, n) of the events matching `where` (alias e)."""
    crossing = _lit(len(CROSSING_KINDS))
    key = (
        "e.kind || '|' || CASE WHEN e.kind = %s THEN e.form ELSE '' END || '|'"
        " || CASE WHEN e.kind = %s THEN COALESCE(CAST(e.badge_years AS VARCHAR(8)), '') ELSE '' END"
        " || '|' || CASE WHEN e.posthumous THEN '1' ELSE '0' END"
        " || '|' || CASE WHEN x.t = 1 THEN '1' ELSE '0' END || CASE WHEN x.f = 1 THEN '1' ELSE '0' END"
    )
    return f"""
        SELECT x.a AS org, 'F' AS part, e.effective_on AS day, {key} AS k, 1 AS n
        FROM (
            SELECT id, a, MAX(t) AS t, MAX(f) AS f FROM (
                SELECT e.id AS id, ct.ancestor_id AS a, 1 AS t, 0 AS f FROM {T_EVENT} e
                JOIN {T_CLOSURE} ct ON ct.descendant_id = e.to_org_id
                     AND ct.valid_from <= e.effective_on AND ct.valid_to > e.effective_on
                WHERE {where}
                UNION ALL
                SELECT e.id, cf.ancestor_id, 0, 1 FROM {T_EVENT} e
                JOIN {T_CLOSURE} cf ON cf.descendant_id = e.from_org_id
                     AND cf.valid_from <= e.from_on AND cf.valid_to > e.from_on
                WHERE {where}
            ) u GROUP BY id, a
        ) x
        JOIN {T_EVENT} e ON e.id = x.id
        WHERE NOT (e.kind IN ({crossing}) AND x.t = 1 AND x.f = 1)
    """


def _flow_params(params: Sequence[Any]) -> list[Any]:
    return [
        EventKind.DISCIPLINE.value,
        EventKind.BADGE.value,
        *params,
        *params,
        *CROSSING_KINDS,
    ]


def _step_sql(where: str) -> str:
    """(org, part, day, key, n) of the candidates' steps matching `where` (alias st)."""
    return f"""
        SELECT c.ancestor_id AS org, 'F' AS part, st.effective_on AS day,
               'C|' || st.stage AS k, 1 AS n
        FROM {T_STEP} st
        JOIN {T_CLOSURE} c ON c.descendant_id = st.org_id
             AND c.valid_from <= st.effective_on AND c.valid_to > st.effective_on
        WHERE st.stage IN ({_lit(len(COUNTED_STAGES))}) AND {where}
    """


def _counted_events(alias: str = "e") -> tuple[str, list[Any]]:
    """The condition of events some figure may count: not reversed, not uncounted kinds."""
    return (
        f"{alias}.kind NOT IN ({_lit(len(UNCOUNTED_KINDS))}) AND NOT EXISTS "
        f"(SELECT 1 FROM {T_EVENT} r WHERE r.reverses_id = {alias}.id)",
        list(UNCOUNTED_KINDS),
    )


def _apply(sql: str, params: Sequence[Any], sign: int) -> None:
    """Add `sign` × the contributions selected by `sql` to the table (upsert by key)."""
    delta = "SUM(n)" if sign > 0 else "-SUM(n)"
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {T_DELTA} (org_id, part, day, {connection.ops.quote_name("key")}, n)
            SELECT org, part, day, k, {delta} FROM ({sql}) contributions
            WHERE 1 = 1 GROUP BY org, part, day, k ORDER BY org, part, day, k
            ON CONFLICT (org_id, part, day, {connection.ops.quote_name("key")})
            DO UPDATE SET n = {T_DELTA}.n + excluded.n
            """,
            list(params),
        )


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(set(ids))
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def spells_changed(ids: Iterable[int], sign: int) -> None:
    """Add (`sign` = 1, after inserting them) or subtract (-1, before deleting them) the
    stock contributions of the spells `ids`."""
    for part in _chunks(ids):
        _apply(_stock_sql(f"s.id IN ({_lit(len(part))})"), _stock_params(part), sign)


def events_changed(ids: Iterable[int], sign: int) -> None:
    """Add (1: new events) or subtract (-1: events now reversed) the flow contributions of
    the events `ids` (reversals and uncounted kinds contribute nothing)."""
    kinds = _lit(len(UNCOUNTED_KINDS))
    for part in _chunks(ids):
        where = f"e.id IN ({_lit(len(part))}) AND e.kind NOT IN ({kinds})"
        _apply(_flow_sql(where), _flow_params([*part, *UNCOUNTED_KINDS]), sign)


def steps_added(ids: Iterable[int]) -> None:
    """Add the contributions of the candidates' steps `ids` (just inserted)."""
    for part in _chunks(ids):
        _apply(_step_sql(f"st.id IN ({_lit(len(part))})"), [*COUNTED_STAGES, *part], 1)


def closure_changed(closure_ids: Iterable[int], sign: int) -> None:
    """Add (after inserting) or subtract (before deleting) the stock contributions of the
    spells through the closure rows `closure_ids`."""
    for part in _chunks(closure_ids):
        _apply(_stock_sql(f"c.id IN ({_lit(len(part))})"), _stock_params(part), sign)


def orgs_flows_changed(org_ids: Iterable[int], sign: int) -> None:
    """Add or subtract the flow contributions of every counted event and step in the cells
    `org_ids` (around a change of their place in the tree, read on each event's date)."""
    counted, counted_params = _counted_events()
    for part in _chunks(org_ids):
        ids = _lit(len(part))
        where = f"(e.to_org_id IN ({ids}) OR e.from_org_id IN ({ids})) AND {counted}"
        _apply(_flow_sql(where), _flow_params([*part, *part, *counted_params]), sign)
        _apply(_step_sql(f"st.org_id IN ({ids})"), [*COUNTED_STAGES, *part], sign)


def _all_sql() -> tuple[str, list[Any]]:
    """Every contribution, from the whole ledger."""
    counted, counted_params = _counted_events()
    sql = " UNION ALL ".join([_stock_sql("1 = 1"), _flow_sql(counted), _step_sql("1 = 1")])
    return sql, [
        *_stock_params([]),
        *_flow_params(counted_params),
        *COUNTED_STAGES,
    ]


def _expected_sql() -> tuple[str, list[Any]]:
    sql, params = _all_sql()
    return (
        f"SELECT org, part, day, k, SUM(n) AS n FROM ({sql}) contributions "
        "GROUP BY org, part, day, k HAVING SUM(n) <> 0",
        params,
    )


@transaction.atomic
def aggregates_rebuild(*, progress: Progressing | None = None) -> int:
    """Replace every aggregate row by one computed from the ledger; return the row count.

    On PostgreSQL the table's unique index is dropped for the load and built again after it
    (the computation groups by its key, so the rows are unique)."""
    qn = connection.ops.quote_name
    sql, params = _expected_sql()
    columns = f"org_id, part, day, {qn('key')}, n"
    with connection.cursor() as cur:
        if progress:
            progress(0, 2)
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL work_mem = '256MB'")  # the grouping stays in memory
            cur.execute(f"TRUNCATE {T_DELTA}")
            cur.execute(f"ALTER TABLE {T_DELTA} DROP CONSTRAINT figuredelta_key")
            cur.execute(f"INSERT INTO {T_DELTA} ({columns}) {sql}", params)
            n = int(cur.rowcount)
            cur.execute(
                f"ALTER TABLE {T_DELTA} ADD CONSTRAINT figuredelta_key "
                f"UNIQUE (org_id, part, day, {qn('key')})"
            )
        else:
            cur.execute(f"DELETE FROM {T_DELTA}")
            cur.execute(f"INSERT INTO {T_DELTA} ({columns}) {sql}", params)
            n = int(cur.rowcount)
        if progress:
            progress(2, 2)
    return n


def aggregate_differences(limit: int = 20) -> list[str]:
    """Describe where the stored aggregates differ from the ones computed from the ledger."""
    qn = connection.ops.quote_name
    sql, params = _expected_sql()
    stored = f"SELECT org_id, part, day, {qn('key')}, n FROM {T_DELTA} WHERE n <> 0"
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM ({sql} EXCEPT {stored}) d ORDER BY 1, 2, 3, 4", params)
        missing = cur.fetchall()
        cur.execute(f"SELECT * FROM ({stored} EXCEPT {sql}) d ORDER BY 1, 2, 3, 4", params)
        extra = cur.fetchall()
    if not missing and not extra:
        return []
    names = _names({row[0] for row in missing + extra})
    stored_n = {tuple(r[:4]): r[4] for r in extra}
    problems: list[str] = []
    for org, part, day, key, n in missing[:limit]:
        have = stored_n.pop((org, part, day, key), 0)
        problems.append(_describe(names, org, part, day, key, n, have))
    for (org, part, day, key), have in list(stored_n.items())[:limit]:
        problems.append(_describe(names, org, part, day, key, 0, have))
    more = len(missing) + len(stored_n) - len(problems)
    if more > 0:
        problems.append(f"… và {more} chỗ khác biệt nữa trong số liệu tổng hợp")
    return problems


def _names(org_ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for org_id, name, code in (
        OrgVersion.objects.filter(org_id__in=org_ids)
        .order_by("org_id", "valid_from")
        .values_list("org_id", "name", "code")
    ):
        names[org_id] = f"{name} ({code})"
    missing = (
        org_ids
        - set(names)
        - set(Organization.objects.filter(pk__in=org_ids).values_list("pk", flat=True))
    )
    for org_id in missing:
        names[org_id] = f"tổ chức #{org_id} (không tồn tại)"
    return names


def _describe(
    names: dict[int, str], org: int, part: str, day: Any, key: str, want: int, have: int
) -> str:
    what = "số đảng viên thay đổi" if part == "S" else "biến động"
    day_text = day.strftime("%d/%m/%Y") if hasattr(day, "strftime") else str(day)
    return (
        f"Số liệu tổng hợp của {names.get(org, f'tổ chức #{org}')}, ngày {day_text}, {what} "
        f"«{key}»: lưu {have}, tính lại từ sổ được {want}"
    )
