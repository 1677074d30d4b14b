"""Deterministic, realistic Vietnamese personal data for demo party records.

Everything is driven by a caller-supplied ``random.Random`` so the same seed always
yields the same people. Weighted tables are lists of ``(value, weight)`` pairs; the
weights are relative (they need not sum to 100). All strings are NFC-normalised.

``make_person`` keeps fields mutually plausible: ages are computed against
``REFERENCE_YEAR``, retirees are old, students are young, degrees respect age and
schooling, and people born before 1965 finished the northern 10-year school system.
Home towns use the 34 provinces in force since 1 July 2025; the citizen-ID province
code is one of the pre-merger codes that the new province absorbed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

REFERENCE_YEAR = 2025

# fmt: off
SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.5),
    ("Huỳnh", 1.6), ("Phan", 4.5), ("Vũ", 3.2), ("Võ", 0.7), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đào", 0.6),
    ("Đoàn", 0.6), ("Trịnh", 0.6), ("Trương", 0.5), ("Đinh", 0.6), ("Lương", 0.4),
    ("Mai", 0.4), ("Cao", 0.4), ("Tạ", 0.3), ("Hà", 0.4), ("Phùng", 0.3), ("Lâm", 0.3),
    ("Vương", 0.3), ("Chu", 0.3), ("Tô", 0.3), ("Kiều", 0.2), ("Lưu", 0.2), ("Quách", 0.2),
    ("Khúc", 0.1),
]

MIDDLE_NAMES_MALE: list[tuple[str, float]] = [
    ("Văn", 30), ("Đức", 12), ("Minh", 10), ("Quang", 8), ("Hữu", 8), ("Đình", 5),
    ("Công", 6), ("Quốc", 5), ("Xuân", 5), ("Thanh", 5), ("Ngọc", 4), ("Mạnh", 3),
    ("Trọng", 3), ("Thế", 3), ("Duy", 3), ("Hoàng", 3), ("Việt", 3), ("Trung", 2),
    ("Tiến", 2), ("Anh", 2), ("Gia", 2), ("Bá", 2),
]

MIDDLE_NAMES_FEMALE: list[tuple[str, float]] = [
    ("Thị", 45), ("Ngọc", 8), ("Thu", 7), ("Thanh", 7), ("Kim", 5), ("Minh", 5),
    ("Thùy", 4), ("Phương", 4), ("Hồng", 4), ("Bích", 3), ("Hải", 3), ("Mai", 3),
    ("Diệu", 2), ("Lan", 2), ("Khánh", 2), ("Bảo", 2), ("Quỳnh", 2), ("Tuyết", 2),
    ("Hoài", 2), ("Mỹ", 2),
]

GIVEN_NAMES_MALE: list[str] = [
    "Anh", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương", "Đạt", "Đức", "Định",
    "Giang", "Hải", "Hiếu", "Hiển", "Hoàng", "Hòa", "Hùng", "Huy", "Hưng", "Khang", "Khánh", "Khoa",
    "Kiên", "Lâm", "Long", "Lộc", "Lợi", "Luân", "Mạnh", "Minh", "Nam", "Nghĩa", "Nguyên", "Nhân",
    "Phong", "Phúc", "Quân", "Quang", "Quý", "Sơn", "Tài", "Tâm", "Tân", "Thắng", "Thành", "Thịnh",
    "Thông", "Tiến", "Toàn", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hậu",
    "Hiệp", "Hào", "Kiệt", "Lực", "Thái", "Thuận", "Phát",
]

GIVEN_NAMES_FEMALE: list[str] = [
    "An", "Anh", "Ánh", "Bích", "Chi", "Cúc", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng",
    "Hiền", "Hoa", "Hòa", "Hồng", "Huệ", "Huyền", "Hương", "Hường", "Lan", "Liên", "Linh", "Loan",
    "Lụa", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Nhi", "Oanh", "Phương", "Quyên", "Quỳnh",
    "Sen", "Tâm", "Thảo", "Thanh", "Thoa", "Thu", "Thủy", "Thúy", "Thư", "Trang", "Trâm", "Uyên",
    "Vân", "Yến", "Xuân", "Hảo", "Mơ", "Nhàn", "Tuyết", "Diệp", "Hậu", "Khánh", "Ly", "Vy", "Thắm",
    "Châu", "Hiên", "Lệ", "Nguyệt",
]

ETHNICITIES: list[tuple[str, float]] = [
    ("Kinh", 94.0), ("Tày", 1.2), ("Mường", 1.0), ("Thái", 0.8), ("Nùng", 0.8),
    ("Hoa", 0.8), ("Khmer", 0.3), ("Dao", 0.3), ("Mông", 0.2), ("Sán Dìu", 0.2),
    ("Chăm", 0.1), ("Ê Đê", 0.1), ("Gia Rai", 0.1),
]

RELIGIONS: list[tuple[str, float]] = [
    ("Không", 85.0), ("Phật giáo", 8.0), ("Công giáo", 5.0), ("Tin lành", 0.8),
    ("Cao Đài", 0.6), ("Hòa Hảo", 0.4),
]

# "x/10" values belong to the old northern 10-year system (people born before 1965).
EDUCATION: list[tuple[str, float]] = [
    ("12/12", 80), ("11/12", 4), ("9/12", 10), ("7/12", 2),
    ("10/10", 65), ("9/10", 8), ("7/10", 20), ("4/10", 2),
]

QUALIFICATIONS: list[tuple[str, float]] = [
    ("Không", 12), ("Sơ cấp", 5), ("Trung cấp", 15), ("Cao đẳng", 10), ("Đại học", 45),
    ("Thạc sĩ", 10), ("Tiến sĩ", 3),
]
_QUALIFICATION_MIN_AGE = {"Cao đẳng": 20, "Đại học": 22, "Thạc sĩ": 24, "Tiến sĩ": 28}

THEORY_LABELS: dict[str, str] = {
    "khong": "Chưa qua đào tạo", "so_cap": "Sơ cấp", "trung_cap": "Trung cấp",
    "cao_cap": "Cao cấp", "cu_nhan": "Cử nhân",
}
THEORY: list[tuple[str, float]] = [
    ("khong", 25), ("so_cap", 45), ("trung_cap", 18), ("cao_cap", 8), ("cu_nhan", 4),
]

OCCUPATION_LABELS: dict[str, str] = {
    "can_bo_cong_chuc": "Cán bộ, công chức", "vien_chuc": "Viên chức",
    "luc_luong_vu_trang": "Lực lượng vũ trang", "cong_nhan": "Công nhân",
    "nong_dan": "Nông dân", "kinh_doanh": "Kinh doanh, lao động tự do",
    "huu_tri": "Hưu trí", "hoc_sinh_sinh_vien": "Học sinh, sinh viên", "khac": "Khác",
}
# Ward-wide mix (urban ward, many retirees); make_person conditions it on age.
OCCUPATIONS: list[tuple[str, float]] = [
    ("huu_tri", 40), ("can_bo_cong_chuc", 12), ("vien_chuc", 12), ("kinh_doanh", 14),
    ("khac", 8), ("cong_nhan", 5), ("luc_luong_vu_trang", 4), ("hoc_sinh_sinh_vien", 4),
    ("nong_dan", 1),
]

# Post-2025 provinces -> CCCD province codes of the units merged into them (first = seat).
PROVINCE_CODES: dict[str, tuple[str, ...]] = {
    "Hà Nội": ("001",), "Cao Bằng": ("004",), "Tuyên Quang": ("008", "002"),
    "Lào Cai": ("010", "015"), "Điện Biên": ("011",), "Lai Châu": ("012",),
    "Sơn La": ("014",), "Thái Nguyên": ("019", "006"), "Lạng Sơn": ("020",),
    "Quảng Ninh": ("022",), "Phú Thọ": ("025", "026", "017"), "Bắc Ninh": ("027", "024"),
    "Hải Phòng": ("031", "030"), "Hưng Yên": ("033", "034"),
    "Ninh Bình": ("037", "035", "036"), "Thanh Hóa": ("038",), "Nghệ An": ("040",),
    "Hà Tĩnh": ("042",), "Quảng Trị": ("045", "044"), "Huế": ("046",),
    "Đà Nẵng": ("048", "049"), "Quảng Ngãi": ("051", "062"), "Gia Lai": ("064", "052"),
    "Khánh Hòa": ("056", "058"), "Đắk Lắk": ("066", "054"),
    "Lâm Đồng": ("068", "067", "060"), "Đồng Nai": ("075", "070"),
    "Tây Ninh": ("072", "080"), "TP. Hồ Chí Minh": ("079", "074", "077"),
    "Đồng Tháp": ("087", "082"), "Vĩnh Long": ("086", "083", "084"),
    "An Giang": ("089", "091"), "Cần Thơ": ("092", "094", "093"), "Cà Mau": ("096", "095"),
}
_HOME_TOWN_WEIGHTS = {
    "Hà Nội": 30, "Ninh Bình": 8, "Hưng Yên": 7, "Thanh Hóa": 6, "Nghệ An": 6,
    "Hải Phòng": 5, "Bắc Ninh": 5, "Phú Thọ": 5, "Hà Tĩnh": 4, "Thái Nguyên": 3,
    "Quảng Ninh": 2, "Tuyên Quang": 2, "Quảng Trị": 2, "Lạng Sơn": 2,
}
HOME_TOWNS: list[tuple[str, float]] = [
    (name, _HOME_TOWN_WEIGHTS.get(name, 1)) for name in PROVINCE_CODES
]

STREETS: list[str] = [
    "Hàng Bông", "Hàng Gai", "Đội Cấn", "Kim Mã", "Văn Cao", "Liễu Giai", "Láng Hạ",
    "Thái Hà", "Tây Sơn", "Chùa Bộc", "Xã Đàn", "Khâm Thiên", "Tôn Đức Thắng", "Hào Nam",
    "Giảng Võ", "Nguyễn Thái Học", "Trần Phú", "Điện Biên Phủ", "Phan Đình Phùng",
    "Quán Thánh", "Hoàng Hoa Thám", "Thụy Khuê", "Bạch Mai", "Minh Khai", "Lò Đúc",
    "Bà Triệu", "Lý Thường Kiệt", "Tràng Thi", "Cát Linh", "Hoàng Cầu", "Ô Chợ Dừa",
]

PHONE_PREFIXES: tuple[str, ...] = (
    "090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035", "036",
    "037", "038", "039", "081", "082", "083", "084", "085", "086", "088", "089", "070",
    "076", "077", "078", "079",
)
# fmt: on


def weighted(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    """Pick one value from ``(value, weight)`` pairs, deterministically for ``rng``."""
    values = [value for value, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


def _full_name(rng: random.Random, gender: str, year: int) -> str:
    male = gender == "nam"
    middles = MIDDLE_NAMES_MALE if male else MIDDLE_NAMES_FEMALE
    givens = GIVEN_NAMES_MALE if male else GIVEN_NAMES_FEMALE
    surname, middle = weighted(rng, SURNAMES), weighted(rng, middles)
    # Younger generations use Văn/Thị less; also avoid "Mai Mai ..." style repeats.
    if middle == surname or (year >= 1990 and middle in ("Văn", "Thị") and rng.random() < 0.5):
        middle = weighted(rng, middles)
    parts = [surname, middle]
    if rng.random() < (0.03 if male else 0.15):  # four words, e.g. "Nguyễn Thị Thu Hà"
        extra = weighted(rng, middles)
        if extra not in parts and extra not in ("Văn", "Thị"):
            parts.append(extra)
    given = rng.choice(givens)
    while given in parts:
        given = rng.choice(givens)
    return " ".join([*parts, given])


def _occupation(rng: random.Random, gender: str, age: int) -> str:
    retire_age = 61 if gender == "nam" else 57
    if age >= retire_age:
        if rng.random() < 0.9:
            return "huu_tri"
        return rng.choice(["kinh_doanh", "khac"])
    if age <= 22 and rng.random() < 0.7:
        return "hoc_sinh_sinh_vien"
    skip = {"huu_tri", "hoc_sinh_sinh_vien"}
    return weighted(rng, [p for p in OCCUPATIONS if p[0] not in skip])


def make_person(
    rng: random.Random,
    *,
    gender: str | None = None,
    birth_year_range: tuple[int, int] = (1940, 2006),
) -> dict:
    """Return one realistic Vietnamese person as a dict (see module docstring)."""
    if gender is None:
        gender = "nu" if rng.random() < 0.45 else "nam"
    if gender not in ("nam", "nu"):
        raise ValueError(f"gender must be 'nam' or 'nu', got {gender!r}")
    lo, hi = birth_year_range
    year = rng.randint(lo, hi)
    if year < 1900:
        raise ValueError("birth years before 1900 have no CCCD gender/century code")
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    birth_date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(days))
    age = REFERENCE_YEAR - year

    home_town = weighted(rng, HOME_TOWNS)
    century_code = (year // 100 - 19) * 2 + (gender == "nu")
    citizen_id = (
        f"{rng.choice(PROVINCE_CODES[home_town])}{century_code}{year % 100:02d}"
        f"{rng.randrange(1_000_000):06d}"
    )

    system = "/10" if year < 1965 else "/12"
    education = weighted(rng, [p for p in EDUCATION if p[0].endswith(system)])
    full_school = education in ("12/12", "10/10")
    quals = [
        p
        for p in QUALIFICATIONS
        if age >= _QUALIFICATION_MIN_AGE.get(p[0], 0)
        and (full_school or p[0] in ("Không", "Sơ cấp", "Trung cấp"))
    ]
    qualification = weighted(rng, quals)
    theory = weighted(rng, [p for p in THEORY if age >= 30 or p[0] not in ("cao_cap", "cu_nhan")])

    ngo = f"ngõ {rng.randint(1, 250)}, " if rng.random() < 0.65 else ""
    ngach = f"ngách {rng.randint(1, 60)}, " if ngo and rng.random() < 0.25 else ""
    address = f"Số {rng.randint(1, 150)}, {ngach}{ngo}phố {rng.choice(STREETS)}"

    return {
        "full_name": _full_name(rng, gender, year),
        "gender": gender,
        "birth_date": birth_date,
        "ethnicity": weighted(rng, ETHNICITIES),
        "religion": weighted(rng, RELIGIONS),
        "home_town": home_town,
        "citizen_id": citizen_id,
        "education": education,
        "qualification": qualification,
        "theory": theory,
        "occupation": _occupation(rng, gender, age),
        "phone": rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}",
        "address": address,
    }
