"""Schemathesis against the WSGI application: a bounded number of generated requests per
operation (as the office's account, with its token), no server error, and every response
as the committed schema says (status documented, body matching)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dangbo.accounts.permissions import Role
from dangbo.wsgi import application

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
schema = schemathesis.openapi.from_dict(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
schema.app = application  # type: ignore[attr-defined]


@pytest.fixture
def token(api_world):
    api_world.ids(True)  # objects of every kind in the office's scope
    return api_world.tokens[Role.OFFICE]


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api(case, token):
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
