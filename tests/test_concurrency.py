"""Several processes write to one database at once: they wait for each other, never fail
with "database is locked" or a traceback, and the document numbers they are given have
neither duplicates nor gaps.

The processes run against a database of their own: on SQLite a file in a temporary
DANGBO_VAR_DIR (the suite's test database lives in memory), on PostgreSQL a new database on
the server the suite runs with (DATABASE_URL), dropped afterwards.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import dj_database_url
import pytest
from django.db import IntegrityError, OperationalError, connection

from dangbo.core.concurrency import WriteConflict, write_conflicts
from dangbo.organizations.services import term_open
from tests.conftest import ACTOR, admit, run

PROCESSES = 4
ROOT = Path(__file__).resolve().parent.parent
DANGBO = str(Path(sys.executable).with_name("dangbo"))

#: issues numbers in a loop once every process has started (the start time is argv[1])
NUMBERING = """
import sys, time
import django
django.setup()
from datetime import date
from dangbo.documents.numbering import number_issue
from dangbo.organizations.models import OrgVersion
issuer = OrgVersion.objects.get(code="P1").org
start, count = float(sys.argv[1]), int(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
for i in range(count):
    n = number_issue(issuer=issuer, type_code="CV", on=date(2023, 5, 1), title=f"Công văn {i}",
                     actor="tien_trinh")
    print(n.text, flush=True)
"""


@pytest.fixture
def file_db(tmp_path):
    """Environment of the subprocesses: a fresh migrated database of the suite's kind."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DANGBO_VAR_DIR"] = str(tmp_path / "var")
    env["DJANGO_SETTINGS_MODULE"] = "dangbo.settings"
    env["PYTHONPATH"] = str(ROOT)
    dropped = None
    if connection.vendor == "postgresql":
        import psycopg

        url = os.environ["DATABASE_URL"]
        name = f"dangbo_conc_{uuid.uuid4().hex[:10]}"
        server = dj_database_url.parse(url)
        admin = dict(
            host=server["HOST"],
            port=server["PORT"] or 5432,
            user=server["USER"],
            password=server["PASSWORD"] or None,
            dbname=server["NAME"],
            autocommit=True,
        )
        with psycopg.connect(**admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
        dropped = (admin, name)
    done = subprocess.run(
        [DANGBO, "migrate", "-v", "0"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    yield env
    if dropped:
        import psycopg

        admin, name = dropped
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def at_once(commands: list[list[str]], env: dict) -> list[subprocess.CompletedProcess]:
    """Start every command, then wait for all of them."""
    procs = [
        subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    out = []
    for c, p in zip(commands, procs, strict=True):
        stdout, stderr = p.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(c, p.returncode, stdout, stderr))
    return out


def no_traceback(results: list[subprocess.CompletedProcess]) -> None:
    for r in results:
        text = r.stdout + r.stderr
        assert "Traceback" not in text and "database is locked" not in text, text
        assert "UniqueViolation" not in text and "IntegrityError" not in text, text


#: the record kinds whose lines must come back exactly once
LEDGER = ("organization", "person", "member", "event")


def of_kinds(path: Path, kinds: tuple[str, ...]) -> list[str]:
    """The lines of an export holding records of these kinds, sorted."""
    return sorted(
        line for line in path.read_text().splitlines() if json.loads(line)["type"] in kinds
    )


@pytest.fixture
def city_file(city_tree, tmp_path) -> Path:
    """The hand-built city with members in ward 1 and a term of ward 1, as an export file."""
    for i in range(6):
        admit(city_tree[f"w{1 + i % 2}c{1 + i % 2}"], date(2021, 3, 1 + i))
    term_open(org=city_tree["w1"], label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    path = tmp_path / "city.jsonl"
    code, _, err = run("export", str(path))
    assert code == 0, err
    return path


@pytest.mark.slow
def test_four_processes_importing_then_issuing_at_once(city_file, file_db, tmp_path):
    # four imports of the same file into one empty database: one loads it, three refuse
    results = at_once([[DANGBO, "import", str(city_file)]] * PROCESSES, file_db)
    no_traceback(results)
    loaded = [r for r in results if r.returncode == 0]
    refused = [r for r in results if r.returncode != 0]
    assert len(loaded) == 1 and "Đã nhập" in loaded[0].stdout
    for r in refused:
        assert r.returncode == 1
        assert re.search(r"đã có dữ liệu|tiến trình khác|cơ sở dữ liệu", r.stderr), r.stderr

    # four reports issued at once: each gets a number, no number twice, none skipped
    periods = ["2021-H1", "2021-H2", "2022-H1", "2022-H2"]
    results = at_once(
        [
            [DANGBO, "report", "issue", "P1", "--period", p, "--date", "2023-01-10"]
            + ["--signer", "Lê Thị Hoa"]
            for p in periods
        ],
        file_db,
    )
    no_traceback(results)
    assert [r.returncode for r in results] == [0] * PROCESSES, [r.stderr for r in results]
    issued = sorted(re.findall(r"Báo cáo số (\d+)-BC/ĐU", "".join(r.stdout for r in results)))
    assert issued == ["01", "02", "03", "04"]

    # numbers given out in a tight loop by four processes started at the same instant
    start = time.time() + 3
    results = at_once([[sys.executable, "-c", NUMBERING, str(start), "8"]] * PROCESSES, file_db)
    no_traceback(results)
    assert [r.returncode for r in results] == [0] * PROCESSES, [r.stderr for r in results]
    numbers = sorted(
        int(t.split("-")[0]) for r in results for t in r.stdout.split() if t.endswith("CV/ĐU")
    )
    assert numbers == list(range(1, 8 * PROCESSES + 1))

    # the imported records are there exactly once
    again = tmp_path / "again.jsonl"
    done = subprocess.run(
        [DANGBO, "export", str(again)], env=file_db, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert of_kinds(again, LEDGER) == of_kinds(city_file, LEDGER) != []


def test_a_collision_becomes_a_vietnamese_write_conflict_and_other_errors_pass():
    with pytest.raises(WriteConflict) as refused:
        with write_conflicts("lần nhập", "Hãy nhập lại."):
            raise IntegrityError("duplicate key value violates unique constraint")
    assert refused.value.code == "xung_dot_ghi"
    assert refused.value.message.startswith("Không thực hiện được lần nhập vì một tiến trình khác")
    assert refused.value.message.endswith("chưa có gì được ghi. Hãy nhập lại.")
    with pytest.raises(WriteConflict, match="cơ sở dữ liệu đang bận"):
        with write_conflicts("việc ban hành báo cáo", "Hãy chạy lại lệnh."):
            raise OperationalError("database is locked")
    for error in (
        OperationalError("no such table: core_auditentry"),
        IntegrityError("dangbo_append_only: DELETE of core_auditentry refused"),
    ):
        with pytest.raises(type(error)):
            with write_conflicts("lần nhập", ""):
                raise error
