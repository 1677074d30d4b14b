"""Inspection rules in force by date, and the rules that are checked alike by the services
and the importer (pure functions returning :class:`~dangbo.core.errors.Violation` rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangbo.core.errors import Violation
from dangbo.inspections.error_codes import InspectionErrorCode, InspectionRule
from dangbo.inspections.models import OrgDisciplineForm
from dangbo.rulebook import in_force


# --- the versioned rules -----------------------------------------------------------------
@dataclass(frozen=True)
class InspectionRuleSet:
    code: str  # "Quy định 296-QĐ/TW"
    title: str
    effective_from: date
    #: kinds of organization whose committee has an inspection commission (base committee and up)
    conducting_kinds: tuple[str, ...] = ("trung_uong", "tinh", "huyen", "xa", "co_so")
    org_discipline_forms: tuple[str, ...] = tuple(OrgDisciplineForm.values)
    #: dissolution (giải tán) as a discipline of a cell
    cell_dissolution: bool = False


INSPECTION_RULE_SETS: tuple[InspectionRuleSet, ...] = (
    InspectionRuleSet(
        code="Quy định 22-QĐ/TW",
        title="Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng (28/7/2021)",
        effective_from=date(2021, 7, 28),
    ),
    InspectionRuleSet(
        code="Quy định 296-QĐ/TW",
        title="Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng (30/5/2025)",
        effective_from=date(2025, 5, 30),
    ),
)


def inspection_rules_on(on: date) -> InspectionRuleSet:
    """The inspection rule set in force on `on`."""
    return in_force(INSPECTION_RULE_SETS, on)


# --- rules -------------------------------------------------------------------------------
def check_concluded_with_violation(
    *, concluded_on: date | None, violation_found: bool | None, on: date
) -> list[Violation]:
    """Discipline (dated `on`) follows a conclusion that found a violation, on or after it."""
    problem = None
    if concluded_on is None:
        problem = "vụ việc chưa có kết luận"
    elif not violation_found:
        problem = f"kết luận ngày {concluded_on:%d/%m/%Y} không xác định có vi phạm"
    elif on < concluded_on:
        problem = f"ngày kỷ luật {on:%d/%m/%Y} trước ngày kết luận {concluded_on:%d/%m/%Y}"
    if problem is None:
        return []
    return [
        Violation(
            rule=InspectionRule.KET_LUAN_TRUOC_KY_LUAT,
            regulation=inspection_rules_on(on).code,
            message=f"chỉ xem xét kỷ luật sau khi có kết luận xác định có vi phạm; {problem}",
        )
    ]


# --- the register's own rules (no regulation) ------------------------------------------------
def check_case_date(
    *, on: date, starts_on: date, what: str = "", step: str = ""
) -> list[Violation]:
    """Nothing of a case (its end `what`="kết thúc", its conclusion, a `step`) is dated before
    the case starts."""
    if on >= starts_on:
        return []
    named = f"ngày {on:%d/%m/%Y} của bước «{step}»" if step else f"ngày {what} {on:%d/%m/%Y}"
    return [
        Violation(
            InspectionErrorCode.NGAY_VU_VIEC, "", f"{named} trước ngày bắt đầu {starts_on:%d/%m/%Y}"
        )
    ]


def check_discipline_subject(*, of_org: bool, subject_is_org: bool) -> list[Violation]:
    """An organization is disciplined only by a case about it, a member only by a case about
    the member (`of_org`: the discipline is of an organization)."""
    if of_org == subject_is_org:
        return []
    if of_org:
        message = (
            "đối tượng của vụ việc là đảng viên, không phải tổ chức đảng; hãy ghi kỷ luật đảng viên"
        )
    else:
        message = (
            "đối tượng của vụ việc là tổ chức đảng, không phải đảng viên; hãy ghi kỷ luật "
            "tổ chức đảng"
        )
    return [Violation(InspectionErrorCode.SAI_DOI_TUONG, "", message)]


def check_not_disciplined(*, disciplined: bool) -> list[Violation]:
    """A case leads to one discipline decision (`disciplined`: it already has one)."""
    if not disciplined:
        return []
    return [Violation(InspectionErrorCode.DA_KY_LUAT, "", "vụ việc đã có quyết định kỷ luật")]
