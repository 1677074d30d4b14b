"""The figures of an organization's units side by side for a period: one row per unit, the
total of the rows, and the organization's own figures beside them.

The units are the organizations directly below it at any time in the period, each under the
name it last had in it. The total adds the unit rows; the organization's own row is its
own count, which differs from the total where it should: members sitting directly in the
organization (outside every unit), moves between two units (a transfer in and out for the
units, an internal move for the organization) and units reorganized during the period. The
table states which columns differ instead of forcing them equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangbo.figure_labels import LABELS
from dangbo.figures import FLOWS, STOCKS, MembershipFigures, membership_figures
from dangbo.organizations.models import Organization, OrgVersion

#: The figures of the table, in column order: each stock at the start and end, the flows,
#: the disciplined members.
KEYS: tuple[str, ...] = (
    *(f"{k}_{w}" for k in STOCKS for w in ("start", "end")),
    *FLOWS,
    "disciplined_total",
)


def key_label(key: str) -> str:
    """The column header of figure `key` ("Tổng số đảng viên đầu kỳ")."""
    for suffix, words in (("_start", "đầu kỳ"), ("_end", "cuối kỳ")):
        if key.endswith(suffix) and key.removesuffix(suffix) in STOCKS:
            return f"{LABELS[key.removesuffix(suffix)]} {words}"
    return LABELS[key]


def value(figures: MembershipFigures, key: str) -> int:
    """The count `key` of `figures`."""
    found = getattr(figures, key)
    assert isinstance(found, int)
    return found


@dataclass(frozen=True)
class UnitRow:
    org_id: int
    name: str
    code: str
    figures: MembershipFigures
    #: the first day it was no longer a unit of the organization, or the day it became one,
    #: within the period (None when it was one for the whole period)
    left_on: date | None = None
    joined_on: date | None = None

    def values(self) -> list[int]:
        return [value(self.figures, k) for k in KEYS]


@dataclass(frozen=True)
class UnitsTable:
    org_id: int
    name: str
    code: str
    start: date
    end: date
    units: list[UnitRow]
    own: MembershipFigures

    def total(self) -> list[int]:
        """The sum of the unit rows, column by column."""
        return [sum(col) for col in zip(*(u.values() for u in self.units), strict=True)] or [
            0 for _ in KEYS
        ]

    def own_values(self) -> list[int]:
        return [value(self.own, k) for k in KEYS]

    def differing(self) -> list[str]:
        """The keys where the organization's own figure is not the total of its units."""
        return [k for k, t, o in zip(KEYS, self.total(), self.own_values(), strict=True) if t != o]

    def notes(self) -> list[str]:
        """The notes under the table: units reorganized in the period, and the columns where
        the organization's own figure differs from the total, with why that can be."""
        out = []
        for u in self.units:
            if u.left_on is not None:
                out.append(
                    f"{u.name} thôi là đơn vị trực thuộc từ ngày {u.left_on:%d/%m/%Y} "
                    "(tổ chức lại trong kỳ); dòng của đơn vị là số liệu của chính đơn vị."
                )
            if u.joined_on is not None:
                out.append(
                    f"{u.name} là đơn vị trực thuộc từ ngày {u.joined_on:%d/%m/%Y} "
                    "(tổ chức lại trong kỳ)."
                )
        differ = self.differing()
        if differ:
            out.append(
                f"Số liệu của {self.name} khác tổng các đơn vị ở "
                + ", ".join(f"«{key_label(k)}»" for k in differ)
                + ": do đảng viên sinh hoạt trực tiếp tại tổ chức (không thuộc đơn vị nào), "
                "chuyển sinh hoạt hay sắp xếp giữa các đơn vị trong kỳ (với đơn vị là "
                "chuyển đến, chuyển đi; với tổ chức là chuyển nội bộ) hoặc đơn vị được tổ "
                "chức lại trong kỳ. Số liệu chung của tổ chức là dòng cuối."
            )
        return out


def units_table(org: Organization, start: date, end: date) -> UnitsTable:
    """The table of `org`'s units for [start, end]: units by code, each with its figures
    (four queries per unit, the organization's own figures, one for the units)."""
    versions = OrgVersion.objects.filter(
        parent=org, valid_from__lte=end, valid_to__gt=start
    ).order_by("org_id", "valid_from")
    spans: dict[int, tuple[OrgVersion, date, date]] = {}
    for v in versions:  # each unit as it last stood in the period, with its span under org
        first = spans[v.org_id][1] if v.org_id in spans else v.valid_from
        spans[v.org_id] = (v, first, v.valid_to)
    rows = []
    for org_id, (v, first, until) in spans.items():
        rows.append(
            UnitRow(
                org_id=org_id,
                name=v.name,
                code=v.code,
                figures=membership_figures(org_id, start, end, breakdowns=False),
                left_on=until if until <= end else None,
                joined_on=first if first > start else None,
            )
        )
    rows.sort(key=lambda u: (u.code, u.org_id))
    own = org.version_on(end) or org.version_on(start) or org.latest_version
    return UnitsTable(
        org_id=org.pk,
        name=own.name,
        code=own.code,
        start=start,
        end=end,
        units=rows,
        own=membership_figures(org, start, end, breakdowns=False),
    )
