"""The lists of the web application as xlsx sheets: candidates, badges (due and awarded), a
base organization's grading grid, an organization's targets grid.

Each function reads what its page reads (the same selectors) and returns the
:class:`~dangbo.reports.xlsx_tables.Sheet`; the views write and audit them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from dangbo.grading.models import NOT_GRADED, NOT_GRADED_LABEL, Grade
from dangbo.membership.agenda import BadgeDue
from dangbo.membership.models import EventKind, MemberEvent
from dangbo.membership.pipeline import Column as BoardColumn
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.reports.xlsx_tables import Column, Sheet
from dangbo.targets.figures import TargetFigures
from dangbo.targets.models import ReviewKind
from dangbo.web.grading.data import GridRow
from dangbo.web.targets.data import COLUMNS as REVIEW_COLUMNS
from dangbo.web.targets.data import GridTarget


def _day(on: date) -> str:
    return f"Ngày {on:%d/%m/%Y}"


def candidates_sheet(org_name: str, on: date, columns: list[BoardColumn]) -> Sheet:
    """The open candidates, column by column of the board (the step they wait for)."""
    cards = [c for column in columns for c in column.cards]
    return Sheet(
        name="Quần chúng ưu tú",
        title="DANH SÁCH QUẦN CHÚNG ƯU TÚ ĐANG PHÁT TRIỂN",
        org=org_name,
        period=_day(on),
        lines=[f"{len(cards)} quần chúng"],
        columns=[
            Column("STT", 6),
            Column("Họ và tên", 26),
            Column("Chi bộ", 30),
            Column("Bước đã qua", 28),
            Column("Ngày của bước", 13),
            Column("Bước tiếp theo", 28),
            Column("Hạn bước tiếp theo", 13),
            Column("Quá hạn", 9),
        ],
        rows=(
            [
                i,
                c.full_name,
                c.cell_name,
                c.stage_label,
                c.last_on,
                c.next_stage.label if c.next_stage else "",
                c.due_on,
                c.overdue,
            ]
            for i, c in enumerate(cards, start=1)
        ),
        landscape=True,
    )


BADGE_DUE_COLUMNS = [
    Column("STT", 6),
    Column("Họ và tên", 26),
    Column("Chi bộ", 30),
    Column("Ngày tính tuổi Đảng", 14),
    Column("Huy hiệu (năm tuổi Đảng)", 14),
    Column("Chỉ xét trao sớm (ốm nặng)", 14),
]


def badges_due_sheet(org_name: str, ceremony: date, due: list[BadgeDue], n: int) -> Sheet:
    """The members due a badge at the ceremony of `ceremony` (those only within the early
    margin last, marked)."""
    ordered = [b for b in due if not b.early] + [b for b in due if b.early]
    return Sheet(
        name=f"Đợt {n} ({ceremony:%d-%m-%Y})",
        title="DANH SÁCH ĐẢNG VIÊN ĐỦ TIÊU CHUẨN TẶNG HUY HIỆU ĐẢNG",
        org=org_name,
        period=f"Đợt trao ngày {ceremony:%d/%m/%Y}",
        lines=[
            f"{sum(not b.early for b in due)} đảng viên đến mốc, {sum(b.early for b in due)} xét trao sớm"
        ],
        columns=BADGE_DUE_COLUMNS,
        rows=(
            [i, b.full_name, b.cell_name, b.party_anchor, b.milestone, b.early]
            for i, b in enumerate(ordered, start=1)
        ),
    )


def badges_awarded(org: Organization, start: date, end: date) -> list[tuple[Any, ...]]:
    """(name, cell id, date, milestone, posthumous, decision number) of the badges awarded in
    `org`'s subtree from `start` to `end` (reversed awards left out), by date and name."""
    return list(
        MemberEvent.objects.filter(
            kind=EventKind.BADGE,
            effective_on__gte=start,
            effective_on__lte=end,
            reversed_by__isnull=True,
            to_org__closure_up__ancestor=org,
            to_org__closure_up__valid_from__lte=end,
            to_org__closure_up__valid_to__gt=start,
        )
        .order_by("effective_on", "member__person__full_name", "pk")
        .values_list(
            "member__person__full_name",
            "to_org_id",
            "effective_on",
            "badge_years",
            "posthumous",
            "decision__number",
        )
        .distinct()
    )


