"""The dues rules (DOMAIN §8): the rate of a member for a month, under the regulation in
force in that month.

A month is the unit: the rule set in force on the month's first day applies to the whole
month (February 2026 is the first month of 01-QĐ/TW). The rate is a pure function of the
member's facts for the month (:class:`MonthFacts`); the stored charges, the figures and the
collection book all come from :func:`monthly_due`.

Amounts are whole đồng, rounded half up. Parameters marked UNCONFIRMED are not stated by the
sources at hand; they are data of the rule set, so an office can correct them here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache

from dangbo.core.dates import add_months, add_years
from dangbo.core.errors import Violation
from dangbo.dues.reference import Region, minimum_wage, retirement_date
from dangbo.rulebook import in_force


class Category(StrEnum):  # đối tượng đóng đảng phí
    SALARY = "luong"  # hưởng lương: tiền lương làm căn cứ đóng BHXH
    PENSION = "huu_tri"  # hưởng lương hưu
    STUDENT = "hoc_sinh"  # học sinh, sinh viên
    OTHER = "khac"  # khác: theo lương tối thiểu vùng


CATEGORY_LABELS: dict[Category, str] = {
    Category.SALARY: "Hưởng lương (tiền lương đóng BHXH)",
    Category.PENSION: "Hưởng lương hưu",
    Category.STUDENT: "Học sinh, sinh viên",
    Category.OTHER: "Đối tượng khác (lương tối thiểu vùng)",
}


class ExemptReason(StrEnum):  # lý do miễn đóng đảng phí
    PARTY_AGE = "tuoi_dang"  # tuổi đảng từ 50 năm — tính từ sổ đảng viên
    SOCIAL_PENSION = "tro_cap_xa_hoi"  # hưởng trợ cấp xã hội
    POOR = "ho_ngheo"  # hộ nghèo
    NEAR_POOR = "ho_can_ngheo"  # hộ cận nghèo
    ILLNESS = "om_dau"  # ốm đau hiểm nghèo, có đơn đề nghị


EXEMPT_LABELS: dict[ExemptReason, str] = {
    ExemptReason.PARTY_AGE: "Tuổi đảng từ 50 năm",
    ExemptReason.SOCIAL_PENSION: "Hưởng trợ cấp xã hội",
    ExemptReason.POOR: "Hộ nghèo",
    ExemptReason.NEAR_POOR: "Hộ cận nghèo",
    ExemptReason.ILLNESS: "Ốm đau hiểm nghèo (có đơn đề nghị)",
}


class DuesRule(StrEnum):
    REDUCTION_PERCENT = "dang_phi_muc_giam"
    REDUCTION_MONTHS = "dang_phi_thoi_han_giam"
    REDUCTION_NOT_ALLOWED = "dang_phi_khong_co_giam"
    EXEMPTION_NOT_ALLOWED = "dang_phi_ly_do_mien"
    BASE_REQUIRED = "dang_phi_can_cu"


@dataclass(frozen=True)
class DuesRuleSet:
    code: str
    title: str
    effective_from: date
    salary_permille: int = 10  # 1% of the salary used for social insurance
    pension_permille: int = 5  # 0.5% of the pension
    # fixed monthly amounts (đồng); None: a percentage of the regional minimum wage
    student_amount: int = 5_000
    other_amount: int | None = None
    # per 10,000 of the regional minimum wage, by the first year of each step
    other_working_steps: tuple[tuple[int, int], ...] = ()  # below retirement age
    other_retired_steps: tuple[tuple[int, int], ...] = ()  # at or above it
    exempt_party_age_years: int | None = None
    exempt_reasons_on_decision: tuple[ExemptReason, ...] = ()
    reduction_percents: tuple[int, ...] = ()
    reduction_max_months: int = 0
    # share of the collection kept (percent): a cell under a base committee; a commune or
    # ward base organization; another base organization; each level above
    cell_keeps: int = 30
    ward_base_keeps: int = 90
    other_base_keeps: int = 70
    upper_keeps: int = 50
    notes: tuple[str, ...] = field(default=())


RULE_SETS: tuple[DuesRuleSet, ...] = (
    DuesRuleSet(
        code="Quyết định 342-QĐ/TW",
        title="Quy định về chế độ đảng phí (28/12/2010)",
        effective_from=date(2011, 1, 1),
        # UNCONFIRMED: the fixed amounts for students and for other members
        student_amount=2_000,
        other_amount=5_000,
        # UNCONFIRMED: which exemptions a cell could grant on request
        exempt_reasons_on_decision=(ExemptReason.ILLNESS, ExemptReason.POOR),
        # UNCONFIRMED: a cell under a base committee keeps 30–50 %; 30 % is assumed
        cell_keeps=30,
        notes=("Mức cố định của học sinh và đối tượng khác chưa được xác nhận (UNCONFIRMED).",),
    ),
    DuesRuleSet(
        code="Quy định 01-QĐ/TW",
        title="Quy định về chế độ đảng phí (hiệu lực từ 1/2/2026)",
        effective_from=date(2026, 2, 1),
        student_amount=5_000,
        other_amount=None,
        other_working_steps=((2026, 30), (2028, 50)),
        other_retired_steps=((2026, 20), (2028, 30)),
        exempt_party_age_years=50,
        exempt_reasons_on_decision=(
            ExemptReason.SOCIAL_PENSION,
            ExemptReason.POOR,
            ExemptReason.NEAR_POOR,
            ExemptReason.ILLNESS,
        ),
        reduction_percents=(30, 50, 70),
        reduction_max_months=12,
        # UNCONFIRMED: the sharing rule of 01-QĐ/TW; the shares of 342-QĐ/TW are kept
        notes=("Tỷ lệ trích giữ lại các cấp theo 01-QĐ/TW chưa được xác nhận (UNCONFIRMED).",),
    ),
)


@lru_cache(maxsize=4096)
def dues_rules_on(on: date) -> DuesRuleSet:
    """The dues rule set in force on `on` (a month: its first day)."""
    return in_force(RULE_SETS, on)


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_label(d: date) -> str:
    """ "tháng 2/2026"."""
    return f"tháng {d.month}/{d.year}"


def month_end(d: date) -> date:
    """The last day of `d`'s month."""
    return add_months(month_start(d), 1) - timedelta(days=1)


