"""Schemathesis against the WSGI application: a bounded number of generated requests per
operation (as the office's account, with its token), no server error, and every response
as the committed schema says (status documented, body matching).

Every operation runs the coverage phase (boundary values, each kind of invalid input, each
undocumented method) and a few fuzzed examples. Edge cases: coverage cases that differ only
in the wrong JSON type sent for a field, or in the undocumented method, are sent once per
operation (the server answers them through the same validation); the world is built once for
the module, each operation's writes are rolled back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dangbo.accounts.permissions import Role
from dangbo.wsgi import application
from tests.api.conftest import ApiWorld
from tests.conftest import make_city_tree
from tests.web.conftest import make_web_world

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
schema = schemathesis.openapi.from_dict(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
schema.app = application  # type: ignore[attr-defined]


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def shared_token(django_db_setup, django_db_blocker):
    """The office's token in one API world for every operation, rolled back at the end.

    The WSGI application is called directly, not through Django's test client: like the
    client, the run keeps the connection open between requests (else PostgreSQL's
    connection, inside the test's transaction, would be closed after the first one)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
            with transaction.atomic():
                world = ApiWorld(make_web_world(make_city_tree()))
                world.ids(True)  # objects of every kind in the office's scope
                yield world.tokens[Role.OFFICE]
                transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(shared_token, db):
    return shared_token


_sent: set[tuple[str, str]] = set()


def _same_as_sent(case) -> bool:
    """Whether a coverage case like this one (same operation, same kind of input) was sent."""
    phase = case.meta.phase if case.meta else None
    description = str(getattr(getattr(phase, "data", None), "description", "") or "")
    if not description.endswith(": Incorrect type") and not description.startswith(
        "Unspecified HTTP method"
    ):
        return False
    kind = description.split(":")[0]
    key = (case.operation.label, kind)
    if key in _sent:
        return True
    _sent.add(key)
    return False


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api(case, token):
    if _same_as_sent(case):
        return
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    case.call_and_validate(
        app=application,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
