"""The API's authorization matrix: every operation of the OpenAPI schema × every role ×
(an object in scope, one out of scope) and no token.

Each operation declares its permission-table action (``x-dangbo-action``); a new operation
without a body below, or a write without one, fails `test_every_operation_has_a_case`.
Expected: no token → 401; a role whose table row lacks the action → 403; out of scope →
404; in scope → 200 for a read, 201 or 422 (a rule refusing the sample) for a write, 202 for
one that queues a task.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from dangbo.accounts.permissions import PERMISSIONS, Action, Role
from dangbo.api.api import api

SCHEMA = api.get_openapi_schema(path_prefix="/api/")
OPERATIONS = {
    op["operationId"]: (method.upper(), path, op)
    for path, item in SCHEMA["paths"].items()
    for method, op in item.items()
}
_keys = itertools.count()

#: the body of each write, for the objects of the API world
BODIES: dict[str, Any] = {
    "member_event_record": {"kind": "phat_the", "effective_on": "2024-05-01", "card_number": "123"},
    "member_discipline_record": {"effective_on": "2024-05-01", "form": "khien_trach"},
    "candidate_step_record": {"stage": "hoc_lop", "effective_on": "2024-02-01"},
    "target_evaluation_record": {
        "kind": "nam",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "actual": "3",
    },
    "report_pdf_render": {},
}
#: query strings an operation needs
QUERIES = {"org_figures": "?period=2024"}


def test_every_operation_has_a_case():
    for name, (method, _, op) in OPERATIONS.items():
        assert Action(op["x-dangbo-action"]), name
        if method != "GET":
            assert name in BODIES, f"{name}: a write without a body in tests/api/test_matrix.py"
    assert set(BODIES) <= set(OPERATIONS)


def _expected(action: Action, role: Role | None, in_scope: bool, method: str) -> tuple[int, ...]:
    if role is None:
        return (401,)
    if action not in PERMISSIONS[role]:
        return (403,)
    if not in_scope:
        return (404,)
    return (200,) if method == "GET" else (201, 202, 422)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_matrix(name, api_world):
    method, path, op = OPERATIONS[name]
    action = Action(op["x-dangbo-action"])
    has_object = "{" in path
    failures = []
    for in_scope in (True, False) if has_object else (True,):
        url = path.format(**api_world.ids(in_scope)) + QUERIES.get(name, "")
        for role in (None, *Role):
            c = api_world.client(role)
            if method == "GET":
                response = c.get(url)
            else:
                response = c.post(
                    url,
                    BODIES[name],
                    content_type="application/json",
                    headers={"Idempotency-Key": f"matrix-{next(_keys)}"},
                )
            want = _expected(action, role, in_scope, method)
            if response.status_code not in want:
                failures.append(
                    f"{method} {url} as {role or 'no token'} "
                    f"({'in' if in_scope else 'out of'} scope): {response.status_code}, "
                    f"expected {want}: {response.content[:200]!r}"
                )
    assert not failures, "\n".join(failures)
