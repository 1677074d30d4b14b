"""Matrix cases of the targets pages: the grid, adopting a target, filling computed targets, a target's
evaluation and revision (a target of cell P1-C1 in scope, of P2-C1 out of it)."""

from datetime import date

from dangbo.accounts.permissions import Action
from dangbo.targets.services import target_adopt
from tests.conftest import ACTOR, provincial_decision
from tests.web.matrix.case import Case


def target(world, in_scope: bool) -> dict:
    key = f"target_{in_scope}"
    if key not in world.extra:
        world.extra[key] = target_adopt(
            org=world.org_in if in_scope else world.org_out,
            source_kind="chuong_trinh_cong_tac",
            source=provincial_decision(),
            category="xay_dung_dang",
            name="Kết nạp đảng viên mới",
            direction="at_least",
            planned=2,
            year=2024,
            adopted_on=date(2024, 1, 10),
            actor=ACTOR,
        )
    return {"pk": world.extra[key].pk}


CASES = [
    Case("web:targets", Action.VIEW_PARTY_WORK),
    Case("web:target_new", Action.MANAGE_TARGETS, methods=("GET", "POST")),
    Case("web:targets_compute", Action.MANAGE_TARGETS, methods=("GET", "POST")),
    Case("web:target_evaluate", Action.MANAGE_TARGETS, target, methods=("GET", "POST")),
    Case("web:target_revise", Action.MANAGE_TARGETS, target, methods=("GET", "POST")),
]
