"""``dangbo demo [--reset]``: load the demo city with its history into the database."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import CommandError

from dangbo.core.errors import DomainError
from dangbo.core.management.base import DangboCommand
from dangbo.demo.generate import CITY_NAME, TODAY, demo_generate, demo_loaded, demo_reset
from dangbo.organizations.models import Organization


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
            help="Xóa toàn bộ dữ liệu hiện có rồi nạp lại dữ liệu mẫu.",
        )

    def handle(self, *args, reset: bool = False, **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if reset:
            demo_reset()
            self.stdout.write("Đã xóa toàn bộ dữ liệu cũ.")
        elif demo_loaded():
            self.stdout.write(
                f"Dữ liệu mẫu ({CITY_NAME}) đã được nạp trước đó; không nạp lại. "
                "Dùng «dangbo demo --reset» để xóa và nạp lại từ đầu."
            )
            return
        elif Organization.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu khác; dùng «dangbo demo --reset» để xóa "
                "toàn bộ và nạp dữ liệu mẫu."
            )
        self.stdout.write(f"Đang tạo dữ liệu mẫu {CITY_NAME}…")
        try:
            summary = demo_generate(progress=lambda message: self.stdout.write(message))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu: {_n(summary.organizations)} tổ chức đảng, "
                f"{_n(summary.members)} đảng viên đang sinh hoạt (trong {_n(summary.people)} hồ sơ nhân thân), "
                f"{_n(summary.events)} sự kiện trong sổ đảng viên, {_n(summary.candidates)} quần chúng ưu tú, "
                f"{_n(summary.decisions)} quyết định; thời gian {elapsed:.0f} giây."
            )
        )
