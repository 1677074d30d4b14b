"""Vietnamese formatting (REPORTS §5). Expected strings are worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangbo import vn_format as vn
from dangbo.core.errors import InvalidInput


@pytest.mark.parametrize(
    "value, places, expected",
    [
        (18_700_000, None, "18.700.000"),
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (-1_234_567, None, "-1.234.567"),
        (Decimal("1234.5"), None, "1.234,5"),
        (Decimal("79.75"), 1, "79,8"),  # half up, not to even
        (Decimal("79.65"), 1, "79,7"),  # banker's rounding would give 79,6
        (Decimal("0.05"), 1, "0,1"),
        (Decimal("-0.04"), 1, "0,0"),  # no "-0,0"
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),  # half away from zero
    ],
)
def test_number(value, places, expected):
    assert vn.number(value, places) == expected


def test_number_refuses_float():
    with pytest.raises(TypeError):
        vn.number(0.1)


@pytest.mark.parametrize(
    "amount, expected",
    [
        (18_700_000, "18.700.000 đồng"),
        (0, "0 đồng"),
        (Decimal("1500.5"), "1.501 đồng"),
    ],
)
def test_money(amount, expected):
    assert vn.money(amount) == expected


@pytest.mark.parametrize(
    "amount, down_to, expected",
    [
        (49_687_000_000, 1, "49 tỷ 687 triệu đồng"),
        (49_687_500_000, 1, "49 tỷ 687 triệu 500 nghìn đồng"),
        (49_687_500_123, 1, "49 tỷ 687 triệu 500 nghìn 123 đồng"),
        (18_700_000, 1, "18 triệu 700 nghìn đồng"),
        (2_000_000_005, 1, "2 tỷ 5 đồng"),
        (1_250_000_000_000, 1, "1.250 tỷ đồng"),
        (950, 1, "950 đồng"),
        (0, 1, "0 đồng"),
        (-3_000_000, 1, "-3 triệu đồng"),
        (49_687_500_000, vn.TRIEU, "49 tỷ 688 triệu đồng"),
        (49_687_499_999, vn.TRIEU, "49 tỷ 687 triệu đồng"),
        (999_500_000, vn.TY, "1 tỷ đồng"),
        (18_700_499, vn.NGHIN, "18 triệu 700 nghìn đồng"),
    ],
)
def test_money_words(amount, down_to, expected):
    assert vn.money_words(amount, down_to=down_to) == expected


def test_money_words_unit_checked():
    with pytest.raises(ValueError):
        vn.money_words(1000, down_to=100)


@pytest.mark.parametrize(
    "part, whole, whole_number, expected",
    [
        (63, 79, False, "79,7%"),  # 6300/79 = 79,746…
        (34, 79, False, "43,0%"),  # 3400/79 = 43,037…: rounded, so one decimal
        (34, 79, True, "43%"),
        (63, 79, True, "80%"),
        (17, 17, False, "100%"),
        (1, 2, False, "50%"),
        (0, 5, False, "0%"),
        (1, 8, False, "12,5%"),  # exact, already one decimal
        (1, 16, False, "6,3%"),  # 6,25 half up
        (-1, 16, False, "-6,3%"),
        (5, 8, True, "63%"),  # 62,5 half up (to even would be 62)
        (1, 3, False, "33,3%"),
        (2, 3, False, "66,7%"),
        (12_345, 1000, False, "1.234,5%"),
        (Decimal("7.5"), 10, False, "75%"),
        (Decimal("12.5"), 25, False, "50%"),
        (3, 0, False, vn.NOT_AVAILABLE),
        (0, 0, True, "—"),
    ],
)
def test_percent(part, whole, whole_number, expected):
    assert vn.percent(part, whole, whole_number=whole_number) == expected


@pytest.mark.parametrize(
    "actual, planned, expected",
    [
        (324, 41, "790,2%"),  # 32400/41 = 790,24…
        (41, 41, "100%"),
        (30, 40, "75%"),
        (7, 0, "—"),
    ],
)
def test_percent_of_plan(actual, planned, expected):
    assert vn.percent_of_plan(actual, planned) == expected


@pytest.mark.parametrize(
    "n, pad, expected",
    [
        (3, None, "03"),
        (1, None, "01"),
        (9, None, "09"),
        (0, None, "0"),  # zero is never padded
        (10, None, "10"),
        (12, None, "12"),
        (1234, None, "1.234"),
        (3, False, "3"),
        (12, False, "12"),
    ],
)
def test_count2(n, pad, expected):
    assert vn.count2(n, pad=pad) == expected


def test_count_setting(monkeypatch):
    assert vn.count_of(3, "đảng viên dự bị") == "03 đảng viên dự bị"
    monkeypatch.setattr(vn, "PAD_COUNTS", False)
    assert vn.count_of(1, "hồ sơ") == "1 hồ sơ"
    assert vn.count2(1, pad=True) == "01"


@pytest.mark.parametrize(
    "part, whole, noun, expected",
    [
        (17, 17, "chi bộ", "17/17 chi bộ"),
        (42, 44, "tổ chức cơ sở đảng", "42/44 tổ chức cơ sở đảng"),
        (13, 13, "chỉ tiêu", "13/13 chỉ tiêu"),
        (42, 44, None, "42/44"),
        (1234, 1500, None, "1.234/1.500"),
    ],
)
def test_ratio(part, whole, noun, expected):
    assert vn.ratio(part, whole, noun) == expected


@pytest.mark.parametrize(
    "d, pad, short, long",
    [
        (date(2022, 6, 29), False, "ngày 29/6/2022", "ngày 29 tháng 6 năm 2022"),
        (date(2022, 6, 29), True, "ngày 29/06/2022", "ngày 29 tháng 06 năm 2022"),
        (date(2022, 2, 5), False, "ngày 5/2/2022", "ngày 5 tháng 2 năm 2022"),
        (date(2022, 2, 5), True, "ngày 05/02/2022", "ngày 05 tháng 02 năm 2022"),
        (date(2022, 12, 10), True, "ngày 10/12/2022", "ngày 10 tháng 12 năm 2022"),
        (date(2026, 1, 9), False, "ngày 9/1/2026", "ngày 9 tháng 1 năm 2026"),
    ],
)
def test_dates(d, pad, short, long):
    assert vn.date_short(d, pad=pad) == short
    assert vn.date_long(d, pad=pad) == long


def test_place_date_and_date_setting(monkeypatch):
    d = date(2022, 6, 29)
    assert vn.place_date("Hà Nội", d) == "Hà Nội, ngày 29 tháng 6 năm 2022"
    monkeypatch.setattr(vn, "PAD_DATES", True)
    assert vn.place_date("Hà Nội", date(2022, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2022"
    assert vn.date_numeric(date(2022, 2, 5)) == "05/02/2022"


@pytest.mark.parametrize(
    "code, expected",
    [
        ("2023-H1", "6 tháng đầu năm 2023"),
        ("2023-H2", "6 tháng cuối năm 2023"),
        ("2023-9M", "9 tháng đầu năm 2023"),
        ("2023", "năm 2023"),
        ("2023-Q1", "quý I năm 2023"),
        ("2023-Q2", "quý II năm 2023"),
        ("2023-Q3", "quý III năm 2023"),
        ("2023-Q4", "quý IV năm 2023"),
        ("2024-M02", "tháng 2 năm 2024"),
        ("2023-m12", "tháng 12 năm 2023"),
    ],
)
def test_period_phrase(code, expected):
    assert vn.period_phrase(code) == expected


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (date(2023, 1, 1), date(2023, 3, 15), "từ ngày 1/1/2023 đến ngày 15/3/2023"),
        (date(2023, 2, 1), date(2023, 4, 30), "từ ngày 1/2/2023 đến ngày 30/4/2023"),
        (date(2023, 7, 1), date(2023, 9, 30), "quý III năm 2023"),
    ],
)
def test_span_phrase(start, end, expected):
    assert vn.span_phrase(start, end) == expected


def test_period_phrase_rejects_unknown_code():
    with pytest.raises(InvalidInput):
        vn.period_phrase("2023-H3")


@pytest.mark.parametrize("term", ["2020-2025", "2020–2025", " 2020 - 2025 ", (2020, 2025)])
def test_term_phrase(term):
    assert vn.term_phrase(term) == "nhiệm kỳ 2020\u20132025"


@pytest.mark.parametrize("term", ["2025-2020", "20-25", "2020", "2020/2025"])
def test_term_phrase_rejects(term):
    with pytest.raises(InvalidInput, match="Nhiệm kỳ"):
        vn.term_phrase(term)


@pytest.mark.parametrize(
    "name, titles, kwargs, expected",
    [
        (
            "Phạm Duy Phong",
            ["Thành ủy viên", "Bí thư Đảng ủy"],
            {},
            "đồng chí Phạm Duy Phong, Thành ủy viên, Bí thư Đảng ủy",
        ),
        (
            "Phạm Duy Phong",
            ["Thành ủy viên", "Bí thư Đảng ủy", "Chủ tịch HĐND phường"],
            {},
            "đồng chí Phạm Duy Phong, Thành ủy viên, Bí thư Đảng ủy, Chủ tịch HĐND phường",
        ),
        ("  Nguyễn  Văn Chiến ", [], {}, "đồng chí Nguyễn Văn Chiến"),
        (
            "Nguyễn Văn Chiến",
            ["", "Phó Bí thư"],
            {"honorific": "Đồng chí"},
            "Đồng chí Nguyễn Văn Chiến, Phó Bí thư",
        ),
        ("Nguyễn Văn Chiến", ["Phó Bí thư"], {"honorific": ""}, "Nguyễn Văn Chiến, Phó Bí thư"),
    ],
)
def test_person_with_titles(name, titles, kwargs, expected):
    assert vn.person_with_titles(name, titles, **kwargs) == expected


@pytest.mark.parametrize(
    "names, expected",
    [
        (
            ["Trần Văn Bình", "Nguyễn Thị Ánh", "Lê Văn Anh", "Đặng Văn Chiến", "Nguyễn Văn Dương"],
            ["Lê Văn Anh", "Nguyễn Thị Ánh", "Trần Văn Bình", "Đặng Văn Chiến", "Nguyễn Văn Dương"],
        ),
        # đ is a letter after d; code-point order would put "Em" before "Đức"
        (
            ["Hoàng Văn Em", "Trần Minh Đức", "Lê Dũng"],
            ["Lê Dũng", "Trần Minh Đức", "Hoàng Văn Em"],
        ),
        # a < ă < â as letters; tones ngang < huyền < hỏi < ngã < sắc < nặng
        (["Lê Thị Ân", "Lê Thị Ăn", "Lê Thị An"], ["Lê Thị An", "Lê Thị Ăn", "Lê Thị Ân"]),
        (
            ["Vũ Thị Hạ", "Vũ Thị Há", "Vũ Thị Hà", "Vũ Thị Ha", "Vũ Thị Hả"],
            ["Vũ Thị Ha", "Vũ Thị Hà", "Vũ Thị Hả", "Vũ Thị Há", "Vũ Thị Hạ"],
        ),
        # same given name: then the rest as written (surname first)
        (
            ["Trần Văn An", "Nguyễn Văn An", "Đỗ Thị An", "Dương Văn An"],
            ["Dương Văn An", "Đỗ Thị An", "Nguyễn Văn An", "Trần Văn An"],
        ),
        (["Hà", "Nguyễn Hà"], ["Hà", "Nguyễn Hà"]),
    ],
)
def test_sorted_names(names, expected):
    assert vn.sorted_names(names) == expected


def test_sort_key_ignores_spacing_and_normal_form():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Chiến")
    assert vn.sort_key_name(decomposed) == vn.sort_key_name(" Nguyễn  Văn Chiến")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nguyễn Văn Chiến", "nguyen van chien"),
        ("Đặng Thị Đào", "dang thi dao"),
        ("  TRẦN   ĐỨC  ", "tran duc"),
        ("Ủy ban Kiểm tra", "uy ban kiem tra"),
        ("Quận ủy Hoàn Kiếm", "quan uy hoan kiem"),
    ],
)
def test_fold(text, expected):
    assert vn.fold(text) == expected


@pytest.mark.parametrize(
    "query, text, expected",
    [
        ("nguyen van chien", "Nguyễn Văn Chiến", True),
        ("Nguyễn Văn Chiến", "Nguyễn Văn Chiến", True),
        ("chien", "Nguyễn Văn Chiến", True),
        ("chien nguyen", "Nguyễn Văn Chiến", True),
        ("ng v ch", "Nguyễn Văn Chiến", True),
        ("dang", "Đặng Văn Chiến", True),
        ("", "Nguyễn Văn Chiến", True),
        ("an", "Nguyễn Văn Chiến", False),  # not the start of a word
        ("nguyen van binh", "Nguyễn Văn Chiến", False),
    ],
)
def test_matches(query, text, expected):
    assert vn.matches(query, text) is expected
