"""Rebuild the ancestor/descendant table of every validity interval from the versions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import cast

from django.db import transaction

from dangbo.organizations.members import member_roll_if_installed
from dangbo.organizations.models import OrgClosure, OrgVersion

Row = tuple[int, int, int, date, date]  # ancestor, descendant, depth, from, to


def compute_closure(versions: Sequence[tuple[int, int | None, date, date]]) -> list[Row]:
    """Closure rows from (org, parent, valid_from, valid_to) versions.

    An org's ancestors over one of its versions are itself, its parent over the same
    interval, and the parent's ancestors intersected with that interval. Adjacent
    intervals of the same pair are coalesced.
    """
    by_org: dict[int, list[tuple[int | None, date, date]]] = defaultdict(list)
    for org, parent, start, end in versions:
        by_org[org].append((parent, start, end))
    memo: dict[tuple[int, date, date], list[tuple[int, int, date, date]]] = {}

    def ancestors(
        org: int, lo: date, hi: date, trail: frozenset[int]
    ) -> list[tuple[int, int, date, date]]:
        """Ancestors of `org` over [lo, hi); only versions overlapping the window count, so an
        organization may sit above another at one time and below it at another."""
        key = (org, lo, hi)
        if key in memo:
            return memo[key]
        if org in trail:
            raise ValueError(f"vòng lặp trong cây tổ chức tại #{org}")
        rows: list[tuple[int, int, date, date]] = []
        for parent, start, end in by_org.get(org, []):
            s, e = max(start, lo), min(end, hi)
            if s >= e:
                continue
            rows.append((org, 0, s, e))
            if parent is not None:
                for anc, depth, a_start, a_end in ancestors(parent, s, e, trail | {org}):
                    rows.append((anc, depth + 1, a_start, a_end))
        memo[key] = _coalesce(rows)
        return memo[key]

    out: list[Row] = []
    for org in by_org:
        out.extend(
            (anc, org, depth, start, end)
            for anc, depth, start, end in ancestors(org, date.min, date.max, frozenset())
        )
    return out


def _coalesce(rows: list[tuple[int, int, date, date]]) -> list[tuple[int, int, date, date]]:
    rows.sort()
    merged: list[tuple[int, int, date, date]] = []
    for anc, depth, start, end in rows:
        if merged and merged[-1][0] == anc and merged[-1][1] == depth and merged[-1][3] == start:
            merged[-1] = (anc, depth, merged[-1][2], end)
        else:
            merged.append((anc, depth, start, end))
    return merged


@transaction.atomic
def closure_rebuild() -> int:
    """Make the closure table equal to the one computed from the versions; return its size.

    Only the rows that differ are deleted and inserted; the member roll (the membership
    aggregates) sees them go and come."""
    versions = list(OrgVersion.objects.values_list("org_id", "parent_id", "valid_from", "valid_to"))
    rows = compute_closure(versions)
    wanted = set(rows)
    stored: dict[Row, int] = {}
    gone: list[int] = []
    touched: set[int] = set()  # the descendants whose rows change
    for pk, *values in OrgClosure.objects.values_list(
        "id", "ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"
    ):
        row = cast(Row, tuple(values))
        if row in wanted and row not in stored:
            stored[row] = pk
        else:
            gone.append(pk)
            touched.add(row[1])
    new = [r for r in rows if r not in stored]
    if not gone and not new:
        return len(rows)
    touched |= {d for _a, d, *_ in new}
    roll = member_roll_if_installed()
    if roll is not None:
        roll.tree_changed(gone, touched, -1)
    for i in range(0, len(gone), 5000):
        OrgClosure.objects.filter(pk__in=gone[i : i + 5000]).delete()
    created = OrgClosure.objects.bulk_create(
        (
            OrgClosure(ancestor_id=a, descendant_id=d, depth=k, valid_from=f, valid_to=t)
            for a, d, k, f, t in new
        ),
        batch_size=5000,
    )
    if roll is not None:
        roll.tree_changed([c.pk for c in created], touched, 1)
    return len(rows)


def closure_differences() -> list[str]:
    """Describe where the stored closure differs from one computed afresh (for verify)."""
    versions = list(OrgVersion.objects.values_list("org_id", "parent_id", "valid_from", "valid_to"))
    try:
        expected = set(compute_closure(versions))
    except ValueError as exc:
        return [f"Cây tổ chức không hợp lệ: {exc}"]
    stored = set(
        OrgClosure.objects.values_list(
            "ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"
        )
    )
    problems = []
    for a, d, _k, f, t in sorted(expected - stored)[:20]:
        problems.append(f"Thiếu quan hệ cấp trên #{a} → #{d} ({f} – {t})")
    for a, d, _k, f, t in sorted(stored - expected)[:20]:
        problems.append(f"Thừa quan hệ cấp trên #{a} → #{d} ({f} – {t})")
    return problems
