#!/usr/bin/env python
"""Breakdown snapshot: time its refresh and the breakdowns of the largest subtree from it.

Runs against a loaded database (DATABASE_URL), e.g. the province of
``bench/province.py run --members 400000 --load-only`` on a throw-away cluster:

    DATABASE_URL=postgres://postgres@127.0.0.1:55462/postgres \\
        .venv/bin/python bench/snapshot.py --on 2024-12-31 --runs 5

Measures, on the date `--on`: ``snapshot_refresh`` (median of `--refresh-runs`), the
breakdowns of the root organization read from the snapshot (what ``membership_figures``
does for a large subtree; median of `--runs`) and counted live by ``stock_breakdowns``
(median of `--live-runs`), and checks that both give the same counts for the root and for
its largest child. Prints a Markdown table; ``--json FILE`` keeps the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")


def timed(fn, runs: int) -> tuple[float, object]:
    """Median seconds of `runs` calls of `fn`, and its last result."""
    times, out = [], None
    for _ in range(max(runs, 1)):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--on", default="2024-12-31", help="the snapshot's date (ISO)")
    p.add_argument("--min-members", type=int, help="DANGBO_SNAPSHOT_MIN_MEMBERS for this run")
    p.add_argument("--refresh-runs", type=int, default=3)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--live-runs", type=int, default=3)
    p.add_argument("--json", help="write the measurements here")
    args = p.parse_args(argv)
    if args.min_members is not None:
        os.environ["DANGBO_SNAPSHOT_MIN_MEMBERS"] = str(args.min_members)

    import django

    django.setup()
    from django.db import connection

    from dangbo.figures import members_series, shape_breakdowns, stock_breakdowns
    from dangbo.figures_history import snapshot_counts
    from dangbo.figures_snapshot import min_members, snapshot_refresh
    from dangbo.membership.models import BreakdownCount, MembershipSpell
    from dangbo.organizations.models import OrgVersion

    on = date.fromisoformat(args.on)
    alive = OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on)
    root = alive.filter(parent__isnull=True).values_list("org_id", flat=True).first()
    if root is None:
        print("Cơ sở dữ liệu không có tổ chức nào vào ngày này.", file=sys.stderr)
        return 2
    children = list(alive.filter(parent_id=root).values_list("org_id", flat=True))
    sizes = dict(zip(children, (members_series(c, [on])[0] for c in children), strict=True))
    child = max(sizes, key=lambda c: sizes[c]) if sizes else None
    members = members_series(root, [on])[0]
    spells = MembershipSpell.objects.count()
    with connection.cursor() as cur:
        cur.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        version = str(cur.fetchone()[0]).split(" on ")[0]
    print(
        f"{version}: {members:,} đảng viên ngày {on:%d/%m/%Y}, {spells:,} khoảng sinh hoạt; "
        f"ngưỡng {min_members():,}",
        file=sys.stderr,
    )

    refresh_s, orgs = timed(lambda: snapshot_refresh(on), args.refresh_runs)
    rows = BreakdownCount.objects.filter(as_of=on).count()
    print(f"refresh: {refresh_s:.2f} s, {orgs} tổ chức, {rows} dòng", file=sys.stderr)

    def from_snapshot(org_id: int):
        found = snapshot_counts(org_id, on)
        assert found is not None, "không có bản chụp của tổ chức này"
        return shape_breakdowns(found[1])

    snap_s, snap = timed(lambda: from_snapshot(root), args.runs)
    live_s, live = timed(lambda: stock_breakdowns(root, on), args.live_runs)
    same = snap == live
    if child is not None and sizes[child] >= min_members():
        same = same and from_snapshot(child) == stock_breakdowns(child, on)
    print(f"snapshot {snap_s * 1000:.1f} ms, live {live_s:.2f} s, same: {same}", file=sys.stderr)

    result = {
        "vendor": connection.vendor,
        "version": version,
        "on": on.isoformat(),
        "members": members,
        "spells": spells,
        "min_members": min_members(),
        "orgs": orgs,
        "rows": rows,
        "refresh_s": refresh_s,
        "snapshot_ms": snap_s * 1000,
        "live_s": live_s,
        "same": same,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    print(
        "| database | members on the date | large orgs | rows | refresh | root from the "
        "snapshot | root live | same counts |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| {version} | {members:,} | {orgs} | {rows:,} | {refresh_s:.1f} s | "
        f"{snap_s * 1000:.1f} ms | {live_s:.2f} s | {'yes' if same else '**no**'} |"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
