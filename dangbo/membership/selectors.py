"""Reads over the membership projections, each about a given date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count

from dangbo.membership.models import MembershipSpell, MemberStatus
from dangbo.organizations.models import OrgClosure, OrgVersion
from dangbo.rulebook import rules_on


def member_counts(*, on: date) -> dict[int, tuple[int, int]]:
    """(members, full members) of every organization's subtree on `on`, in one query."""
    sql = f"""
        SELECT c.ancestor_id, COUNT(*), SUM(CASE WHEN s.status = %s THEN 1 ELSE 0 END)
        FROM {OrgClosure._meta.db_table} c
        JOIN {MembershipSpell._meta.db_table} s
             ON s.cell_id = c.descendant_id AND s.valid_from <= %s AND s.valid_to > %s
        WHERE c.valid_from <= %s AND c.valid_to > %s
        GROUP BY c.ancestor_id
    """
    with connection.cursor() as cur:
        cur.execute(sql, [MemberStatus.OFFICIAL.value, on, on, on, on])
        return {org: (n, int(official or 0)) for org, n, official in cur.fetchall()}


def cells_below_minimum(*, on: date, within: int | None = None) -> list[dict[str, Any]]:
    """Cells alive on `on` with fewer full members than the rule set in force requires;
    with `within`, only the cells of that organization's subtree on `on` (two queries)."""
    minimum = rules_on(on).cell_min_full_members
    cells = OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on, kind__holds_members=True)
    spells = MembershipSpell.objects.filter(
        valid_from__lte=on, valid_to__gt=on, status=MemberStatus.OFFICIAL
    )
    if within is not None:
        ids = OrgClosure.objects.filter(
            ancestor_id=within, valid_from__lte=on, valid_to__gt=on
        ).values("descendant_id")
        cells = cells.filter(org_id__in=ids).order_by("name")
        spells = spells.filter(cell_id__in=ids)
    official = dict(spells.values("cell_id").annotate(n=Count("id")).values_list("cell_id", "n"))
    return [
        {
            **c,
            "official": official.get(c["org_id"], 0),
            "minimum": minimum,
            "regulation": rules_on(on).code,
        }
        for c in cells.values("org_id", "name", "code")
        if official.get(c["org_id"], 0) < minimum
    ]
