"""Playwright on Debian's Chromium (/usr/bin/chromium; never a downloaded browser) against a
live server of the test database.

Tests marked ``browser`` take the `page` fixture: a fresh browser context whose base URL is
the live server. `sign_in(page, username)` signs in with the web world's password.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
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
    Django's flush deletes row by row on SQLite, which the append-only triggers refuse."""
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


@pytest.fixture
def page(chromium, live_server, _empty_append_only) -> Iterator[object]:
    context = chromium.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url, viewport={"width": 1366, "height": 768}, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    p = context.new_page()
    yield p
    context.close()


def sign_in(page, username: str, password: str | None = None) -> None:
    from tests.web.conftest import PASSWORD

    page.goto("/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or PASSWORD)
    page.click("button[type=submit]")
