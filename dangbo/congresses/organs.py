"""What a cell's congress elects (Điều lệ Đảng art. 24 and its implementing rules), as pure
functions returning :class:`~dangbo.core.errors.Violation` rows.

* A cell with **9 or more full members** elects a committee (chi ủy), then a secretary and
  one deputy **from among the committee**; under 294-QĐ/TW (from 1/7/2025) the committee
  has at most 7 members.
* A cell with **fewer than 9 full members** elects no committee: a secretary and, where
  needed, one deputy, directly.
* A cell has no standing committee and no inspection commission of its own.

The number of full members is the congress's ``summoned`` (an all-member congress summons
the full members). Each check cites the Charter implementing rules in force on the
congress date (:func:`dangbo.rulebook.rules_on`); the parameters are versioned here with the
same effective dates.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from dangbo.congresses.error_codes import CongressRule
from dangbo.core.errors import Violation
from dangbo.rulebook import in_force, rules_on


@dataclass(frozen=True)
class CellOrganRules:
    effective_from: date
    committee_min_full_members: int = 9
    committee_max: int | None = None  # no cap written before 294-QĐ/TW
    deputies_max: int = 1


CELL_ORGAN_RULES: tuple[CellOrganRules, ...] = (
    CellOrganRules(effective_from=date(2016, 7, 25)),
    CellOrganRules(effective_from=date(2025, 7, 1), committee_max=7),
)

#: Elections a cell never holds.
NOT_AT_A_CELL = {
    "standing": "Ban Thường vụ",
    "inspection": "Ủy ban Kiểm tra",
    "inspection_chair": "Chủ nhiệm Ủy ban Kiểm tra",
}


def cell_organ_rules_on(on: date) -> CellOrganRules:
    return in_force(CELL_ORGAN_RULES, on)


def elects_committee(full_members: int, on: date) -> bool:
    """Whether a cell with `full_members` full members elects a committee (chi ủy)."""
    return full_members >= cell_organ_rules_on(on).committee_min_full_members


def check_cell_election(*, what: str, seats: int, full_members: int, on: date) -> list[Violation]:
    """The election `what` of `seats` at the congress of a cell with `full_members` full
    members: a committee only from 9 full members and within the cap, at most one deputy,
    no standing committee or inspection commission."""
    rs = cell_organ_rules_on(on)
    regulation = rules_on(on).code
    out: list[Violation] = []

    def v(message: str) -> None:
        out.append(
            Violation(rule=CongressRule.CO_CAU_CHI_BO, regulation=regulation, message=message)
        )

    n = rs.committee_min_full_members
    if what in NOT_AT_A_CELL:
        v(f"chi bộ không bầu {NOT_AT_A_CELL[what]}")
    elif what == "committee" and full_members < n:
        v(
            f"chi bộ có dưới {n} đảng viên chính thức ({full_members}) không bầu chi ủy; "
            "đại hội bầu trực tiếp bí thư và một phó bí thư (nếu cần)"
        )
    elif what == "committee" and rs.committee_max is not None and seats > rs.committee_max:
        v(f"chi ủy có không quá {rs.committee_max} ủy viên; không bầu {seats}")
    elif what == "deputy" and seats > rs.deputies_max:
        v(f"chi bộ bầu {rs.deputies_max} phó bí thư; không bầu {seats}")
    return out


def check_officers_from_committee(
    *,
    what: str,
    full_members: int,
    committee_elected: bool,
    outside: Collection[str],
    on: date,
) -> list[Violation]:
    """At a cell of 9 or more full members the secretary and the deputy are elected from
    among the committee just elected (`committee_elected`: the committee election has
    elected someone; `outside`: the names of candidates not elected to it)."""
    if what not in ("secretary", "deputy") or not elects_committee(full_members, on):
        return []
    regulation = rules_on(on).code
    n = cell_organ_rules_on(on).committee_min_full_members
    label = "bí thư" if what == "secretary" else "phó bí thư"
    if not committee_elected:
        message = (
            f"chi bộ có từ {n} đảng viên chính thức trở lên ({full_members}) bầu chi ủy trước, "
            f"rồi bầu {label} trong số chi ủy viên"
        )
    elif outside:
        message = f"{label} chi bộ được bầu trong số chi ủy viên; {', '.join(outside)} không trúng cử chi ủy"
    else:
        return []
    return [Violation(rule=CongressRule.CO_CAU_CHI_BO, regulation=regulation, message=message)]
