"""Which congresses of the units below an organization were due in a period, and which held.

"Held / due" counts **congresses**, not organizations: a cell under a base committee whose
terms were «2020–2022» and «2022–2025» is due twice over 2020–2025 (DOMAIN §2), so the
figure of a longer period never exceeds 100%. A due congress is identified by the
organization and the term it opens:

* a congress opening within the period (of an organization in the subtree on its opening
  day) is due and held — it opens its own term;
* a closed term ``[starts_on, ends_on)`` whose last day falls in the period (subtree read on
  that day) makes the congress opening the next term due — the same congress as the one
  held when its successor was opened by a congress, so it is counted once;
* a term still open whose label's final year ("2022–2025" → 2025) lies within the period's
  years (subtree read at the period's end) makes its successor's congress due; it has not
  been held (no successor term exists).

The organization itself is never among the units counted (its own congress is reported
apart). Each due congress carries the kind of its organization on its date (a base
organization, a cell — a basic cell is both), its **term** (the label of the term it opens;
for an overdue one, the label most congresses of the same year opened in the subtree, else
"sau nhiệm kỳ 2022–2025") and its **round** (the year it is held, or due). One SQL
statement, portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection

from dangbo.congresses.models import Congress
from dangbo.core.dates import FOREVER
from dangbo.organizations.models import OrgClosure, OrgKind, OrgVersion, Term

T_CONGRESS = Congress._meta.db_table
T_TERM = Term._meta.db_table
T_CLOSURE = OrgClosure._meta.db_table
T_VERSION = OrgVersion._meta.db_table
T_KIND = OrgKind._meta.db_table


@dataclass(frozen=True)
class DueCongress:
    """One congress of a unit below the organization, due in the period."""

    org_id: int
    is_base: bool
    is_cell: bool
    held: bool
    approved: bool
    term: str  # the label of the term it opens
    round: str  # the year it is held or due, "2022"


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _kind_join(alias: str, on: str) -> str:
    return f"""
        LEFT JOIN {T_VERSION} v ON v.org_id = {alias}.org_id AND {on}
        LEFT JOIN {T_KIND} k ON k.id = v.kind_id"""


def _rows(org_id: int, start: date, end: date) -> list[tuple[Any, ...]]:
    """(org, key, is_base, holds_members, opened label, date, ended label, held, approved)."""
    sql = f"""
        SELECT cg.org_id, cg.term_id, k.is_base, k.holds_members, t.label, cg.starts_on,
               NULL, 1, CASE WHEN cg.approved_on IS NOT NULL AND cg.approved_on <= %s
                             THEN 1 ELSE 0 END
        FROM {T_CONGRESS} cg
        JOIN {T_CLOSURE} c ON c.ancestor_id = %s AND c.descendant_id = cg.org_id
             AND c.valid_from <= cg.starts_on AND c.valid_to > cg.starts_on
        JOIN {T_TERM} t ON t.id = cg.term_id
        {_kind_join("cg", "v.valid_from <= cg.starts_on AND v.valid_to > cg.starts_on")}
        WHERE cg.starts_on >= %s AND cg.starts_on <= %s AND cg.org_id <> %s
        UNION ALL
        SELECT t.org_id, COALESCE(nt.id, -t.id), k.is_base, k.holds_members, nt.label,
               t.ends_on, t.label, 0, 0
        FROM {T_TERM} t
        JOIN {T_CLOSURE} c ON c.ancestor_id = %s AND c.descendant_id = t.org_id
             AND c.valid_from < t.ends_on AND c.valid_to >= t.ends_on
        LEFT JOIN {T_TERM} nt ON nt.org_id = t.org_id AND nt.starts_on = t.ends_on
        {_kind_join("t", "v.valid_from < t.ends_on AND v.valid_to >= t.ends_on")}
        WHERE t.ends_on <> %s AND t.ends_on > %s AND t.ends_on <= %s AND t.org_id <> %s
        UNION ALL
        SELECT t.org_id, -t.id, k.is_base, k.holds_members, NULL, %s, t.label, 0, 0
        FROM {T_TERM} t
        JOIN {T_CLOSURE} c ON c.ancestor_id = %s AND c.descendant_id = t.org_id
             AND c.valid_from <= %s AND c.valid_to > %s
        {_kind_join("t", "v.valid_from <= %s AND v.valid_to > %s")}
        WHERE t.ends_on = %s AND substr(t.label, 6, 4) >= %s AND substr(t.label, 6, 4) <= %s
              AND t.org_id <> %s
    """
    params: list[Any] = [
        end,
        org_id,
        start,
        end,
        org_id,
        org_id,
        FOREVER,
        start,
        end + timedelta(days=1),
        org_id,
        end,
        org_id,
        end,
        end,
        end,
        end,
        FOREVER,
        f"{start.year:04d}",
        f"{end.year:04d}",
        org_id,
    ]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows: list[tuple[Any, ...]] = cur.fetchall()
        return rows


def due_congresses(org_id: int, start: date, end: date) -> list[DueCongress]:
    """The congresses of the units below `org_id` due in [start, end] (module docstring)."""
    by_key: dict[tuple[int, int], tuple[Any, ...]] = {}
    for row in _rows(org_id, start, end):
        key = (row[0], row[1])
        if key not in by_key or row[7] > by_key[key][7]:
            by_key[key] = row
    opened_in: dict[str, Counter[str]] = {}
    for row in by_key.values():
        if row[7]:
            opened_in.setdefault(str(_as_date(row[5]).year), Counter())[row[4]] += 1
    out = []
    for org, _key, is_base, holds, opened, on, ended, held, approved in by_key.values():
        if held:
            year, term = str(_as_date(on).year), opened
        elif opened is not None:  # a closed term: due in the year of its last day
            year, term = str((_as_date(on) - timedelta(days=1)).year), opened
        else:
            year = str(ended)[5:9]
            labels = opened_in.get(year)
            term = labels.most_common(1)[0][0] if labels else f"sau nhiệm kỳ {ended}"
        out.append(
            DueCongress(
                org_id=org,
                is_base=bool(is_base),
                is_cell=bool(holds),
                held=bool(held),
                approved=bool(approved),
                term=term,
                round=year,
            )
        )
    return out
