from datetime import date

from dangbo.accounts.permissions import Action
from dangbo.membership.transfers import transfer_send
from tests.conftest import ACTOR, receive
from tests.web.matrix.case import Case


def _transfer(world, in_scope: bool) -> dict:
    """A transfer waiting at ward P1 (in every receiving role's scope) or at ward P2."""
    key = f"transfer_{in_scope}"
    if key not in world.extra:
        tree = world.tree
        source = tree["w2c2"] if in_scope else tree["w1c2"]
        member = receive(source, date(2022, 1, 1), admitted=date(2015, 1, 1))
        world.extra[key] = transfer_send(
            member=member,
            to_org=tree["w1"] if in_scope else tree["w2"],
            on=date(2024, 5, 6),
            actor=ACTOR,
        )
    return {"pk": world.extra[key].pk}


def _member(world, in_scope: bool) -> dict:
    return {"member": (world.member_in if in_scope else world.member_out).pk}


CASES = [
    Case("web:transfers", Action.RECEIVE_TRANSFERS),
    Case("web:transfer_receive", Action.RECEIVE_TRANSFERS, _transfer, methods=("GET", "POST")),
    Case("web:transfer_send", Action.RECORD_EVENTS, _member, methods=("GET", "POST")),
]
