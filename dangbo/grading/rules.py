"""The versioned grading rules (DOMAIN §7, §10) as data, and the pure checks built on them.

The rule set that applies to a grading is the one in force on the **grading date**
(`graded_on`), not the year graded: the grading of 2024 held on 15/12/2024 follows
Quy định 124-QĐ/TW, the grading of 2025 held on 20/12/2025 follows Quy định 366-QĐ/TW.
Gradings dated before the earliest set here are judged by the earliest set.

Parameters the sources leave open are kept here (marked UNCONFIRMED) so an office can
adjust them without touching the checks.

The 20% cap, exactly: the members graded "Hoàn thành xuất sắc nhiệm vụ" in one base
organization may not exceed ``excellent_cap_percent`` % of the members graded "Hoàn thành
tốt nhiệm vụ" there (those graded good, excellent ones not included). "Not exceed" is
read literally, with no rounding up: excellent × 100 ≤ percent × good, i.e. at most
⌊good × percent / 100⌋ — 10 good → 2, 14 good → 2 (2,8 is not rounded to 3), 4 good → 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from dangbo.core.dates import add_months, months_between
from dangbo.core.errors import Violation
from dangbo.grading.error_codes import GradingErrorCode, GradingRule
from dangbo.grading.models import NOT_GRADED, NOT_GRADED_LABEL, Grade, NotGradedReason
from dangbo.rulebook import in_force

#: Where an organization's age is measured: on the grading date or at the end of the year graded.
AGE_AT_GRADING_DATE = "graded_on"
AGE_AT_YEAR_END = "year_end"


@dataclass(frozen=True)
class GradingRuleSet:
    code: str  # "Quy định 124-QĐ/TW"
    title: str
    effective_from: date
    #: graded on a points scale (points required, the grade must match them)
    uses_points: bool = False
    points_max: Decimal = Decimal(100)
    points_general: Decimal = Decimal(30)  # tiêu chí chung
    points_tasks: Decimal = Decimal(70)  # kết quả thực hiện nhiệm vụ
    excellent_min_points: Decimal = Decimal(90)
    good_min_points: Decimal = Decimal(70)
    completed_min_points: Decimal = Decimal(50)
    excellent_min_tasks_done_pct: Decimal = Decimal(100)
    excellent_min_tasks_exceeded_pct: Decimal = Decimal(30)
    #: members graded excellent ≤ this % of members graded good, in each base organization
    excellent_cap: bool = True
    excellent_cap_percent: int = 20
    #: organizations younger than this are not graded
    org_min_months: int = 6
    org_age_at: str = AGE_AT_GRADING_DATE
    #: members admitted less than this before the grading date are not graded
    member_min_months: int = 6
    #: the only grade a member disciplined in the year may get
    disciplined_grade: str = Grade.NOT_COMPLETED
    notes: tuple[str, ...] = field(default=())


GRADING_RULE_SETS: tuple[GradingRuleSet, ...] = (
    GradingRuleSet(
        code="Quy định 124-QĐ/TW",
        title="Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm (4/10/2023)",
        effective_from=date(2023, 10, 4),
    ),
    GradingRuleSet(
        code="Quy định 366-QĐ/TW",
        title="Quy định về kiểm điểm và đánh giá, xếp loại chất lượng (30/8/2025)",
        effective_from=date(2025, 8, 30),
        uses_points=True,
        # UNCONFIRMED: whether the 20% cap continues under 366-QĐ/TW
        excellent_cap=True,
        # UNCONFIRMED: 366-QĐ/TW is only known to bar discipline from "excellent"; the
        # 124-QĐ/TW consequence (disciplined in the year → not completed) is kept
        disciplined_grade=Grade.NOT_COMPLETED,
        notes=(
            "Chưa xác nhận việc tiếp tục áp dụng giới hạn 20% số đảng viên hoàn thành xuất sắc "
            "nhiệm vụ so với số hoàn thành tốt nhiệm vụ.",
            "Chưa xác nhận: đảng viên bị kỷ luật trong năm vẫn xếp loại «Không hoàn thành nhiệm "
            "vụ» như Quy định 124-QĐ/TW.",
        ),
    ),
)


def grading_rules_on(on: date) -> GradingRuleSet:
    """The grading rule set in force on `on`."""
    return in_force(GRADING_RULE_SETS, on)


def rule_set_by_code(code: str) -> GradingRuleSet | None:
    return next((rs for rs in GRADING_RULE_SETS if rs.code == code), None)


def grade_label(grade: str) -> str:
    return NOT_GRADED_LABEL if grade == NOT_GRADED else Grade(grade).label


def excellent_cap(rs: GradingRuleSet, good: int) -> int | None:
    """Most members one base organization may grade excellent with `good` graded good
    (None when the rule set has no cap)."""
    if not rs.excellent_cap:
        return None
    return good * rs.excellent_cap_percent // 100


def excellent_conditions_met(
    rs: GradingRuleSet,
    points: Decimal,
    tasks_done_pct: Decimal | None,
    tasks_exceeded_pct: Decimal | None,
    disciplined: bool,
) -> bool:
    return (
        points >= rs.excellent_min_points
        and tasks_done_pct is not None
        and tasks_done_pct >= rs.excellent_min_tasks_done_pct
        and tasks_exceeded_pct is not None
        and tasks_exceeded_pct >= rs.excellent_min_tasks_exceeded_pct
        and not disciplined
    )


def grades_for_points(
    rs: GradingRuleSet,
    points: Decimal,
    *,
    tasks_done_pct: Decimal | None = None,
    tasks_exceeded_pct: Decimal | None = None,
    disciplined: bool = False,
) -> tuple[str, ...]:
    """The grades consistent with `points` on a points scale, best first.

    ≥ excellent_min with every excellent condition met: excellent, or good (a base
    organization over its excellent cap grades the rest good); ≥ excellent_min otherwise,
    and [good_min, excellent_min): good; [completed_min, good_min): completed; below:
    not completed.
    """
    if points >= rs.excellent_min_points:
        if excellent_conditions_met(rs, points, tasks_done_pct, tasks_exceeded_pct, disciplined):
            return (Grade.EXCELLENT, Grade.GOOD)
        return (Grade.GOOD,)
    if points >= rs.good_min_points:
        return (Grade.GOOD,)
    if points >= rs.completed_min_points:
        return (Grade.COMPLETED,)
    return (Grade.NOT_COMPLETED,)


def points_bands(rs: GradingRuleSet) -> str:
    """The scale in words, for messages."""
    return (
        f"hoàn thành xuất sắc: từ {_n(rs.excellent_min_points)} điểm, hoàn thành "
        f"{_n(rs.excellent_min_tasks_done_pct)}% nhiệm vụ, vượt ít nhất "
        f"{_n(rs.excellent_min_tasks_exceeded_pct)}%, không bị kỷ luật; tốt: từ "
        f"{_n(rs.good_min_points)} đến dưới {_n(rs.excellent_min_points)} điểm; hoàn thành: từ "
        f"{_n(rs.completed_min_points)} đến dưới {_n(rs.good_min_points)} điểm; không hoàn "
        f"thành: dưới {_n(rs.completed_min_points)} điểm"
    )


def member_grading_from(rs: GradingRuleSet, admitted_on: date) -> date:
    """First grading date on which a member admitted on `admitted_on` is graded."""
    return add_months(admitted_on, rs.member_min_months)


def org_age_months(rs: GradingRuleSet, founded_on: date, *, year: int, graded_on: date) -> int:
    """The organization's age in whole months where the rule set measures it."""
    at = date(year, 12, 31) if rs.org_age_at == AGE_AT_YEAR_END else graded_on
    return months_between(founded_on, at) if founded_on <= at else -1


