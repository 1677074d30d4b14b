"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class ReportErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    DA_BAN_HANH = "da_ban_hanh"
    NGAY_BAN_HANH = "ngay_ban_hanh"
    NGAY_BAN_HANH_TUONG_LAI = "ngay_ban_hanh_tuong_lai"
    KY_CHUA_KET_THUC = "ky_chua_ket_thuc"
    DA_CO_BAO_CAO = "da_co_bao_cao"
    SO_LIEU_SUA_TAY = "so_lieu_sua_tay"
    LOI_CHUYEN_PDF = "loi_chuyen_pdf"
    CHI_GHI_THEM = "chi_ghi_them"
