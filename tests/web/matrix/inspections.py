"""Matrix cases of the inspection pages: the cases, the inspection committee's view, a case's
page and its forms. The case in scope is cell P1-C1 inspecting its member (in every role's
scope), the one out of scope cell P2-C1 inspecting its own."""

from datetime import date

from dangbo.accounts.permissions import Action
from dangbo.inspections.services import case_open
from tests.conftest import ACTOR
from tests.web.matrix.case import Case


def _case(world, in_scope: bool):
    key = f"case_{in_scope}"
    if key not in world.extra:
        cell = world.org_in if in_scope else world.org_out
        world.extra[key] = case_open(
            kind="kiem_tra_dau_hieu",
            conducting_org=cell,
            conducting_body="Chi bộ",
            subject_member=world.member_in if in_scope else world.member_out,
            starts_on=date(2024, 6, 1),
            topic="Kiểm tra việc chấp hành nghị quyết",
            actor=ACTOR,
        )
    return {"pk": world.extra[key].pk}


FORMS = ("step", "conclude")

CASES = [
    Case("web:inspections", Action.VIEW_PARTY_WORK),
    Case("web:inspection_committee", Action.VIEW_PARTY_WORK),
    Case("web:inspection_case", Action.VIEW_PARTY_WORK, _case),
    Case("web:inspection_case_open", Action.MANAGE_INSPECTIONS, methods=("GET", "POST")),
    *(
        Case(f"web:inspection_case_{f}", Action.MANAGE_INSPECTIONS, _case, methods=("GET", "POST"))
        for f in FORMS
    ),
    Case(
        "web:inspection_case_discipline", Action.RECORD_DISCIPLINE, _case, methods=("GET", "POST")
    ),
]
