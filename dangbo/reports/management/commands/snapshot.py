"""`dangbo snapshot [--on DATE]` — tính lại cơ cấu đảng viên của các đảng bộ lớn tính đến một ngày."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandParser

from dangbo.core.dates import parse_date, today
from dangbo.core.management.base import DangboCommand
from dangbo.core.progress import Progress
from dangbo.figures_snapshot import min_members, snapshot_refresh
from dangbo.organizations.selectors import require_organizations


class Command(DangboCommand):
    help = (
        "Tính lại bản chụp cơ cấu đảng viên (tuổi đời, tuổi đảng, học vấn…) của các đảng bộ "
        "có từ DANGBO_SNAPSHOT_MIN_MEMBERS đảng viên trở lên, tính đến một ngày."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="tính đến ngày (mặc định hôm nay)")

    def handle(self, *args: Any, **opts: Any) -> None:
        on = parse_date(opts["on"], field="--on") if opts["on"] is not None else today()
        require_organizations()
        started = time.monotonic()
        n = snapshot_refresh(
            on, progress=Progress("Tính cơ cấu đảng viên", 2, stream=self.stderr._out)
        )
        when = on.strftime("%d/%m/%Y")
        if not n:
            self.stdout.write(
                f"Không tổ chức nào có từ {min_members():,} đảng viên trở lên ngày {when}: "
                "cơ cấu đảng viên được tính trực tiếp khi cần.".replace(",", ".")
            )
            return
        self.stdout.write(
            f"Đã tính cơ cấu đảng viên tính đến ngày {when} của {n} tổ chức "
            f"({time.monotonic() - started:.1f} giây)."
        )
