"""``dangbo export FILE``: write the whole database to a JSON Lines interchange file."""

from __future__ import annotations

import sys
import unicodedata

from django.conf import settings

from dangbo.core.management.base import DangboCommand, writable_path
from dangbo.interchange.export import Withheld, export_to_path, interchange_export


class Command(DangboCommand):
    help = (
        "Xuất toàn bộ dữ liệu (trừ nhật ký thao tác) ra tệp trao đổi JSON Lines "
        "(docs/interchange.md); số định danh, điện thoại, nơi ở và nội dung văn bản mật "
        "chỉ được xuất khi yêu cầu."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp cần ghi; «-» để ghi ra màn hình (stdout)")
        parser.add_argument("--actor", default="hệ thống", help="người thực hiện, ghi vào nhật ký")
        parser.add_argument(
            "--with-personal-data",
            action="store_true",
            help="xuất cả số định danh cá nhân, số điện thoại và nơi ở",
        )
        parser.add_argument(
            "--with-secret",
            action="store_true",
            help="xuất cả nội dung văn bản mật (chỉ người có tên trong DANGBO_CLEARED_ACTORS)",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=10,
            metavar="N",
            help="báo tiến độ sau mỗi N nghìn dòng (mặc định 10)",
        )

    def handle(
        self,
        *args,
        file: str,
        actor: str,
        with_personal_data: bool,
        with_secret: bool,
        progress_every: int,
        **options,
    ):
        def progress(message: str) -> None:
            self.stderr.write(message)

        if (
            with_secret
            and unicodedata.normalize("NFC", actor.strip()) not in settings.DANGBO_CLEARED_ACTORS
        ):
            self.stderr.write(
                f"Người thực hiện «{actor}» không được phép xuất nội dung văn bản mật: chỉ "
                "người có tên trong danh sách DANGBO_CLEARED_ACTORS (do quản trị hệ thống "
                "đặt) mới được dùng --with-secret. Không có tệp nào được ghi."
            )
            raise SystemExit(1)
        withheld = Withheld(personal=not with_personal_data, secret=not with_secret)
        every = max(progress_every, 1) * 1000
        if file == "-":
            counts = interchange_export(
                sys.stdout,
                actor=actor,
                progress=progress,
                every=every,
                target="stdout",
                withheld=withheld,
            )
        else:
            writable_path(file, field="file")  # refused before anything is read or audited
            try:
                counts = export_to_path(
                    file, actor=actor, progress=progress, every=every, withheld=withheld
                )
            except OSError as exc:
                self.stderr.write(f"Không ghi được tệp «{file}»: {exc.strerror}.")
                raise SystemExit(1) from None
        summary = ", ".join(f"{n} {t}" for t, n in counts.items())
        self.stderr.write(f"Đã xuất {sum(counts.values())} bản ghi ({summary}).")
        if withheld.personal or withheld.secret:
            left_out = [
                *(["số định danh, điện thoại, nơi ở"] if withheld.personal else []),
                *(["nội dung văn bản mật"] if withheld.secret else []),
            ]
            self.stderr.write(
                f"Không xuất: {'; '.join(left_out)} "
                "(dùng --with-personal-data / --with-secret nếu cần)."
            )
