"""Cases of the member page, its forms, admission, reception and the cells' proposals."""

from __future__ import annotations

from typing import Any

from dangbo.accounts.permissions import Action
from dangbo.membership.models import EventKind
from dangbo.membership.proposals import proposal_create
from tests.web.matrix.case import Case

BOTH = ("GET", "POST")


def _member(world: Any, in_scope: bool) -> Any:
    return world.member_in if in_scope else world.member_out


def _pk(world: Any, in_scope: bool) -> dict[str, Any]:
    return {"pk": _member(world, in_scope).pk}


def _slug(slug: str):
    return lambda world, in_scope: {**_pk(world, in_scope), "slug": slug}


def _event(world: Any, in_scope: bool) -> dict[str, Any]:
    m = _member(world, in_scope)
    return {"pk": m.pk, "event": m.events.order_by("pk").first().pk}


def _proposal(world: Any, in_scope: bool) -> dict[str, Any]:
    key = f"proposal_{in_scope}"
    if key not in world.extra:
        world.extra[key] = proposal_create(
            member=_member(world, in_scope),
            kind=EventKind.EXEMPTION,
            fields={"effective_on": "2021-06-01"},
            proposer="tk_cell_secretary",
        )
    return {"pk": world.extra[key].pk}


CASES: list[Case] = [
    Case("web:member", Action.VIEW_MEMBERS, _pk),
    Case("web:member_event", Action.RECORD_EVENTS, _slug("chinh-thuc"), methods=BOTH),
    Case("web:member_discipline", Action.RECORD_DISCIPLINE, _pk, methods=BOTH),
    Case("web:member_propose", Action.PROPOSE_EVENTS, _slug("mien"), methods=BOTH),
    Case("web:member_reverse", Action.RECORD_EVENTS, _event, methods=BOTH),
    Case("web:member_admit", Action.RECORD_EVENTS, methods=BOTH),
    Case("web:member_receive", Action.RECEIVE_TRANSFERS, methods=BOTH),
    Case("web:proposals", Action.CONFIRM_PROPOSALS),
    Case("web:proposal", Action.CONFIRM_PROPOSALS, _proposal, methods=BOTH),
]
