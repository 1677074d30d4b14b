"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class GradingErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    DA_XEP_LOAI = "da_xep_loai"
    GHI_CHU_LY_DO_KHAC = "ghi_chu_ly_do_khac"
    KHONG_PHAI_CO_SO = "khong_phai_co_so"
    KHONG_TIM_THAY = "khong_tim_thay"
    LY_DO_KHI_CO_XEP_LOAI = "ly_do_khi_co_xep_loai"
    NAM_DANH_GIA = "nam_danh_gia"
    NGAY_DANH_GIA = "ngay_danh_gia"
    THIEU_LY_DO = "thieu_ly_do"


class GradingRule(StrEnum):
    """Codes of the rules this app checks (stored with waivers; never renamed)."""

    CAP_XEP_LOAI = "cap_xep_loai"
    DIEM_BAT_BUOC = "diem_bat_buoc"
    DIEM_XEP_LOAI = "diem_xep_loai"
    KHONG_XEP_LOAI_MIEN = "khong_xep_loai_mien"
    KHONG_XEP_LOAI_MOI_KET_NAP = "khong_xep_loai_moi_ket_nap"
    KY_LUAT_TRONG_NAM = "ky_luat_trong_nam"
    LY_DO_KHONG_XEP_LOAI = "ly_do_khong_xep_loai"
    TAP_THE_KHONG_HOAN_THANH = "tap_the_khong_hoan_thanh"
    TIEN_DO_NHIEM_VU = "tien_do_nhiem_vu"
    TIEU_BIEU_CHI_XUAT_SAC = "tieu_bieu_chi_xuat_sac"
    TO_CHUC_MOI_THANH_LAP = "to_chuc_moi_thanh_lap"
    TY_LE_XUAT_SAC = "ty_le_xuat_sac"
    XUAT_SAC_KY_LUAT = "xuat_sac_ky_luat"
