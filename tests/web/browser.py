"""Playwright on Debian's Chromium (/usr/bin/chromium; never a downloaded browser) against a
live server of the test database.

Tests marked ``browser`` take the `page` fixture: a fresh browser context whose base URL is
the live server. `sign_in(page, username)` signs in with the web world's password.

The live server's first requests are slow (the URL configuration imports every view, the
templates compile): the fixture answers one request before handing the page over, and the
sign-in's two navigations wait longer than the other steps.
"""

from __future__ import annotations

import importlib
import os
import urllib.request
from collections.abc import Iterator

import pytest
from django.apps import apps as django_apps
from django.core.management.color import no_style
from django.db import connection, transaction

from dangbo.core.append_only import FLAG_TABLE, ledger_maintenance

CHROMIUM = os.environ.get("DANGBO_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEP_MS = 10_000  # each step of a test
FIRST_MS = 60_000  # the sign-in's navigations, the first pages of a cold server
_warmed: set[str] = set()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls
    # happen in its own thread, the test's own ORM calls here are synchronous on purpose
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def _empty_append_only(transactional_db) -> Iterator[None]:
    """After a live-server test, empty every table through the ledger's maintenance path:
    Django's flush deletes row by row on SQLite, which the append-only triggers refuse.

    The rows a data migration wrote (the organization kinds) are gone after an earlier
    live-server test's flush: they are written again first."""
    importlib.import_module("dangbo.organizations.migrations.0002_standard_kinds").add_kinds(
        django_apps, None
    )
    yield
    tables = [
        t
        for t in connection.introspection.django_table_names(only_existing=True)
        if t != FLAG_TABLE
    ]
    with transaction.atomic(), ledger_maintenance("tests: live server teardown"):
        if connection.vendor == "postgresql":
            connection.check_constraints()
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
        )


def _warm(url: str) -> None:
    """One request to the sign-in page of a live server not asked before (once a session per
    server): it loads the URL configuration, the middleware and the base templates."""
    if url in _warmed:
        return
    with urllib.request.urlopen(f"{url}/dang-nhap/", timeout=FIRST_MS / 1000) as response:
        response.read()
    _warmed.add(url)


@pytest.fixture
def page(chromium, live_server, _empty_append_only) -> Iterator[object]:
    _warm(live_server.url)
    context = chromium.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url, viewport={"width": 1366, "height": 768}, locale="vi-VN"
    )
    context.set_default_timeout(STEP_MS)
    p = context.new_page()
    yield p
    context.close()


def sign_in(page, username: str, password: str | None = None) -> None:
    from tests.web.conftest import PASSWORD

    page.goto("/dang-nhap/", timeout=FIRST_MS)
    page.fill("#id_username", username)
    page.fill("#id_password", password or PASSWORD)
    # the page after signing in (home, or the sign-in again) may be the first one compiled
    with page.expect_navigation(wait_until="domcontentloaded", timeout=FIRST_MS):
        page.click("button[type=submit]")


def pytest_collection_modifyitems(items) -> None:
    """A browser test sets up its database first (before `web_world` or any other fixture
    writes to it), whatever order the test names its fixtures in."""
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names and "_empty_append_only" in names:
            names.remove("_empty_append_only")
            names.insert(0, "_empty_append_only")
