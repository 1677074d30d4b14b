"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class CoreErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    CHI_GHI_THEM = "chi_ghi_them"
    DU_LIEU_KHONG_HOP_LE = "du_lieu_khong_hop_le"
    KHONG_TIM_THAY = "khong_tim_thay"
    LOI_NGHIEP_VU = "loi_nghiep_vu"
    SO_DANG_VIEN = "so_dang_vien"
    TRICH_DAN_VAN_BAN = "trich_dan_van_ban"
    VI_PHAM_QUY_DINH = "vi_pham_quy_dinh"
    XUNG_DOT_GHI = "xung_dot_ghi"
