"""Latency of a ward's review report preview (the HTML of the composer's output) on the demo.

    DANGBO_VAR_DIR=/tmp/demo .venv/bin/python bench/report_page.py [--user vanphong]
        [--org P01] [--period 2026-H1] [--runs 30] [--json FILE]

Runs against the database of the environment (``DATABASE_URL``, else SQLite in
``DANGBO_VAR_DIR``) that `dangbo demo` filled; the draft it measures is created inside a
transaction that is rolled back, so nothing is left behind.

In one process, interleaved run by run (so a busy machine weighs on every row alike):

- **preview**: GET ``web:report_preview`` of the ward's draft (figures computed from the
  records, composed, written as HTML with the charts as inline SVG) — the page's target,
  ≤ 300 ms;
- **page**: GET ``web:report`` (the editors around the preview);
- **baseline**: ``membership_figures`` of the same ward and period alone, the one
  computation no report of the period can skip.

Each gets 3 warm-up runs, then `--runs` timed ones: p50, p95 and max in milliseconds, and
the ratio of each p50 to the baseline's p50, and the median CPU time of this process (with
SQLite, the database's work too): on a shared machine the ratio and the CPU time are the
steadier figures, wall time mostly says how much of a core the process was given.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from dangbo.figures import membership_figures  # noqa: E402
from dangbo.organizations.selectors import org_resolve  # noqa: E402
from dangbo.reports.services import report_draft  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="vanphong")
    parser.add_argument("--org", default="P01")
    parser.add_argument("--period", default="2026-H1")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json")
    args = parser.parse_args()

    user = get_user_model().objects.get(username=args.user)
    org = org_resolve(args.org)
    with transaction.atomic():
        report = report_draft(
            org=org,
            period_code=args.period,
            actor="bench",
            narrative={"chinh_tri_tu_tuong": "Đảng ủy đã **quán triệt** kịp thời.\n- Một\n- Hai"},
        )
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        preview_url = reverse("web:report_preview", kwargs={"pk": report.pk})
        page_url = reverse("web:report", kwargs={"pk": report.pk})

        def get(url: str) -> Callable[[], None]:
            def run() -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        def baseline() -> None:
            membership_figures(org, report.period_start, report.period_end)

        cases = {"preview": get(preview_url), "page": get(page_url), "baseline": baseline}
        times: dict[str, list[float]] = {name: [] for name in cases}
        cpu: dict[str, list[float]] = {name: [] for name in cases}
        for i in range(3 + args.runs):
            for name, run in cases.items():
                t, c = time.perf_counter(), time.process_time()
                run()
                if i >= 3:
                    times[name].append((time.perf_counter() - t) * 1000)
                    cpu[name].append((time.process_time() - c) * 1000)
        transaction.set_rollback(True)

    base = statistics.median(times["baseline"])
    rows = {
        name: {
            "p50_ms": round(statistics.median(v), 1),
            "p95_ms": round(percentile(v, 95), 1),
            "max_ms": round(max(v), 1),
            "ratio_to_baseline": round(statistics.median(v) / base, 2),
            "cpu_p50_ms": round(statistics.median(cpu[name]), 1),
        }
        for name, v in times.items()
    }
    print(f"{org} ({args.org}), kỳ {args.period}, {args.runs} lần đo, người dùng {args.user}")
    print("| | p50 ms | p95 ms | max ms | p50 / baseline | CPU p50 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        print(
            f"| {name} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} "
            f"| {r['ratio_to_baseline']} | {r['cpu_p50_ms']} |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
