"""`dangbo meetings [ORG] [--period P]` — the meetings recorded, each with its reference
(the name `dangbo news` takes)."""

from __future__ import annotations

from typing import Any

from dangbo.core.dates import parse_period
from dangbo.core.management.base import DangboCommand
from dangbo.meetings.models import MeetingKind
from dangbo.meetings.news import meeting_name
from dangbo.meetings.references import meetings_of, with_refs
from dangbo.organizations.selectors import org_resolve, org_version_shown


class Command(DangboCommand):
    help = "Danh sách hội nghị, buổi sinh hoạt đã ghi, kèm tham chiếu dùng cho lệnh news."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "org", metavar="ORG", nargs="?", help="tổ chức (gồm các tổ chức trực thuộc)"
        )
        parser.add_argument("--period", help="kỳ: 2023, 2023-H1, 2023-9M, 2023-Q3, 2023-M05")
        parser.add_argument("--kind", choices=MeetingKind.values, help="chỉ một loại hội nghị")

    def handle(self, *args: Any, **opts: Any) -> None:
        start, end = parse_period(opts["period"]) if opts.get("period") else (None, None)
        org = org_resolve(opts["org"], on=end) if opts.get("org") else None
        rows = meetings_of(org, start, end)
        if opts.get("kind"):
            rows = rows.filter(kind=opts["kind"])
        found = with_refs(rows)
        if not found:
            self.stdout.write("Không có hội nghị nào được ghi trong phạm vi này.")
            return
        width = max(len(ref) for ref, _ in found)
        self.stdout.write(f"{'Tham chiếu':<{width}}  {'Ngày':<10}  Hội nghị")
        for ref, m in found:
            version = org_version_shown(m.org, m.held_on)
            name = meeting_name(m, version)
            name = name[:1].upper() + name[1:]
            self.stdout.write(f"{ref:<{width}}  {m.held_on:%d/%m/%Y}  {name} ({version.name})")
        self.stdout.write(f"\n{len(found)} hội nghị. Bản tin: dangbo news THAM_CHIẾU")
