"""Matrix cases of the grading pages: the year's summary, a base organization's grid (ward P1
in scope, P2 out of it; the cell secretary, scoped to a cell, does not reach a ward's grid),
recording, the live cap fragment, withdrawing, an organization's grade."""

from dangbo.accounts.permissions import Action, Role
from tests.web.matrix.case import Case


def ward(world, in_scope: bool) -> dict:
    return {"pk": world.tree["w1" if in_scope else "w2"].pk, "year": 2024}


def cell(world, in_scope: bool) -> dict:
    return {"pk": (world.org_in if in_scope else world.org_out).pk, "year": 2024}


def _ward_page(action: Action):
    """The cell secretary's scope is a cell: a ward's page is out of it (404) when the role
    may do `action` at all."""

    def expect(role: Role, in_scope: bool, method: str):
        from dangbo.accounts.permissions import PERMISSIONS

        if action not in PERMISSIONS[role]:
            return 403
        if not in_scope or role == Role.CELL_SECRETARY:
            return 404
        return 200 if method == "GET" else (200, 302)

    return expect


CASES = [
    Case("web:grading", Action.VIEW_PARTY_WORK),
    Case(
        "web:grading_grid", Action.VIEW_PARTY_WORK, ward, expect=_ward_page(Action.VIEW_PARTY_WORK)
    ),
    Case("web:grading_record", Action.MANAGE_GRADING, ward, methods=("GET", "POST")),
    Case("web:grading_cap", Action.MANAGE_GRADING, ward, methods=("GET", "POST")),
    Case("web:grading_withdraw", Action.MANAGE_GRADING, ward, methods=("GET", "POST")),
    Case("web:grading_org", Action.MANAGE_GRADING, cell, methods=("GET", "POST")),
]
