"""``dangbo import-xlsx FILE --kind su_kien``: a workbook of event lists, one sheet per kind,
each sheet's mapping and preview shown, all sheets written together or none."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dangbo.core.errors import InvalidInput
from dangbo.core.management.base import DangboCommand
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_version_shown
from dangbo.xlsx_import.bundle import (
    KINDS,
    BundleRefused,
    Sheets,
    find_sheets,
    import_sheets,
    read_sheets,
)
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.preview import mapping_lines, preview
from dangbo.xlsx_import.sheet import fold, parse_map, sheet_names
from dangbo.xlsx_import.workbooks import error_workbook

SHOWN = 50


def _kind(ref: str, found: dict[SheetKind, str]) -> SheetKind:
    """A kind written by its code, its label or the name of its sheet."""
    for kind in KINDS:
        if fold(ref) in (fold(kind.value), fold(kind.label), fold(found.get(kind, "\0"))):
            return kind
    codes = ", ".join(k.value for k in KINDS)
    raise InvalidInput(f"«{ref}» không phải là loại danh sách ({codes}).", field="map")


def _split(items: list[str], sep: str, what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        if sep not in item:
            raise InvalidInput(f"«{item}»: viết «{what}».", field="map")
        left, right = item.split(sep, 1)
        out.append((left.strip(), right.strip()))
    return out


def bundle_run(
    cmd: DangboCommand,
    *,
    data: bytes,
    org: Organization,
    on: date,
    maps: list[str],
    sheets: list[str],
    actor: str,
    dry_run: bool,
    filename: str,
    errors: Path,
) -> None:
    names = sheet_names(data)
    chosen = {_kind(k, {}): v for k, v in _split(sheets, "=", "loại=tên trang")}
    found = find_sheets(names, chosen)
    tables = read_sheets(data, found)
    specs: dict[SheetKind, list[str]] = {}
    for ref, spec in _split(maps, ":", "loại:tiêu đề cột=trường, …"):
        specs.setdefault(_kind(ref, found), []).append(spec)
    for kind in specs:
        if kind not in tables:
            raise InvalidInput(f"Tệp không có trang «{kind.label}».", field="map")
    parts: Sheets = {}
    for kind, table in tables.items():
        mapping = parse_map(", ".join(specs.get(kind, [])), table, kind)
        parts[kind] = (table, mapping)
        cmd.stdout.write(
            f"Trang «{table.sheet}» ({kind.label.lower()}), dòng tiêu đề {table.header_row}, "
            f"{len(table.rows)} dòng dữ liệu. Ghép cột:"
        )
        for header, target in mapping_lines(table, mapping, kind):
            cmd.stdout.write(f"  {header} → {target}")
    try:
        outcome = import_sheets(
            org=org, on=on, sheets=parts, actor=actor, dry_run=dry_run, filename=filename
        )
    except BundleRefused as exc:
        shown = 0
        for plan in exc.plans:
            for row in plan.bad:
                if shown < SHOWN:
                    cmd.stderr.write(
                        f"«{plan.table.sheet}» dòng {row.number}: {'; '.join(row.errors)}"
                    )
                shown += 1
        if shown > SHOWN:
            cmd.stderr.write(f"… và {shown - SHOWN} dòng lỗi khác.")
        errors.write_bytes(error_workbook(data, *exc.plans))
        cmd._fail(f"{exc.message} Bảng tính có cột lỗi: {errors}")
    total = 0
    for plan in outcome.plans:
        shown_rows = preview(plan, 5)
        total += shown_rows.total
        cmd.stdout.write(f"«{plan.table.sheet}»: {shown_rows.total} dòng")
        cmd.stdout.write(" | ".join(["Dòng", *shown_rows.columns]))
        for number, values in shown_rows.rows:
            cmd.stdout.write(" | ".join([str(number), *values]))
    if dry_run:
        cmd.stdout.write(f"Kiểm tra xong: {total} dòng hợp lệ; chưa ghi gì (--dry-run).")
    else:
        name = org_version_shown(org, on).name
        cmd.stdout.write(f"Đã nhập {outcome.written} dòng vào {name}.")
