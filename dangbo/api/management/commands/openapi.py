"""`dangbo openapi [--check] [--out FILE]` — write the API's OpenAPI schema, or compare it
with the committed one (docs/openapi.json) and fail when they differ."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from dangbo.core.management.base import DangboCommand

DEFAULT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def schema_text() -> str:
    """The schema as committed: sorted keys, two-space indent, Vietnamese kept, final newline."""
    from dangbo.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(DangboCommand):
    help = "Ghi lược đồ OpenAPI của API vào docs/openapi.json, hoặc so sánh (--check)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="chỉ so sánh, không ghi")
        parser.add_argument("--out", default=str(DEFAULT), help="tệp lược đồ")

    def handle(self, *args: Any, check: bool, out: str, **opts: Any) -> None:
        path = Path(out)
        text = schema_text()
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(
                    f"lược đồ OpenAPI trong {path} khác với mã nguồn; chạy «dangbo openapi» "
                    "rồi commit tệp."
                )
            self.stdout.write(f"Lược đồ OpenAPI khớp với {path}.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Đã ghi lược đồ OpenAPI vào {path}.")
