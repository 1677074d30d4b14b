"""Checks of the figure aggregates shared by the aggregate tests.

- :func:`agg_rows`: the aggregate table as sorted (org, part, day, key, n), zero rows left out;
- :func:`independent_stocks`: the five stocks of every organization on a day, counted in
  Python from the spells and the closure rows (no call into the figures engine or its SQL);
- :func:`assert_aggregates_match_ledger`: for every organization and period, the figures read
  from the aggregates equal the figures computed from the ledger on every field, and their
  stocks equal the independent count.

Edge cases: an organization that did not exist on a day has no stock (no closure row); the
stock "at the start" is the one on the eve of the period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date, timedelta

from dangbo.figures import membership_figures
from dangbo.figures_ledger import ledger_figures
from dangbo.membership.models import FigureDelta, MembershipSpell, Person
from dangbo.organizations.models import Organization, OrgClosure

STOCKS = ("members", "official", "probationary", "women", "exempt")


def agg_rows() -> list[tuple]:
    """Every aggregate row with a non-zero count, sorted."""
    return sorted(FigureDelta.objects.exclude(n=0).values_list("org_id", "part", "day", "key", "n"))


def independent_stocks(on: date) -> dict[int, dict[str, int]]:
    """{org id: {stock: count}} at the end of `on`, for every organization with a member then.

    A member counts in a cell's stock when one of their spells covers `on`, and in every
    ancestor the closure gives for that cell on `on`; women by the person's gender now."""
    women = set(Person.objects.filter(gender="nu").values_list("id", flat=True))
    up: dict[int, list[int]] = defaultdict(list)
    for ancestor, descendant in OrgClosure.objects.filter(
        valid_from__lte=on, valid_to__gt=on
    ).values_list("ancestor_id", "descendant_id"):
        up[descendant].append(ancestor)
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STOCKS, 0))
    spells = MembershipSpell.objects.filter(valid_from__lte=on, valid_to__gt=on).values_list(
        "cell_id", "status", "exempt", "member__person_id"
    )
    for cell, status, exempt, person in spells:
        for org in up.get(cell, ()):
            n = out[org]
            n["members"] += 1
            n["official" if status == "chinh_thuc" else "probationary"] += 1
            n["women"] += person in women
            n["exempt"] += bool(exempt)
    return dict(out)


def _diff(a: dict, b: dict) -> dict:
    return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


def assert_aggregates_match_ledger(periods: list[tuple[date, date]]) -> int:
    """Compare, for every organization and each of `periods`, the aggregate figures with the
    ledger's (every field) and their stocks with :func:`independent_stocks`; the number of
    comparisons made."""
    days = {d for s, e in periods for d in (s - timedelta(days=1), e)}
    counted = {d: independent_stocks(d) for d in days}
    empty = dict.fromkeys(STOCKS, 0)
    checks = 0
    for org_id in Organization.objects.order_by("pk").values_list("pk", flat=True):
        for start, end in periods:
            fast = membership_figures(org_id, start, end, breakdowns=False)
            slow = ledger_figures(org_id, start, end)
            wrong = _diff(asdict(fast), asdict(slow))
            assert not wrong, (org_id, start, end, "(aggregates, ledger)", wrong)
            for which, day in (("start", start - timedelta(days=1)), ("end", end)):
                want = counted[day].get(org_id, empty)
                got = {k: getattr(fast, f"{k}_{which}") for k in STOCKS}
                assert got == want, (org_id, day, "(aggregates, spells)", _diff(got, want))
            checks += 1
    return checks
