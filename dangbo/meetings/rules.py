"""Rules of meetings checked alike by the services and the importer.

Pure functions returning :class:`~dangbo.core.errors.Violation` rows; these rules come
from the office's own working rules, not a numbered regulation, so `regulation` is empty.
"""

from __future__ import annotations

from datetime import date

from dangbo.core.errors import Violation
from dangbo.meetings.error_codes import MeetingErrorCode
from dangbo.meetings.models import TaskStatus
from dangbo.vn_format import date_numeric


def check_task_review(
    *,
    same_org: bool,
    given_on: date,
    held_on: date,
    closed: tuple[str, date] | None,
    last_review_on: date | None,
) -> list[Violation]:
    """A task given at a meeting on `given_on` is reviewed at a later meeting (`held_on`) of
    the same organization, after its last review, and not once it is closed.

    `closed` is the task's (status, closing date) when it is done or dropped. Only the first
    broken rule is returned, in the order the services check them.
    """
    if not same_org:
        return [
            Violation(
                MeetingErrorCode.SAI_TO_CHUC,
                "",
                "nhiệm vụ được đánh giá tại hội nghị của chính tổ chức đã giao nhiệm vụ",
            )
        ]
    if held_on <= given_on:
        return [
            Violation(
                MeetingErrorCode.DANH_GIA_TRUOC_KHI_GIAO,
                "",
                f"hội nghị ngày {date_numeric(held_on)} không họp sau hội nghị giao nhiệm vụ "
                f"(ngày {date_numeric(given_on)}); kết quả thực hiện được đánh giá tại hội nghị "
                "sau",
            )
        ]
    if closed is not None:
        status, on = closed
        return [
            Violation(
                MeetingErrorCode.NHIEM_VU_DA_DONG,
                "",
                f"nhiệm vụ đã {TaskStatus(status).label.lower()} (đánh giá tại hội nghị "
                f"ngày {date_numeric(on)}); không đánh giá lại",
            )
        ]
    if last_review_on is not None and held_on <= last_review_on:
        return [
            Violation(
                MeetingErrorCode.DANH_GIA_KHONG_THEO_THU_TU,
                "",
                f"nhiệm vụ đã được đánh giá tại hội nghị ngày {date_numeric(last_review_on)}; lần "
                "đánh giá tiếp theo phải tại một hội nghị họp sau đó",
            )
        ]
    return []
