"""Rules of review reports checked alike by the services and the importer.

Pure functions returning :class:`~dangbo.core.errors.Violation` rows; these are the
office's own rules, not a numbered regulation, so `regulation` is empty.
"""

from __future__ import annotations

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
