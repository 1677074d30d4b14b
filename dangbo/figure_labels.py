"""Vietnamese labels of the canonical figure keys (REPORTS §1–2), for tables and reports."""

from datetime import date


def not_available(opened: date) -> str:
    """The words in place of the membership figures of a period starting before the
    organization's opening date (nhập sổ): "Chưa có số liệu trước ngày nhập sổ 01/01/2024"."""
    return f"Chưa có số liệu trước ngày nhập sổ {opened:%d/%m/%Y}"


LABELS: dict[str, str] = {
    "members": "Tổng số đảng viên",
    "official": "Đảng viên chính thức",
    "probationary": "Đảng viên dự bị",
    "women": "Đảng viên nữ",
    "exempt": "Đảng viên được miễn sinh hoạt",
    "admitted": "Kết nạp mới",
    "readmitted": "Kết nạp lại",
    "recognized_official": "Công nhận đảng viên chính thức",
    "transferred_in": "Tiếp nhận sinh hoạt đảng chính thức (chuyển đến)",
    "transferred_out": "Chuyển sinh hoạt đảng chính thức đi",
    "transferred_internal": "Chuyển sinh hoạt nội bộ",
    "temporary_in": "Tiếp nhận sinh hoạt tạm thời",
    "temporary_out": "Chuyển sinh hoạt tạm thời đi",
    "reorganized_in": "Nhận do sắp xếp tổ chức",
    "reorganized_out": "Chuyển đi do sắp xếp tổ chức",
    "died": "Từ trần",
    "removed": "Xóa tên (kể cả dự bị không đủ tư cách)",
    "expelled": "Khai trừ",
    "left": "Xin ra khỏi Đảng",
    "cards_issued": "Phát thẻ đảng viên",
    "badges_awarded": "Trao tặng Huy hiệu Đảng",
    "badges_posthumous": "trong đó truy tặng",
    "candidates_trained": "Quần chúng học lớp nhận thức về Đảng",
    "candidates_verified": "Hoàn thành thẩm tra lý lịch",
    "dossiers_completed": "Hoàn thiện hồ sơ kết nạp",
    "disciplined_total": "Đảng viên bị kỷ luật",
    "exemptions_granted": "Miễn công tác và sinh hoạt đảng",
}

DISCIPLINE_LABELS = {
    "khien_trach": "Khiển trách",
    "canh_cao": "Cảnh cáo",
    "cach_chuc": "Cách chức",
    "khai_tru": "Khai trừ",
}

BREAKDOWN_LABELS = {
    "gender": "Giới tính",
    "age": "Độ tuổi",
    "party_age": "Tuổi Đảng",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "education": "Giáo dục phổ thông",
    "qualification": "Chuyên môn nghiệp vụ",
    "theory": "Lý luận chính trị",
    "occupation": "Nghề nghiệp",
}

VALUE_LABELS = {
    "gender": {"nam": "Nam", "nu": "Nữ"},
    "theory": {
        "khong": "Chưa qua đào tạo",
        "so_cap": "Sơ cấp",
        "trung_cap": "Trung cấp",
        "cao_cap": "Cao cấp",
        "cu_nhan": "Cử nhân",
    },
    "occupation": {
        "can_bo_cong_chuc": "Cán bộ, công chức",
        "vien_chuc": "Viên chức",
        "luc_luong_vu_trang": "Lực lượng vũ trang",
        "cong_nhan": "Công nhân",
        "nong_dan": "Nông dân",
        "kinh_doanh": "Kinh doanh, lao động tự do",
        "huu_tri": "Hưu trí",
        "hoc_sinh_sinh_vien": "Học sinh, sinh viên",
        "khac": "Khác",
    },
}


def value_label(dimension: str, value: str) -> str:
    return VALUE_LABELS.get(dimension, {}).get(value, value)
