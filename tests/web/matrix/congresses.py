"""Matrix cases of the congress pages: the overview, the plan, a congress, its elections,
ballot rounds and approval (a GET shows the form; an empty POST re-renders it with errors)."""

from datetime import date

from dangbo.accounts.permissions import Action
from dangbo.congresses.congress import congress_record
from dangbo.congresses.voting import election_open
from dangbo.membership.models import EventKind
from tests.conftest import ACTOR, admit, record
from tests.web.matrix.case import Case

BOTH = ("GET", "POST")


def cell_congress(cell, *, members: int = 3, on: date = date(2026, 3, 10), label="2026–2028"):
    """A congress of `members` full members of `cell` (admitted 2020, recognized 2021)
    opening the term `label` on `on`, with every member present; returns (congress,
    persons)."""
    people = []
    for i in range(members):
        m = admit(cell, date(2020, 1, 2 + i), name=f"Đảng viên {cell.pk}-{i + 1}")
        record(m, EventKind.RECOGNITION, date(2021, 1, 2 + i))
        people.append(m.person)
    congress = congress_record(
        org=cell,
        kind="all_member",
        starts_on=on,
        summoned=members,
        present=members,
        term_label=label,
        actor=ACTOR,
    )
    return congress, people


def _congress(world, in_scope: bool):
    key = f"congress-{in_scope}"
    if key not in world.extra:
        congress, people = cell_congress(world.org_in if in_scope else world.org_out)
        world.extra[key] = congress
        world.extra[f"election-{in_scope}"] = election_open(
            congress=congress, what="secretary", seats=1, candidates=people[:1], actor=ACTOR
        )
    return world.extra[key]


def congress(world, in_scope: bool) -> dict:
    return {"pk": _congress(world, in_scope).pk}


def election(world, in_scope: bool) -> dict:
    _congress(world, in_scope)
    return {"pk": world.extra[f"election-{in_scope}"].pk}


CASES: list[Case] = [
    Case("web:congresses", Action.VIEW_PARTY_WORK),
    Case("web:congress_new", Action.MANAGE_CONGRESSES, methods=BOTH),
    Case("web:congress", Action.VIEW_PARTY_WORK, congress),
    Case("web:election_new", Action.MANAGE_CONGRESSES, congress, methods=BOTH),
    Case("web:congress_approve", Action.MANAGE_CONGRESSES, congress, methods=BOTH),
    Case("web:ballot_round", Action.MANAGE_CONGRESSES, election, methods=BOTH),
    Case("web:election_stop", Action.MANAGE_CONGRESSES, election, methods=BOTH),
    Case("web:secretary_appoint", Action.MANAGE_CONGRESSES, election, methods=BOTH),
]
