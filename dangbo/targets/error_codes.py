"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class TargetErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    CHI_TIEU_TINH_TU_DONG = "chi_tieu_tinh_tu_dong"
    CHI_TIEU_TRUNG = "chi_tieu_trung"
    DON_VI_TY_LE = "don_vi_ty_le"
    KHONG_DUOC_SUA = "khong_duoc_sua"
    KY_CHI_TIEU = "ky_chi_tieu"
    KY_DANH_GIA = "ky_danh_gia"
    NGAY_DIEU_CHINH = "ngay_dieu_chinh"
    NGAY_KY_DANH_GIA = "ngay_ky_danh_gia"
