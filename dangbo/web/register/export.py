"""The register's filtered list as an xlsx workbook, audited with the export.

Title rows (organization, the filter, the date), one header row frozen below them, one row
per member in the register's order. National ID and phone columns are written only for a
user who may read personal data, and unmasked only for members in that scope. The audit
row (who, which filter, how many rows, whether personal data left) is written in the same
transaction as the rows are read.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from dangbo.accounts.masking import mask_citizen_id, mask_phone
from dangbo.accounts.scope import home_org
from dangbo.core.services import audit
from dangbo.membership.models import Gender, MemberStatus, Theory
from dangbo.membership.register import RegisterFilter, register_page, register_queryset
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.vn_format import date_numeric, number

#: The most rows one export writes; a longer list must be filtered first.
EXPORT_LIMIT = 50_000
CHUNK = 2000

COLUMNS = [
    ("STT", 6),
    ("Họ và tên", 26),
    ("Ngày sinh", 12),
    ("Giới tính", 9),
    ("Chi bộ", 30),
    ("Trạng thái", 20),
    ("Ngày vào Đảng", 13),
    ("Ngày chính thức", 13),
    ("Số thẻ đảng viên", 16),
    ("Lý luận chính trị", 16),
    ("Miễn sinh hoạt", 10),
]
PERSONAL_COLUMNS = [("Số CCCD", 15), ("Điện thoại", 13)]


def _d(value: date | None) -> str:
    return date_numeric(value, pad=True) if value else ""


def register_workbook(
    *,
    user: Any,
    org_ids: Collection[int] | QuerySet[Any],
    personal_scope: Collection[int],
    filters: RegisterFilter,
    on: date,
    title_org: str,
) -> bytes:
    """The workbook's bytes; raises OverflowError above `EXPORT_LIMIT` rows (nothing audited)."""
    personal = bool(personal_scope)
    with transaction.atomic():
        total = register_queryset(org_ids=org_ids, filters=filters, on=on).count()
        if total > EXPORT_LIMIT:
            raise OverflowError(total)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Danh sách đảng viên")
        columns = COLUMNS + (PERSONAL_COLUMNS if personal else [])
        for i, (_, width) in enumerate(columns):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        bold = Font(bold=True)
        conditions = filters.describe()
        subject = _audit_object(user, filters)
        if filters.cell is not None and isinstance(subject, Organization):
            conditions.insert(0, ("Chi bộ", str(subject)))
        described = "; ".join(f"{k}: {v}" for k, v in conditions) or "tất cả"
        titles = [
            ("DANH SÁCH ĐẢNG VIÊN", Font(bold=True, size=14)),
            (title_org, bold),
            (f"Điều kiện lọc: {described}", None),
            (f"Ngày xuất: {_d(on)} — {number(total)} đảng viên", None),
        ]
        header_row = len(titles) + 2  # after the titles and a blank row
        ws.freeze_panes = f"A{header_row + 1}"  # (a write-only sheet takes it before any row)
        ws.print_title_rows = f"{header_row}:{header_row}"
        for text, font in titles:
            cell = WriteOnlyCell(ws, value=text)
            if font:
                cell.font = font
            ws.append([cell])
        ws.append([])
        fill = PatternFill("solid", fgColor="EEF0F3")
        header = []
        for name, _ in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        ws.append(header)
        names: dict[int, str] = {}
        pscope = set(personal_scope)
        cursor, n = None, 0
        while True:
            page = register_page(
                org_ids=org_ids, filters=filters, on=on, cursor=cursor, size=CHUNK, count=False
            )
            missing = {m.cell_id for m in page.rows if m.cell_id and m.cell_id not in names}
            names.update(
                OrgVersion.objects.filter(
                    org_id__in=missing, valid_from__lte=on, valid_to__gt=on
                ).values_list("org_id", "name")
            )
            for m in page.rows:
                p, n = m.person, n + 1
                row: list[Any] = [
                    n,
                    p.full_name,
                    _d(p.birth_date),
                    Gender(p.gender).label,
                    names.get(m.cell_id or 0, ""),
                    MemberStatus(m.status).label if m.status else "",
                    _d(m.admitted_on),
                    _d(m.official_on),
                    m.card_number,
                    Theory(p.theory).label if p.theory else "",
                    "x" if m.exempt else "",
                ]
                if personal:
                    full = bool({m.cell_id, m.host_cell_id} & pscope)
                    row += [
                        (p.citizen_id or "") if full else mask_citizen_id(p.citizen_id),
                        p.phone if full else mask_phone(p.phone),
                    ]
                ws.append(row)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        out = io.BytesIO()
        wb.save(out)
        audit(
            actor=user.get_username(),
            action="register_export",
            obj=subject,
            after={
                "filter": dict(conditions),
                "rows": n,
                "personal_data": personal,
                "format": "xlsx",
            },
        )
    return out.getvalue()


def _audit_object(user: Any, filters: RegisterFilter) -> Any:
    """The organization the export is about: the cell filtered on, else the user's own."""
    if filters.cell is not None:
        found = Organization.objects.filter(pk=filters.cell).first()
        if found:
            return found
    return home_org(user) or user
