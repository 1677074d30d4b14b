"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class MembershipErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    CHUYEN_SINH_HOAT = "chuyen_sinh_hoat"
    DA_CO = "da_co"
    DA_HUY = "da_huy"
    DA_LA_DANG_VIEN = "da_la_dang_vien"
    DA_XU_LY = "da_xu_ly"
    HO_SO_DA_THAY_DOI = "ho_so_da_thay_doi"
    KET_THUC = "ket_thuc"
    KHONG_DE_NGHI_DUOC = "khong_de_nghi_duoc"
    KHONG_HUY_DUOC = "khong_huy_duoc"
    NGAY_LOP_HOC = "ngay_lop_hoc"
    NGUOI_GIUP_DO = "nguoi_giup_do"
    QUY_TRINH_KET_NAP = "quy_trinh_ket_nap"
    SAI_TRINH_TU = "sai_trinh_tu"


class MembershipRule(StrEnum):
    """Codes of the rules this app checks (stored with waivers; never renamed)."""

    DONG_Y_KET_NAP_LAI = "dong_y_ket_nap_lai"
    KET_NAP_LAI_MOT_LAN = "ket_nap_lai_mot_lan"
    KHONG_KET_NAP_LAI = "khong_ket_nap_lai"
    KY_LUAT_DU_BI = "ky_luat_du_bi"
    MOC_HUY_HIEU = "moc_huy_hieu"
    NGAY_CHINH_THUC = "ngay_chinh_thuc"
    NGAY_LE_KET_NAP = "ngay_le_ket_nap"
    THE_DANG_VIEN = "the_dang_vien"
    THOI_GIAN_KET_NAP_LAI = "thoi_gian_ket_nap_lai"
    THOI_HAN_TAM_THOI = "thoi_han_tam_thoi"
    TUOI_DANG_HUY_HIEU = "tuoi_dang_huy_hieu"
    TUOI_KET_NAP_DUOI_18 = "tuoi_ket_nap_duoi_18"
    TUOI_KET_NAP_TREN_60 = "tuoi_ket_nap_tren_60"
