"""`dangbo serve [--port 8000] [--host 127.0.0.1] [--workers N]` — the web application under
gunicorn, its static files collected and served by WhiteNoise."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import CommandError

from dangbo.core.management.base import DangboCommand, bounded_int

STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, at most 9 (each worker holds a connection)."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Command(DangboCommand):
    help = "Chạy ứng dụng web (gunicorn) cho văn phòng cấp ủy."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=bounded_int(1, 65535), default=8000)
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="địa chỉ lắng nghe (0.0.0.0 để mở cho mạng nội bộ; nhớ đặt DANGBO_ALLOWED_HOSTS)",
        )
        parser.add_argument("--workers", type=bounded_int(1, 64), default=default_workers())

    def handle(self, *args, port: int, host: str, workers: int, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        env = {**os.environ, "DANGBO_STATICFILES_STORAGE": STORAGE}
        env.setdefault("DANGBO_CONN_MAX_AGE", "60")
        collected = subprocess.run(
            [sys.executable, "-m", "dangbo.cli", "collectstatic", "--noinput", "-v0"], env=env
        )
        if collected.returncode != 0:
            raise CommandError("không thu gom được các tệp tĩnh (CSS, JS) của ứng dụng.")
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
        self.stdout.write(f"Ứng dụng web: http://{shown}:{port}/  (Ctrl+C để dừng)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "dangbo.wsgi:application",
            f"--bind={host}:{port}",
            f"--workers={workers}",
            "--access-logfile=-",
            "--graceful-timeout=10",
        ]
        os.execvpe(argv[0], argv, env)
