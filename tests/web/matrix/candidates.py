from datetime import date

from dangbo.accounts.permissions import Action
from dangbo.membership.admission import candidate_create
from tests.conftest import ACTOR, make_person
from tests.web.matrix.case import Case


def _candidate(world, in_scope: bool) -> dict:
    """A candidate of cell P1-C1 (in every role's scope) or of P2-C1 (out of it)."""
    key = f"candidate_{in_scope}"
    if key not in world.extra:
        world.extra[key] = candidate_create(
            person=make_person(),
            cell=world.org_in if in_scope else world.org_out,
            on=date(2024, 1, 2),
            actor=ACTOR,
        )
    return {"pk": world.extra[key].pk}


CASES = [
    Case("web:candidates", Action.VIEW_CANDIDATES),
    Case("web:candidate_advance", Action.MANAGE_CANDIDATES, _candidate, methods=("GET", "POST")),
]
