"""The versioned rulebook (DOMAIN §10): which rules were in force on a date.

A rule set carries its parameters as data; the checks in :mod:`dangbo.membership.rules`
read them and cite the regulation of the set in force on the fact's date.
Parameters the sources leave open are kept here so an office can adjust them without
touching the checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypeVar


class _Dated(Protocol):
    @property
    def effective_from(self) -> date: ...


T = TypeVar("T", bound=_Dated)


@dataclass(frozen=True)
class RuleSet:
    code: str  # "Quy định 24-QĐ/TW"
    title: str
    effective_from: date
    admission_min_months: int = 18 * 12
    admission_max_months: int = 60 * 12
    # counted from the admission ceremony held by the cell (Charter art. 5); the decision
    # date when a history does not record the ceremony
    probation_months: int = 12
    probationary_discipline_forms: tuple[str, ...] = ("khien_trach", "canh_cao")
    badge_milestones: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
    # early award for the seriously ill: up to N months before the milestone
    badge_early_months_upto_65: int = 12
    badge_early_months_from_70: int = 24
    # a posthumous award: up to N months before the milestone, whatever the milestone
    badge_early_months_posthumous: int = 12
    readmission_wait_months: int = 36
    # counted from the clearing of the criminal record (xóa án tích), minor convictions only
    readmission_wait_after_conviction_months: int = 60
    readmission_max: int = 1
    # never readmitted: those who asked to leave (ra_khoi_dang), those removed for not
    # attending (removal reason bo_sinh_hoat), and those convicted of these kinds of crime
    readmission_barred_out_reasons: tuple[str, ...] = ("ra_khoi_dang",)
    readmission_barred_removal_reasons: tuple[str, ...] = ("bo_sinh_hoat",)
    readmission_barred_convictions: tuple[str, ...] = (
        "tham_nhung",
        "nghiem_trong",
        "rat_nghiem_trong",
        "dac_biet_nghiem_trong",
    )
    # the written consent of the provincial standing committee
    readmission_needs_consent: bool = True
    # from N months to under `temporary_max_months` (study: up to and including
    # `temporary_study_max_months`)
    temporary_min_months: int = 3
    temporary_max_months: int = 12
    temporary_study_max_months: int = 24
    cell_min_full_members: int = 3
    # the admission decision within N working days of the cell's resolution; the ceremony
    # within N working days of the decision
    admission_decision_working_days: int = 60
    admission_ceremony_working_days: int = 30
    base_committee_min_members: int = 30
    notes: tuple[str, ...] = field(default=())


RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        code="Quy định 29-QĐ/TW",
        title="Quy định thi hành Điều lệ Đảng (25/7/2016)",
        effective_from=date(2016, 7, 25),
    ),
    RuleSet(
        code="Quy định 24-QĐ/TW",
        title="Quy định thi hành Điều lệ Đảng (30/7/2021)",
        effective_from=date(2021, 7, 30),
    ),
    RuleSet(
        code="Quy định 232-QĐ/TW",
        title="Quy định thi hành Điều lệ Đảng (20/1/2025)",
        effective_from=date(2025, 1, 20),
    ),
    RuleSet(
        code="Quy định 294-QĐ/TW",
        title="Quy định thi hành Điều lệ Đảng (hiệu lực từ 1/7/2025)",
        effective_from=date(2025, 7, 1),
    ),
)


def in_force(rule_sets: Sequence[T], on: date) -> T:
    """The rule set of `rule_sets` (ordered by `effective_from`) in force on `on`;
    the earliest one for facts older than all of them."""
    current = rule_sets[0]
    for rule_set in rule_sets:
        if rule_set.effective_from <= on:
            current = rule_set
    return current


def rules_on(on: date) -> RuleSet:
    """The Charter implementing rule set in force on `on`."""
    return in_force(RULE_SETS, on)
