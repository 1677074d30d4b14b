"""`dangbo serve [--port 8000] [--host 127.0.0.1] [--workers N] [--check]` — the web application
under gunicorn, its static files collected and served by WhiteNoise, and one worker of the
background task queue (`dangbo worker`) beside it: started before gunicorn, restarted if it
dies, stopped when gunicorn stops (Ctrl+C or SIGTERM stop both).

`--check` starts nothing: it says whether the database is ready (structure up to date, an
organization, an account) and, when not, what to run; exit status 1 when it is not ready.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from dangbo.core.management.base import UNMIGRATED_MESSAGE, DangboCommand, bounded_int
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import EMPTY_DATABASE_MESSAGE

STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def readiness_problem() -> str:
    """What keeps the office from using the application, in Vietnamese ("" when ready):
    migrations not applied, no organization, no account."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return UNMIGRATED_MESSAGE
    if not Organization.objects.exists():
        return EMPTY_DATABASE_MESSAGE
    if not get_user_model().objects.exists():
        return (
            "Chưa có tài khoản nào; tạo quản trị viên đầu tiên bằng "
            "«dangbo user add TÊN --role admin --org MÃ_TỔ_CHỨC»."
        )
    return ""


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
        parser.add_argument(
            "--check",
            action="store_true",
            help="chỉ kiểm tra cơ sở dữ liệu đã sẵn sàng chưa (không chạy ứng dụng)",
        )

    def handle(self, *args, port: int, host: str, workers: int, check: bool = False, **opts):
        if check:
            problem = readiness_problem()
            if problem:
                raise CommandError(problem)
            self.stdout.write("Cơ sở dữ liệu sẵn sàng: có tổ chức đảng và tài khoản.")
            return
        call_command("migrate", interactive=False, verbosity=0)
        problem = readiness_problem()
        if problem:  # the application starts, but nobody can use it yet
            self.stderr.write(f"Lưu ý: {problem}")
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
        run_with_worker(argv, env, self.stderr.write)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it is still running after 15 seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_with_worker(argv: list[str], env: dict[str, str], warn: Any) -> None:
    """Run the server `argv` and a task worker until the server exits or this process is
    told to stop; the worker is started again when it exits on its own."""
    worker_argv = [sys.executable, "-m", "dangbo.cli", "worker"]

    def stop_on_signal(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_signal)
    worker = subprocess.Popen(worker_argv, env=env)
    server = subprocess.Popen(argv, env=env)
    try:
        while server.poll() is None:
            if worker.poll() is not None:
                warn("Tiến trình chạy việc nền đã dừng; khởi động lại.")
                worker = subprocess.Popen(worker_argv, env=env)
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(server)
        _stop(worker)
    if server.returncode not in (0, -signal.SIGTERM, -signal.SIGINT, None):
        raise CommandError(f"máy chủ web dừng với mã {server.returncode}.")
