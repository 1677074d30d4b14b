"""`dangbo rebuild [--dry-run]` — recompute projections and aggregates from the ledger,
reporting differences."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from dangbo.core.management.base import DangboCommand
from dangbo.core.progress import Progress
from dangbo.membership.aggregates import aggregate_differences
from dangbo.membership.projection import projection_differences, projection_rebuild
from dangbo.organizations.closure import closure_differences, closure_rebuild


class Command(DangboCommand):
    help = "Tính lại trạng thái đảng viên và cây tổ chức từ sổ sự kiện, báo cáo các chỗ khác biệt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="chỉ báo cáo, không ghi")

    def handle(self, *args: Any, **opts: Any) -> None:
        err = self.stderr._out
        differences = (
            closure_differences()
            + projection_differences(progress=Progress("Đối chiếu sổ đảng viên", 1, stream=err))
            + aggregate_differences()
        )
        for d in differences:
            self.stdout.write(f"  - {d}")
        if not differences:
            self.stdout.write("Dữ liệu lưu trữ khớp hoàn toàn với dữ liệu tính lại từ sổ.")
            return
        self.stdout.write(f"{len(differences)} chỗ khác biệt.")
        if opts["dry_run"]:
            return
        closure_rebuild()
        n = projection_rebuild(progress=Progress("Ghi lại trạng thái", 1, stream=err))
        self.stdout.write(f"Đã ghi lại trạng thái của {n} đảng viên và cây tổ chức từ sổ sự kiện.")
