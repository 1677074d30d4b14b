"""The party work's tables (targets, inspection topics, documents, guests, presentations,
tasks) and the draws of dates and values it makes from them."""

from __future__ import annotations

import random
from datetime import date, timedelta

FIRST_YEAR = 2023

# (category, name, unit, direction, planned range, decimals of the actual, computed_from)
TERM_TARGETS = (
    (
        "xay_dung_dang",
        "Kết nạp đảng viên mới trong nhiệm kỳ",
        "đảng viên",
        "at_least",
        (12, 30),
        0,
        "admitted",
    ),
    (
        "xay_dung_dang",
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên hằng năm",
        "%",
        "at_least",
        (80, 90),
        1,
        "base_orgs_good_or_better",
    ),
    (
        "xay_dung_dang",
        "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên",
        "%",
        "at_least",
        (85, 92),
        1,
        "",
    ),
    (
        "kinh_te_xa_hoi",
        "Tốc độ tăng thu ngân sách trên địa bàn bình quân hằng năm",
        "%",
        "at_least",
        (8, 12),
        1,
        "",
    ),
    (
        "kinh_te_xa_hoi",
        "Tỷ lệ hộ gia đình đạt danh hiệu gia đình văn hóa",
        "%",
        "at_least",
        (90, 95),
        1,
        "",
    ),
    ("kinh_te_xa_hoi", "Tỷ lệ hộ nghèo cuối nhiệm kỳ", "%", "at_most", (1, 2), 2, ""),
    (
        "kinh_te_xa_hoi",
        "Tỷ lệ tổ dân phố đạt chuẩn văn minh đô thị",
        "%",
        "at_least",
        (70, 85),
        1,
        "",
    ),
    ("kinh_te_xa_hoi", "Tỷ lệ người dân tham gia bảo hiểm y tế", "%", "at_least", (93, 96), 1, ""),
    (
        "quoc_phong_an_ninh",
        "Hoàn thành chỉ tiêu giao quân hằng năm",
        "%",
        "reach",
        (100, 100),
        0,
        "",
    ),
    (
        "quoc_phong_an_ninh",
        "Tỷ lệ khu dân cư đạt tiêu chuẩn an toàn về an ninh, trật tự",
        "%",
        "at_least",
        (85, 95),
        1,
        "",
    ),
)
YEAR_TARGETS = (
    ("xay_dung_dang", "Kết nạp đảng viên mới", "đảng viên", "at_least", (3, 8), 0, "admitted"),
    (
        "xay_dung_dang",
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
        "%",
        "at_least",
        (80, 90),
        1,
        "base_orgs_good_or_better",
    ),
    (
        "xay_dung_dang",
        "Tỷ lệ đảng viên sinh hoạt chi bộ thường kỳ đầy đủ",
        "%",
        "at_least",
        (90, 95),
        1,
        "",
    ),
    (
        "kinh_te_xa_hoi",
        "Thu ngân sách trên địa bàn so với dự toán được giao",
        "%",
        "at_least",
        (100, 110),
        1,
        "",
    ),
    ("kinh_te_xa_hoi", "Tỷ lệ hộ gia đình văn hóa", "%", "at_least", (90, 95), 1, ""),
    ("kinh_te_xa_hoi", "Số hộ nghèo", "hộ", "at_most", (3, 12), 0, ""),
    (
        "kinh_te_xa_hoi",
        "Tỷ lệ thu gom, xử lý rác thải sinh hoạt",
        "%",
        "at_least",
        (98, 100),
        1,
        "",
    ),
    ("quoc_phong_an_ninh", "Tuyển quân", "thanh niên", "reach", (4, 10), 0, ""),
    (
        "quoc_phong_an_ninh",
        "Tỷ lệ vụ phạm pháp hình sự được điều tra, làm rõ",
        "%",
        "at_least",
        (75, 85),
        1,
        "",
    ),
)

CASE_TOPICS_ORG = (
    (
        "giam_sat_thuong_xuyen",
        "Giám sát việc thực hiện nguyên tắc tập trung dân chủ và chế độ sinh hoạt chi bộ",
    ),
    (
        "giam_sat_chuyen_de",
        "Giám sát chuyên đề việc lãnh đạo thực hiện nhiệm vụ chính trị năm {year}",
    ),
    ("kiem_tra_chuyen_de", "Kiểm tra việc thu, nộp, quản lý và sử dụng đảng phí năm {year}"),
    ("kiem_tra_chuyen_de", "Kiểm tra việc quản lý đảng viên và hồ sơ đảng viên"),
)
CASE_TOPICS_MEMBER = (
    (
        "giam_sat_thuong_xuyen",
        "Giám sát việc thực hiện nhiệm vụ đảng viên và giữ mối liên hệ với nơi cư trú",
    ),
    ("giam_sat_chuyen_de", "Giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống của đảng viên"),
    (
        "kiem_tra_dau_hieu",
        "Kiểm tra đảng viên khi có dấu hiệu vi phạm trong việc chấp hành quy định về "
        "những điều đảng viên không được làm",
    ),
)

