"""``dangbo demo [--reset [--yes]]``: load the demo city with its history into the database."""

from __future__ import annotations

import sys
import time

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from dangbo.core.errors import DomainError
from dangbo.core.management.base import DangboCommand
from dangbo.demo.accounts import DEMO_PASSWORD, demo_accounts_ensure
from dangbo.demo.generate import CITY_NAME, TODAY, DemoSummary, demo_generate
from dangbo.demo.reset import (
    LOAD_MARK,
    RESET_MARK,
    demo_foreign,
    demo_loaded,
    demo_mark,
    demo_reset,
)
from dangbo.organizations.models import Organization

YES = ("y", "yes", "c", "co", "có")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(DangboCommand):
    help = (
        f"Nạp dữ liệu mẫu: {CITY_NAME} với lịch sử đảng viên từ 2018 đến {TODAY:%d/%m/%Y} "
        "(kể cả sắp xếp tổ chức ngày 01/07/2025). Chạy lại không nạp trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa dữ liệu mẫu hiện có rồi nạp lại (từ chối nếu có dữ liệu khác; hỏi xác nhận).",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Không hỏi xác nhận khi --reset (dùng trong script).",
        )

    def handle(self, *args, reset: bool = False, yes: bool = False, **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if reset:
            if not self._confirmed(yes):
                self.stdout.write("Đã hủy; không xóa gì.")
                return
        elif demo_loaded():
            self.stdout.write(
                f"Dữ liệu mẫu ({CITY_NAME}) đã được nạp trước đó; không nạp lại. "
                "Dùng «dangbo demo --reset» để xóa và nạp lại từ đầu."
            )
            self._accounts()
            return
        elif Organization.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu khác; không nạp dữ liệu mẫu vào đó. "
                "Hãy dùng một cơ sở dữ liệu mới (biến môi trường DANGBO_VAR_DIR hoặc DATABASE_URL)."
            )
        try:
            with transaction.atomic():  # a failure leaves the old data as it was
                if reset:
                    demo_mark(RESET_MARK)
                    demo_reset()
                    self.stdout.write("Đã xóa toàn bộ dữ liệu cũ.")
                self.stdout.write(f"Đang tạo dữ liệu mẫu {CITY_NAME}…")
                summary = demo_generate(progress=lambda message: self.stdout.write(message))
                demo_mark(LOAD_MARK, people=summary.people, events=summary.events)
                demo_accounts_ensure()
        except DomainError as exc:
            raise CommandError(f"{exc.message} Dữ liệu cũ được giữ nguyên.") from exc
        self._done(summary, time.monotonic() - started)
        self._accounts()

    def _accounts(self) -> None:
        """List the demo accounts (created with the demo; given back their roles after a
        reset)."""
        plan = demo_accounts_ensure()
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for a in plan:
            self.stdout.write(f"  {a.username:<10} {a.role.label} — {a.org_code}")

    def _confirmed(self, yes: bool) -> bool:
        """Refuse a reset over data that is not the demo's; otherwise ask, unless `yes`.

        Without a terminal to ask on and without --yes, refuse and say to add --yes.
        """
        foreign = demo_foreign()
        if foreign:
            raise CommandError(
                "Không xóa: cơ sở dữ liệu có dữ liệu không phải dữ liệu mẫu ("
                + "; ".join(foreign)
                + "). «dangbo demo --reset» chỉ xóa dữ liệu mẫu; hãy dùng một cơ sở dữ liệu "
                "mới cho dữ liệu mẫu."
            )
        if yes:
            return True
        if not sys.stdin.isatty():
            raise CommandError(
                "«dangbo demo --reset» xóa toàn bộ dữ liệu mẫu hiện có; khi chạy không tương "
                "tác (không có bàn phím), hãy thêm --yes để xác nhận."
            )
        self.stdout.write(
            f"Xóa toàn bộ dữ liệu mẫu hiện có ({CITY_NAME}) và nạp lại? Nhật ký thao tác "
            "được giữ nguyên. [y/N] ",
            ending="",
        )
        self.stdout.flush()
        return sys.stdin.readline().strip().lower() in YES

    def _done(self, summary: DemoSummary, elapsed: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu: {_n(summary.organizations)} tổ chức đảng, "
                f"{_n(summary.members)} đảng viên đang sinh hoạt (trong {_n(summary.people)} hồ sơ nhân thân), "
                f"{_n(summary.events)} sự kiện trong sổ đảng viên, {_n(summary.candidates)} quần chúng ưu tú, "
                f"{_n(summary.decisions)} quyết định; thời gian {elapsed:.0f} giây."
            )
        )
