"""Rules of the organization tree checked alike by the services and the importer.

Pure functions returning :class:`~dangbo.core.errors.Violation` rows; these are the
register's own rules, not a numbered regulation, so `regulation` is empty.
"""

from __future__ import annotations

from dangbo.core.errors import Violation
from dangbo.organizations.error_codes import OrganizationErrorCode


def check_code_free(*, code: str, taken: bool) -> list[Violation]:
    """An organization's code names one organization at a time (`taken`: another
    organization's version uses it, case aside, at the same time)."""
    if not taken:
        return []
    return [
        Violation(
            OrganizationErrorCode.MA_TO_CHUC_TRUNG, "", f"mã «{code}» đã được tổ chức khác sử dụng"
        )
    ]
