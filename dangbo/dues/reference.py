"""Reference data of the dues rules, with their legal source: regional minimum wages and
the retirement age schedule.

Both are tables of facts published by the State, not rules of the Party; the rate rules in
:mod:`dangbo.dues.rules` read them for the month they compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from dangbo.core.dates import add_months
from dangbo.rulebook import in_force


class Region(StrEnum):  # vùng lương tối thiểu
    I = "I"  # noqa: E741
    II = "II"
    III = "III"
    IV = "IV"


REGION_LABELS = {r: f"Vùng {r.value}" for r in Region}


@dataclass(frozen=True)
class MinimumWages:
    """The monthly regional minimum wages (đồng) in force from `effective_from`."""

    source: str
    effective_from: date
    amounts: dict[Region, int]


MINIMUM_WAGES: tuple[MinimumWages, ...] = (
    MinimumWages(
        "Nghị định 141/2017/NĐ-CP",
        date(2018, 1, 1),
        {Region.I: 3_980_000, Region.II: 3_530_000, Region.III: 3_090_000, Region.IV: 2_760_000},
    ),
    MinimumWages(
        "Nghị định 157/2018/NĐ-CP",
        date(2019, 1, 1),
        {Region.I: 4_180_000, Region.II: 3_710_000, Region.III: 3_250_000, Region.IV: 2_920_000},
    ),
    MinimumWages(
        "Nghị định 90/2019/NĐ-CP",
        date(2020, 1, 1),
        {Region.I: 4_420_000, Region.II: 3_920_000, Region.III: 3_430_000, Region.IV: 3_070_000},
    ),
    MinimumWages(
        "Nghị định 38/2022/NĐ-CP",
        date(2022, 7, 1),
        {Region.I: 4_680_000, Region.II: 4_160_000, Region.III: 3_640_000, Region.IV: 3_250_000},
    ),
    MinimumWages(
        "Nghị định 74/2024/NĐ-CP",
        date(2024, 7, 1),
        {Region.I: 4_960_000, Region.II: 4_410_000, Region.III: 3_860_000, Region.IV: 3_450_000},
    ),
    MinimumWages(
        "Nghị định 293/2025/NĐ-CP",
        date(2026, 1, 1),
        {Region.I: 5_310_000, Region.II: 4_730_000, Region.III: 4_140_000, Region.IV: 3_700_000},
    ),
)


def minimum_wage(region: Region | str, on: date) -> tuple[int, str]:
    """The regional minimum wage of `region` on `on`, with the decree that sets it."""
    wages = in_force(MINIMUM_WAGES, on)
    return wages.amounts[Region(region)], wages.source


#: Labour Code 2019 art. 169, Decree 135/2020/NĐ-CP: the normal retirement age in months
#: for a person reaching it in the given year (men from 60 years 3 months in 2021, 3 months
#: more each year up to 62 in 2028; women from 55 years 4 months, 4 months more each year
#: up to 60 in 2035). Before 2021: 60 and 55 years.
RETIREMENT_SOURCE = "Bộ luật Lao động 2019 (Điều 169), Nghị định 135/2020/NĐ-CP"
_MEN_BEFORE, _MEN_FINAL, _MEN_STEP = 60 * 12, 62 * 12, 3
_WOMEN_BEFORE, _WOMEN_FINAL, _WOMEN_STEP = 55 * 12, 60 * 12, 4


def retirement_age_months(gender: str, year: int) -> int:
    """The normal retirement age (months) of a person of `gender` ("nam"/"nu") reaching it in
    `year`."""
    before, final, step = (
        (_MEN_BEFORE, _MEN_FINAL, _MEN_STEP)
        if gender == "nam"
        else (_WOMEN_BEFORE, _WOMEN_FINAL, _WOMEN_STEP)
    )
    if year < 2021:
        return before
    return min(before + step * (year - 2020), final)


@lru_cache(maxsize=65_536)
def retirement_date(birth_date: date, gender: str) -> date:
    """The day a person born on `birth_date` reaches the normal retirement age.

    The schedule is read for the year in which the age is reached: the first year whose age
    falls within it (a person reaching 60 years 3 months in 2021 retires then, not at 60).
    """
    for year in range(birth_date.year + 50, birth_date.year + 70):
        reached = add_months(birth_date, retirement_age_months(gender, year))
        if reached.year <= year:
            return reached
    return add_months(birth_date, retirement_age_months(gender, 9999))
