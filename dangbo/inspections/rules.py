"""Inspection rules in force by date, and the rules that are checked alike by the services
and the importer (pure functions returning :class:`~dangbo.core.errors.Violation` rows)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.core.dates import add_months
from dangbo.core.errors import Violation
from dangbo.inspections.error_codes import InspectionErrorCode, InspectionRule
from dangbo.inspections.models import (
    COMPLAINT_KINDS,
    INSPECTION_KINDS,
    SUPERVISION_KINDS,
    OrgDisciplineForm,
)
from dangbo.rulebook import in_force

#: The statute of limitations of the discipline forms (years, counted from the violation to
#: the discipline decision); a form absent from the map has none (expulsion, dissolution).
LIMITATION_YEARS = {"khien_trach": 5, "canh_cao": 10, "cach_chuc": 10}


# --- the versioned rules -----------------------------------------------------------------
@dataclass(frozen=True)
class InspectionRuleSet:
    code: str  # "Quy định 296-QĐ/TW"
    title: str
    effective_from: date
    #: kinds of organization whose committee has an inspection commission (base committee and up)
    conducting_kinds: tuple[str, ...] = ("trung_uong", "tinh", "huyen", "xa", "co_so")
    #: the discipline forms of a party organization, whatever its level (a cell included)
    org_discipline_forms: tuple[str, ...] = tuple(OrgDisciplineForm.values)
    #: the case kinds a cell (chi bộ) conducts itself, on the members of its own roll
    cell_case_kinds: tuple[str, ...] = (*SUPERVISION_KINDS, *INSPECTION_KINDS, *COMPLAINT_KINDS)
    #: statute of limitations per discipline form, of a member and of an organization (years;
    #: a form absent has none); empty: the rule set states none
    member_limitation_years: Mapping[str, int] = field(default_factory=lambda: LIMITATION_YEARS)
    org_limitation_years: Mapping[str, int] = field(
        default_factory=lambda: {"khien_trach": 5, "canh_cao": 10}
    )


INSPECTION_RULE_SETS: tuple[InspectionRuleSet, ...] = (
    InspectionRuleSet(
        code="Quy định 22-QĐ/TW",
        title="Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng (28/7/2021)",
        effective_from=date(2021, 7, 28),
    ),
    InspectionRuleSet(
        code="Quy định 262-QĐ/TW",
        title=(
            "Quy định sửa đổi, bổ sung một số điều của Quy định 22-QĐ/TW về công tác kiểm tra, "
            "giám sát và kỷ luật của Đảng (3/2/2025)"
        ),
        effective_from=date(2025, 2, 3),
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


def check_cell_conducts(
    *, kind: str, cell_name: str, own_member: bool, subject_label: str, on: date
) -> list[Violation]:
    """A cell (chi bộ) inspects and supervises its own members and handles complaints and
    denunciations about them: only the kinds of the rule set, only a member of its roll."""
    rs = inspection_rules_on(on)
    out = []
    if kind not in rs.cell_case_kinds:
        out.append(
            Violation(
                rule=InspectionRule.CHI_BO_LOAI_VU_VIEC,
                regulation=rs.code,
                message=f"chi bộ «{cell_name}» không tiến hành loại vụ việc «{kind}»",
            )
        )
    if not own_member:
        out.append(
            Violation(
                rule=InspectionRule.CHI_BO_DANG_VIEN_CUA_MINH,
                regulation=rs.code,
                message=(
                    f"chi bộ kiểm tra, giám sát và giải quyết khiếu nại, tố cáo đối với đảng viên "
                    f"trong chi bộ; ngày {on:%d/%m/%Y} {subject_label} không sinh hoạt tại "
                    f"chi bộ «{cell_name}»"
                ),
            )
        )
    return out


def check_limitation(
    *, of_org: bool, form: str, violation_on: date | None, on: date, exempt: bool = False
) -> list[Violation]:
    """The discipline decision (dated `on`) falls within the statute of limitations of `form`
    counted from the violation date (thời hiệu kỷ luật), where the rule set in force on `on`
    has one.

    No violation date recorded, a form without limitation (expulsion, dissolution), or a
    violation to which no limitation applies (`exempt`: internal politics, national
    security…): nothing to check. The last day is the anniversary's eve: a violation of
    10/3/2020 may be reprimanded up to 9/3/2025.
    """
    if violation_on is None or exempt:
        return []
    rs = inspection_rules_on(on)
    years = (rs.org_limitation_years if of_org else rs.member_limitation_years).get(form)
    if years is None:
        return []
    last = add_months(violation_on, 12 * years) - timedelta(days=1)
    if on <= last:
        return []
    return [
        Violation(
            rule=InspectionRule.THOI_HIEU_KY_LUAT,
            regulation=rs.code,
            message=(
                f"vi phạm ngày {violation_on:%d/%m/%Y} đã hết thời hiệu kỷ luật hình thức "
                f"«{form}» ({years} năm, đến hết ngày {last:%d/%m/%Y}); ngày kỷ luật "
                f"{on:%d/%m/%Y}"
            ),
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


def check_violation_date(*, violation_on: date | None, on: date, what: str) -> list[Violation]:
    """The violation happened on or before the case's conclusion and its discipline."""
    if violation_on is None or violation_on <= on:
        return []
    return [
        Violation(
            InspectionErrorCode.NGAY_VI_PHAM,
            "",
            f"ngày vi phạm {violation_on:%d/%m/%Y} sau ngày {what} {on:%d/%m/%Y}",
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
