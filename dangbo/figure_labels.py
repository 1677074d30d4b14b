"""Vietnamese labels of the canonical figure keys (REPORTS §1–2), for tables and reports."""

from datetime import date


def not_available(opened: date) -> str:
    """The words in place of the membership figures of a period starting before the
    organization's opening date (nhập sổ): "Chưa có số liệu trước ngày nhập sổ 01/01/2024"."""
    return f"Chưa có số liệu trước ngày nhập sổ {opened:%d/%m/%Y}"


def breakdowns_caption(end: date, as_of: date | None = None) -> str:
    """The heading of the breakdowns of the stock on `end`: "Cơ cấu đảng viên ngày 30/06/2024",
    or "… tính đến ngày 31/12/2023" when they come from an earlier snapshot (`as_of`)."""
    if as_of is None or as_of == end:
        return f"Cơ cấu đảng viên ngày {end:%d/%m/%Y}"
    return f"Cơ cấu đảng viên tính đến ngày {as_of:%d/%m/%Y}"


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
    # congresses of the units below (DOMAIN §4), counted as congresses, not organizations
    # party dues (DOMAIN §8), amounts in đồng
    "dues_due": "Đảng phí phải thu (đồng)",
    "dues_paid": "Đảng phí đã thu (đồng)",
    "dues_arrears": "Đảng phí còn nợ (đồng)",
    "dues_exempt_members": "Đảng viên được miễn đóng đảng phí",
    "dues_member_months": "Số tháng-đảng viên phải đóng đảng phí",
    "dues_collected_pct": "Tỷ lệ thu đảng phí (%)",
    "congresses_due": "Số đại hội đến kỳ của các tổ chức đảng trực thuộc",
    "congresses_held": "Số đại hội đã tổ chức",
    "congresses_held_pct": "Tỷ lệ đại hội đã tổ chức (%)",
    "congresses_approved": "Số đại hội đã được chuẩn y kết quả bầu cử",
    "base_orgs_congresses_due": "Tổ chức cơ sở đảng đến kỳ đại hội",
    "base_orgs_congresses_held": "Tổ chức cơ sở đảng đã tổ chức đại hội",
    "base_orgs_congresses_held_pct": "Tỷ lệ tổ chức cơ sở đảng đã tổ chức đại hội (%)",
    "cells_congresses_due": "Chi bộ đến kỳ đại hội",
    "cells_congresses_held": "Chi bộ đã tổ chức đại hội",
    "cells_congresses_held_pct": "Tỷ lệ chi bộ đã tổ chức đại hội (%)",
    "cells_congresses_approved": "Chi bộ đã được chuẩn y kết quả bầu cử",
    "other_orgs_congresses_due": "Tổ chức đảng khác (đảng bộ cấp xã, bộ phận) đến kỳ đại hội",
    "other_orgs_congresses_held": "Tổ chức đảng khác (đảng bộ cấp xã, bộ phận) đã đại hội",
    "congresses_by_term": "Đại hội theo nhiệm kỳ",
    "congresses_by_round": "Đại hội theo năm (đợt đại hội)",
    "elected_in_one_round": "Đại hội bầu đủ số lượng ngay lần đầu",
    "elected_in_one_round_pct": "Tỷ lệ đại hội bầu đủ ngay lần đầu (%)",
    "secretaries_elected": "Bí thư được bầu",
    "secretaries_appointed": "Bí thư chi bộ do cấp trên chỉ định",
    "secretaries_women": "Bí thư nữ",
    "secretaries_women_pct": "Tỷ lệ bí thư nữ (%)",
    "secretaries_reelected": "Bí thư tái cử",
    "secretaries_reelected_pct": "Tỷ lệ bí thư tái cử (%)",
    "secretaries_new": "Bí thư mới",
    "secretaries_new_pct": "Tỷ lệ bí thư mới (%)",
    "committee_elected": "Cấp ủy viên được bầu",
    "committee_women": "Cấp ủy viên nữ",
    "committee_women_pct": "Tỷ lệ cấp ủy viên nữ (%)",
    "committee_reelected": "Cấp ủy viên tái cử",
    "committee_reelected_pct": "Tỷ lệ cấp ủy viên tái cử (%)",
    "committee_first_time": "Cấp ủy viên tham gia lần đầu",
    "committee_first_time_pct": "Tỷ lệ cấp ủy viên tham gia lần đầu (%)",
    # the organization's own congress, apart from its units'
    "own_congresses_held": "Đại hội của chính tổ chức trong kỳ",
    "own_congress_number": "Đại hội lần thứ",
    "own_congress_term": "Nhiệm kỳ",
    "own_congress_kind": "Hình thức đại hội",
    "own_congress_starts_on": "Ngày khai mạc",
    "own_congress_ends_on": "Ngày bế mạc",
    "own_congress_delegates": "Số đại biểu (đảng viên) được triệu tập",
    "own_congress_present": "Số đại biểu (đảng viên) có mặt",
    "own_congress_approved_on": "Ngày chuẩn y kết quả bầu cử",
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