def _n(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def check_exemplary(*, exemplary: bool, grade: str, org_name: str, on: date) -> list[Violation]:
    """Only an organization graded excellent is recognised «trong sạch, vững mạnh tiêu biểu»."""
    if not exemplary or grade == Grade.EXCELLENT:
        return []
    return [
        Violation(
            rule=GradingRule.TIEU_BIEU_CHI_XUAT_SAC,
            regulation=grading_rules_on(on).code,
            message=(
                "chỉ tổ chức đảng hoàn thành xuất sắc nhiệm vụ mới được công nhận «trong sạch, "
                f"vững mạnh tiêu biểu»; «{org_name}» xếp loại «{grade_label(grade)}»"
            ),
        )
    ]


# --- the form of a grading ------------------------------------------------------------------
# Rules of the register rather than of a regulation (`regulation` empty).


def check_grading_dates(*, year: int, graded_on: date) -> list[Violation]:
    """The year graded is a real year, and the grading is dated in it or early in the next."""
    if year < 1930:
        return [Violation(GradingErrorCode.NAM_DANH_GIA, "", f"năm đánh giá «{year}» không hợp lệ")]
    if graded_on.year not in (year, year + 1):
        return [
            Violation(
                GradingErrorCode.NGAY_DANH_GIA,
                "",
                f"ngày đánh giá, xếp loại chất lượng năm {year} phải thuộc năm {year} hoặc "
                f"đầu năm {year + 1}; không phải ngày {graded_on:%d/%m/%Y}",
            )
        ]
    return []


#: The field each reason rule is about (the others are about ``reason``).
REASON_FIELDS: dict[StrEnum, str] = {GradingErrorCode.GHI_CHU_LY_DO_KHAC: "note"}


def check_not_graded_reason(*, grade: str, reason: str, note: str) -> list[Violation]:
    """A member not graded has a reason (and, for another reason, a note); a member graded
    has none. At most one violation, the first found."""
    if grade == NOT_GRADED and reason not in NotGradedReason.values:
        return [
            Violation(
                GradingErrorCode.THIEU_LY_DO,
                "",
                f"đảng viên không xếp loại phải ghi lý do ({', '.join(NotGradedReason.values)})",
            )
        ]
    if grade != NOT_GRADED and reason:
        return [
            Violation(
                GradingErrorCode.LY_DO_KHI_CO_XEP_LOAI,
                "",
                f"chỉ ghi lý do khi không xếp loại ({NOT_GRADED})",
            )
        ]
    if reason == NotGradedReason.OTHER and not note.strip():
        return [
            Violation(
                GradingErrorCode.GHI_CHU_LY_DO_KHAC,
                "",
                "lý do khác cần ghi rõ trong «ghi chú» (note)",
            )
        ]
    return []


def check_base_org(*, name: str, kind_name: str, is_base: bool, on: date) -> list[Violation]:
    """Only a base party organization (tổ chức cơ sở đảng) is graded under these rules."""
    if is_base:
        return []
    return [
        Violation(
            GradingErrorCode.KHONG_PHAI_CO_SO,
            "",
            f"«{name}» là {kind_name.lower()}, không phải tổ chức cơ sở đảng vào ngày "
            f"{on:%d/%m/%Y}; chỉ tổ chức cơ sở đảng được đánh giá, xếp loại theo mục này",
        )
    ]


def check_org_not_graded(*, org_name: str, year: int, graded: bool) -> list[Violation]:
    """An organization is graded once a year (`graded`: it already is)."""
    if not graded:
        return []
    return [
        Violation(
            GradingErrorCode.DA_XEP_LOAI,
            "",
            f"«{org_name}» đã có kết quả xếp loại năm {year}; hãy hủy kết quả đã ghi "
            "trước khi ghi lại",
        )
    ]
