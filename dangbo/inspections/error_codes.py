"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class InspectionErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    DA_KET_LUAN = "da_ket_luan"
    DA_KY_LUAT = "da_ky_luat"
    NGAY_VU_VIEC = "ngay_vu_viec"
    SAI_DOI_TUONG = "sai_doi_tuong"


class InspectionRule(StrEnum):
    """Codes of the rules this app checks (stored with waivers; never renamed)."""

    CAP_TIEN_HANH = "cap_tien_hanh"
    CAP_TREN_DOI_TUONG = "cap_tren_doi_tuong"
    GIAI_TAN_CHI_BO = "giai_tan_chi_bo"
    KET_LUAN_TRUOC_KY_LUAT = "ket_luan_truoc_ky_luat"
