"""Matrix cases of the organization pages: the tree, an organization's page and workbook, and
the reorganization forms (a GET shows the form; an empty POST re-renders it with errors)."""

from dangbo.accounts.permissions import Action
from tests.web.matrix.case import Case, queued


def org(world, in_scope: bool) -> dict:
    return {"pk": (world.org_in if in_scope else world.org_out).pk}


FORMS = ("found", "rename", "move", "merge", "split", "dissolve")

CASES = [
    Case("web:org_tree", Action.VIEW_ORGS),
    Case("web:org", Action.VIEW_ORGS, org),
    Case(
        "web:org_figures_xlsx",
        Action.VIEW_FIGURES,
        org,
        methods=("GET", "POST"),
        expect=queued(Action.VIEW_FIGURES),
    ),
    *(Case(f"web:org_{kind}", Action.MANAGE_ORGS, org, methods=("GET", "POST")) for kind in FORMS),
]
