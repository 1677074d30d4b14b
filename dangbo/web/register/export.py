"""The register's filtered list as an xlsx workbook, audited with the export.

Title rows (organization, the filter, the date), one header row frozen below them, one row
per member in the register's order. National ID and phone columns are written only for a
user who may read personal data, and unmasked only for members in that scope. The audit
row (who, which filter, how many rows, whether personal data left) is written in the same
transaction as the rows are read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from dangbo.accounts.masking import mask_citizen_id, mask_phone
from dangbo.accounts.scope import home_org
from dangbo.core.services import audit
from dangbo.membership.models import Gender, MemberStatus, Theory
from dangbo.membership.register import RegisterFilter, register_page, register_queryset
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.reports.xlsx_tables import Column, Sheet, workbook
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
        columns = COLUMNS + (PERSONAL_COLUMNS if personal else [])
        conditions = filters.describe()
        subject = _audit_object(user, filters)
        if filters.cell is not None and isinstance(subject, Organization):
            conditions.insert(0, ("Chi bộ", str(subject)))
        described = "; ".join(f"{k}: {v}" for k, v in conditions) or "tất cả"
        sheet = Sheet(
            name="Danh sách đảng viên",
            title="DANH SÁCH ĐẢNG VIÊN",
            org=title_org,
            period=f"Điều kiện lọc: {described}",
            lines=[f"Ngày xuất: {_d(on)} — {number(total)} đảng viên"],
            columns=[Column(name, width) for name, width in columns],
            rows=_rows(org_ids, filters, on, personal, set(personal_scope)),
            landscape=True,
        )
        data = workbook(sheet)
        audit(
            actor=user.get_username(),
            action="register_export",
            obj=subject,
            after={
                "filter": dict(conditions),
                "rows": sheet.written,
                "personal_data": personal,
                "format": "xlsx",
            },
        )
    return data


def _rows(
    org_ids: Collection[int] | QuerySet[Any],
    filters: RegisterFilter,
    on: date,
    personal: bool,
    pscope: set[int],
) -> Iterator[list[Any]]:
    """The register's rows in its order, read by keyset pages of `CHUNK`."""
    names: dict[int, str] = {}
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
                p.birth_date,
                Gender(p.gender).label,
                names.get(m.cell_id or 0, ""),
                MemberStatus(m.status).label if m.status else "",
                m.admitted_on,
                m.official_on,
                m.card_number,
                Theory(p.theory).label if p.theory else "",
                bool(m.exempt),
            ]
            if personal:
                full = bool({m.cell_id, m.host_cell_id} & pscope)
                row += [
                    (p.citizen_id or "") if full else mask_citizen_id(p.citizen_id),
                    p.phone if full else mask_phone(p.phone),
                ]
            yield row
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _audit_object(user: Any, filters: RegisterFilter) -> Any:
    """The organization the export is about: the cell filtered on, else the user's own."""
    if filters.cell is not None:
        found = Organization.objects.filter(pk=filters.cell).first()
        if found:
            return found
    return home_org(user) or user
