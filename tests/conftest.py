"""Shared fixtures: a small city built by hand through the services, and the helpers every
test module uses to write to it (record, receive, admit, run a command).

Larger hand-built fixtures shared by several modules live in tests/fixtures/; the independent
count of the membership figures that tests compare with lives in tests/reference.py.
Tests run on SQLite by default and on PostgreSQL when DATABASE_URL points at one
(scripts/test does both).
"""

from __future__ import annotations

import importlib
import io
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from hypothesis import Phase, settings
from pytest_django.plugin import blocking_manager_key

from dangbo.core.dates import add_months
from dangbo.core.models import IssuerLevel
from dangbo.core.services import decision_get_or_create
from dangbo.membership.admission import member_admit, member_receive
from dangbo.membership.events import event_record
from dangbo.membership.models import MemberStatus
from dangbo.membership.people import person_create
from dangbo.organizations import services as org_services
from dangbo.organizations.models import OrgKind

ACTOR = "van_phong_test"

# `pytest --hypothesis-profile=no-shrink`: report the first failing example without
# shrinking it (for checking quickly that a deliberately broken product fails the properties)
settings.register_profile("no-shrink", phases=[Phase.explicit, Phase.reuse, Phase.generate])

# fixtures shared by several test modules, each built by hand and described in its docstring
pytest_plugins = [
    "tests.fixtures.meetings",
    "tests.fixtures.congresses",
    "tests.fixtures.grading",
    "tests.web.browser",  # the Playwright `page` fixture of the browser tests
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a live server's) ends with a flush that empties the organization
    kinds the data migration wrote; tests running in parallel may follow it on the same
    worker, so once every fixture of such a test is torn down the kinds are written back.
    Not after a worker's last test: its session's fixtures, the test database among them,
    are torn down with it."""
    result = yield
    if nextitem is not None and "transactional_db" in getattr(item, "fixturenames", ()):
        with item.config.stash[blocking_manager_key].unblock():
            importlib.import_module(
                "dangbo.organizations.migrations.0002_standard_kinds"
            ).add_kinds(django_apps, None)
    return result


def kind(code: str) -> OrgKind:
    return OrgKind.objects.get(code=code)


@pytest.fixture
def city_tree(db):
    """City → 2 wards (base committees) → 2 cells each, all founded 1/1/2018."""
    return make_city_tree()


def make_city_tree() -> dict:
    """The organizations of `city_tree` (for fixtures of a wider scope)."""
    on = date(2018, 1, 1)
    city = org_services.org_found(
        kind=kind("tinh"),
        name="Đảng bộ thành phố Thử",
        code="TP",
        doc_code="TU",
        on=on,
        actor=ACTOR,
    )
    tree = {"city": city}
    for w in (1, 2):
        ward = org_services.org_found(
            kind=kind("co_so"),
            name=f"Đảng bộ phường {w}",
            code=f"P{w}",
            doc_code="ĐU",
            parent=city,
            on=on,
            actor=ACTOR,
        )
        tree[f"w{w}"] = ward
        for c in (1, 2):
            tree[f"w{w}c{c}"] = org_services.org_found(
                kind=kind("chi_bo"),
                name=f"Chi bộ TDP {c} phường {w}",
                code=f"P{w}-C{c}",
                parent=ward,
                on=on,
                actor=ACTOR,
            )
    return tree


_counter = {"n": 0}


def make_person(
    *, name: str | None = None, gender: str = "nam", born: date = date(1985, 6, 15), **extra
):
    _counter["n"] += 1
    return person_create(
        actor=ACTOR,
        full_name=name or f"Đảng viên Thử {_counter['n']}",
        gender=gender,
        birth_date=born,
        **extra,
    )


def admit(cell, on: date, **person_kwargs):
    """Admit a new person into `cell` on `on` (no candidate pipeline: a historical record)."""
    return member_admit(
        person=make_person(**person_kwargs), cell=cell, on=on, decision=None, actor=ACTOR
    )


def provincial_decision(number: str = "12-QĐ/TU", on: date = date(2020, 1, 1)):
    return decision_get_or_create(
        number=number,
        issued_on=on,
        issuer="Ban Thường vụ Thành ủy",
        issuer_level=IssuerLevel.PROVINCIAL,
    )


def ward_decision(number: str = "05-QĐ/ĐU", on: date = date(2020, 1, 1)):
    return decision_get_or_create(
        number=number, issued_on=on, issuer="Đảng ủy phường", issuer_level=IssuerLevel.BASE
    )


def record(member, kind, on, **kwargs):
    """Record one ledger event for `member` through the service (the member is refreshed)."""
    return event_record(member=member, kind=kind, effective_on=on, actor=ACTOR, **kwargs)


def receive(cell, on: date, admitted: date, **person_kwargs):
    """An official member transferred in from outside the system, admitted on `admitted` and
    recognized 12 months later."""
    return member_receive(
        person=make_person(**person_kwargs),
        cell=cell,
        on=on,
        status=MemberStatus.OFFICIAL,
        admitted_on=admitted,
        official_on=add_months(admitted, 12),
        actor=ACTOR,
    )


def run(*args) -> tuple[int, str, str]:
    """Run a management command: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    return code, out.getvalue(), err.getvalue()
