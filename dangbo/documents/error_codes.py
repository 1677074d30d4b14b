"""Stable codes of the errors and rules of this app; interfaces map them to messages."""

from __future__ import annotations

from enum import StrEnum


class DocumentErrorCode(StrEnum):
    """Codes of the domain errors this app raises."""

    LIEN_KET_VAN_BAN = "lien_ket_van_ban"
    NGAY_DEN = "ngay_den"
    VAN_BAN_TRUNG = "van_ban_trung"
    TEP_BAN_KY = "tep_ban_ky"
