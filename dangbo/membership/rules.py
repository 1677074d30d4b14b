"""Rule checks of the membership ledger, each citing the rule set in force on the date.

A check returns :class:`Violation` rows naming the input that is wrong; the service refuses
the event unless an exception decision of a level that may waive every broken rule is
attached (:data:`RULES` says, rule by rule, which levels a regulation lets waive it — most
rules none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dangbo.core.dates import add_months, add_working_days, months_between
from dangbo.core.errors import Violation
from dangbo.core.models import IssuerLevel
from dangbo.membership.error_codes import MembershipErrorCode, MembershipRule
from dangbo.membership.ledger import EventData, State
from dangbo.membership.models import EventKind, MemberStatus
from dangbo.rulebook import RuleSet, rules_on

_UPPER = frozenset({IssuerLevel.CENTRAL, IssuerLevel.PROVINCIAL})
_COMMITTEES = frozenset(
    {
        IssuerLevel.CENTRAL,
        IssuerLevel.PROVINCIAL,
        IssuerLevel.DISTRICT,
        IssuerLevel.COMMUNE,
        IssuerLevel.BASE,
    }
)


@dataclass(frozen=True)
class RuleSpec:
    """What a rule is about: the input it names, and the levels whose decision may waive it
    (empty: no decision waives it)."""

    field: str
    waivable_by: frozenset[str] = frozenset()


#: Every membership rule: its input and who may waive it.
RULES: dict[MembershipRule, RuleSpec] = {
    # over 60 / under 18: the provincial standing committee (Charter art. 1, and the
    # confirmation of wartime admissions), or the centre
    MembershipRule.TUOI_KET_NAP_DUOI_18: RuleSpec("effective_on", _UPPER),
    MembershipRule.TUOI_KET_NAP_TREN_60: RuleSpec("effective_on", _UPPER),
    # the ceremony within 30 working days: a later one is reported to and allowed by a committee
    MembershipRule.NGAY_LE_KET_NAP: RuleSpec("details.ceremony_on", _COMMITTEES),
    # the recognition date as the committee that decides it confirmed it in an old history
    MembershipRule.NGAY_CHINH_THUC: RuleSpec("effective_on", _COMMITTEES),
    # readmission: special cases only by the Secretariat
    MembershipRule.THOI_GIAN_KET_NAP_LAI: RuleSpec(
        "effective_on", frozenset({IssuerLevel.CENTRAL})
    ),
    MembershipRule.KET_NAP_LAI_MOT_LAN: RuleSpec("kind", frozenset({IssuerLevel.CENTRAL})),
    MembershipRule.KHONG_KET_NAP_LAI: RuleSpec("kind"),
    MembershipRule.DONG_Y_KET_NAP_LAI: RuleSpec("details.consent"),
    MembershipRule.KY_LUAT_DU_BI: RuleSpec("form"),
    MembershipRule.THE_DANG_VIEN: RuleSpec("kind"),
    MembershipRule.MOC_HUY_HIEU: RuleSpec("badge_years"),
    MembershipRule.TUOI_DANG_HUY_HIEU: RuleSpec("badge_years", frozenset({IssuerLevel.CENTRAL})),
    MembershipRule.THOI_HAN_TAM_THOI: RuleSpec("until"),
}


#: The rules checked on each kind of event.
KIND_RULES: dict[str, tuple[MembershipRule, ...]] = {
    EventKind.ADMISSION: (
        MembershipRule.TUOI_KET_NAP_DUOI_18,
        MembershipRule.TUOI_KET_NAP_TREN_60,
        MembershipRule.NGAY_LE_KET_NAP,
    ),
    EventKind.READMISSION: (
        MembershipRule.TUOI_KET_NAP_DUOI_18,
        MembershipRule.TUOI_KET_NAP_TREN_60,
        MembershipRule.NGAY_LE_KET_NAP,
        MembershipRule.THOI_GIAN_KET_NAP_LAI,
        MembershipRule.KET_NAP_LAI_MOT_LAN,
        MembershipRule.KHONG_KET_NAP_LAI,
        MembershipRule.DONG_Y_KET_NAP_LAI,
    ),
    EventKind.RECOGNITION: (MembershipRule.NGAY_CHINH_THUC,),
    EventKind.DISCIPLINE: (MembershipRule.KY_LUAT_DU_BI,),
    EventKind.CARD: (MembershipRule.THE_DANG_VIEN,),
    EventKind.BADGE: (MembershipRule.MOC_HUY_HIEU, MembershipRule.TUOI_DANG_HUY_HIEU),
    EventKind.TEMPORARY_OUT: (MembershipRule.THOI_HAN_TAM_THOI,),
}

#: Event kinds with a rule some level may waive: an exception decision can be attached.
WAIVABLE_KINDS = frozenset(
    kind for kind, rules in KIND_RULES.items() if any(RULES[r].waivable_by for r in rules)
)


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

    def v(rule: MembershipRule, message: str, field: str = "") -> None:
        out.append(Violation(rule, rs.code, message, field or RULES[rule].field))

    if event.kind in (EventKind.ADMISSION, EventKind.READMISSION):
        _check_admission(event, rs, person, v)
    if event.kind == EventKind.READMISSION and before.out_since is not None:
        _check_readmission(event, before, rs, v)
    if event.kind == EventKind.RECOGNITION and before.last_admitted_on is not None:
        start = before.probation_from or before.last_admitted_on
        expected = add_months(start, rs.probation_months)
        since = (
            f"lễ kết nạp ngày {start:%d/%m/%Y}"
            if start != before.last_admitted_on
            else f"ngày kết nạp {start:%d/%m/%Y} (không ghi ngày lễ kết nạp)"
        )
        if on != expected:
            v(
                MembershipRule.NGAY_CHINH_THUC,
                f"ngày công nhận chính thức phải đúng ngày hết {rs.probation_months} tháng dự bị "
                f"kể từ {since}, tức ngày {expected:%d/%m/%Y}, kể cả khi quyết định ban hành muộn; "
                f"không phải {on:%d/%m/%Y}",
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
        status = MemberStatus(before.status).label.lower() if before.status else "chưa vào Đảng"
        v(
            MembershipRule.THE_DANG_VIEN,
            f"chỉ phát thẻ cho đảng viên chính thức; ngày {on:%d/%m/%Y} người này là {status}",
        )
    if event.kind == EventKind.BADGE and event.badge_years is not None:
        _check_badge(event, before, rs, v)
    if event.kind == EventKind.OPENING:
        _check_opening_badges(event, rs, v)
    if event.kind == EventKind.TEMPORARY_OUT and event.until is not None:
        _check_temporary(event, rs, v)
    return out


Report = Callable[..., None]


def _check_admission(event: EventData, rs: RuleSet, person: PersonData, v: Report) -> None:
    """Age 18–60 on the day the cell considers the candidate (the decision date when the
    history does not record it); the ceremony within the working days the set allows."""
    on = event.effective_on
    considered = event.considered_on
    at = considered or on
    when = f"ngày {at:%d/%m/%Y}" + (" (ngày chi bộ xét)" if considered else " (ngày kết nạp)")
    field = "details.considered_on" if considered else "effective_on"
    age = months_between(person.birth_date, at)
    if person.birth_date > at:
        v(
            MembershipRule.TUOI_KET_NAP_DUOI_18,
            f"người được kết nạp phải đủ {rs.admission_min_months // 12} tuổi; "
            f"{person.full_name} sinh ngày {person.birth_date:%d/%m/%Y}, sau {when}",
            field,
        )
    elif age < rs.admission_min_months:
        v(
            MembershipRule.TUOI_KET_NAP_DUOI_18,
            f"người được kết nạp phải đủ {rs.admission_min_months // 12} tuổi (tính theo tháng) "
            f"khi chi bộ xét; {person.full_name} mới {_age(age)} vào {when}",
            field,
        )
    elif age > rs.admission_max_months:
        v(
            MembershipRule.TUOI_KET_NAP_TREN_60,
            f"người trên {rs.admission_max_months // 12} tuổi khi chi bộ xét chỉ được kết nạp khi có "
            f"quyết định đồng ý của tỉnh ủy, thành ủy; {person.full_name} đã {_age(age)} vào {when}",
            field,
        )
    ceremony = event.ceremony_on
    if ceremony is not None:
        latest = add_working_days(on, rs.admission_ceremony_working_days)
        if ceremony > latest:
            v(
                MembershipRule.NGAY_LE_KET_NAP,
                f"lễ kết nạp phải tổ chức trong {rs.admission_ceremony_working_days} ngày làm việc "
                f"kể từ ngày quyết định kết nạp {on:%d/%m/%Y} (đến ngày {latest:%d/%m/%Y}); "
                f"không phải {ceremony:%d/%m/%Y}",
            )


def _check_readmission(event: EventData, before: State, rs: RuleSet, v: Report) -> None:
    """Who may never be readmitted, the waiting period (for a convicted person from the
    clearing of the criminal record), once only, and the provincial consent."""
    on, details = event.effective_on, event.details
    assert before.out_since is not None  # a former member
    if before.out_reason in rs.readmission_barred_out_reasons:
        v(
            MembershipRule.KHONG_KET_NAP_LAI,
            "không xem xét kết nạp lại người trước đây xin ra khỏi Đảng",
        )
    elif (
        before.out_reason == "xoa_ten" and before.out_form in rs.readmission_barred_removal_reasons
    ):
        v(
            MembershipRule.KHONG_KET_NAP_LAI,
            "không xem xét kết nạp lại người trước đây bị xóa tên vì tự ý bỏ sinh hoạt đảng",
        )
    kind = str(details.get("conviction_kind") or "")
    if kind in rs.readmission_barred_convictions:
        v(
            MembershipRule.KHONG_KET_NAP_LAI,
            "không xem xét kết nạp lại người bị kết án về tội tham nhũng hoặc tội từ nghiêm trọng "
            "trở lên",
            "details.conviction_kind",
        )
    elif details.get("conviction") or kind:
        cleared = event.detail_date("record_cleared_on")
        wait = rs.readmission_wait_after_conviction_months
        if cleared is None:
            v(
                MembershipRule.THOI_GIAN_KET_NAP_LAI,
                f"người bị kết án chỉ được kết nạp lại sau ít nhất {wait} tháng kể từ ngày được "
                "xóa án tích; chưa ghi ngày xóa án tích",
                "details.record_cleared_on",
            )
        elif months_between(cleared, on) < wait or cleared > on:
            v(
                MembershipRule.THOI_GIAN_KET_NAP_LAI,
                f"người bị kết án chỉ được kết nạp lại sau ít nhất {wait} tháng kể từ ngày được "
                f"xóa án tích ({cleared:%d/%m/%Y}); mới được {max(months_between(cleared, on), 0)} "
                "tháng",
            )
    else:
        wait = rs.readmission_wait_months
        gone = months_between(before.out_since, on)
        if gone < wait:
            v(
                MembershipRule.THOI_GIAN_KET_NAP_LAI,
                f"chỉ được kết nạp lại sau ít nhất {wait} tháng kể từ khi ra khỏi Đảng "
                f"(ngày {before.out_since:%d/%m/%Y}); mới được {gone} tháng",
            )
    if before.readmissions >= rs.readmission_max:
        v(MembershipRule.KET_NAP_LAI_MOT_LAN, "mỗi người chỉ được kết nạp lại một lần")
    if rs.readmission_needs_consent and not str(details.get("consent") or "").strip():
        v(
            MembershipRule.DONG_Y_KET_NAP_LAI,
            "kết nạp lại phải có văn bản đồng ý của ban thường vụ tỉnh ủy, thành ủy; "
            "chưa ghi số văn bản đồng ý",
        )


def _check_badge(event: EventData, before: State, rs: RuleSet, v: Report) -> None:
    """A milestone of the set, never one it does not have (no decision creates one); the party
    age reached, early by at most the margin for the seriously ill or a posthumous award."""
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
    if event.posthumous:
        margin = rs.badge_early_months_posthumous
    elif event.early:
        margin = rs.badge_early_months_upto_65 if years <= 65 else rs.badge_early_months_from_70
    else:
        margin = 0
    required = years * 12 - margin
    if age < required:
        how = " (truy tặng)" if event.posthumous else " (trao sớm)" if event.early else ""
        v(
            MembershipRule.TUOI_DANG_HUY_HIEU,
            f"Huy hiệu {years} năm tuổi Đảng{how} cần tuổi Đảng từ {required // 12} năm "
            f"{required % 12} tháng; tuổi Đảng {'khi từ trần ' if event.posthumous else ''}"
            f"là {age // 12} năm {age % 12} tháng",
        )


def _check_temporary(event: EventData, rs: RuleSet, v: Report) -> None:
    """From the minimum to under the maximum (study: up to and including its maximum)."""
    on, until = event.effective_on, event.until
    assert until is not None
    study = event.form == "hoc_tap"
    shortest = add_months(on, rs.temporary_min_months)
    if study:
        fits = shortest <= until <= add_months(on, rs.temporary_study_max_months)
        span = (
            f"từ {rs.temporary_min_months} tháng đến {rs.temporary_study_max_months} tháng (đi học)"
        )
    else:
        fits = shortest <= until < add_months(on, rs.temporary_max_months)
        span = f"từ {rs.temporary_min_months} tháng đến dưới {rs.temporary_max_months} tháng"
    if not fits:
        v(
            MembershipRule.THOI_HAN_TAM_THOI,
            f"sinh hoạt tạm thời {span}; đề nghị từ {on:%d/%m/%Y} đến {until:%d/%m/%Y}",
        )


def _levels(levels: frozenset[str]) -> str:
    order = [lv for lv in IssuerLevel.values if lv in levels]
    return " hoặc ".join(IssuerLevel(lv).label for lv in order)


def _check_opening_badges(event: EventData, rs: RuleSet, v: Report) -> None:
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
    """The violations the attached exception decision (of `exception_level`) cannot waive.

    Each says why: no decision waives the rule (the field stays the rule's input), or only
    a decision of the levels listed does (the field is then the exception decision).
    """
    if exception_level is None:
        return violations
    refused = []
    for x in violations:
        spec = RULES.get(x.rule) if isinstance(x.rule, MembershipRule) else None
        allowed = spec.waivable_by if spec else frozenset()
        if exception_level in allowed:
            continue
        if allowed:
            note = (
                f"chỉ quyết định của {_levels(allowed)} mới miễn trừ được quy định này; quyết định "
                f"ngoại lệ kèm theo là của {IssuerLevel(exception_level).label}"
            )
            field = "exception_decision"
        else:
            note = "quy định này không có ngoại lệ, không quyết định nào miễn trừ được"
            field = x.field
        refused.append(Violation(x.rule, x.regulation, f"{x.message} ({note})", field))
    return refused


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
