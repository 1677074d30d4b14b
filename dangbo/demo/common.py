"""The demo's fixed dates, its size and summary, and the parameters of its draws."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.membership.models import MemberStatus

SEED = 2026
TODAY = date(2026, 11, 23)  # the demo's fixed "today", so every run gives the same records
FOUNDED = date(1950, 1, 1)
HISTORY_FROM = date(2018, 1, 1)
REORG_ON = date(2025, 7, 1)
ACTOR = "du_lieu_mau"
CITY_CODE = "TPSH"
CITY_NAME = "Đảng bộ thành phố Sông Hồng"
CITY_ISSUER = "Ban Thường vụ Thành ủy Sông Hồng"
CEREMONIES = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day): 3/2, 19/5, 2/9, 7/11
FAR = date(9000, 1, 1)
ACTIVE = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)

#: Rules the demo breaks on purpose, each with an exception decision: (person, rule).
DELIBERATE_EXCEPTIONS = {
    "tuoi_ket_nap_duoi_18": "a veteran admitted at 17 in wartime (1967), confirmed by the city",
    "tuoi_ket_nap_tren_60": "a retired teacher admitted at 61 in 2022 by the city's decision",
}

INSTITUTION_OCCUPATION = {
    "police": "luc_luong_vu_trang",
    "military": "luc_luong_vu_trang",
    "office": "can_bo_cong_chuc",
    "school": "vien_chuc",
    "health": "vien_chuc",
}
#: (age band at 1/1/2018, weight): an urban ward's members are mostly older.
AGE_2018 = [
    ((19, 30), 10),
    ((31, 40), 14),
    ((41, 50), 13),
    ((51, 60), 14),
    ((61, 70), 19),
    ((71, 80), 16),
    ((81, 94), 10),
]
ADMISSION_AGE = [((18, 22), 16), ((23, 30), 46), ((31, 40), 27), ((41, 50), 9), ((51, 59), 2)]
ARRIVAL_AGE = [((23, 35), 30), ((36, 50), 30), ((51, 62), 20), ((63, 75), 20)]
CANDIDATE_AGE = [((19, 25), 40), ((26, 35), 45), ((36, 45), 15)]
DROP_NOTES = [
    "Chuyển nơi cư trú, dừng xem xét",
    "Chưa đủ tiêu chuẩn sau thẩm tra lý lịch",
    "Quần chúng xin rút khỏi danh sách",
    "Chi bộ đề nghị tiếp tục bồi dưỡng, thử thách thêm",
]

ANNUAL_ADMISSION_RATE = 0.013
ANNUAL_RECEIVED_RATE = 0.018


@dataclass(frozen=True)
class DemoSize:
    """How big the demo city is; the defaults are the README's demo."""

    districts: int = 2
    wards_per_district: tuple[int, int] = (4, 6)
    cells_per_ward: tuple[int, int] = (10, 25)
    members_per_ward: tuple[int, int] = (300, 2000)  # on 1/1/2018
    history_from: date = HISTORY_FROM  # detailed history (transfers, badges…) from this date
    seed: int = SEED


@dataclass
class DemoSummary:
    organizations: int = 0
    members: int = 0  # active today
    people: int = 0
    events: int = 0
    candidates: int = 0
    decisions: int = 0
    congresses: int = 0
    seats: int = 0
    member_grades: int = 0
    seconds: float = 0.0
    wards: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, code, start, end


#: admissions from this day on record their ceremony (older histories fall back to the decision)
CEREMONIES_RECORDED = date(2000, 1, 1)


def ceremony_after(decided: date, key: int) -> date:
    """The cell's admission ceremony two to five weeks after the decision (within the 30
    working days), varied by `key` without drawing from the random sequence."""
    return decided + timedelta(days=14 + (key * 7) % 22)


def ceremony_on_or_after(d: date) -> date:
    """The first ceremony day (3/2, 19/5, 2/9, 7/11) on or after `d`."""
    year = d.year
    while True:
        for month, day in CEREMONIES:
            c = date(year, month, day)
            if c >= d:
                return c
        year += 1


def thousands(value: int) -> str:
    """A count with Vietnamese thousands separators: 12345 → «12.345»."""
    return f"{value:,}".replace(",", ".")


def count_around(rng: random.Random, expected: float) -> int:
    """A whole number around `expected` (deterministic for the rng)."""
    value = expected * rng.uniform(0.7, 1.3)
    whole = int(value)
    return whole + (1 if rng.random() < value - whole else 0)
