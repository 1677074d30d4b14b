"""What the organization tree needs to know of the members in it, without importing them.

The tree sits below the membership ledger and never imports it. The membership app installs
a :class:`MemberRoll` when Django starts (``MembershipConfig.ready``); merging, splitting,
moving and dissolving organizations ask it who sits in which cell and have it record the
moves in the ledger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Protocol, TypeVar

from dangbo.organizations.models import Reorganization


class MemberRoll(Protocol):
    def members_on(self, org_ids: Sequence[int], on: date) -> list[tuple[int, int]]:
        """(member, cell) of every member whose cell on `on` is one of `org_ids`, by member."""
        ...

    def first_joined_from(self, org_id: int, on: date) -> date | None:
        """The earliest day on or after `on` a member starts in the cell `org_id`, if any."""
        ...

    def reorganize(
        self,
        *,
        moves: list[tuple[int, int, int]],
        on: date,
        reorganization: Reorganization,
        actor: str,
    ) -> None:
        """Record (member, from cell, to cell) moves caused by `reorganization`."""
        ...

    def tree_changed(self, closure_ids: list[int], cells: set[int], sign: int) -> None:
        """The closure rows `closure_ids` of the organizations `cells` are about to be deleted
        (`sign` −1) or were just inserted (+1): follow them in what depends on the tree."""
        ...


_installed: list[MemberRoll] = []
R = TypeVar("R", bound=MemberRoll)
_override: ContextVar[MemberRoll | None] = ContextVar("member_roll_override", default=None)


def member_roll_install(roll: MemberRoll) -> None:
    """Make `roll` the one the tree asks (the membership app does this once, at start)."""
    _installed[:] = [roll]


@contextmanager
def member_roll_wrapped(wrap: Callable[[MemberRoll], R]) -> Iterator[R]:
    """Within the block, and in this thread or task only, the tree asks `wrap(installed)`
    instead of the installed roll (a preview records the moves it is asked to write)."""
    wrapped = wrap(member_roll())
    token = _override.set(wrapped)
    try:
        yield wrapped
    finally:
        _override.reset(token)


def member_roll_if_installed() -> MemberRoll | None:
    """The roll the tree asks now, or None in a configuration without the membership app."""
    return _override.get() or (_installed[0] if _installed else None)


def member_roll() -> MemberRoll:
    """The installed roll; a configuration without the membership app cannot reorganize."""
    override = _override.get()
    if override is not None:
        return override
    if not _installed:
        raise RuntimeError("The membership app (dangbo.membership) is not installed.")
    return _installed[0]
