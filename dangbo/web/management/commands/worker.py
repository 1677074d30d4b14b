"""`dangbo worker [--batch] [--interval SECONDS]` — the worker of the background task queue
(django-tasks' database backend): takes the waiting tasks one by one and runs them.

`--batch` runs every waiting task and exits. Ctrl+C (or SIGTERM) lets the task under way
finish; a second one stops it — such a task leaves no result file and can be run again
from its page.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from dangbo.core.management.base import DangboCommand


class Command(DangboCommand):
    help = "Chạy các việc nền (báo cáo của các đơn vị, bảng tính lớn) đang chờ trong hàng đợi."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="chạy hết các việc đang chờ rồi dừng"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="số giây chờ giữa hai lần xem hàng đợi khi không có việc (mặc định 1)",
        )

    def handle(self, *args: Any, batch: bool, interval: float, **opts: Any) -> None:
        if interval < 0:
            self._fail("--interval phải là số giây không âm.")
        call_command(
            "db_worker",
            batch=batch,
            interval=interval,
            reload=False,
            startup_delay=False,
            verbosity=opts.get("verbosity", 1),
            stdout=self.stdout._out,
            stderr=self.stderr._out,
        )
