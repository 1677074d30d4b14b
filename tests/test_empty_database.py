"""Commands on a database that is not ready: never a traceback, always what to run.

Each command runs in its own process (as a clerk runs it) against a fresh SQLite file: first
without dangbo's tables (unmigrated), then migrated but holding no organization.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = (
    ("stats", "TP", "--period", "2023"),
    ("report", "review", "TP", "--period", "2023", "--out", "{tmp}/bc.html"),
    ("verify",),
    ("user", "list"),
    ("serve", "--check"),
    ("orgs",),
)


def _dangbo(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'vanphong.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "dangbo.settings",
    }
    argv = [a.replace("{tmp}", str(tmp)) for a in args]
    return subprocess.run(
        [sys.executable, "-m", "dangbo.cli", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def unmigrated(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("unmigrated")
    (tmp / "vanphong.sqlite3").touch()  # an empty file: a database without any table
    return tmp


@pytest.fixture(scope="module")
def migrated_empty(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("empty")
    done = _dangbo(tmp, "migrate", "-v0")
    assert done.returncode == 0, done.stderr
    return tmp


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_unmigrated_database_says_to_run_migrate_or_demo(unmigrated, args):
    done = _dangbo(unmigrated, *args)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "Cơ sở dữ liệu chưa được khởi tạo" in done.stderr
    assert "«dangbo migrate»" in done.stderr and "«dangbo demo»" in done.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_empty_database_says_to_import_or_load_the_demo(migrated_empty, args):
    done = _dangbo(migrated_empty, *args)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "Cơ sở dữ liệu chưa có tổ chức đảng nào" in done.stderr
    assert "«dangbo import TỆP»" in done.stderr and "«dangbo demo»" in done.stderr
    assert not (migrated_empty / "bc.html").exists()
