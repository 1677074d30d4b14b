"""The dues rate of a member for a month under each rule set (DOMAIN §8)."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.dues.reference import minimum_wage, retirement_age_months, retirement_date
from dangbo.dues.rules import (
    DuesRule,
    MonthFacts,
    check_exemption,
    check_reduction,
    dues_rules_on,
    monthly_due,
)

YOUNG = date(1990, 5, 10)  # far below retirement age
OLD = date(1950, 5, 10)  # far above it

CASES = [
    # month, category, base, region, birth, anchor, exempt, reduction, amount, regulation
    ("2025-06", "luong", 8_000_000, "", YOUNG, None, "", 0, 80_000, "342"),
    ("2026-01", "luong", 8_000_000, "", YOUNG, None, "", 0, 80_000, "342"),
    ("2026-02", "luong", 8_000_000, "", YOUNG, None, "", 0, 80_000, "01-"),
    ("2026-02", "luong", 8_123_450, "", YOUNG, None, "", 0, 81_235, "01-"),  # half up
    ("2025-06", "huu_tri", 6_000_000, "", OLD, None, "", 0, 30_000, "342"),
    ("2026-03", "huu_tri", 6_000_000, "", OLD, None, "", 0, 30_000, "01-"),
    ("2025-06", "hoc_sinh", 0, "", YOUNG, None, "", 0, 2_000, "342"),
    ("2026-01", "hoc_sinh", 0, "", YOUNG, None, "", 0, 2_000, "342"),
    ("2026-02", "hoc_sinh", 0, "", YOUNG, None, "", 0, 5_000, "01-"),
    ("2025-06", "khac", 0, "I", YOUNG, None, "", 0, 5_000, "342"),
    # 01-QĐ/TW others: 0.3 % of the regional minimum wage below retirement age (2026–2027)
    ("2026-02", "khac", 0, "I", YOUNG, None, "", 0, 15_930, "01-"),
    ("2027-12", "khac", 0, "IV", YOUNG, None, "", 0, 11_100, "01-"),
    # 0.5 % from 2028
    ("2028-01", "khac", 0, "I", YOUNG, None, "", 0, 26_550, "01-"),
    ("2028-01", "khac", 0, "IV", YOUNG, None, "", 0, 18_500, "01-"),
    # at or above retirement age: 0.2 %, then 0.3 %
    ("2026-02", "khac", 0, "II", OLD, None, "", 0, 9_460, "01-"),
    ("2028-06", "khac", 0, "II", OLD, None, "", 0, 14_190, "01-"),
    # no category or no region: nothing computed
    ("2026-02", None, 0, "", YOUNG, None, "", 0, 0, "01-"),
    ("2026-02", "khac", 0, "", YOUNG, None, "", 0, 0, "01-"),
    # exemptions on decision: only those the rule set knows
    ("2026-02", "khac", 0, "I", YOUNG, None, "ho_can_ngheo", 0, 0, "01-"),
    ("2026-02", "huu_tri", 6_000_000, "", OLD, None, "tro_cap_xa_hoi", 0, 0, "01-"),
    ("2025-06", "khac", 0, "I", YOUNG, None, "ho_can_ngheo", 0, 5_000, "342"),
    ("2025-06", "khac", 0, "I", YOUNG, None, "om_dau", 0, 0, "342"),
    # reductions (01-QĐ/TW only)
    ("2026-02", "luong", 8_000_000, "", YOUNG, None, "", 30, 56_000, "01-"),
    ("2026-02", "luong", 8_000_000, "", YOUNG, None, "", 50, 40_000, "01-"),
    ("2026-02", "luong", 8_000_000, "", YOUNG, None, "", 70, 24_000, "01-"),
    ("2025-06", "luong", 8_000_000, "", YOUNG, None, "", 50, 80_000, "342"),
    # party age 50 years: exempt from the month it is reached, under 01-QĐ/TW only
    ("2026-04", "huu_tri", 6_000_000, "", OLD, date(1976, 4, 28), "", 0, 0, "01-"),
    ("2026-03", "huu_tri", 6_000_000, "", OLD, date(1976, 4, 28), "", 0, 30_000, "01-"),
    ("2026-01", "huu_tri", 6_000_000, "", OLD, date(1970, 1, 1), "", 0, 30_000, "342"),
    ("2026-02", "huu_tri", 6_000_000, "", OLD, date(1970, 1, 1), "", 0, 0, "01-"),
]


@pytest.mark.parametrize(
    ("month", "category", "base", "region", "birth", "anchor", "exempt", "cut", "amount", "reg"),
    CASES,
)
def test_rate(month, category, base, region, birth, anchor, exempt, cut, amount, reg):
    first = date.fromisoformat(month + "-01")
    due = monthly_due(
        MonthFacts(
            month=first,
            category=category,
            base_amount=base,
            region=region,
            birth_date=birth,
            gender="nam",
            party_anchor=anchor,
            exempt_reason=exempt,
            reduction_percent=cut,
        )
    )
    assert due.amount == amount
    assert reg in due.regulation


def test_switch_in_the_middle_of_a_period():
    """A quarter November 2025 – January 2026 is all 342; December 2025 – February 2026 mixes."""
    months = [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    dues = [
        monthly_due(MonthFacts(month=m, category="khac", region="I", birth_date=YOUNG))
        for m in months
    ]
    assert [d.amount for d in dues] == [5_000, 5_000, 15_930]
    assert [d.regulation for d in dues] == [
        "Quyết định 342-QĐ/TW",
        "Quyết định 342-QĐ/TW",
        "Quy định 01-QĐ/TW",
    ]
    assert dues_rules_on(date(2026, 1, 31)).code == "Quyết định 342-QĐ/TW"


def test_retirement_reached_switches_the_other_rate():
    """A man born 1/10/1964 reaches 61 years 9 months in July 2026? No: the schedule for 2026
    is 61 years 6 months, reached on 1/4/2026; from April his rate is 0.2 %."""
    birth = date(1964, 10, 1)
    assert retirement_date(birth, "nam") == date(2026, 4, 1)
    march = monthly_due(
        MonthFacts(month=date(2026, 3, 1), category="khac", region="I", birth_date=birth)
    )
    april = monthly_due(
        MonthFacts(month=date(2026, 4, 1), category="khac", region="I", birth_date=birth)
    )
    assert (march.amount, april.amount) == (15_930, 10_620)


@pytest.mark.parametrize(
    ("gender", "year", "months"),
    [
        ("nam", 2020, 720),
        ("nam", 2021, 723),
        ("nam", 2026, 738),
        ("nam", 2030, 744),
        ("nu", 2020, 660),
        ("nu", 2021, 664),
        ("nu", 2026, 684),
        ("nu", 2035, 720),
        ("nu", 2040, 720),
    ],
)
def test_retirement_schedule(gender, year, months):
    assert retirement_age_months(gender, year) == months


def test_minimum_wage_has_its_decree():
    assert minimum_wage("I", date(2025, 12, 31)) == (4_960_000, "Nghị định 74/2024/NĐ-CP")
    assert minimum_wage("IV", date(2026, 1, 1)) == (3_700_000, "Nghị định 293/2025/NĐ-CP")


def test_reduction_checks():
    assert check_reduction(percent=50, months=12, from_month=date(2026, 3, 1)) == []
    codes = {v.rule for v in check_reduction(percent=40, months=13, from_month=date(2026, 3, 1))}
    assert codes == {DuesRule.REDUCTION_PERCENT, DuesRule.REDUCTION_MONTHS}
    (v,) = check_reduction(percent=50, months=3, from_month=date(2025, 3, 1))
    assert v.rule == DuesRule.REDUCTION_NOT_ALLOWED and "342" in v.regulation


def test_exemption_checks():
    assert check_exemption(reason="ho_ngheo", from_month=date(2026, 2, 1)) == []
    (v,) = check_exemption(reason="tuoi_dang", from_month=date(2026, 2, 1))
    assert "tự động" in v.message
    (v,) = check_exemption(reason="tro_cap_xa_hoi", from_month=date(2025, 2, 1))
    assert "342" in v.regulation
