"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class InspectionErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    DA_KET_LUAN = "da_ket_luan"
    DA_KY_LUAT = "da_ky_luat"
    NGAY_VI_PHAM = "ngay_vi_pham"
    NGAY_VU_VIEC = "ngay_vu_viec"
    SAI_DOI_TUONG = "sai_doi_tuong"


class InspectionRule(StrEnum):
    """Codes of the rules this app checks (stored with waivers; never renamed)."""

    CAP_TIEN_HANH = "cap_tien_hanh"
    CAP_TREN_DOI_TUONG = "cap_tren_doi_tuong"
    CHI_BO_DANG_VIEN_CUA_MINH = "chi_bo_dang_vien_cua_minh"
    CHI_BO_LOAI_VU_VIEC = "chi_bo_loai_vu_viec"
    #: no longer checked: dissolution is a discipline form of every party organization
    GIAI_TAN_CHI_BO = "giai_tan_chi_bo"
    KET_LUAN_TRUOC_KY_LUAT = "ket_luan_truoc_ky_luat"
    THOI_HIEU_KY_LUAT = "thoi_hieu_ky_luat"
