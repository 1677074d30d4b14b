"""Document numbers and citations (REPORTS §4)."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.citations import (
    Citation,
    CitationError,
    DocumentNumber,
    find_citations,
    issuer_body,
    split_issuer,
)
from dangbo.core.errors import DomainError

D = date
# text, (number, type code, issuer code), issued on, issuing body
CITATIONS = [
    (
        "Kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy",
        (154, "KH", "TU"),
        D(2022, 6, 29),
        "Ban Thường vụ Thành ủy",
    ),
    (
        "Kế hoạch số 98-KH/QU, ngày 25/7/2022 của Ban Thường vụ Quận ủy",
        (98, "KH", "QU"),
        D(2022, 7, 25),
        "Ban Thường vụ Quận ủy",
    ),
    (
        "Kết luận số 34-KL/TW, ngày 18/4/2022 của Bộ Chính trị",
        (34, "KL", "TW"),
        D(2022, 4, 18),
        "Bộ Chính trị",
    ),
    (
        "Hướng dẫn số 33-HD/BTGQU, ngày 15/3/2023 của Ban Tuyên giáo Quận ủy",
        (33, "HD", "BTGQU"),
        D(2023, 3, 15),
        "Ban Tuyên giáo Quận ủy",
    ),
    (
        "Kế hoạch số 02-KH/ĐU, ngày 05/01/2023 của Ban Thường vụ Đảng ủy phường Phúc Xá",
        (2, "KH", "ĐU"),
        D(2023, 1, 5),
        "Ban Thường vụ Đảng ủy phường Phúc Xá",
    ),
    (
        "Kế hoạch số 2-KH/ĐU, ngày 5/2/2023 của Đảng ủy phường Hàng Bạc",
        (2, "KH", "ĐU"),
        D(2023, 2, 5),
        "Đảng ủy phường Hàng Bạc",
    ),
    (
        "Chương trình số 01-CTr/TU, ngày 15/4/2021 của Ban Chấp hành Đảng bộ thành phố",
        (1, "CTr", "TU"),
        D(2021, 4, 15),
        "Ban Chấp hành Đảng bộ thành phố",
    ),
    (
        "Quy định số 190-QĐ/TW, ngày 10/10/2024 của Bộ Chính trị",
        (190, "QĐ", "TW"),
        D(2024, 10, 10),
        "Bộ Chính trị",
    ),
    (
        "Quy định số 294-QĐ/TW, ngày 26/5/2025 của Ban Chấp hành Trung ương",
        (294, "QĐ", "TW"),
        D(2025, 5, 26),
        "Ban Chấp hành Trung ương",
    ),
    (
        "Quyết định số 125-QĐ/QU, ngày 12/9/2023 của Ban Thường vụ Quận ủy",
        (125, "QĐ", "QU"),
        D(2023, 9, 12),
        "Ban Thường vụ Quận ủy",
    ),
    (
        "Chỉ thị số 51-CT/TW, ngày 8/7/2025 của Ban Bí thư",
        (51, "CT", "TW"),
        D(2025, 7, 8),
        "Ban Bí thư",
    ),
    (
        "Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị",
        (5, "CT", "TW"),
        D(2016, 5, 15),
        "Bộ Chính trị",
    ),
    (
        "Hướng dẫn số 11-HD/BTCTW, ngày 18/11/2021 của Ban Tổ chức Trung ương",
        (11, "HD", "BTCTW"),
        D(2021, 11, 18),
        "Ban Tổ chức Trung ương",
    ),
    (
        "Nghị quyết số 21-NQ/TW, ngày 16/6/2022 của Ban Chấp hành Trung ương",
        (21, "NQ", "TW"),
        D(2022, 6, 16),
        "Ban Chấp hành Trung ương",
    ),
    (
        "Báo cáo số 87-BC/ĐU, ngày 20/12/2023 của Đảng ủy phường Cửa Nam",
        (87, "BC", "ĐU"),
        D(2023, 12, 20),
        "Đảng ủy phường Cửa Nam",
    ),
    (
        "Công văn số 1234-CV/TU, ngày 8/8/2023 của Ban Thường vụ Thành ủy",
        (1234, "CV", "TU"),
        D(2023, 8, 8),
        "Ban Thường vụ Thành ủy",
    ),
    (
        "Thông báo số 45-TB/VPTU, ngày 3/3/2023 của Văn phòng Thành ủy",
        (45, "TB", "VPTU"),
        D(2023, 3, 3),
        "Văn phòng Thành ủy",
    ),
    (
        "Tờ trình số 12-TTr/BTCQU, ngày 22/2/2023 của Ban Tổ chức Quận ủy",
        (12, "TTr", "BTCQU"),
        D(2023, 2, 22),
        "Ban Tổ chức Quận ủy",
    ),
    (
        "Quy chế số 03-QC/HU, ngày 14/10/2020 của Huyện ủy",
        (3, "QC", "HU"),
        D(2020, 10, 14),
        "Huyện ủy",
    ),
    (
        "Thông tri số 05-TT/TU, ngày 30/11/2022 của Ban Thường vụ Tỉnh ủy",
        (5, "TT", "TU"),
        D(2022, 11, 30),
        "Ban Thường vụ Tỉnh ủy",
    ),
    (
        "Biên bản số 07-BB/ĐU, ngày 28/12/2023 của Đảng ủy phường Phúc Xá",
        (7, "BB", "ĐU"),
        D(2023, 12, 28),
        "Đảng ủy phường Phúc Xá",
    ),
    (
        "Hướng dẫn số 36-HD/VPTW, ngày 3/4/2018 của Văn phòng Trung ương Đảng",
        (36, "HD", "VPTW"),
        D(2018, 4, 3),
        "Văn phòng Trung ương Đảng",
    ),
    (
        "Kế hoạch số 15-KH/UBKTTU, ngày 10/1/2024 của Ủy ban Kiểm tra Thành ủy",
        (15, "KH", "UBKTTU"),
        D(2024, 1, 10),
        "Ủy ban Kiểm tra Thành ủy",
    ),
    (
        "Hướng dẫn số 08-HD/BTGDVTU, ngày 20/3/2025 của Ban Tuyên giáo và Dân vận Thành ủy",
        (8, "HD", "BTGDVTU"),
        D(2025, 3, 20),
        "Ban Tuyên giáo và Dân vận Thành ủy",
    ),
    (
        "Nghị quyết số 09-NQ/ĐUK, ngày 2/6/2021 của Đảng ủy Khối các cơ quan thành phố",
        (9, "NQ", "ĐUK"),
        D(2021, 6, 2),
        "Đảng ủy Khối các cơ quan thành phố",
    ),
    (
        "Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII",
        (21, "KL", "TW"),
        D(2021, 10, 25),
        "Ban Chấp hành Trung ương Đảng khóa XIII",
    ),
    (
        "Chương trình số 06-CTr/QU, ngày 20/11/2020 của Quận ủy",
        (6, "CTr", "QU"),
        D(2020, 11, 20),
        "Quận ủy",
    ),
    (
        "Báo cáo số 112-BC/BTCTU, ngày 31/12/2023 của Ban Tổ chức Thành ủy",
        (112, "BC", "BTCTU"),
        D(2023, 12, 31),
        "Ban Tổ chức Thành ủy",
    ),
    (
        "Kế hoạch số 154-KH/TU, ngày 29 tháng 6 năm 2022 của Ban Thường vụ Thành ủy",
        (154, "KH", "TU"),
        D(2022, 6, 29),
        "Ban Thường vụ Thành ủy",
    ),
    (
        "Quy định số 399-QĐ/TW, ngày 09 tháng 01 năm 2026 của Ban Chấp hành Trung ương",
        (399, "QĐ", "TW"),
        D(2026, 1, 9),
        "Ban Chấp hành Trung ương",
    ),
    ("Kết luận số 34-KL/TW, ngày 18/4/2022", (34, "KL", "TW"), D(2022, 4, 18), None),
    ("Quyết định số 01-QĐ/ĐU, ngày 2 tháng 1 năm 2024", (1, "QĐ", "ĐU"), D(2024, 1, 2), None),
]


@pytest.mark.parametrize("text, number, issued_on, body", CITATIONS)
def test_citation_round_trip(text, number, issued_on, body):
    citation = Citation.parse(text)
    assert citation.type_name == text.split(" số ")[0]  # QĐ keeps Quyết/Quy định as given
    assert (
        citation.number.number,
        citation.number.type_code,
        citation.number.issuer_code,
    ) == number
    assert citation.issued_on == issued_on
    assert citation.issuer_body == body
    assert citation.format() == text
    assert Citation.parse(citation.format()) == citation


@pytest.mark.parametrize("text, number, issued_on, body", CITATIONS)
def test_citation_built_from_fields_round_trips(text, number, issued_on, body):
    built = Citation(text.split(" số ")[0], DocumentNumber(*number), issued_on, body)
    assert Citation.parse(built.format()) == built
    assert built.format().split(",")[0] == f"{built.type_name} số {built.number}"


@pytest.mark.parametrize(
    "text",
    [
        "kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy",
        "KẾ HOẠCH số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy",
        "Kế hoạch số 154-KH/TU ngày 29/6/2022 của Ban Thường vụ Thành ủy",
        "  Kế hoạch  số 154-KH/TU,  ngày 29/6/2022 của  Ban Thường vụ  Thành ủy. ",
    ],
)
def test_citation_variants_normalise(text):
    expected = "Kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy"
    assert Citation.parse(text).format() == expected


def test_citation_without_issuer_and_long_padded_date():
    c = Citation.parse("Kế hoạch số 02-KH/ĐU, ngày 05 tháng 02 năm 2022")
    assert c == Citation("Kế hoạch", DocumentNumber(2, "KH", "ĐU"), date(2022, 2, 5))
    assert (c.long_date, c.pad_date, c.issuer_body) == (True, True, None)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "Kế hoạch số 34-KL/TW, ngày 18/4/2022 của Bộ Chính trị",
            "loại văn bản «Kế hoạch» không khớp ký hiệu «KL»",
        ),
        (
            "Quyết định số 34-KL/TW, ngày 18/4/2022",
            "loại văn bản «Quyết định» không khớp ký hiệu «KL»",
        ),
        ("Nghị quyết số 21-QĐ/TW, ngày 16/6/2022", "không khớp ký hiệu «QĐ»"),
        (
            "Kế hoạch số 154KH/TU, ngày 29/6/2022",
            "số văn bản «154KH/TU» không đúng dạng «số-loại/cơ quan», ví dụ 154-KH/TU",
        ),
        ("Kế hoạch số 154-KH-TU, ngày 29/6/2022", "không đúng dạng «số-loại/cơ quan»"),
        (
            "Kế hoạch số 154-XX/TU, ngày 29/6/2022",
            "ký hiệu loại văn bản «XX» không có trong danh mục",
        ),
        ("Kế hoạch số 154-kh/TU, ngày 29/6/2022", "ký hiệu loại văn bản «kh»"),
        (
            "Kế hoạch số 154-KH/tu, ngày 29/6/2022",
            "ký hiệu cơ quan ban hành «tu» phải gồm 2–12 chữ in hoa",
        ),
        ("Kế hoạch số 0-KH/TU, ngày 29/6/2022", "số thứ tự văn bản phải là số nguyên từ 1 trở lên"),
        ("Kế hoạch số 002-KH/TU, ngày 29/6/2022", "số thứ tự «002» chỉ được viết thêm một số 0"),
        ("Kế sách số 154-KH/TU, ngày 29/6/2022", "không nhận ra loại văn bản «Kế sách»"),
        ("Kế hoạch 154-KH/TU, ngày 29/6/2022", "không đúng dạng «Loại số số-loại/cơ quan"),
        ("Kế hoạch số 154-KH/TU của Ban Thường vụ Thành ủy", "thiếu ngày ban hành"),
        ("Kế hoạch số 154-KH/TU", "thiếu ngày ban hành"),
        ("Kế hoạch số 154-KH/TU, ngày 31/6/2022", "ngày «31/6/2022» không có thật"),
        (
            "Kế hoạch số 154-KH/TU, ngày 29 tháng 13 năm 2022",
            "ngày «29 tháng 13 năm 2022» không có thật",
        ),
        ("Kế hoạch số 154-KH/TU, ngày 29/6/22", "ngày «29/6/22» không đúng dạng «29/6/2022»"),
        ("Kế hoạch số 154-KH/TU, ngày 29/6/2022 của", "thiếu tên cơ quan ban hành sau «của»"),
        ("", "Trích dẫn «»: trích dẫn trống"),
    ],
)
def test_malformed_citations_rejected(text, message):
    with pytest.raises(CitationError) as raised:
        Citation.parse(text)
    assert message in str(raised.value)
    assert str(raised.value).startswith("Trích dẫn «")
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, DomainError)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("154-KH/TU", DocumentNumber(154, "KH", "TU")),
        ("02-KH/ĐU", DocumentNumber(2, "KH", "ĐU")),
        ("2-KH/ĐU", DocumentNumber(2, "KH", "ĐU", pad=False)),
        ("33-HD/BTGQU", DocumentNumber(33, "HD", "BTGQU")),
        ("01-CTr/TU", DocumentNumber(1, "CTr", "TU")),
        ("399-QĐ/TW", DocumentNumber(399, "QĐ", "TW")),
        ("10-TTr/VPĐU", DocumentNumber(10, "TTr", "VPĐU")),
    ],
)
def test_document_number_round_trip(text, expected):
    parsed = DocumentNumber.parse(text)
    assert parsed == expected
    assert parsed.format() == text == str(parsed)


def test_document_number_padding():
    assert DocumentNumber(2, "KH", "ĐU").format() == "02-KH/ĐU"
    assert DocumentNumber(2, "KH", "ĐU", pad=False).format() == "2-KH/ĐU"
    assert DocumentNumber(154, "KH", "TU", pad=False).format() == "154-KH/TU"
    assert DocumentNumber.parse("03-QĐ/TU") == DocumentNumber.parse("3-QĐ/TU")  # pad is style
    assert DocumentNumber.parse("02-KH/\u00d0U").issuer_code == "ĐU"  # Icelandic eth typed for Đ


@pytest.mark.parametrize(
    "text", ["154KH/TU", "154-KH/", "-KH/TU", "KH/TU", "154 - KH/TU", "154-KH/TU/X", "số 154-KH/TU"]
)
def test_document_number_malformed(text):
    with pytest.raises(CitationError, match="không đúng dạng «số-loại/cơ quan», ví dụ 154-KH/TU"):
        DocumentNumber.parse(text)


@pytest.mark.parametrize(
    "code, parts, body",
    [
        ("TU", (None, "TU"), None),
        ("ĐUK", (None, "ĐUK"), None),
        ("BTGQU", ("BTG", "QU"), "Ban Tuyên giáo Quận ủy"),
        ("BTCQU", ("BTC", "QU"), "Ban Tổ chức Quận ủy"),
        ("UBKTQU", ("UBKT", "QU"), "Ủy ban Kiểm tra Quận ủy"),
        ("VPĐU", ("VP", "ĐU"), "Văn phòng Đảng ủy"),
        ("BTCTW", ("BTC", "TW"), "Ban Tổ chức Trung ương"),
        ("VPTW", ("VP", "TW"), "Văn phòng Trung ương Đảng"),
        ("BTGDVTU", ("BTGDV", "TU"), None),  # Thành ủy or Tỉnh ủy: the caller says
        ("XYZ", None, None),
    ],
)
def test_issuer_codes(code, parts, body):
    assert split_issuer(code) == parts
    assert issuer_body(code) == body


def test_issuer_body_with_committee_name():
    assert issuer_body("BTGDVTU", committee_name="Thành ủy") == "Ban Tuyên giáo và Dân vận Thành ủy"
    assert issuer_body("UBKTTU", committee_name="Tỉnh ủy") == "Ủy ban Kiểm tra Tỉnh ủy"
    assert issuer_body("TU", committee_name="Thành ủy") is None


PARAGRAPH = (
    "Thực hiện Kết luận số 34-KL/TW, ngày 18/4/2022 của Bộ Chính trị và Kế hoạch số "
    "154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy về tăng cường công tác xây dựng "
    "Đảng, Ban Thường vụ Quận ủy đã ban hành kế hoạch số 98-KH/QU ngày 25 tháng 7 năm 2022 "
    "của Ban Thường vụ Quận ủy quận Ba Đình triển khai đến 17/17 chi bộ; Kế hoạch số "
    "34-KL/TW, ngày 1/1/2023 là trích dẫn sai."
)


def test_find_citations_in_paragraph():
    found = find_citations(PARAGRAPH)
    wordings = [
        "Kết luận số 34-KL/TW, ngày 18/4/2022 của Bộ Chính trị",
        "Kế hoạch số 154-KH/TU, ngày 29/6/2022 của Ban Thường vụ Thành ủy",
        "kế hoạch số 98-KH/QU ngày 25 tháng 7 năm 2022 của Ban Thường vụ Quận ủy quận Ba Đình",
    ]
    # the fourth candidate ("Kế hoạch … KL") does not agree with its code and is skipped
    assert [(f.start, f.end) for f in found] == [
        (PARAGRAPH.index(w), PARAGRAPH.index(w) + len(w)) for w in wordings
    ]
    assert [f.citation.number.format() for f in found] == ["34-KL/TW", "154-KH/TU", "98-KH/QU"]
    assert [f.citation.issuer_body for f in found] == [
        "Bộ Chính trị",
        "Ban Thường vụ Thành ủy",
        "Ban Thường vụ Quận ủy quận Ba Đình",
    ]
    assert found[2].citation.format() == (
        "Kế hoạch số 98-KH/QU, ngày 25 tháng 7 năm 2022 của Ban Thường vụ Quận ủy quận Ba Đình"
    )


@pytest.mark.parametrize(
    "text, body",
    [
        (
            "theo Quy định số 294-QĐ/TW, ngày 26/5/2025 của Ban Chấp hành Trung ương Đảng khóa XIII.",
            "Ban Chấp hành Trung ương Đảng khóa XIII",
        ),
        (
            "Hướng dẫn số 08-HD/BTGDVTU, ngày 20/3/2025 của Ban Tuyên giáo và Dân vận Thành ủy, đến nay",
            "Ban Tuyên giáo và Dân vận Thành ủy",
        ),
        (
            "Nghị quyết số 21-NQ/TW, ngày 16/6/2022 của Ban Chấp hành Trung ương về tăng cường",
            "Ban Chấp hành Trung ương",
        ),
        ("Kết luận số 34-KL/TW, ngày 18/4/2022 của đồng chí Bí thư", None),
        ("Kết luận số 34-KL/TW, ngày 18/4/2022 đã nêu", None),
    ],
)
def test_find_citations_body_boundaries(text, body):
    (found,) = find_citations(text)
    assert found.citation.issuer_body == body
    assert found.start == text.index(found.citation.type_name)


def test_find_citations_skips_non_citations():
    assert (
        find_citations("Có 17/17 chi bộ, số 154-KH/TU và ngày 29/6/2022 không phải trích dẫn.")
        == []
    )


def test_numbered_wards_and_districts_keep_their_number_in_the_issuing_body():
    text = (
        "Thực hiện Kế hoạch số 12-KH/ĐU, ngày 5/3/2023 của Ban Thường vụ Đảng ủy phường 2 và "
        "Kế hoạch số 3-KH/QU, ngày 1/2/2023 của Quận ủy quận 3, chi bộ đã triển khai."
    )
    found = [f.citation.issuer_body for f in find_citations(text)]
    assert found == ["Ban Thường vụ Đảng ủy phường 2", "Quận ủy quận 3"]
