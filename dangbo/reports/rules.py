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


def check_issue_date(
    *, issued_on: date, period_end: date, today: date | None = None
) -> list[Violation]:
    """A report is issued on or after the last day of the period it reviews.

    With `today`, also: the period has ended (its last day is not after today) and the
    issue date is not in the future.
    """
    out = []
    if today is not None and period_end > today:
        out.append(
            Violation(
                ReportErrorCode.KY_CHUA_KET_THUC,
                "",
                f"kỳ báo cáo chưa kết thúc: ngày cuối kỳ {period_end:%d/%m/%Y} "
                f"sau ngày hôm nay {today:%d/%m/%Y}",
            )
        )
    if today is not None and issued_on > today:
        out.append(
            Violation(
                ReportErrorCode.NGAY_BAN_HANH_TUONG_LAI,
                "",
                f"ngày ban hành {issued_on:%d/%m/%Y} sau ngày hôm nay {today:%d/%m/%Y}",
            )
        )
    if issued_on < period_end:
        out.append(
            Violation(
                ReportErrorCode.NGAY_BAN_HANH,
                "",
                f"ngày ban hành {issued_on:%d/%m/%Y} trước ngày cuối kỳ báo cáo "
                f"{period_end:%d/%m/%Y}",
            )
        )
    return out


def check_reissue(*, existing: str | None, reason: str) -> list[Violation]:
    """A period already covered by an issued report is issued again only with a reason.

    `existing` names the report already issued for the same organization, kind and period
    ("số 01-BC/ĐU", "ở dòng 12"); None when there is none.
    """
    if existing is None or reason.strip():
        return []
    return [
        Violation(
            ReportErrorCode.DA_CO_BAO_CAO,
            "",
            f"tổ chức đã có báo cáo {existing} cùng loại, cùng kỳ đã ban hành; muốn ban hành "
            "lại phải ghi rõ lý do",
        )
    ]