@dataclass(frozen=True)
class MonthFacts:
    """What the rate of one member for one month depends on."""

    month: date  # the first day
    category: Category | str | None
    base_amount: int = 0  # salary or pension (đồng); unused for students and others
    region: Region | str = ""
    birth_date: date | None = None
    gender: str = "nam"
    party_anchor: date | None = None  # the ledger's party-age anchor in this spell
    exempt_reason: ExemptReason | str = ""  # an exemption decision in force
    reduction_percent: int = 0  # a reduction decision in force


@dataclass(frozen=True)
class Due:
    amount: int
    full_amount: int  # before exemption and reduction
    regulation: str
    exempt_reason: str = ""
    reduction_percent: int = 0
    basis: str = ""  # how the full amount was obtained, for the book


def _part(amount: int, per: int, of: int) -> int:
    return int((Decimal(amount) * per / of).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _step(steps: tuple[tuple[int, int], ...], year: int) -> int:
    value = steps[0][1]
    for first_year, per in steps:
        if year >= first_year:
            value = per
    return value


@lru_cache(maxsize=131_072)
def party_age_exempt_from(anchor: date | None, years: int | None) -> date | None:
    """The first month of the exemption for party age: the month the age is reached."""
    if anchor is None or years is None:
        return None
    return month_start(add_years(anchor, years))


def monthly_due(facts: MonthFacts) -> Due:
    """The member's dues for the month.

    Edge cases: no category recorded → 0 with an empty basis (the book shows it as
    missing); an exemption (recorded, or party age reaching the rule set's years within the
    month) makes the amount 0 but keeps the full amount; a reduction takes its percentage
    off the full amount; an exemption the rule set does not know is ignored.
    """
    return due_of(
        facts.month,
        facts.category,
        facts.base_amount,
        facts.region,
        facts.birth_date,
        facts.gender,
        facts.party_anchor,
        facts.exempt_reason,
        facts.reduction_percent,
    )


def due_of(
    month: date,
    category: str | None,
    base_amount: int,
    region: str,
    birth_date: date | None,
    gender: str,
    party_anchor: date | None,
    exempt_reason: str,
    reduction_percent: int,
) -> Due:
    """:func:`monthly_due` with the facts given one by one (for computing in bulk)."""
    rules = dues_rules_on(month)
    start = party_age_exempt_from(party_anchor, rules.exempt_party_age_years)
    retired = (
        category == Category.OTHER
        and birth_date is not None
        and month_start(retirement_date(birth_date, gender)) <= month
    )
    return _due(
        month,
        str(category or ""),
        base_amount,
        str(region),
        retired,
        start is not None and start <= month,
        str(exempt_reason),
        reduction_percent,
    )


@lru_cache(maxsize=262_144)
def _due(
    month: date,
    category: str,
    base_amount: int,
    region: str,
    retired: bool,
    party_age: bool,
    exempt_reason: str,
    reduction_percent: int,
) -> Due:
    """:func:`monthly_due` from what it depends on, the person reduced to two flags (at or
    above retirement age, party age reached) so that members alike share one result."""
    rules = dues_rules_on(month)
    full, basis = _full_amount(rules, month, category, base_amount, region, retired)
    exempt = ""
    if party_age:
        exempt = ExemptReason.PARTY_AGE.value
    elif exempt_reason and exempt_reason in rules.exempt_reasons_on_decision:
        exempt = exempt_reason
    if exempt:
        return Due(0, full, rules.code, exempt_reason=exempt, basis=basis)
    percent = reduction_percent if reduction_percent in rules.reduction_percents else 0
    amount = full - _part(full, percent, 100) if percent else full
    return Due(amount, full, rules.code, reduction_percent=percent, basis=basis)


def _full_amount(
    rules: DuesRuleSet, month: date, category: str, base_amount: int, region: str, retired: bool
) -> tuple[int, str]:
    if category == Category.SALARY:
        return _part(base_amount, rules.salary_permille, 1000), "1% tiền lương"
    if category == Category.PENSION:
        return _part(base_amount, rules.pension_permille, 1000), "0,5% lương hưu"
    if category == Category.STUDENT:
        return rules.student_amount, "mức cố định"
    if category == Category.OTHER:
        if rules.other_amount is not None:
            return rules.other_amount, "mức cố định"
        if not region:
            return 0, ""
        wage, _source = minimum_wage(region, month)
        steps = rules.other_retired_steps if retired else rules.other_working_steps
        per = _step(steps, month.year)
        text = f"{per / 100:.1f}".replace(".", ",") + f"% lương tối thiểu vùng {region}"
        return _part(wage, per, 10_000), text
    return 0, ""


def check_reduction(*, percent: int, months: int, from_month: date) -> list[Violation]:
    """A reduction decision: a percentage the rule set allows, for at most its months."""
    rules = dues_rules_on(month_start(from_month))
    if not rules.reduction_percents:
        return [
            Violation(
                DuesRule.REDUCTION_NOT_ALLOWED,
                rules.code,
                "quy định này không có chế độ giảm đảng phí",
                "from_month",
            )
        ]
    out = []
    if percent not in rules.reduction_percents:
        allowed = ", ".join(f"{p}%" for p in rules.reduction_percents)
        out.append(
            Violation(
                DuesRule.REDUCTION_PERCENT,
                rules.code,
                f"mức giảm đảng phí chỉ có thể là {allowed}",
                "percent",
            )
        )
    if not 1 <= months <= rules.reduction_max_months:
        out.append(
            Violation(
                DuesRule.REDUCTION_MONTHS,
                rules.code,
                f"mỗi quyết định giảm đảng phí tối đa {rules.reduction_max_months} tháng",
                "months",
            )
        )
    return out


def check_exemption(*, reason: str, from_month: date) -> list[Violation]:
    """An exemption decision: a reason the rule set in force lets a decision grant."""
    rules = dues_rules_on(month_start(from_month))
    if reason in rules.exempt_reasons_on_decision:
        return []
    return [
        Violation(
            DuesRule.EXEMPTION_NOT_ALLOWED,
            rules.code,
            "lý do miễn đóng đảng phí này không được quy định"
            + (" (tuổi đảng được tính tự động từ sổ đảng viên)" if reason == "tuoi_dang" else ""),
            "reason",
        )
    ]
