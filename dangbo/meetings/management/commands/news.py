"""`dangbo news MEETING [--out FILE]` — a draft news item of a conference, for the ward website.

MEETING is the meeting's reference as `dangbo meetings` lists it ("P1-2023-07-15-so_ket_6_thang")."""

from __future__ import annotations

from dangbo.core.management.base import DangboCommand, writable_path
from dangbo.meetings.news import news_draft
from dangbo.meetings.references import meeting_by_ref


class Command(DangboCommand):
    help = "Bản tin dự thảo về một hội nghị (để đăng trang thông tin của phường)."

    def add_arguments(self, parser):
        parser.add_argument(
            "meeting",
            help="tham chiếu hội nghị, ví dụ P1-2023-07-15-so_ket_6_thang (dangbo meetings)",
        )
        parser.add_argument("--out", help="ghi ra tệp văn bản thay vì in ra màn hình")

    def handle(self, *args, **opts):
        out = writable_path(opts["out"]) if opts["out"] else None
        meeting = meeting_by_ref(opts["meeting"])
        text = news_draft(meeting)
        if out is not None:
            out.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Đã ghi {opts['out']}")
        else:
            self.stdout.write(text)
