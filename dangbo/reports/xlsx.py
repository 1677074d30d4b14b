"""The tables of figures as Excel workbooks.

`figures_xlsx`: an organization's figures for a period. Sheet «Số liệu»: the stocks (start
and end of the period), the flows, badges by milestone and disciplines by form; sheet «Cơ
cấu»: the end stock by each dimension of the statistical forms; sheet «Công tác đảng»: the
other families' figures (congresses, inspections, targets, grading). Every count is a number
cell, never text; the last column holds the figure's canonical key (the key of ``stats
--format json``) so a program can read the workbook back.

`units_xlsx`: the same membership figures for all units of an organization side by side
(:mod:`dangbo.reports.units`), with the total row and the organization's own row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from dangbo.figure_labels import (
    BREAKDOWN_LABELS,
    DISCIPLINE_LABELS,
    LABELS,
    breakdowns_caption,
    value_label,
)
from dangbo.figures import FLOWS, STOCKS
from dangbo.reports.units import KEYS, UnitsTable, key_label
from dangbo.reports.xlsx_tables import Column, Sheet, period_line, workbook
from dangbo.statistics import PeriodStatistics


def _membership_rows(figures: PeriodStatistics) -> Iterator[list[Any]]:
    f = figures.membership
    n = 0
    for key in STOCKS:
        n += 1
        yield [n, LABELS[key], f.count(f"{key}_start"), f.count(f"{key}_end"), None, key]
    for key in FLOWS:
        n += 1
        yield [n, LABELS[key], None, None, f.count(key), key]
    for years, count in f.badges_by_milestone.items():
        yield [None, f"  Huy hiệu {years} năm tuổi Đảng", None, None, count, f"badges_{years}"]
    n += 1
    yield [n, LABELS["disciplined_total"], None, None, f.disciplined_total, "disciplined_total"]
    for form, count in f.disciplined.items():
        yield [None, f"  {DISCIPLINE_LABELS.get(form, form)}", None, None, count, form]


def _other_rows(figures: PeriodStatistics) -> Iterator[list[Any]]:
    """The numbers of the other families, by canonical key (grading's under ``grading.``)."""
    membership = set(figures.membership.to_dict())
    canonical = figures.canonical()
    grading = canonical.pop("grading", None)
    items = [(k, v) for k, v in canonical.items() if k not in membership]
    if isinstance(grading, dict):
        items += [(f"grading.{k}", v) for k, v in grading.items()]
    n = 0
    for key, value in items:
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        n += 1
        label = LABELS.get(key.removeprefix("grading."), key)
        yield [n, label, value, key]


def figures_xlsx(figures: PeriodStatistics, *, org_name: str, org_code: str = "") -> bytes:
    """The workbook of `figures` for the organization named `org_name`, as bytes."""
    f = figures.membership
    start, end = f.start, f.end
    org = f"{org_name} ({org_code})" if org_code else org_name
    period = period_line(start, end)
    eve = start - timedelta(days=1)
    main = Sheet(
        name="Số liệu",
        title="SỐ LIỆU ĐẢNG VIÊN",
        org=org,
        period=period,
        columns=[
            Column("STT", 6),
            Column("Chỉ tiêu", 52),
            Column(f"Đầu kỳ ({eve:%d/%m/%Y})", 21),
            Column(f"Cuối kỳ ({end:%d/%m/%Y})", 21),
            Column("Trong kỳ", 12),
            Column("Mã chỉ tiêu", 22),
        ],
        rows=_membership_rows(figures),
        boxed=True,
    )
    structure = Sheet(
        name="Cơ cấu",
        title=breakdowns_caption(end, f.breakdowns_as_of).upper(),
        org=org,
        period=period,
        columns=[
            Column("Tiêu chí", 26),
            Column("Nhóm", 36),
            Column("Số đảng viên", 14),
            Column("Mã chỉ tiêu", 16),
        ],
        rows=(
            [BREAKDOWN_LABELS.get(dim, dim), value_label(dim, value), count, dim]
            for dim, values in (f.breakdowns or {}).items()
            for value, count in values.items()
        ),
        boxed=True,
    )
    other = Sheet(
        name="Công tác đảng",
        title="SỐ LIỆU CÔNG TÁC XÂY DỰNG ĐẢNG",
        org=org,
        period=period,
        columns=[
            Column("STT", 6),
            Column("Chỉ tiêu", 60),
            Column("Số liệu", 12),
            Column("Mã chỉ tiêu", 34),
        ],
        rows=_other_rows(figures),
        boxed=True,
    )
    return workbook(main, structure, other)


def units_sheet(table: UnitsTable) -> Sheet:
    """The sheet of `table`: STT, unit, code, then one column per figure of
    :data:`dangbo.reports.units.KEYS`; the total row, the organization's own row, notes."""
    own = f"{table.name} ({table.code})" if table.code else table.name
    return Sheet(
        name="Các đơn vị",
        title="SỐ LIỆU ĐẢNG VIÊN CỦA CÁC ĐƠN VỊ TRỰC THUỘC",
        org=own,
        period=period_line(table.start, table.end),
        columns=[
            Column("STT", 5),
            Column("Đơn vị", 44),
            Column("Mã", 10),
            *(Column(key_label(k), 14) for k in KEYS),
        ],
        rows=([i, u.name, u.code, *u.values()] for i, u in enumerate(table.units, start=1)),
        footer=[
            [None, "Cộng các đơn vị", None, *table.total()],
            [None, f"Số liệu chung của {table.name}", table.code, *table.own_values()],
        ],
        notes=table.notes(),
        landscape=True,
        freeze_columns=3,
        fit_width=False,
        boxed=True,
    )


def units_xlsx(table: UnitsTable) -> bytes:
    """The workbook of the units' table."""
    return workbook(units_sheet(table))
