"""The organization tree on a date with the members of each organization's subtree.

Two queries whatever the size of the tree: the versions in force, and the membership
spells in force grouped by cell and status.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from dangbo.membership.models import MembershipSpell, MemberStatus
from dangbo.organizations.models import OrgKind
from dangbo.organizations.selectors import TreeNode, org_tree

#: A cell (chi bộ) with fewer full members than this needs the office's attention
#: (merged or strengthened); the tree flags it.
MIN_FULL_MEMBERS = 3


@dataclass(frozen=True)
class CountedNode:
    """A node of the tree with the counts of its whole subtree on the date."""

    node: TreeNode
    official: int
    probationary: int
    holds_members: bool
    children: int  # direct children shown

    @property
    def members(self) -> int:
        return self.official + self.probationary

    @property
    def below_minimum(self) -> bool:
        """A cell holding members with fewer than three full members."""
        return self.holds_members and self.official < MIN_FULL_MEMBERS


def cell_counts(on: date) -> dict[int, tuple[int, int]]:
    """(full, probationary) members of each cell on `on`; cells without members are absent."""
    out: dict[int, list[int]] = {}
    rows = (
        MembershipSpell.objects.filter(valid_from__lte=on, valid_to__gt=on)
        .values_list("cell_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for cell_id, status, n in rows:
        counts = out.setdefault(cell_id, [0, 0])
        counts[0 if status == MemberStatus.OFFICIAL else 1] += n
    return {k: (v[0], v[1]) for k, v in out.items()}


def tree_with_counts(*, on: date, within: Collection[int] | None = None) -> list[CountedNode]:
    """The tree on `on` depth-first (see `org_tree`), limited to the organizations in
    `within` (None: all), each with the members of its subtree.

    An organization whose parent is left out becomes a root (depth 0); depths are
    recomputed so the shown tree nests from 0.
    """
    nodes = org_tree(on=on)
    if within is not None:
        allowed = set(within)
        nodes = [n for n in nodes if n.id in allowed]
    counts = cell_counts(on)
    holding = set(OrgKind.objects.filter(holds_members=True).values_list("code", flat=True))
    shown = {n.id for n in nodes}
    depth: dict[int, int] = {}
    totals: dict[int, list[int]] = {n.id: list(counts.get(n.id, (0, 0))) for n in nodes}
    children: dict[int, int] = {}
    for n in nodes:  # depth-first: a parent comes before its children
        parent = n.parent_id if n.parent_id in shown else None
        depth[n.id] = depth[parent] + 1 if parent is not None else 0
        if parent is not None:
            children[parent] = children.get(parent, 0) + 1
    for n in reversed(nodes):  # children before their parent
        if n.parent_id in shown and n.parent_id is not None:
            totals[n.parent_id][0] += totals[n.id][0]
            totals[n.parent_id][1] += totals[n.id][1]
    return [
        CountedNode(
            node=TreeNode(**{**n.__dict__, "depth": depth[n.id]}),
            official=totals[n.id][0],
            probationary=totals[n.id][1],
            holds_members=n.kind in holding,
            children=children.get(n.id, 0),
        )
        for n in nodes
    ]