CENTRAL = (
    (
        "KL",
        "Bộ Chính trị",
        "Kết luận của Bộ Chính trị về tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XII "
        "về tăng cường xây dựng, chỉnh đốn Đảng",
    ),
    (
        "CT",
        "Ban Bí thư",
        "Chỉ thị của Ban Bí thư về tăng cường công tác phát triển đảng viên trong tình hình mới",
    ),
    (
        "KL",
        "Bộ Chính trị",
        "Kết luận của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, "
        "phong cách Hồ Chí Minh",
    ),
    ("HD", "Ban Tổ chức Trung ương", "Hướng dẫn một số vấn đề cụ thể về công tác đảng viên"),
)
CITY = (
    ("KH", "Kế hoạch thực hiện {of}"),
    ("KH", "Kế hoạch tổ chức sơ kết, tổng kết năm {year} và triển khai nhiệm vụ năm {next}"),
    ("HD", "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm {year}"),
    ("NQ", "Nghị quyết về phát triển kinh tế – xã hội, bảo đảm quốc phòng – an ninh năm {next}"),
    ("CT", "Chỉ thị về lãnh đạo công tác tuyển chọn, gọi công dân nhập ngũ năm {next}"),
    ("KH", "Kế hoạch kiểm tra, giám sát của Ban Thường vụ Thành ủy năm {year}"),
    ("KH", "Kế hoạch tổ chức các hoạt động kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam"),
)

GUESTS_CITY = (
    ("Nguyễn Thị Thanh Hương", ["Ủy viên Ban Thường vụ Thành ủy", "Trưởng Ban Tổ chức Thành ủy"]),
    ("Trần Văn Khải", ["Thành ủy viên", "Phó Trưởng Ban Tuyên giáo và Dân vận Thành ủy"]),
    ("Lê Minh Đức", ["Ủy viên Ban Thường vụ Thành ủy", "Chủ nhiệm Ủy ban Kiểm tra Thành ủy"]),
)
GUESTS_DISTRICT = (
    ("Phạm Quang Vinh", ["Ủy viên Ban Thường vụ Quận ủy", "Trưởng Ban Tổ chức Quận ủy"]),
    ("Đỗ Thị Lan Anh", ["Quận ủy viên", "Phó Chủ tịch Ủy ban nhân dân quận"]),
)
PRESENTATIONS = (
    "Kinh nghiệm nâng cao chất lượng sinh hoạt chi bộ tổ dân phố",
    "Công tác phát triển đảng viên trong thanh niên, học sinh, sinh viên",
    "Kết quả xây dựng khu dân cư văn minh đô thị, an toàn về an ninh, trật tự",
    "Công tác vận động nhân dân tham gia chỉnh trang đô thị, giữ gìn vệ sinh môi trường",
    "Thực hiện chuyển đổi số trong quản lý đảng viên và văn bản của Đảng bộ",
)
TASKS = (
    ("Hoàn thành kết nạp đảng viên theo chỉ tiêu năm", "Ban Tổ chức Đảng ủy"),
    ("Đôn đốc thu ngân sách, phấn đấu vượt dự toán được giao", "Ủy ban nhân dân phường"),
    ("Rà soát, bổ sung hồ sơ đảng viên và cập nhật cơ sở dữ liệu đảng viên", "Văn phòng Đảng ủy"),
    ("Triển khai kế hoạch kiểm tra, giám sát của Đảng ủy", "Ủy ban Kiểm tra Đảng ủy"),
    ("Tổ chức đối thoại với nhân dân về công tác chỉnh trang đô thị", "Ủy ban nhân dân phường"),
    ("Chỉ đạo các chi bộ tổ chức sinh hoạt chuyên đề theo hướng dẫn", "Các chi bộ trực thuộc"),
)


def pick_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def draw_value(rng: random.Random, low: int, high: int, places: int) -> str:
    if places == 0:
        return str(rng.randint(low, high))
    return f"{rng.uniform(low, high):.{places}f}"


def draw_actual(rng: random.Random, planned: str, direction: str, places: int, unit: str) -> str:
    """An actual near the plan: mostly achieved, sometimes exceeded, now and then missed."""
    p = float(planned)
    r = rng.random()
    if direction == "at_most":
        f = rng.uniform(0.6, 0.98) if r < 0.85 else rng.uniform(1.02, 1.2)
    else:
        f = rng.uniform(1.0, 1.08) if r < 0.8 else rng.uniform(0.9, 0.99)
        if direction == "reach" and r < 0.8:
            f = 1.0
    value = p * f
    if unit == "%":
        value = min(value, 100.0)
    return str(round(value)) if places == 0 else f"{value:.{places}f}"
