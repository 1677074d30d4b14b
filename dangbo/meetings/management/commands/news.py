"""`dangbo news MEETING [--out FILE]` — a draft news item of a conference, for the ward website."""

from __future__ import annotations

from dangbo.core.errors import NotFound
from dangbo.core.management.base import DangboCommand, bounded_int, writable_path
from dangbo.meetings.models import Meeting
from dangbo.meetings.news import news_draft


class Command(DangboCommand):
    help = "Bản tin dự thảo về một hội nghị (để đăng trang thông tin của phường)."

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=bounded_int(1, 2**63 - 1), help="số hiệu hội nghị")
        parser.add_argument("--out", help="ghi ra tệp văn bản thay vì in ra màn hình")

    def handle(self, *args, **opts):
        out = writable_path(opts["out"]) if opts["out"] else None
        meeting = Meeting.objects.filter(pk=opts["meeting"]).first()
        if meeting is None:
            raise NotFound(f"Không tìm thấy hội nghị số hiệu {opts['meeting']}.", field="meeting")
        text = news_draft(meeting)
        if out is not None:
            out.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Đã ghi {opts['out']}")
        else:
            self.stdout.write(text)
