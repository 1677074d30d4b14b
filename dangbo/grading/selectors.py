"""Reads the grading rules need: base organizations, their members and disciplines in a year."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dangbo.membership.models import EventKind, MemberEvent, MembershipSpell
from dangbo.organizations.models import Organization, OrgClosure


def base_orgs_of(cell_ids: Iterable[int], *, on: date) -> dict[int, int]:
    """The base organization of each organization in `cell_ids` as the tree stood on `on`:
    its nearest ancestor (itself included) whose kind is a base organization that day."""
    rows = OrgClosure.objects.filter(
        descendant_id__in=list(cell_ids),
        valid_from__lte=on,
        valid_to__gt=on,
        ancestor__versions__valid_from__lte=on,
        ancestor__versions__valid_to__gt=on,
        ancestor__versions__kind__is_base=True,
    ).values_list("descendant_id", "ancestor_id", "depth")
    nearest: dict[int, tuple[int, int]] = {}
    for cell, ancestor, depth in rows:
        if cell not in nearest or depth < nearest[cell][1]:
            nearest[cell] = (ancestor, depth)
    return {cell: ancestor for cell, (ancestor, _) in nearest.items()}


def base_org_on(org: Organization, *, on: date) -> Organization | None:
    """The base organization `org` (a cell, say) belonged to on `on`, or None."""
    found = base_orgs_of([org.pk], on=on).get(org.pk)
    return Organization.objects.get(pk=found) if found else None


def base_org_members(base_org: Organization, *, on: date) -> dict[int, bool]:
    """Members on the rolls of `base_org` on `on` → exempt that day.

    Read from the membership spells of the cells in its subtree on `on`, leaving out
    cells that sit under a nested base organization.
    """
    rows = list(
        MembershipSpell.objects.filter(
            valid_from__lte=on,
            valid_to__gt=on,
            cell__closure_up__ancestor=base_org,
            cell__closure_up__valid_from__lte=on,
            cell__closure_up__valid_to__gt=on,
        ).values_list("member_id", "cell_id", "exempt")
    )
    base_of = base_orgs_of({cell for _, cell, _ in rows}, on=on)
    return {m: exempt for m, cell, exempt in rows if base_of.get(cell) == base_org.pk}


def disciplined_in(member_ids: Iterable[int], year: int) -> set[int]:
    """Members with a (not reversed) discipline event dated in `year`."""
    return set(
        MemberEvent.objects.filter(
            member_id__in=list(member_ids),
            kind=EventKind.DISCIPLINE,
            effective_on__gte=date(year, 1, 1),
            effective_on__lte=date(year, 12, 31),
            reversed_by__isnull=True,
        ).values_list("member_id", flat=True)
    )
