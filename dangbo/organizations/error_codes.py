"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class OrganizationErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    CON_DANG_VIEN = "con_dang_vien"
    CON_TO_CHUC_TRUC_THUOC = "con_to_chuc_truc_thuoc"
    MA_TO_CHUC_TRUNG = "ma_to_chuc_trung"
    THAY_DOI_LUI_NGAY = "thay_doi_lui_ngay"
    TO_CHUC_DA_CHAM_DUT = "to_chuc_da_cham_dut"
