"""``dangbo export FILE``: write the whole database to a JSON Lines interchange file."""

from __future__ import annotations

import sys

from dangbo.core.management.base import DangboCommand
from dangbo.interchange.export import interchange_export


class Command(DangboCommand):
    help = "Xuất toàn bộ dữ liệu (trừ nhật ký thao tác) ra tệp trao đổi JSON Lines (docs/interchange.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp cần ghi; «-» để ghi ra màn hình (stdout)")
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
        if file == "-":
            counts = interchange_export(
                sys.stdout, actor=actor, progress=progress, every=every, target="stdout"
            )
        else:
            try:
                out = open(file, "w", encoding="utf-8", newline="\n")
            except OSError as exc:
                self.stderr.write(f"Không ghi được tệp «{file}»: {exc.strerror}.")
                raise SystemExit(1) from None
            with out:
                counts = interchange_export(
                    out, actor=actor, progress=progress, every=every, target=file
                )
        summary = ", ".join(f"{n} {t}" for t, n in counts.items())
        self.stderr.write(f"Đã xuất {sum(counts.values())} bản ghi ({summary}).")
