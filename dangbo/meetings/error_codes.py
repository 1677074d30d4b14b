"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class MeetingErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    DANH_GIA_KHONG_THEO_THU_TU = "danh_gia_khong_theo_thu_tu"
    DANH_GIA_TRUOC_KHI_GIAO = "danh_gia_truoc_khi_giao"
    NHIEM_VU_DA_DANH_GIA = "nhiem_vu_da_danh_gia"
    NHIEM_VU_DA_DONG = "nhiem_vu_da_dong"
    SAI_TO_CHUC = "sai_to_chuc"
    SO_CO_MAT = "so_co_mat"
    SO_PHAT_BIEU = "so_phat_bieu"
    THOI_HAN = "thoi_han"
    TRUNG_SINH_HOAT_CHI_BO = "trung_sinh_hoat_chi_bo"
    TRUNG_SO_HOI_NGHI = "trung_so_hoi_nghi"
