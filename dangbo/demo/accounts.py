"""The demo's accounts: one per role, each scoped to a different organization of the demo
city, all with the same published password (a demo is not a production set-up)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.permissions import Role
from dangbo.accounts.services import account_create, role_assign
from dangbo.demo.common import ACTOR, CITY_CODE
from dangbo.demo.generate import TODAY
from dangbo.organizations.models import Organization, OrgKind, OrgVersion
from dangbo.organizations.selectors import org_tree

DEMO_PASSWORD = "dangbo-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    org_code: str


def demo_accounts_plan() -> list[DemoAccount]:
    """Which account holds which role where: the city, two wards, a cell of the first ward."""
    nodes = org_tree(on=TODAY)
    wards = [n for n in nodes if n.depth == 1] or nodes[:1]
    second = wards[1] if len(wards) > 1 else wards[0]  # a smaller demo may have one ward
    under = _descendants(nodes, wards[0].id)
    holding = set(OrgKind.objects.filter(holds_members=True).values_list("code", flat=True))
    cells = [n for n in nodes if n.id in under and n.kind in holding] or wards
    return [
        DemoAccount("quantri", "Quản trị hệ thống", Role.ADMIN, CITY_CODE),
        DemoAccount("lanhdao", "Bí thư Thành ủy", Role.LEADERSHIP, CITY_CODE),
        DemoAccount("bantochuc", "Ban Tổ chức Thành ủy", Role.ORGANIZATION, CITY_CODE),
        DemoAccount("vanphong", f"Văn phòng {wards[0].name}", Role.OFFICE, wards[0].code),
        DemoAccount("kiemtra", f"Ủy ban Kiểm tra {second.name}", Role.INSPECTION, second.code),
        DemoAccount("bithu", f"Bí thư {cells[0].name}", Role.CELL_SECRETARY, cells[0].code),
    ]


def _descendants(nodes, root_id: int) -> set[int]:
    found, parents = set(), {root_id}
    for n in nodes:  # pre-order: children follow their parent
        if n.parent_id in parents:
            found.add(n.id)
            parents.add(n.id)
    return found


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """Create the demo accounts that are missing and give back their roles after a reset
    (which empties the role assignments but keeps the accounts)."""
    plan = demo_accounts_plan()
    users = get_user_model().objects
    for account in plan:
        org = Organization.objects.get(
            pk=OrgVersion.objects.filter(code=account.org_code).values("org_id")[:1]
        )
        user = users.filter(username=account.username).first()
        if user is None:
            account_create(
                username=account.username,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                role=account.role,
                org=org,
                valid_from=TODAY.replace(month=1, day=1),
                actor=ACTOR,
            )
        elif not RoleAssignment.objects.filter(user=user).exists():
            role_assign(
                user=user,
                role=account.role,
                org=org,
                valid_from=TODAY.replace(month=1, day=1),
                actor=ACTOR,
            )
    return plan
