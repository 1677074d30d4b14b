"""Time the demo load against the importer alone on the same records.

    .venv/bin/python bench/demo.py [--runs 2] [--database-url URL]

Each run: `dangbo demo --reset` into an empty database (SQLite in a temporary directory, or
the PostgreSQL database given), `dangbo export` of what it loaded, then `dangbo import` of
that file into a second empty database. The import is the baseline: the demo builds the
same records in memory and loads them through the same importer, so demo ÷ import says what
the simulation and the party work written through the services add on top of the floor.
Prints one line per run and the medians, as Markdown table rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DANGBO = str(ROOT / ".venv" / "bin" / "dangbo")


def _run(args: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one `dangbo` command (its output discarded; a failure stops the run)."""
    started = time.perf_counter()
    subprocess.run([DANGBO, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _postgres_reset(url: str, env: dict[str, str]) -> None:
    """Drop and recreate the public schema of the benchmark's PostgreSQL database."""
    sql = "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
    subprocess.run(["psql", url, "-q", "-c", sql], env=env, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    opts = parser.parse_args()
    rows = []
    for run in range(1, opts.runs + 1):
        with tempfile.TemporaryDirectory(prefix="dangbo-bench-demo-") as tmp:
            demo_env = dict(os.environ, DANGBO_VAR_DIR=f"{tmp}/demo")
            load_env = dict(os.environ, DANGBO_VAR_DIR=f"{tmp}/load")
            if opts.database_url:
                demo_env["DATABASE_URL"] = load_env["DATABASE_URL"] = opts.database_url
                _postgres_reset(opts.database_url, demo_env)
            else:
                demo_env.pop("DATABASE_URL", None)
                load_env.pop("DATABASE_URL", None)
            demo = _run(["demo", "--reset"], demo_env)
            export = f"{tmp}/demo.jsonl"
            _run(["export", export, "--with-personal-data"], demo_env)
            if opts.database_url:
                _postgres_reset(opts.database_url, load_env)
            _run(["migrate", "-v0"], load_env)
            load = _run(["import", export], load_env)
            rows.append((demo, load))
            print(f"| {run} | {demo:.1f} s | {load:.1f} s | {demo / load:.2f} |", flush=True)
    demo_m = statistics.median(r[0] for r in rows)
    load_m = statistics.median(r[1] for r in rows)
    ratio_m = statistics.median(r[0] / r[1] for r in rows)
    print(f"| median | {demo_m:.1f} s | {load_m:.1f} s | {ratio_m:.2f} |")
    sys.exit(0)


if __name__ == "__main__":
    main()
