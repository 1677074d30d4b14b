"""The reconciliation line of `dangbo stats` (REPORTS §1 identity: start + inflows − outflows = end)."""

from __future__ import annotations

from datetime import date

from dangbo.membership.models import EventKind
from tests.conftest import receive, record, run


def test_reconciliation_line_sums_the_outflows_inside_the_subtracted_bracket(city_tree):
    """REPORTS §1 identity: the outflows are added inside "− ( … )", never subtracted again.

    Hand count for ward 1 over 2023: 4 members on 31/12/2022; in 2023 one transferred out,
    one died, one removed; none entered. 4 − (1 + 0 + 1 + 1 + 0 + 0) = 1.
    """
    cell = city_tree["w1c1"]
    members = [receive(cell, date(2020, 1, 1), date(2010, 1, 1)) for _ in range(4)]
    record(members[0], EventKind.TRANSFER, date(2023, 3, 1), from_org=cell)
    record(members[1], EventKind.DEATH, date(2023, 4, 1))
    record(members[2], EventKind.REMOVAL, date(2023, 5, 1))
    code, out, _ = run("stats", "P1", "--period", "2023")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("Đối chiếu:"))
    # outflows in the order of the table: transferred out, reorganized out, died, removed,
    # expelled, left
    assert "− (1 + 0 + 1 + 1 + 0 + 0) = 1" in line
    assert "(1 − 0" not in line
    assert "cuối kỳ 1 — khớp" in line
