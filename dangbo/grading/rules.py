"""The versioned grading rules (DOMAIN §7, §10) as data, and the pure checks built on them.

The rule set that applies to a grading is the one in force on the **grading date**
(`graded_on`), not the year graded: the grading of 2022 held on 15/12/2022 follows
Quy định 132-QĐ/TW (with Hướng dẫn 27-HD/BTCTW), the grading of 2024 held on 15/12/2024
Quy định 124-QĐ/TW, the grading of 2025 held on 20/12/2025 Quy định 366-QĐ/TW.
Gradings dated before the earliest set here are judged by the earliest set.

What every set states alike, kept as parameters: the levels graded (base organizations,
the cells and branch committees under a base committee, district and provincial
committees); an organization is "not completed" when it was itself disciplined in the
year, or more than 20% of its members, or of its directly subordinate units, were graded
"not completed"; it is not "excellent" when a unit under it or a member of its committee
was disciplined in the year; a member disciplined in the year is "not completed", unless
(124-QĐ/TW, 366-QĐ/TW) the member found and fixed the fault themselves. Under 366-QĐ/TW a
grade also needs its tasks on time: "good" (and "excellent") every task done and none late,
"completed" every task done with at most 20% late.

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
    #: … unless the member found and fixed the fault themselves (then not excellent)
    disciplined_self_reported_exception: bool = True
    #: the guidance that goes with the regulation
    guidance: str = ""
    #: the kinds of organization graded (OrgKind codes)
    graded_kinds: tuple[str, ...] = (
        "tinh",
        "huyen",
        "xa",
        "co_so",
        "chi_bo_co_so",
        "bo_phan",
        "chi_bo",
    )
    #: the tasks' timeliness bounds the grade: good needs every task done with at most
    #: `good_max_late_pct` % late, completed every task done with at most `completed_max_late_pct` %
    timeliness: bool = False
    good_max_late_pct: Decimal = Decimal(0)
    completed_max_late_pct: Decimal = Decimal(20)
    #: collective triggers of "not completed": the organization disciplined in the year; more
    #: than N% of its members, of its directly subordinate units, graded not completed
    org_disciplined_not_completed: bool = True
    org_not_completed_members_pct: int | None = 20
    org_not_completed_units_pct: int | None = 20
    #: not excellent when a unit under it or a committee member was disciplined in the year
    excellent_barred_by_discipline: bool = True
    #: a member graded not completed this many years running is to be removed (Điều lệ Đảng, art. 8)
    removal_not_completed_years: int = 2
    notes: tuple[str, ...] = field(default=())


GRADING_RULE_SETS: tuple[GradingRuleSet, ...] = (
    GradingRuleSet(
        code="Quy định 132-QĐ/TW",
        title=(
            "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, "
            "cá nhân trong hệ thống chính trị (8/3/2018)"
        ),
        guidance="Hướng dẫn 27-HD/BTCTW (25/9/2019)",
        effective_from=date(2018, 3, 8),
        disciplined_self_reported_exception=False,
    ),
    GradingRuleSet(
        code="Quy định 124-QĐ/TW",
        title="Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm (4/10/2023)",
        guidance="Hướng dẫn 21-HD/BTCTW (20/10/2023)",
        effective_from=date(2023, 10, 4),
    ),
    GradingRuleSet(
        code="Quy định 366-QĐ/TW",
        title="Quy định về kiểm điểm và đánh giá, xếp loại chất lượng (30/8/2025)",
        effective_from=date(2025, 8, 30),
        uses_points=True,
        timeliness=True,
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


def check_excellent_cap(
    rs: GradingRuleSet, *, org_name: str, excellent: int, good: int
) -> list[Violation]:
    """The 20% cap of one base organization: members graded excellent at most
    ``excellent_cap_percent`` % of those graded good (none when the rule set has no cap)."""
    cap = excellent_cap(rs, good)
    if cap is None or excellent <= cap:
        return []
    return [
        Violation(
            rule=GradingRule.TY_LE_XUAT_SAC,
            regulation=rs.code,
            message=(
                f"số đảng viên hoàn thành xuất sắc nhiệm vụ của «{org_name}» ({excellent}) vượt "
                f"quá {rs.excellent_cap_percent}% số đảng viên hoàn thành tốt nhiệm vụ ({good}); "
                f"tối đa {cap} đảng viên"
            ),
        )
    ]


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


def check_graded_kind(*, kind_code: str, kind_name: str, name: str, on: date) -> list[Violation]:
    """The organization is of a level the rule set in force on `on` grades."""
    rs = grading_rules_on(on)
    if kind_code in rs.graded_kinds:
        return []
    return [
        Violation(
            rule=GradingRule.CAP_XEP_LOAI,
            regulation=rs.code,
            message=f"«{name}» ({kind_name.lower()}) không thuộc diện đánh giá, xếp loại chất lượng",
        )
    ]


def check_timeliness(
    rs: GradingRuleSet, *, who: str, grade: str, done: Decimal | None, late: Decimal | None
) -> list[Violation]:
    """Under a rule set that bounds the grade by the tasks' timeliness: "good" or better needs
    every task done and at most `good_max_late_pct` % late; "completed" every task done and at
    most `completed_max_late_pct` % late. "Not completed" needs nothing. A grading that
    records neither share (kept before the shares were recorded) is not checked; one share
    recorded is checked alone."""
    if not rs.timeliness or grade not in (Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED):
        return []
    if done is None and late is None:
        return []
    most = rs.completed_max_late_pct if grade == Grade.COMPLETED else rs.good_max_late_pct
    if (done is None or done >= 100) and (late is None or late <= most):
        return []
    need = (
        "hoàn thành 100% nhiệm vụ, đúng tiến độ"
        if most == 0
        else f"hoàn thành 100% nhiệm vụ, chậm tiến độ không quá {_n(most)}%"
    )
    return [
        Violation(
            rule=GradingRule.TIEN_DO_NHIEM_VU,
            regulation=rs.code,
            message=(
                f"{who}: xếp loại «{grade_label(grade)}» cần {need}; nhiệm vụ hoàn thành "
                f"{'chưa ghi' if done is None else _n(done) + '%'}, chậm tiến độ "
                f"{'chưa ghi' if late is None else _n(late) + '%'}"
            ),
        )
    ]


def check_member_disciplined(
    rs: GradingRuleSet, *, who: str, grade: str, year: int, self_reported: bool
) -> list[Violation]:
    """A member disciplined in `year` gets the rule set's grade for it; one who found and fixed
    the fault themselves, where the rule set excepts them, is graded on the merits but not
    excellent."""
    excepted = self_reported and rs.disciplined_self_reported_exception
    if excepted and grade != Grade.EXCELLENT:
        return []
    if not excepted and grade == rs.disciplined_grade:
        return []
    allowed = (
        "không thể xếp «Hoàn thành xuất sắc nhiệm vụ» (đã tự phát hiện, khắc phục)"
        if excepted
        else f"chỉ được xếp loại «{grade_label(rs.disciplined_grade)}»"
    )
    return [
        Violation(
            rule=GradingRule.KY_LUAT_TRONG_NAM,
            regulation=rs.code,
            message=f"{who} bị kỷ luật trong năm {year} nên {allowed}, không thể xếp «{grade_label(grade)}»",
        )
    ]


def _over(part: int, whole: int, pct: int | None) -> bool:
    return pct is not None and whole > 0 and part * 100 > pct * whole


def check_org_collective(
    rs: GradingRuleSet,
    *,
    name: str,
    grade: str,
    year: int,
    disciplined: bool,
    members_not_completed: tuple[int, int],
    units_not_completed: tuple[int, int],
    units_disciplined: tuple[str, ...],
    committee_disciplined: tuple[str, ...],
) -> list[Violation]:
    """The collective rules of an organization's grade.

    Not completed when: it was disciplined in `year`; more than the rule set's share of its
    members graded (`members_not_completed` = (not completed, graded)) or of its directly
    subordinate units graded (`units_not_completed`) were "not completed". Not excellent when a
    unit under it (`units_disciplined`, their names) or a member of its committee
    (`committee_disciplined`) was disciplined in `year`.
    """
    out: list[Violation] = []
    reasons = []
    if disciplined and rs.org_disciplined_not_completed:
        reasons.append(f"bị thi hành kỷ luật trong năm {year}")
    n, total = members_not_completed
    if _over(n, total, rs.org_not_completed_members_pct):
        reasons.append(
            f"{n}/{total} đảng viên xếp loại không hoàn thành nhiệm vụ (trên "
            f"{rs.org_not_completed_members_pct}%)"
        )
    n, total = units_not_completed
    if _over(n, total, rs.org_not_completed_units_pct):
        reasons.append(
            f"{n}/{total} tổ chức đảng trực thuộc xếp loại không hoàn thành nhiệm vụ (trên "
            f"{rs.org_not_completed_units_pct}%)"
        )
    if reasons and grade != Grade.NOT_COMPLETED:
        out.append(
            Violation(
                rule=GradingRule.TAP_THE_KHONG_HOAN_THANH,
                regulation=rs.code,
                message=(
                    f"«{name}» {'; '.join(reasons)} nên xếp loại «Không hoàn thành nhiệm vụ», "
                    f"không thể xếp «{grade_label(grade)}»"
                ),
            )
        )
    barred = []
    if units_disciplined:
        barred.append(f"tổ chức đảng trực thuộc bị kỷ luật: {', '.join(units_disciplined)}")
    if committee_disciplined:
        barred.append(f"cấp ủy viên bị kỷ luật: {', '.join(committee_disciplined)}")
    if barred and grade == Grade.EXCELLENT and rs.excellent_barred_by_discipline:
        out.append(
            Violation(
                rule=GradingRule.XUAT_SAC_KY_LUAT,
                regulation=rs.code,
                message=(
                    f"«{name}» không thể xếp «Hoàn thành xuất sắc nhiệm vụ» năm {year}: "
                    + "; ".join(barred)
                ),
            )
        )
    return out


def removal_warning(*, name: str, cell: str, years: tuple[int, ...], regulation: str) -> str:
    """The warning for a member graded "not completed" in each of `years` (running)."""
    listed = ", ".join(str(y) for y in years)
    return (
        f"{name} ({cell}): xếp loại «Không hoàn thành nhiệm vụ» {len(years)} năm liền "
        f"({listed}) — thuộc diện xem xét xóa tên (Điều lệ Đảng, Điều 8; {regulation})"
    )
