"""What the figures read of the records' own history: an organization's opening date (nhập
sổ), before which its membership figures are not available, the personal attributes of
a person in force on a date (the structure of the stock of a past day), and the dated
snapshot of the breakdowns of the large subtrees (written by ``figures_snapshot``)."""

from __future__ import annotations

from datetime import date

from django.db import connection

from dangbo.membership.models import (
    BreakdownCount,
    BreakdownSnapshot,
    EventKind,
    MemberEvent,
    PersonAttribute,
    PersonAttributeChange,
)
from dangbo.organizations.models import Organization, OrgClosure

T_CLOSURE = OrgClosure._meta.db_table
T_EVENT = MemberEvent._meta.db_table
T_ATTRIBUTE = PersonAttributeChange._meta.db_table
T_SNAPSHOT = BreakdownSnapshot._meta.db_table
T_COUNT = BreakdownCount._meta.db_table


def opened_on(org: Organization | int) -> date | None:
    """The opening date of `org`: the latest date of the opening balances (``nhap_so``
    events, not reversed) recorded into its subtree as it stood on that date; None when its
    members were recorded with their full history."""
    org_id = org if isinstance(org, int) else org.pk
    sql = f"""
        SELECT MAX(e.effective_on) FROM {T_EVENT} e
        JOIN {T_CLOSURE} c ON c.ancestor_id = %s AND c.descendant_id = e.to_org_id
             AND c.valid_from <= e.effective_on AND c.valid_to > e.effective_on
        WHERE e.kind = %s
          AND NOT EXISTS (SELECT 1 FROM {T_EVENT} r WHERE r.reverses_id = e.id)
    """
    with connection.cursor() as cur:
        cur.execute(sql, [org_id, EventKind.OPENING.value])
        (value,) = cur.fetchone() or (None,)
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def attributes_on(on_param: str) -> tuple[str, str, str]:
    """SQL pieces giving each person's attributes in force on a date (REPORTS §2: the
    structure of the stock on that day): a CTE ``attr_on`` with the value before each
    person's earliest change after the date, and the select list falling back to the current
    column of the person where no change comes later."""
    cte = f"""
        attr_on AS (
            SELECT person_id, attribute, previous FROM (
                SELECT h.person_id, h.attribute, h.previous,
                       ROW_NUMBER() OVER (
                           PARTITION BY h.person_id, h.attribute ORDER BY h.valid_from
                       ) AS rn
                FROM {T_ATTRIBUTE} h WHERE h.valid_from > {on_param}
            ) later WHERE rn = 1
        )"""
    columns = ", ".join(f"COALESCE(a_{a}.previous, pe.{a}) AS {a}" for a in PersonAttribute.values)
    joins = " ".join(
        f"LEFT JOIN attr_on a_{a} ON a_{a}.person_id = pe.id AND a_{a}.attribute = '{a}'"
        for a in PersonAttribute.values
    )
    return cte, f"{columns} FROM", joins


def snapshot_counts(
    org_id: int, on: date, *, latest: bool = False
) -> tuple[date, list[tuple[str, str, int]]] | None:
    """The snapshot counts ``(dim, value, n)`` of `org_id` as of `on`, with their date.

    None when the snapshot of `on` has no rows for the organization (a small subtree, or no
    snapshot that day), or when an event, closure row or attribute change dated on or
    before `on` (or a reversal) was recorded after it: the caller then counts live. With
    `latest`, the latest snapshot on or before `on` holding the organization, as it is.
    One query when there is no snapshot, two when there is."""
    with connection.cursor() as cur:
        if latest:
            cur.execute(
                f"""SELECT dim, value, n, as_of FROM {T_COUNT} WHERE org_id = %s AND as_of = (
                    SELECT MAX(as_of) FROM {T_COUNT} WHERE org_id = %s AND as_of <= %s)""",
                [org_id, org_id, on],
            )
            rows = cur.fetchall()
            if not rows:
                return None
            as_of = rows[0][3]
            as_of = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
            return as_of, [r[:3] for r in rows]
        cur.execute(
            f"""SELECT b.dim, b.value, b.n, h.last_event_id, h.last_closure_id,
                       h.last_attribute_id
                FROM {T_COUNT} b JOIN {T_SNAPSHOT} h ON h.as_of = b.as_of
                WHERE b.org_id = %s AND b.as_of = %s""",
            [org_id, on],
        )
        rows = cur.fetchall()
        if not rows:
            return None
        event, closure, attribute = rows[0][3:]
        cur.execute(
            f"""SELECT CASE WHEN EXISTS (
                    SELECT 1 FROM {T_EVENT} WHERE id > %s AND (effective_on <= %s OR kind = %s)
                ) OR EXISTS (SELECT 1 FROM {T_CLOSURE} WHERE id > %s AND valid_from <= %s)
                OR EXISTS (SELECT 1 FROM {T_ATTRIBUTE} WHERE id > %s AND valid_from <= %s)
                THEN 1 ELSE 0 END""",
            [event, on, EventKind.REVERSAL.value, closure, on, attribute, on],
        )
        (stale,) = cur.fetchone() or (1,)
    return None if stale else (on, [r[:3] for r in rows])