def badges_awarded_sheet(org_name: str, year: int, rows: list[tuple[Any, ...]]) -> Sheet:
    names = dict(
        OrgVersion.objects.filter(org_id__in={r[1] for r in rows})
        .order_by("org_id", "valid_from")
        .values_list("org_id", "name")
    )  # each cell by its latest name
    return Sheet(
        name=f"Đã trao năm {year}",
        title=f"DANH SÁCH ĐẢNG VIÊN ĐƯỢC TẶNG HUY HIỆU ĐẢNG NĂM {year}",
        org=org_name,
        period=f"Từ ngày 01/01/{year} đến ngày 31/12/{year}",
        lines=[f"{len(rows)} huy hiệu"],
        columns=[
            Column("STT", 6),
            Column("Họ và tên", 26),
            Column("Chi bộ", 30),
            Column("Ngày trao", 13),
            Column("Huy hiệu (năm tuổi Đảng)", 14),
            Column("Truy tặng", 10),
            Column("Số quyết định", 16),
        ],
        rows=(
            [i, name, names.get(cell, ""), on, years, posthumous, number or ""]
            for i, (name, cell, on, years, posthumous, number) in enumerate(rows, start=1)
        ),
    )


def grading_sheet(org_name: str, year: int, on: date, rows: list[GridRow]) -> Sheet:
    """A base organization's members with their grade of `year`, and the counts by grade."""
    counts = Counter(r.grade for r in rows if r.grade)
    summary = "; ".join(
        f"{label}: {counts.get(g, 0)}"
        for g, label in [*Grade.choices, (NOT_GRADED, NOT_GRADED_LABEL)]
    )
    return Sheet(
        name=f"Xếp loại {year}",
        title=f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {year}",
        org=org_name,
        period=f"Đảng viên trong danh sách ngày {on:%d/%m/%Y}",
        columns=[
            Column("STT", 6),
            Column("Họ và tên", 26),
            Column("Chi bộ", 30),
            Column("Xếp loại", 28),
            Column("Lý do không xếp loại", 30),
            Column("Ghi chú", 30),
            Column("Miễn sinh hoạt", 10),
            Column("Ngày kết nạp (chưa đủ thời gian)", 14),
        ],
        rows=(
            [
                i,
                r.name,
                r.cell,
                r.grade_label,
                r.reason_label,
                "; ".join(x for x in (r.note, r.elsewhere) if x),
                r.exempt,
                r.too_new,
            ]
            for i, r in enumerate(rows, start=1)
        ),
        notes=[f"Tổng số {len(rows)} đảng viên — {summary}."],
        landscape=True,
    )


def _number(text: str) -> int | Decimal | str:
    """A value printed the Vietnamese way ("1.234,5") as a number (whole: an int); other
    text as it is."""
    try:
        value = Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return text
    return int(value) if value == value.to_integral_value() else value


def _target_rows(rows: list[GridTarget]) -> Iterator[list[Any]]:
    for i, r in enumerate(rows, start=1):
        line: list[Any] = [i, r.name, r.unit, r.direction, _number(r.planned), r.period]
        for cell in r.cells:
            line += [_number(cell.actual), cell.status_label] if cell else [None, ""]
        yield line


def targets_sheet(org_name: str, year: int, rows: list[GridTarget], f: TargetFigures) -> Sheet:
    """The targets grid: plan in force and each review point's actual value and status."""
    points: list[Column] = []
    for kind in REVIEW_COLUMNS:
        label = ReviewKind(kind).label
        points += [Column(f"{label}: thực hiện", 12), Column(f"{label}: đánh giá", 14)]
    return Sheet(
        name=f"Chỉ tiêu {year}",
        title=f"ĐÁNH GIÁ THỰC HIỆN CHỈ TIÊU NGHỊ QUYẾT NĂM {year}",
        org=org_name,
        period=f"Từ ngày 01/01/{year} đến ngày 31/12/{year}",
        columns=[
            Column("STT", 6),
            Column("Chỉ tiêu", 44),
            Column("Đơn vị tính", 10),
            Column("Yêu cầu", 12),
            Column("Kế hoạch", 12),
            Column("Kỳ", 12),
            *points,
        ],
        rows=_target_rows(rows),
        notes=[f"Đạt và vượt {f.done}/{f.targets_total} chỉ tiêu đã đánh giá."],
        landscape=True,
    )
