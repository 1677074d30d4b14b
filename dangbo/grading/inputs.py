"""Reading the values of a grading: numbers, the member entries, the points scale check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from dangbo.core.errors import InvalidInput
from dangbo.grading.error_codes import GradingErrorCode, GradingRule
from dangbo.grading.models import NOT_GRADED, Grade
from dangbo.grading.rules import (
    REASON_FIELDS,
    GradingRuleSet,
    check_grading_dates,
    check_not_graded_reason,
    grade_label,
    grades_for_points,
    points_bands,
)
from dangbo.membership.models import Member

MEMBER_GRADES = (*Grade.values, NOT_GRADED)


def decimal_input(value, *, field: str, label: str, upper: Decimal) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"Trường «{label}» phải là một số.", field=field)
    try:
        d = Decimal(str(value).replace(",", ".")) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise InvalidInput(f"Trường «{label}»: «{value}» không phải là số.", field=field) from None
    if not d.is_finite() or d < 0 or d > upper:
        raise InvalidInput(f"Trường «{label}» phải từ 0 đến {upper}.", field=field)
    exponent = d.as_tuple().exponent  # an int: `d` is finite
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidInput(f"Trường «{label}» chỉ ghi tối đa 2 chữ số thập phân.", field=field)
    return d


def check_dates(year: int, graded_on: date) -> None:
    if not isinstance(year, int):
        raise InvalidInput(f"Năm đánh giá «{year}» không hợp lệ.", field="year")
    for v in check_grading_dates(year=year, graded_on=graded_on):
        field = "year" if v.rule == GradingErrorCode.NAM_DANH_GIA else "graded_on"
        raise InvalidInput(v.sentence(), code=v.rule, field=field)


def check_points(
    rs: GradingRuleSet,
    who: str,
    grade: str,
    points: Decimal | None,
    done: Decimal | None,
    exceeded: Decimal | None,
    disciplined: bool,
    v,
) -> None:
    """On a points scale: points required and the grade must match them."""
    if not rs.uses_points:
        return
    if points is None:
        v(
            GradingRule.DIEM_BAT_BUOC,
            f"{who}: phải ghi điểm đánh giá (thang {rs.points_max} điểm) để xếp loại",
        )
        return
    allowed = grades_for_points(
        rs, points, tasks_done_pct=done, tasks_exceeded_pct=exceeded, disciplined=disciplined
    )
    if grade not in allowed:
        v(
            GradingRule.DIEM_XEP_LOAI,
            f"{who} đạt {_pts(points)} điểm (nhiệm vụ hoàn thành: {_pct(done)}, vượt: {_pct(exceeded)}) "
            f"nên xếp loại «{grade_label(allowed[0])}», không thể xếp «{grade_label(grade)}» "
            f"(thang điểm — {points_bands(rs)})",
        )


def _pts(d: Decimal) -> str:
    return format(d.normalize(), "f").replace(".", ",")


def _pct(d: Decimal | None) -> str:
    return "chưa ghi" if d is None else f"{_pts(d)}%"


@dataclass
class Entry:
    member_id: int
    grade: str
    reason: str = ""
    note: str = ""
    points: Decimal | None = None
    tasks_done_pct: Decimal | None = None
    tasks_exceeded_pct: Decimal | None = None
    tasks_late_pct: Decimal | None = None
    self_reported: bool = False
    auto: bool = False


def parse_entries(grades: list[dict]) -> list[Entry]:
    out: list[Entry] = []
    seen: set[int] = set()
    for i, item in enumerate(grades, start=1):
        member = item.get("member")
        member_id = member.pk if isinstance(member, Member) else member
        if not isinstance(member_id, int):
            raise InvalidInput(f"Dòng {i}: thiếu đảng viên được xếp loại.", field="member")
        if member_id in seen:
            raise InvalidInput(
                f"Dòng {i}: đảng viên #{member_id} có hai kết quả xếp loại.", field="member"
            )
        seen.add(member_id)
        grade = item.get("grade")
        if grade not in MEMBER_GRADES:
            raise InvalidInput(
                f"Dòng {i}: mức xếp loại «{grade}» không hợp lệ (dùng {', '.join(MEMBER_GRADES)}).",
                field="grade",
            )
        reason = item.get("reason") or ""
        note = (item.get("note") or "").strip()
        for v in check_not_graded_reason(grade=grade, reason=reason, note=note):
            raise InvalidInput(
                f"Dòng {i}: {v.message}.", code=v.rule, field=REASON_FIELDS.get(v.rule, "reason")
            )
        entry = Entry(
            member_id=member_id,
            grade=grade,
            reason=reason,
            note=note,
            self_reported=bool(item.get("self_reported")),
        )
        if grade != NOT_GRADED:
            entry.points = decimal_input(
                item.get("points"), field="points", label="điểm", upper=Decimal(100)
            )
            entry.tasks_done_pct = decimal_input(
                item.get("tasks_done_pct"),
                field="tasks_done_pct",
                label="tỷ lệ nhiệm vụ hoàn thành",
                upper=Decimal(100),
            )
            entry.tasks_exceeded_pct = decimal_input(
                item.get("tasks_exceeded_pct"),
                field="tasks_exceeded_pct",
                label="tỷ lệ nhiệm vụ vượt",
                upper=Decimal(100),
            )
            entry.tasks_late_pct = decimal_input(
                item.get("tasks_late_pct"),
                field="tasks_late_pct",
                label="tỷ lệ nhiệm vụ chậm tiến độ",
                upper=Decimal(100),
            )
        out.append(entry)
    return out
