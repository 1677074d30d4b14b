"""Rules of meetings checked alike by the services and the importer.

Pure functions returning :class:`~dangbo.core.errors.Violation` rows; these rules come
from the office's own working rules, not a numbered regulation, so `regulation` is empty.
"""

from __future__ import annotations

from datetime import date

from dangbo.core.errors import Violation
from dangbo.meetings.error_codes import MeetingErrorCode
from dangbo.meetings.models import MeetingKind, TaskStatus
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


def check_meeting_counts(
    *, kind: str, expected: int | None, present: int | None, speakers: int | None
) -> list[Violation]:
    """No more present than expected to attend; at a cell meeting no more speakers than
    present. A count not given is not checked."""
    out: list[Violation] = []
    if present is not None and expected is not None and present > expected:
        out.append(
            Violation(
                MeetingErrorCode.SO_CO_MAT,
                "",
                f"trường «số có mặt» ({present}) lớn hơn «số đảng viên phải dự» ({expected})",
            )
        )
    if (
        kind == MeetingKind.CELL
        and speakers is not None
        and present is not None
        and speakers > present
    ):
        out.append(
            Violation(
                MeetingErrorCode.SO_PHAT_BIEU,
                "",
                f"trường «số đảng viên phát biểu» ({speakers}) lớn hơn «số có mặt» ({present})",
            )
        )
    return out


def check_deadline(*, deadline: date | None, held_on: date) -> list[Violation]:
    """A task's deadline is not before the meeting that set it."""
    if deadline is None or deadline >= held_on:
        return []
    return [
        Violation(
            MeetingErrorCode.THOI_HAN,
            "",
            f"trường «thời hạn» ({date_numeric(deadline)}) trước ngày hội nghị "
            f"({date_numeric(held_on)})",
        )
    ]


def check_task_change(*, reviewed_on: date | None) -> list[Violation]:
    """A task already reviewed at a later meeting keeps what it was given as (text, owner,
    deadline) and is not removed: the review speaks of it."""
    if reviewed_on is None:
        return []
    return [
        Violation(
            MeetingErrorCode.NHIEM_VU_DA_DANH_GIA,
            "",
            f"nhiệm vụ đã được đánh giá tại hội nghị ngày {date_numeric(reviewed_on)}; không sửa "
            "hoặc xóa nhiệm vụ đã đánh giá",
        )
    ]
