"""Matrix cases of the exports: the candidates, badges and targets lists of the user's own
organization (no object), a base organization's grading grid (ward P1 in scope, P2 out of
it; the cell secretary may not export member lists), and the figures of a ward's units on
the task queue (POST)."""

from dangbo.accounts.permissions import PERMISSIONS, Action, Role
from tests.web.matrix.case import Case


def ward(world, in_scope: bool) -> dict:
    return {"pk": world.tree["w1" if in_scope else "w2"].pk}


def ward_year(world, in_scope: bool) -> dict:
    return {**ward(world, in_scope), "year": 2024}


def _units(role: Role, in_scope: bool, method: str):
    if Action.VIEW_FIGURES not in PERMISSIONS[role]:
        return 403
    if not in_scope or role == Role.CELL_SECRETARY:
        return 404
    return 302  # enqueued: the task's page


CASES = [
    Case("web:candidates_xlsx", Action.EXPORT_MEMBERS),
    Case("web:badges_xlsx", Action.EXPORT_MEMBERS, query="?nam=2024"),
    Case("web:grading_grid_xlsx", Action.EXPORT_MEMBERS, ward_year),
    Case("web:targets_xlsx", Action.VIEW_PARTY_WORK, query="?nam=2024"),
    Case("web:org_units_figures", Action.VIEW_FIGURES, ward, methods=("POST",), expect=_units),
]
