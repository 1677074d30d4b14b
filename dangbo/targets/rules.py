"""The status rule of a target evaluation: % of plan and vượt / đạt / chưa đạt.

The actual value is an exact fraction ``actual / per`` (``per`` is 1 for an entered
value; a computed percentage part/whole is passed as ``part × 100`` over ``whole``), so
nothing is rounded before the comparison. The status compares the exact values; only the
printed percentage is rounded, by :func:`dangbo.vn_format.percent_of_plan` (half up, one
decimal unless exact: a plan missed by a hair prints "100,0%", never "100%").

=========  ======================  ====================  =====================  ====================
direction  vượt (exceeded)         đạt (achieved)        chưa đạt               % of plan
=========  ======================  ====================  =====================  ====================
at_least   actual > planned        actual = planned      actual < planned       actual / planned
at_most    actual < planned        actual = planned      actual > planned       planned / actual
reach      never                   actual ≥ planned      actual < planned       actual / planned
=========  ======================  ====================  =====================  ====================

* **at_least** (tối thiểu, "đạt trở lên"): more is better; beating the plan is vượt.
* **at_most** (không vượt quá, e.g. poverty rate ≤ 1%): less is better; staying under the
  ceiling is vượt, landing on it đạt. The percentage is inverted (planned / actual) so it
  reads the same way in every direction: 100% = on plan, above 100% = better than plan
  (0,8% against ≤ 1% prints "125%").
* **reach** (đạt mốc, e.g. "100% trường đạt chuẩn"): a milestone is reached or not; going
  past it is đạt, never vượt.
* The percentage is "—" (``NOT_AVAILABLE``) when there is no positive plan to measure
  against (planned ≤ 0), and for at_most when the actual is ≤ 0 (nothing to divide by);
  the status is still decided by the comparison (at_most 0 against ≤ 1 is vượt).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dangbo import vn_format as vf
from dangbo.core.errors import Violation
from dangbo.core.numbers import percentage
from dangbo.targets.error_codes import TargetErrorCode
from dangbo.targets.models import (
    PERCENT_FIGURES,
    PERCENT_UNIT,
    TERM_REVIEWS,
    YEAR_REVIEWS,
    Direction,
    Figure,
    ReviewKind,
    SourceKind,
    Status,
)


@dataclass(frozen=True)
class Assessment:
    status: str  # Status value: vuot / dat / chua_dat
    percent: str  # "790,2%", "100%", or "—"


def _cmp(a: Decimal, b: Decimal) -> int:
    return (a > b) - (a < b)


def status_of(direction: str, planned: Decimal, actual: Decimal, per: int | Decimal = 1) -> str:
    """vuot / dat / chua_dat of the exact actual value ``actual / per`` (per > 0) against `planned`."""
    per = Decimal(per)
    if per <= 0:
        raise ValueError("per must be positive")
    c = _cmp(Decimal(actual), Decimal(planned) * per)
    if direction == Direction.AT_LEAST:
        return {1: Status.EXCEEDED, 0: Status.ACHIEVED, -1: Status.NOT_ACHIEVED}[c].value
    if direction == Direction.AT_MOST:
        return {-1: Status.EXCEEDED, 0: Status.ACHIEVED, 1: Status.NOT_ACHIEVED}[c].value
    if direction == Direction.REACH:
        return (Status.ACHIEVED if c >= 0 else Status.NOT_ACHIEVED).value
    raise ValueError(f"unknown direction {direction!r}")


def plan_percentage(
    direction: str, planned: Decimal, actual: Decimal, per: int | Decimal = 1
) -> Decimal | None:
    """The % of plan (see the module table) as a percentage figure
    (:func:`dangbo.core.numbers.percentage`); None when it is not defined."""
    planned, actual, per = Decimal(planned), Decimal(actual), Decimal(per)
    if planned <= 0:
        return None
    if direction == Direction.AT_MOST:
        if actual <= 0:
            return None
        return percentage(planned * per, actual)
    return percentage(actual, planned * per)


def percent_of_plan(
    direction: str, planned: Decimal, actual: Decimal, per: int | Decimal = 1
) -> str:
    """The printed % of plan (see the module table); "—" when it is not defined."""
    return vf.percentage_text(plan_percentage(direction, planned, actual, per))


def assess(direction: str, planned: Decimal, actual: Decimal, per: int | Decimal = 1) -> Assessment:
    return Assessment(
        status_of(direction, planned, actual, per), percent_of_plan(direction, planned, actual, per)
    )


def format_value(value: Decimal) -> str:
    """A planned or entered value as printed: decimal comma, thousands dot, no trailing
    zeros ("41", "1,5", "18.700.000")."""
    return vf.number(Decimal(value).normalize())


def format_ratio_percent(part: int, whole: int) -> str:
    """A computed percentage as printed in a column whose unit is "%": part/whole by the
    percentage rule of :func:`dangbo.vn_format.percent` without the sign ("95,5", "100")."""
    return vf.percent(part, whole).removesuffix("%")


def check_target_new(*, org_name: str, name: str, exists: bool) -> list[Violation]:
    """An organization adopts one target of a name per period (`exists`: it already has one);
    a change is a revision with its decision."""
    if not exists:
        return []
    return [
        Violation(
            TargetErrorCode.CHI_TIEU_TRUNG,
            "",
            f"«{org_name}» đã có chỉ tiêu «{name}» trong cùng kỳ; muốn thay đổi hãy ghi "
            "điều chỉnh kèm quyết định",
        )
    ]


def check_target_period(*, source_kind: str, has_term: bool, year: int | None) -> list[Violation]:
    """A target of a congress resolution is a term target (a term, no year); a target of a
    yearly work programme is a year target (a year from 1930, no term). The violation's
    field is ``term`` for the first, ``year`` for the second (:data:`PERIOD_FIELD`)."""
    if source_kind == SourceKind.CONGRESS_RESOLUTION:
        if not has_term or year is not None:
            message = (
                "chỉ tiêu của Nghị quyết Đại hội là chỉ tiêu nhiệm kỳ: trường «nhiệm kỳ» "
                "là bắt buộc và không ghi «năm»"
            )
            return [Violation(TargetErrorCode.KY_CHI_TIEU, "", message)]
        return []
    if year is None or has_term:
        message = (
            "chỉ tiêu của chương trình công tác năm là chỉ tiêu năm: trường «năm» "
            "là bắt buộc và không ghi «nhiệm kỳ»"
        )
        return [Violation(TargetErrorCode.KY_CHI_TIEU, "", message)]
    if not isinstance(year, int) or isinstance(year, bool) or not 1930 <= year <= 9998:
        return [Violation(TargetErrorCode.KY_CHI_TIEU, "", f"trường «năm»: «{year}» không hợp lệ")]
    return []


def period_field(source_kind: str) -> str:
    """The field a :func:`check_target_period` violation is about."""
    return "term" if source_kind == SourceKind.CONGRESS_RESOLUTION else "year"


def check_percent_unit(*, figure: str, unit: str) -> list[Violation]:
    """A target computed from a percentage figure has the unit «%»."""
    if figure not in PERCENT_FIGURES or unit == PERCENT_UNIT:
        return []
    return [
        Violation(
            TargetErrorCode.DON_VI_TY_LE,
            "",
            f"chỉ tiêu tính từ số liệu «{Figure(figure).label}» là một tỷ lệ: trường "
            f"«đơn vị tính» phải là «{PERCENT_UNIT}»",
        )
    ]


def check_revision_date(*, effective_on: date, adopted_on: date) -> list[Violation]:
    """A revision takes effect on or after the target's adoption."""
    if effective_on >= adopted_on:
        return []
    return [
        Violation(
            TargetErrorCode.NGAY_DIEU_CHINH,
            "",
            f"ngày hiệu lực {effective_on:%d/%m/%Y} trước ngày thông qua chỉ tiêu "
            f"({adopted_on:%d/%m/%Y})",
        )
    ]


def check_review_kind(*, yearly: bool, kind: str, target_name: str) -> list[Violation]:
    """A year target is evaluated at the year's reviews, a term target at the term's."""
    allowed = YEAR_REVIEWS if yearly else TERM_REVIEWS
    if kind in allowed:
        return []
    which = "năm" if yearly else "nhiệm kỳ"
    names = ", ".join(f"«{ReviewKind(k).label}»" for k in allowed)
    return [
        Violation(
            TargetErrorCode.KY_DANH_GIA,
            "",
            f"chỉ tiêu {which} «{target_name}» được đánh giá ở kỳ {names}, không ở "
            f"kỳ «{ReviewKind(kind).label}»",
        )
    ]


def check_review_period(*, period_start: date, period_end: date) -> list[Violation]:
    """A review period ends on or after the day it starts."""
    if period_end >= period_start:
        return []
    return [
        Violation(
            TargetErrorCode.NGAY_KY_DANH_GIA, "", "ngày kết thúc kỳ đánh giá trước ngày bắt đầu"
        )
    ]
