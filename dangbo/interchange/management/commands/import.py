"""``dangbo import FILE``: validate a JSON Lines interchange file and load it, all or nothing."""

from __future__ import annotations

import sys

from dangbo.core.management.base import DangboCommand
from dangbo.interchange.importer import interchange_import
from dangbo.interchange.reader import InterchangeInvalid

#: Errors printed at most; the total is always given.
SHOWN = 200


class Command(DangboCommand):
    help = (
        "Nhập tệp trao đổi JSON Lines (docs/interchange.md) vào cơ sở dữ liệu trống; "
        "tệp có lỗi thì không ghi gì và liệt kê lỗi theo dòng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp cần đọc; «-» để đọc từ stdin")
        parser.add_argument("--actor", default="hệ thống", help="người thực hiện, ghi vào nhật ký")
        parser.add_argument(
            "--progress-every",
            type=int,
            default=10,
            metavar="N",
            help="báo tiến độ sau mỗi N nghìn dòng (mặc định 10)",
        )

    def handle(self, *args, file: str, actor: str, progress_every: int, **options):
        def progress(message: str) -> None:
            self.stderr.write(message)

        every = max(progress_every, 1) * 1000
        try:
            if file == "-":
                result = interchange_import(
                    sys.stdin.buffer, actor=actor, progress=progress, every=every, source="stdin"
                )
            else:
                with open(file, "rb") as fh:
                    result = interchange_import(
                        fh, actor=actor, progress=progress, every=every, source=file
                    )
        except InterchangeInvalid as exc:
            for error in exc.errors[:SHOWN]:
                self.stderr.write(str(error))
            if len(exc.errors) > SHOWN:
                self.stderr.write(f"… và {len(exc.errors) - SHOWN} lỗi khác.")
            self.stderr.write(exc.message)
            raise SystemExit(1) from None
        except OSError as exc:
            self.stderr.write(f"Không đọc được tệp «{file}»: {exc.strerror}.")
            raise SystemExit(1) from None
        summary = ", ".join(f"{n} {t}" for t, n in result.counts.items())
        self.stdout.write(f"Đã nhập {result.lines} dòng: {summary}.")
