"""`dangbo verify` — exit status 1 with a readable list when a check fails."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import CommandParser

from dangbo.core.dates import parse_date
from dangbo.core.management.base import DangboCommand, bounded_int
from dangbo.core.progress import Progress
from dangbo.organizations.selectors import require_organizations
from dangbo.reports.verification import verify


class Command(DangboCommand):
    help = "Kiểm tra: sổ đảng viên khớp dữ liệu tính lại, số liệu cân đối, cây tổ chức nhất quán."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="ngày kiểm tra (mặc định hôm nay)")
        parser.add_argument(
            "--years", type=bounded_int(1, 100), default=3, help="số năm gần nhất cần đối chiếu"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        today = parse_date(opts["on"], field="--on") if opts["on"] is not None else date.today()
        require_organizations()
        report = verify(
            today=today,
            years=opts["years"],
            progress=lambda label, total: Progress(label, total, stream=self.stderr._out),
        )
        for w in report.warnings[:50]:
            self.stdout.write(f"Cảnh báo: {w}")
        if len(report.warnings) > 50:
            self.stdout.write(f"… và {len(report.warnings) - 50} cảnh báo khác")
        c = report.checked
        if report.failures:
            self.stdout.write(f"\nPHÁT HIỆN {len(report.failures)} LỖI:")
            for f in report.failures:
                self.stdout.write(f"  - {f}")
            sys.exit(1)
        skipped = (
            f"; {c['before_opening']} kỳ bắt đầu trước ngày nhập sổ không có số liệu để đối chiếu"
            if c.get("before_opening")
            else ""
        )
        self.stdout.write(
            f"Kiểm tra đạt: sổ đảng viên khớp với dữ liệu tính lại; cây tổ chức nhất quán; "
            f"số liệu cân đối ở {c['organizations']} tổ chức × các kỳ gần nhất ({c['identity_checks']} phép đối chiếu){skipped}."
        )
