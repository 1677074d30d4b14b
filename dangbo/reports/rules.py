"""Rules of review reports checked alike by the services and the importer.

Pure functions returning :class:`~dangbo.core.errors.Violation` rows; these are the
office's own rules, not a numbered regulation, so `regulation` is empty.
"""

from __future__ import annotations

from datetime import date

from dangbo.core.errors import Violation
from dangbo.reports.error_codes import ReportErrorCode


def check_override(*, key: str, value: object) -> list[Violation]:
    """A figure replaced by hand is a whole number, not negative."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return []
    return [
        Violation(
            ReportErrorCode.SO_LIEU_SUA_TAY, "", f"số liệu «{key}» phải là số nguyên không âm"
        )
    ]


def check_issue_date(*, issued_on: date, period_end: date) -> list[Violation]:
    """A report is issued on or after the last day of the period it reviews."""
    if issued_on >= period_end:
        return []
    return [
        Violation(
            ReportErrorCode.NGAY_BAN_HANH,
            "",
            f"ngày ban hành {issued_on:%d/%m/%Y} trước ngày cuối kỳ báo cáo {period_end:%d/%m/%Y}",
        )
    ]
