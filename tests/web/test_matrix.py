"""The authorization matrix: every URL of the web application × every role × (an object in
scope, one out of scope) and anonymous, with the status each must answer.

The URLs come from the URL configuration, so a URL added without its case in
tests/web/matrix/ fails `test_every_url_has_a_case`. Expected statuses follow from the
permission table: anonymous → 302 to the sign-in page; a role whose table row lacks the
action → 403; in scope → 200 (a POST: 200 with the form's errors, or 302 after a write);
out of scope → 404.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from dangbo.accounts.permissions import PERMISSIONS, Role
from dangbo.web.urls import PUBLIC_URLS
from tests.web import matrix
from tests.web.matrix.case import Case


def _cases() -> dict[str, Case]:
    found: dict[str, Case] = {}
    for module in pkgutil.iter_modules(matrix.__path__):
        if module.name == "case":
            continue
        for case in importlib.import_module(f"tests.web.matrix.{module.name}").CASES:
            assert case.name not in found, f"{case.name} has two cases"
            found[case.name] = case
    return found


CASES = _cases()


def _url_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}{p.name}")
    return names


def test_every_url_has_a_case():
    names = {n for n in _url_names(get_resolver().url_patterns) if n.startswith("web:")}
    missing = sorted(names - set(CASES) - PUBLIC_URLS)
    assert not missing, f"URLs without a case in tests/web/matrix/: {missing}"
    stale = sorted(set(CASES) - names)
    assert not stale, f"cases of URLs that no longer exist: {stale}"


def _expected(case: Case, role: Role | None, in_scope: bool, method: str):
    if role is None:
        return 302
    if case.expect is not None:
        return case.expect(role, in_scope, method)
    if case.action not in PERMISSIONS[role]:
        return 403
    if not in_scope:
        return 404
    return 200 if method == "GET" else (200, 302)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matrix(name, web_world, client):
    case = CASES[name]
    scopes = (True, False) if case.kwargs else (True,)
    failures = []
    for in_scope in scopes:
        url = reverse(case.name, kwargs=case.kwargs(web_world, in_scope) if case.kwargs else None)
        view = resolve(url).func
        assert getattr(view, "required_action", None) == case.action, (
            f"{name}: the view requires {getattr(view, 'required_action', None)}, "
            f"the case says {case.action}"
        )
        url += case.query
        for role in (None, *Role):
            c = web_world.client(role) if role else client
            for method in case.methods:
                if method == "GET":
                    response = c.get(url)
                else:
                    body = case.data(web_world, in_scope) if case.data else {}
                    response = c.post(url, body)
                want = _expected(case, role, in_scope, method)
                wanted = want if isinstance(want, tuple) else (want,)
                if response.status_code not in wanted:
                    failures.append(
                        f"{method} {url} as {role or 'anonymous'} "
                        f"({'in' if in_scope else 'out of'} scope): "
                        f"{response.status_code}, expected {want}"
                    )
                if role is None and response.status_code == 302:
                    assert reverse("web:login") in response["Location"]
    assert not failures, "\n".join(failures)
