"""Matrix cases of the leadership dashboard: the page (the user's own organization) and
each chart's xlsx and PNG for an organization in and out of scope."""

from dangbo.accounts.permissions import Action
from tests.web.matrix.case import Case, queued


def members_chart(world, in_scope: bool) -> dict:
    return {"pk": (world.org_in if in_scope else world.org_out).pk, "key": "dang-vien"}


CASES = [
    Case("web:dashboards", Action.VIEW_FIGURES),
    Case(
        "web:dashboard_xlsx",
        Action.VIEW_FIGURES,
        members_chart,
        methods=("GET", "POST"),
        expect=queued(Action.VIEW_FIGURES),
    ),
    Case("web:dashboard_png", Action.VIEW_FIGURES, members_chart),
]
