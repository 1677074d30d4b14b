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
from decimal import Decimal

from dangbo import vn_format as vf
from dangbo.core.errors import Violation
from dangbo.core.numbers import percentage
from dangbo.targets.error_codes import TargetErrorCode
from dangbo.targets.models import Direction, Status


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
