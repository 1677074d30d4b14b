"""The web world: a city with two wards, members in and out of every role's scope, and one
account per role (healthchecks' alice/bob/charlie, one per role of the office).

Every account is scoped to ward P1, the cell secretary to its cell P1-C1; members of ward P2
are out of everyone's scope. `web_world.client(role)` is a signed-in test client.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from unittest.mock import patch

import pytest
from django.core.management import call_command
from django.test import Client

from dangbo.accounts.permissions import Role
from dangbo.accounts.services import account_create
from tests.conftest import ACTOR, admit

PASSWORD = "Mat-khau-thu-2026"


@dataclass
class WebWorld:
    tree: dict[str, Any]
    users: dict[Role, Any]
    member_in: Any  # in P1-C1: in scope for every role
    member_out: Any  # in P2-C1: out of everyone's scope
    extra: dict[str, Any] = field(default_factory=dict)  # objects the matrix cases create

    @property
    def org_in(self):
        return self.tree["w1c1"]

    @property
    def org_out(self):
        return self.tree["w2c1"]

    def client(self, role: Role) -> Client:
        c = Client()
        c.force_login(self.users[role])
        return c


def make_accounts(scopes: dict[Role, Any]) -> dict[Role, Any]:
    """One account per role, named after it, scoped to the given organizations."""
    return {
        role: account_create(
            username=f"tk_{role.value}",
            password=PASSWORD,
            full_name=f"Người dùng {role.label}",
            role=role,
            org=org,
            valid_from=date(2020, 1, 1),
            actor=ACTOR,
        )
        for role, org in scopes.items()
    }


@pytest.fixture
def web_world(city_tree) -> WebWorld:
    return make_web_world(city_tree)


def make_web_world(city_tree: dict[str, Any]) -> WebWorld:
    """The web world over `city_tree` (for fixtures of a wider scope)."""
    scopes = {role: city_tree["w1"] for role in Role}
    scopes[Role.CELL_SECRETARY] = city_tree["w1c1"]
    return WebWorld(
        tree=city_tree,
        users=make_accounts(scopes),
        member_in=admit(city_tree["w1c1"], date(2021, 3, 1), name="Nguyễn Văn An"),
        member_out=admit(city_tree["w2c1"], date(2021, 3, 1), name="Trần Thị Bình"),
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every web world hashes one password per role: the production hasher (hundreds of
    thousands of rounds by design) would dominate the web tests' time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_dir(settings, tmp_path):
    """Tasks a page starts keep their files in the test's own folder, never under var/."""
    settings.TASKS_DIR = tmp_path / "tasks"


def run_worker() -> None:
    """`dangbo worker --batch` in-process: takes every waiting task and returns. Its check of
    old connections is left out (inside the test's transaction it would close the connection
    on PostgreSQL)."""
    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        ):
            call_command("worker", batch=True, verbosity=0)
    finally:  # the worker's shutdown handlers would outlive it in the test process
        for sig, handler in kept.items():
            signal.signal(sig, handler)


def task_download(client: Client, response: Any) -> tuple[str, bytes]:
    """Follow a page that put its work on the queue: the redirect to the task's page, the
    worker, then the result file (its name and bytes)."""
    from django.urls import resolve, reverse
    from django_tasks_db.models import DBTaskResult

    assert response.status_code == 302, response.status_code
    task_id = resolve(response["Location"]).kwargs["task_id"]
    run_worker()
    row = DBTaskResult.objects.get(pk=task_id)
    assert row.status == "SUCCESSFUL", row.traceback
    download = client.get(reverse("web:task_download", kwargs={"task_id": task_id}))
    assert download.status_code == 200
    return row.return_value, b"".join(download.streaming_content)
