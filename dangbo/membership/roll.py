"""The members of the tree as the organizations app sees them (its :class:`MemberRoll`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dangbo.membership.aggregates import closure_changed, orgs_flows_changed
from dangbo.membership.events import members_reorganize
from dangbo.membership.models import MembershipSpell
from dangbo.organizations.models import Reorganization


class LedgerRoll:
    """The membership ledger answering the organization tree's questions."""

    def members_on(self, org_ids: Sequence[int], on: date) -> list[tuple[int, int]]:
        return list(
            MembershipSpell.objects.filter(cell_id__in=org_ids, valid_from__lte=on, valid_to__gt=on)
            .values_list("member_id", "cell_id")
            .order_by("member_id")
        )

    def first_joined_from(self, org_id: int, on: date) -> date | None:
        return (
            MembershipSpell.objects.filter(cell_id=org_id, valid_from__gte=on)
            .order_by("valid_from")
            .values_list("valid_from", flat=True)
            .first()
        )

    def reorganize(
        self,
        *,
        moves: list[tuple[int, int, int]],
        on: date,
        reorganization: Reorganization,
        actor: str,
    ) -> None:
        members_reorganize(moves=moves, on=on, reorganization=reorganization, actor=actor)

    def tree_changed(self, closure_ids: list[int], cells: set[int], sign: int) -> None:
        closure_changed(closure_ids, sign)
        orgs_flows_changed(cells, sign)
