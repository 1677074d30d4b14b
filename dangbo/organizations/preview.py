"""What a reorganization would write, found by running it and rolling it back.

:func:`reorganization_preview` runs one of the services of :mod:`.services` inside a
transaction (a savepoint when one is already open) that is always rolled back, and reports
what it wrote: the organizations whose version in force on the reorganization's date
changes, the reorganization rows, and the members' reorganization events (the moves the
tree asked the member roll to record — the roll still writes them, so a move the ledger
refuses is refused by the preview too). A refusal of the service propagates unchanged, so
the preview refuses exactly what the write would refuse, with the same message and field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from dangbo.organizations.members import MemberRoll, member_roll_wrapped
from dangbo.organizations.models import OrgVersion, Reorganization


@dataclass(frozen=True)
class VersionState:
    """An organization's version in force on the reorganization's date."""

    name: str
    code: str
    kind: str
    parent_id: int | None
    parent_name: str
    valid_from: date


@dataclass(frozen=True)
class TreeChange:
    """One organization's version on the date before (None: not alive) and after the write."""

    org_id: int
    before: VersionState | None
    after: VersionState | None

    @property
    def what(self) -> str:
        """A Vietnamese word for the change: thành lập, chấm dứt, đổi tên, điều chuyển…"""
        if self.before is None:
            return "Thành lập"
        if self.after is None:
            return "Chấm dứt hoạt động"
        parts = []
        if (self.before.name, self.before.code) != (self.after.name, self.after.code):
            parts.append("Đổi tên, mã")
        if self.before.kind != self.after.kind:
            parts.append("Đổi loại tổ chức")
        if self.before.parent_id != self.after.parent_id:
            parts.append("Điều chuyển trực thuộc")
        return "; ".join(parts) or "Ghi quyết định"

    @property
    def name(self) -> str:
        state = self.after or self.before
        assert state is not None
        return state.name


@dataclass(frozen=True)
class Move:
    """One reorganization event: the member's cell before and after (equal: the cell moves)."""

    member_id: int
    from_org: int
    to_org: int


@dataclass(frozen=True)
class Preview:
    """Everything the reorganization would write, as read inside its rolled-back transaction."""

    on: date
    reorganizations: tuple[str, ...]  # kinds of the Reorganization rows written
    changes: tuple[TreeChange, ...]
    moves: tuple[Move, ...]

    @property
    def events(self) -> int:
        """How many ledger events the write records (one per move)."""
        return len(self.moves)


class _RecordingRoll:
    """The installed member roll, noting every move it is asked to record."""

    def __init__(self, inner: MemberRoll) -> None:
        self.inner = inner
        self.moves: list[Move] = []

    def members_on(self, org_ids: Sequence[int], on: date) -> list[tuple[int, int]]:
        return self.inner.members_on(org_ids, on)

    def first_joined_from(self, org_id: int, on: date) -> date | None:
        return self.inner.first_joined_from(org_id, on)

    def reorganize(
        self,
        *,
        moves: list[tuple[int, int, int]],
        on: date,
        reorganization: Reorganization,
        actor: str,
    ) -> None:
        self.moves.extend(Move(m, f, t) for m, f, t in moves)
        self.inner.reorganize(moves=moves, on=on, reorganization=reorganization, actor=actor)

    def tree_changed(self, closure_ids: list[int], cells: set[int], sign: int) -> None:
        self.inner.tree_changed(closure_ids, cells, sign)


class _RollBack(Exception):
    pass


def _versions_on(on: date) -> dict[int, VersionState]:
    rows = list(
        OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on).values_list(
            "org_id", "name", "code", "kind__name", "parent_id", "valid_from"
        )
    )
    names = {org_id: name for org_id, name, *_ in rows}
    return {
        org_id: VersionState(
            name=name,
            code=code,
            kind=kind,
            parent_id=parent_id,
            parent_name=names.get(parent_id, "") if parent_id else "",
            valid_from=valid_from,
        )
        for org_id, name, code, kind, parent_id, valid_from in rows
    }


def _differences(before: dict[int, VersionState], after: dict[int, VersionState]):
    out = []
    for org_id in sorted(before.keys() | after.keys()):
        b, a = before.get(org_id), after.get(org_id)
        if b is None or a is None or _shape(b) != _shape(a):
            out.append(TreeChange(org_id, b, a))
    return tuple(out)


def _shape(v: VersionState) -> tuple[Any, ...]:
    return (v.name, v.code, v.kind, v.parent_id)


def reorganization_preview(service: Callable[..., object], /, *args: Any, **kwargs: Any) -> Preview:
    """Run `service(*args, **kwargs)` (a reorganization service, or ``org_reorganize``
    with one; `on` among the keyword arguments) and roll it back, returning what it wrote.

    A :class:`~dangbo.core.errors.DomainError` of the service propagates as the write would
    raise it. Nothing is left behind, also when the service fails.
    """
    on: date = kwargs["on"]
    preview: Preview | None = None
    try:
        with transaction.atomic(), member_roll_wrapped(_RecordingRoll) as recorder:
            before = _versions_on(on)
            last = Reorganization.objects.order_by("-pk").values_list("pk", flat=True).first()
            service(*args, **kwargs)
            kinds = tuple(
                Reorganization.objects.filter(pk__gt=last or 0)
                .order_by("pk")
                .values_list("kind", flat=True)
            )
            preview = Preview(
                on=on,
                reorganizations=kinds,
                changes=_differences(before, _versions_on(on)),
                moves=tuple(recorder.moves),
            )
            raise _RollBack
    except _RollBack:
        pass
    assert preview is not None
    return preview
