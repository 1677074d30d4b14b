"""Rule checks of the membership ledger, each citing the rule set in force on the date.

A check returns :class:`Violation` rows; the service refuses the event unless an
exception decision of a sufficient level is attached (historical data, or the
provincial decision that allows admitting a person over 60).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dangbo.core.dates import add_months, months_between
from dangbo.core.errors import Violation
from dangbo.core.models import IssuerLevel
from dangbo.membership.error_codes import MembershipErrorCode, MembershipRule
from dangbo.membership.ledger import EventData, State
from dangbo.membership.models import EventKind, MemberStatus
from dangbo.rulebook import RuleSet, rules_on

#: Rules that only a decision of these levels may waive; other rules take any exception decision.
WAIVER_LEVELS: dict[StrEnum, set[str]] = {
    MembershipRule.TUOI_KET_NAP_TREN_60: {IssuerLevel.CENTRAL, IssuerLevel.PROVINCIAL},
}


@dataclass(frozen=True)
class PersonData:
    full_name: str
    birth_date: date


def _age(months: int) -> str:
    return f"{months // 12} tuổi {months % 12} tháng"


def check_event(event: EventData, before: State, person: PersonData) -> list[Violation]:
    """Every rule of the set in force on the event's date that refuses it."""
    rs = rules_on(event.effective_on)
    on = event.effective_on
    out: list[Violation] = []

    def v(rule: MembershipRule, message: str) -> None:
        out.append(Violation(rule=rule, regulation=rs.code, message=message))

    if event.kind in (EventKind.ADMISSION, EventKind.READMISSION):
        age = months_between(person.birth_date, on)
        if person.birth_date > on:
            v(
                MembershipRule.TUOI_KET_NAP_DUOI_18,
                f"người được kết nạp phải đủ {rs.admission_min_months // 12} tuổi; "
                f"{person.full_name} sinh ngày {person.birth_date:%d/%m/%Y}, sau ngày kết nạp "
                f"{on:%d/%m/%Y}",
            )
        elif age < rs.admission_min_months:
            v(
                MembershipRule.TUOI_KET_NAP_DUOI_18,
                f"người được kết nạp phải đủ {rs.admission_min_months // 12} tuổi (tính theo tháng); "
                f"{person.full_name} mới {_age(age)} vào ngày {on:%d/%m/%Y}",
            )
        elif age > rs.admission_max_months:
            v(
                MembershipRule.TUOI_KET_NAP_TREN_60,
                f"người trên {rs.admission_max_months // 12} tuổi chỉ được kết nạp khi có quyết định "
                f"đồng ý của tỉnh ủy, thành ủy; {person.full_name} đã {_age(age)} vào ngày {on:%d/%m/%Y}",
            )
    if event.kind == EventKind.READMISSION and before.out_since is not None:
        wait = (
            rs.readmission_wait_after_conviction_months
            if event.details.get("conviction")
            else rs.readmission_wait_months
        )
        gone = months_between(before.out_since, on)
        if gone < wait:
            v(
                MembershipRule.THOI_GIAN_KET_NAP_LAI,
                f"chỉ được kết nạp lại sau ít nhất {wait} tháng kể từ khi ra khỏi Đảng "
                f"(ngày {before.out_since:%d/%m/%Y}); mới được {gone} tháng",
            )
        if before.readmissions >= rs.readmission_max:
            v(MembershipRule.KET_NAP_LAI_MOT_LAN, "mỗi người chỉ được kết nạp lại một lần")
    if event.kind == EventKind.RECOGNITION and before.last_admitted_on is not None:
        expected = add_months(before.last_admitted_on, rs.probation_months)
        if on != expected:
            v(
                MembershipRule.NGAY_CHINH_THUC,
                f"ngày công nhận chính thức phải đúng ngày hết {rs.probation_months} tháng dự bị "
                f"({expected:%d/%m/%Y}), kể cả khi quyết định ban hành muộn; không phải {on:%d/%m/%Y}",
            )
    if (
        event.kind == EventKind.DISCIPLINE
        and before.status == MemberStatus.PROBATIONARY
        and event.form not in rs.probationary_discipline_forms
    ):
        v(
            MembershipRule.KY_LUAT_DU_BI,
            "đảng viên dự bị vi phạm chỉ bị kỷ luật khiển trách hoặc cảnh cáo; nếu không đủ tư cách "
            "thì xóa tên khỏi danh sách đảng viên dự bị",
        )
    if event.kind == EventKind.CARD and before.status != MemberStatus.OFFICIAL:
        v(MembershipRule.THE_DANG_VIEN, "chỉ phát thẻ cho đảng viên chính thức")
    if event.kind == EventKind.BADGE and event.badge_years is not None:
        _check_badge(event, before, rs, v)
    if event.kind == EventKind.OPENING:
        _check_opening_badges(event, rs, v)
    if event.kind == EventKind.TEMPORARY_OUT and event.until is not None:
        months = months_between(on, event.until)
        study = event.form == "hoc_tap"
        longest = rs.temporary_study_max_months if study else rs.temporary_max_months
        if months < rs.temporary_min_months or add_months(on, longest) < event.until:
            v(
                MembershipRule.THOI_HAN_TAM_THOI,
                f"sinh hoạt tạm thời từ {rs.temporary_min_months} tháng đến {longest} tháng"
                f"{' (đi học)' if study else ''}; đề nghị từ {on:%d/%m/%Y} đến {event.until:%d/%m/%Y}",
            )
    return out


