"""Page latency (p50, p95) and throughput of the web application on a loaded database.

    .venv/bin/python bench/web.py [--user NAME | --org CODE] [--runs 100] [--clients 32]
                                  [--seconds 15] [--port 56999] [--workers N] [--json FILE]

Runs against the database of the environment (``DATABASE_URL``, else SQLite in
``DANGBO_VAR_DIR``) that `dangbo demo` or `bench/province.py run --load-only` filled.

1. Latency, in-process with Django's test client (no network, no server): each page gets
   5 warm-up requests, then `--runs` timed ones; p50, p95 and max in milliseconds, and
   the median CPU time of this process per request (Python and the driver, not the
   database server: on a shared machine the steadier figure). The
   pages, by URL name (one that does not exist yet is skipped): the register's first page,
   a deep register page (a keyset cursor 90 % of the way down the list, found once with
   OFFSET before timing), a register search ("nguyen van"), the member page, the home page.
2. Throughput: `dangbo serve` (gunicorn, `--workers`, default its own rule) on loopback, then
   `--clients` threads each sending requests one after another for `--seconds` per page;
   requests per second, and p50/p95 as the clients saw them. The clients run in this
   process on the same machine, so they take CPU from the server.

The account: `--user` (an existing one, e.g. the demo's ``bantochuc``), or an office
account over `--org CODE` (default: the root of the tree) created if missing as
``bench_web`` (root) or ``bench_web_<code>``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from dangbo.accounts.permissions import Action, Role  # noqa: E402
from dangbo.accounts.scope import scope_org_ids  # noqa: E402
from dangbo.core.dates import today  # noqa: E402
from dangbo.membership.register import (  # noqa: E402
    RegisterFilter,
    encode_cursor,
    register_queryset,
)
from dangbo.organizations.models import OrgVersion  # noqa: E402

BENCH_USER = "bench_web"
BENCH_PASSWORD = "Bench-web-2026-mat-khau"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench_user(username: str | None, org_code: str | None):
    user_model = get_user_model()
    if username:
        return user_model.objects.get(username=username)
    name = f"{BENCH_USER}_{org_code.lower().replace('-', '_')}" if org_code else BENCH_USER
    found = user_model.objects.filter(username=name).first()
    if found:
        return found
    from dangbo.accounts.services import account_create

    on = today()
    versions = OrgVersion.objects.filter(valid_from__lte=on, valid_to__gt=on)
    version = (
        versions.get(code=org_code) if org_code else versions.filter(parent=None).order_by("pk")[0]
    )
    return account_create(
        username=name,
        password=BENCH_PASSWORD,
        full_name="Đo hiệu năng",
        role=Role.OFFICE,
        org=version.org,
        valid_from=date(2000, 1, 1),
        actor="bench",
    )


def url_or_none(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def pages(user) -> list[tuple[str, str]]:
    """(label, URL) of every page measured that exists."""
    on = today()
    scope = scope_org_ids(user, Action.VIEW_MEMBERS, on=on)
    register = url_or_none("web:register")
    out: list[tuple[str, str]] = []
    if register:
        out.append(("register, first page", register))
        qs = register_queryset(org_ids=scope, filters=RegisterFilter(), on=on)
        total = qs.count()
        deep = (
            qs.order_by("person__sort_key", "person__id").values_list(
                "person__sort_key", "person__id"
            )[int(total * 0.9) : int(total * 0.9) + 1]
            if total
            else []
        )
        for key, pid in deep:
            cursor = encode_cursor("a", key, pid)
            out.append(
                (f"register, deep page (row {int(total * 0.9):,})", f"{register}?c={cursor}")
            )
        out.append(("register, search «nguyen van»", f"{register}?q=nguyen+van"))
        member = qs.order_by("pk").values_list("pk", flat=True).first()
        if member is not None:
            member_url = url_or_none("web:member", pk=member)
            if member_url:
                out.append(("member page", member_url))
    home = url_or_none("web:home")
    if home:
        out.append(("home page", home))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def latency(client: Client, url: str, runs: int) -> dict:
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200
    return {
        "cpu_p50_ms": statistics.median(cpu),
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 95),
        "max_ms": max(times),
        "runs": runs,
    }


def wait_for(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer on port {port}")


def throughput(port: int, url: str, cookie: str, clients: int, seconds: float) -> dict:
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    times: list[float] = []
    errors = [0]

    def worker() -> None:
        mine, bad = [], 0
        while time.monotonic() < stop:
            t = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", url, headers={"Cookie": cookie, "Host": "localhost"})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    bad += 1
                    continue
            except OSError:
                bad += 1
                continue
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            times.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(times),
        "errors": errors[0],
        "rps": len(times) / elapsed,
        "p50_ms": statistics.median(times) if times else None,
        "p95_ms": percentile(times, 95) if times else None,
        "clients": clients,
        "seconds": elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", help="an existing account (default: bench_web, created)")
    parser.add_argument("--org", help="code of the organization of bench_web (default: root)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=56999)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: dangbo serve's)")
    parser.add_argument("--only", choices=("latency", "throughput"))
    parser.add_argument("--json", help="write the results here")
    opts = parser.parse_args()

    user = bench_user(opts.user, opts.org)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    measured = pages(user)
    vendor = connection.vendor
    members = register_queryset(
        org_ids=scope_org_ids(user, Action.VIEW_MEMBERS), filters=RegisterFilter(), on=today()
    ).count()
    result: dict = {
        "database": vendor,
        "user": user.get_username(),
        "members_in_scope": members,
        "latency": {},
        "throughput": {},
    }
    log(f"{vendor}: {members:,} members in the scope of {user.get_username()}")
    if opts.only != "throughput":
        for label, url in measured:
            r = latency(client, url, opts.runs)
            result["latency"][label] = {"url": url[:80], **r}
            log(
                f"  {label}: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms "
                f"(this process's CPU p50 {r['cpu_p50_ms']:.1f} ms)"
            )
    if opts.only != "latency":
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        argv = [str(ROOT / ".venv" / "bin" / "dangbo"), "serve", "--port", str(opts.port)]
        if opts.workers:
            argv += ["--workers", str(opts.workers)]
        env = dict(os.environ)  # `dangbo serve` keeps its connections (DANGBO_CONN_MAX_AGE=60)
        server = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        try:
            wait_for(opts.port, 60)
            for label, url in measured:
                throughput(opts.port, url, cookie, 4, 2)  # warm-up
                r = throughput(opts.port, url, cookie, opts.clients, opts.seconds)
                result["throughput"][label] = r
                log(
                    f"  {label}: {r['rps']:.0f} req/s at {opts.clients} clients "
                    f"(p50 {r['p50_ms'] or 0:.0f} ms, p95 {r['p95_ms'] or 0:.0f} ms, "
                    f"{r['errors']} errors)"
                )
        finally:
            server.terminate()
            server.wait(30)
    print(table(result))
    if opts.json:
        Path(opts.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def table(result: dict) -> str:
    """The results as Markdown rows."""
    db = result["database"]
    lines = []
    for label, r in result["latency"].items():
        t = result["throughput"].get(label)
        rps = f"{t['rps']:.0f}" if t else ""
        lines.append(
            f"| {db} | {label} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['max_ms']:.1f} "
            f"| {r['cpu_p50_ms']:.1f} | {rps} |"
        )
    for label, t in result["throughput"].items():
        if label not in result["latency"]:
            lines.append(f"| {db} | {label} | | | | | {t['rps']:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
