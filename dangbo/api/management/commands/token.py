"""`dangbo token add USER [--name N] | revoke PREFIX|ID | list [USER]` — API tokens on the
command line (the token is printed once, when it is created)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from dangbo.api.models import ApiToken
from dangbo.api.tokens import token_create, token_find, token_revoke
from dangbo.core.errors import NotFound
from dangbo.core.management.base import DangboCommand

ACTOR = "dòng lệnh"


def _when(moment: Any) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else "—"


class Command(DangboCommand):
    help = "Mã truy cập API: tạo, thu hồi, liệt kê."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="tạo mã truy cập cho một tài khoản (in ra một lần)")
        add.add_argument("user", help="tên đăng nhập")
        add.add_argument("--name", default="", help="tên gợi nhớ (ví dụ: cổng thông tin)")
        rev = sub.add_parser("revoke", help="thu hồi mã truy cập")
        rev.add_argument("ref", metavar="PREFIX|ID", help="tiền tố hoặc số hiệu của mã")
        ls = sub.add_parser("list", help="liệt kê mã truy cập")
        ls.add_argument("user", nargs="?", help="chỉ của tài khoản này")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        getattr(self, f"_{action}")(**opts)

    def _user(self, name: str) -> Any:
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise NotFound(f"Không có tài khoản «{name}».", field="user")
        return user

    def _add(self, *, user: str, name: str, **_: Any) -> None:
        created = token_create(user=self._user(user), name=name, actor=ACTOR)
        self.stdout.write(
            f"Đã tạo mã truy cập {created.token.prefix}… (số {created.token.pk}) cho «{user}». "
            "Mã chỉ hiện một lần này, hãy lưu lại:"
        )
        self.stdout.write(created.secret)

    def _revoke(self, *, ref: str, **_: Any) -> None:
        token = token_revoke(token=token_find(ref), actor=ACTOR)
        self.stdout.write(f"Đã thu hồi mã truy cập {token.prefix}… của «{token.user.username}».")

    def _list(self, *, user: str | None, **_: Any) -> None:
        qs = ApiToken.objects.select_related("user").order_by("user__username", "pk")
        if user:
            qs = qs.filter(user=self._user(user))
        rows = list(qs)
        if not rows:
            self.stdout.write("Chưa có mã truy cập nào.")
            return
        self.stdout.write(
            f"{'Số':>4}  {'Tiền tố':<14}{'Tài khoản':<20}{'Tên':<24}{'Tạo lúc':<18}"
            f"{'Dùng lần cuối':<18}Trạng thái"
        )
        for t in rows:
            state = f"thu hồi {_when(t.revoked_at)}" if t.revoked_at else "đang dùng"
            self.stdout.write(
                f"{t.pk:>4}  {t.prefix + '…':<14}{t.user.username:<20}{t.name[:22]:<24}"
                f"{_when(t.created_at):<18}{_when(t.last_used_at):<18}{state}"
            )
