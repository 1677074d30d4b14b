"""`dangbo user add|list|disable` — accounts on the command line (the first administrator,
scripted set-ups)."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from dangbo.accounts.models import RoleAssignment
from dangbo.accounts.permissions import ROLE_LABELS, Role
from dangbo.accounts.services import account_create, account_disable
from dangbo.core.dates import parse_date, today
from dangbo.core.management.base import DangboCommand
from dangbo.organizations.selectors import org_label, org_resolve, require_organizations

ACTOR = "dòng lệnh"


class Command(DangboCommand):
    help = "Quản lý tài khoản: thêm, liệt kê, khóa."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="thêm tài khoản với một vai trò trên một tổ chức")
        add.add_argument("name", help="tên đăng nhập")
        add.add_argument("--role", required=True, choices=[r.value for r in Role])
        add.add_argument("--org", required=True, help="số hiệu hoặc mã tổ chức")
        add.add_argument("--full-name", default="", help="họ và tên người dùng")
        add.add_argument("--from", dest="valid_from", help="hiệu lực từ ngày (mặc định hôm nay)")
        add.add_argument(
            "--password-stdin",
            action="store_true",
            help="đọc mật khẩu từ dòng đầu của đầu vào chuẩn (dùng trong script)",
        )
        sub.add_parser("list", help="liệt kê tài khoản và vai trò")
        dis = sub.add_parser("disable", help="khóa tài khoản (không đăng nhập được nữa)")
        dis.add_argument("name", help="tên đăng nhập")

    def handle(self, *args, action: str, **opts):
        getattr(self, f"_{action}")(**opts)

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        if not sys.stdin.isatty():
            raise CommandError("không có màn hình để nhập mật khẩu; dùng --password-stdin.")
        first = getpass.getpass("Mật khẩu: ")
        if first != getpass.getpass("Nhập lại mật khẩu: "):
            raise CommandError("hai lần nhập mật khẩu không khớp nhau.")
        return first

    def _add(self, *, name, role, org, full_name, valid_from, password_stdin, **_):
        organization = org_resolve(org)
        start = parse_date(valid_from, field="--from") if valid_from else today()
        password = self._password(password_stdin)
        user = account_create(
            username=name,
            password=password,
            full_name=full_name,
            role=role,
            org=organization,
            valid_from=start,
            actor=ACTOR,
        )
        self.stdout.write(
            f"Đã tạo tài khoản «{user.get_username()}»: {ROLE_LABELS[Role(role)]} — "
            f"{org_label(organization, on=start)}, từ {start:%d/%m/%Y}."
        )

    def _list(self, **_):
        users = get_user_model().objects.order_by("username")
        by_user: dict[int, list[RoleAssignment]] = {}
        for a in RoleAssignment.objects.select_related("org").order_by("valid_from", "pk"):
            by_user.setdefault(a.user_id, []).append(a)
        on = today()
        if not users:
            require_organizations()
            self.stdout.write(
                "Chưa có tài khoản nào; tạo quản trị viên đầu tiên bằng "
                "«dangbo user add TÊN --role admin --org MÃ_TỔ_CHỨC»."
            )
            return
        self.stdout.write(f"{'Tên đăng nhập':<22} {'Trạng thái':<10} Vai trò")
        for u in users:
            roles = "; ".join(
                f"{ROLE_LABELS[Role(a.role)]} — {org_label(a.org, on=on)}"
                + (f" (đến {a.valid_to:%d/%m/%Y})" if a.valid_to else "")
                for a in by_user.get(u.pk, [])
            )
            state = "hoạt động" if u.is_active else "đã khóa"
            self.stdout.write(f"{u.username:<22} {state:<10} {roles or '—'}")

    def _disable(self, *, name, **_):
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"không có tài khoản «{name}».")
        account_disable(user=user, actor=ACTOR)
        self.stdout.write(f"Đã khóa tài khoản «{name}».")