def _check_badge(
    event: EventData, before: State, rs: RuleSet, v: Callable[[MembershipRule, str], None]
) -> None:
    years = event.badge_years
    if years is None or years not in rs.badge_milestones:
        v(
            MembershipRule.MOC_HUY_HIEU,
            f"Huy hiệu Đảng chỉ trao ở các mốc {', '.join(map(str, rs.badge_milestones))} năm tuổi Đảng; "
            f"không có mốc {years} năm",
        )
        return
    at = before.died_on if event.posthumous and before.died_on else event.effective_on
    if before.party_anchor is None:
        return
    age = months_between(before.party_anchor, at)
    margin = rs.badge_early_months_upto_65 if years <= 65 else rs.badge_early_months_from_70
    required = years * 12 - (margin if (event.early or event.posthumous) else 0)
    if age < required:
        v(
            MembershipRule.TUOI_DANG_HUY_HIEU,
            f"Huy hiệu {years} năm tuổi Đảng cần tuổi Đảng từ {required // 12} năm {required % 12} tháng"
            f"{' (trao sớm)' if event.early else ''}; tuổi Đảng {'khi từ trần ' if event.posthumous else ''}"
            f"là {age // 12} năm {age % 12} tháng",
        )


def _check_opening_badges(
    event: EventData, rs: RuleSet, v: Callable[[MembershipRule, str], None]
) -> None:
    """The card and badges an opening balance carries: a card only for a full member; each
    badge a milestone of the rule set in force on the opening date, reached (at most the
    early-award margin before) by that date."""
    if event.details.get("card_number") and event.details.get("status") != MemberStatus.OFFICIAL:
        v(MembershipRule.THE_DANG_VIEN, "chỉ phát thẻ cho đảng viên chính thức")
    anchor = event.details.get("party_anchor") or event.details.get("admitted_on")
    try:
        standing = State(party_anchor=date.fromisoformat(str(anchor)))
    except ValueError:
        return  # the ledger refuses the date itself
    for years in event.details.get("badges") or []:
        if not isinstance(years, int):
            continue
        badge = EventData(
            kind=EventKind.BADGE, effective_on=event.effective_on, badge_years=years, early=True
        )
        _check_badge(badge, standing, rs, v)


def waiver_problem(violations: list[Violation], exception_level: str | None) -> list[Violation]:
    """The violations the attached exception decision (of `exception_level`) cannot waive."""
    if exception_level is None:
        return violations
    return [
        x
        for x in violations
        if x.rule in WAIVER_LEVELS and exception_level not in WAIVER_LEVELS[x.rule]
    ]


# --- the register's own rules (no regulation) ------------------------------------------------
def check_reversible(*, kind: str, reversed_already: bool) -> list[Violation]:
    """An event is reversed once; a reversal or a reorganization is never reversed (the
    latter is adjusted by another reorganization decision)."""
    if kind in (EventKind.REVERSAL, EventKind.REORGANIZATION):
        return [
            Violation(
                MembershipErrorCode.KHONG_HUY_DUOC,
                "",
                "không hủy bỏ được sự kiện này; sắp xếp tổ chức được điều chỉnh bằng "
                "một quyết định sắp xếp khác",
            )
        ]
    if reversed_already:
        return [Violation(MembershipErrorCode.DA_HUY, "", "sự kiện này đã được hủy bỏ trước đó")]
    return []


def check_class_dates(*, starts_on: date, ends_on: date) -> list[Violation]:
    """A training class ends on or after the day it starts."""
    if ends_on >= starts_on:
        return []
    return [
        Violation(MembershipErrorCode.NGAY_LOP_HOC, "", "ngày kết thúc lớp trước ngày khai giảng")
    ]


def check_certified_on(*, certified_on: date, ends_on: date) -> list[Violation]:
    """A class certificate is granted on or after the class ends."""
    if certified_on >= ends_on:
        return []
    return [
        Violation(
            MembershipErrorCode.NGAY_LOP_HOC,
            "",
            "ngày cấp giấy chứng nhận trước ngày bế giảng lớp",
        )
    ]


def check_not_member(*, name: str, member: bool) -> list[Violation]:
    """A person has one record in the members' register (`member`: already has one)."""
    if not member:
        return []
    return [Violation(MembershipErrorCode.DA_LA_DANG_VIEN, "", f"{name} đã có trong sổ đảng viên")]


def check_not_candidate(*, name: str, candidate: bool) -> list[Violation]:
    """A person is on the list of admission candidates once (`candidate`: already is)."""
    if not candidate:
        return []
    return [
        Violation(MembershipErrorCode.DA_CO, "", f"{name} đã có trong danh sách quần chúng ưu tú")
    ]
