"""Stable codes of the errors of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class DuesErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    KHONG_SINH_HOAT = "dang_phi_khong_sinh_hoat"
    DUOC_MIEN = "dang_phi_duoc_mien"
    SO_TIEN = "dang_phi_so_tien"
    DA_HUY = "dang_phi_da_huy"
    THIEU_CAN_CU = "dang_phi_thieu_can_cu"
    SAI_CHI_BO = "dang_phi_sai_chi_bo"
