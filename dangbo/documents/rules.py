"""Rules of the document register checked alike by the services and the importer.

Pure functions returning :class:`~dangbo.core.errors.Violation` rows (codes
``van_ban_trung``, ``ngay_den``, ``lien_ket_van_ban``: the codes of the services'
refusals); these are the register's own
rules, not a numbered regulation, so `regulation` is empty. Documents are named by their
label, «Kế hoạch số 02-KH/ĐU».
"""

from __future__ import annotations

from datetime import date

from dangbo.core.errors import Violation
from dangbo.documents.error_codes import DocumentErrorCode
from dangbo.documents.models import Relation

LINK = DocumentErrorCode.LIEN_KET_VAN_BAN
VERBS = {Relation.IMPLEMENTS: "thực hiện", Relation.REPLACES: "thay thế"}


def check_link_to_itself(*, from_label: str, same: bool) -> list[Violation]:
    """A document is not linked to itself."""
    if not same:
        return []
    return [Violation(LINK, "", f"không thể liên kết «{from_label}» với chính nó")]


def check_link_new(
    *, from_label: str, to_label: str, relation: str, exists: bool
) -> list[Violation]:
    """The same link (same documents, same relation) is recorded once."""
    if not exists:
        return []
    return [
        Violation(
            LINK,
            "",
            f"đã có quan hệ «{Relation(relation).label.lower()}»: «{from_label}» → «{to_label}»",
        )
    ]


def check_link_dates(
    *, from_label: str, to_label: str, relation: str, from_on: date, to_on: date
) -> list[Violation]:
    """A document implements or replaces only one issued on or before it."""
    if relation not in VERBS or from_on >= to_on:
        return []
    return [
        Violation(
            LINK,
            "",
            f"«{from_label}» ban hành ngày {from_on:%d/%m/%Y}, trước «{to_label}» "
            f"(ngày {to_on:%d/%m/%Y}), nên không thể {VERBS[Relation(relation)]} văn bản đó",
        )
    ]


def check_link_cycle(
    *, from_label: str, to_label: str, relation: str, closes_cycle: bool
) -> list[Violation]:
    """Implements and replaces links never close a cycle (`closes_cycle`: `to` already
    reaches `from` through them)."""
    if relation not in VERBS or not closes_cycle:
        return []
    return [
        Violation(
            LINK,
            "",
            f"không thể ghi «{from_label}» {VERBS[Relation(relation)]} «{to_label}»: «{to_label}» "
            f"đã (trực tiếp hoặc qua văn bản khác) thực hiện hoặc thay thế «{from_label}», liên "
            "kết sẽ tạo thành vòng",
        )
    ]


def check_document_new(*, label: str, exists: bool) -> list[Violation]:
    """A document (same issuer, number, type and date) is in the register once (`exists`:
    it already is)."""
    if not exists:
        return []
    return [Violation(DocumentErrorCode.VAN_BAN_TRUNG, "", f"sổ văn bản đã có «{label}»")]


def check_receipt_new(*, label: str, org_name: str, earlier_on: date | None) -> list[Violation]:
    """An organization enters a received document in its register once (`earlier_on`: the
    date it already did)."""
    if earlier_on is None:
        return []
    return [
        Violation(
            DocumentErrorCode.VAN_BAN_TRUNG,
            "",
            f"«{label}» đã có trong sổ văn bản đến của «{org_name}» "
            f"(vào sổ ngày {earlier_on:%d/%m/%Y})",
        )
    ]


def check_received_date(*, received_on: date, issued_on: date) -> list[Violation]:
    """A document is received on or after the day it was issued."""
    if received_on >= issued_on:
        return []
    return [
        Violation(
            DocumentErrorCode.NGAY_DEN,
            "",
            f"ngày đến {received_on:%d/%m/%Y} trước ngày ban hành {issued_on:%d/%m/%Y}",
        )
    ]
