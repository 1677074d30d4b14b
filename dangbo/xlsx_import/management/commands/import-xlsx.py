"""``dangbo import-xlsx FILE``: import an office's Excel list (members as the opening balance,
or a list of events), all or nothing; a wrong row gives the workbook back with its errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dangbo.core.dates import parse_date
from dangbo.core.errors import DomainError
from dangbo.core.management.base import DangboCommand
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.selectors import org_resolve, org_version_shown
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.preview import mapping_lines, preview
from dangbo.xlsx_import.sheet import parse_map, read_table
from dangbo.xlsx_import.workbooks import error_workbook
from dangbo.xlsx_import.write import ImportRefused, import_table

SHOWN = 50


def _root(on: date) -> Organization:
    roots = OrgVersion.objects.filter(parent__isnull=True, valid_from__lte=on, valid_to__gt=on)
    if roots.count() != 1:
        raise DomainError("Cần chỉ rõ đơn vị nhập bằng --org (mã tổ chức).", field="org")
    return roots.get().org


class Command(DangboCommand):
    help = (
        "Nhập danh sách Excel của văn phòng: danh sách đảng viên (nhập sổ, số dư đầu kỳ) hoặc "
        "danh sách kết nạp, chuyển đến, chuyển đi, phát thẻ, huy hiệu. Có dòng sai thì không ghi "
        "gì và trả lại bảng tính có cột «Lỗi»."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx")
        kinds = ", ".join(f"{k.value} ({k.label})" for k in SheetKind)
        parser.add_argument(
            "--kind",
            default=SheetKind.MEMBERS.value,
            choices=[k.value for k in SheetKind],
            help=f"loại danh sách: {kinds}",
        )
        parser.add_argument(
            "--map",
            default="",
            help='ghép cột, vd. "Họ và tên=full_name, '
            'Ngày SN=birth_date, Ghi chú=-" (cột còn lại ghép theo tiêu đề)',
        )
        parser.add_argument("--org", help="mã đơn vị nhập (mặc định: tổ chức gốc)")
        parser.add_argument("--on", help="ngày nhập sổ (danh sách đảng viên; mặc định hôm nay)")
        parser.add_argument(
            "--sheet",
            help="tên trang tính (mặc định: trang mang tên loại danh "
            "sách, nếu không thì trang đầu)",
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và xem trước")
        parser.add_argument(
            "--errors", help="nơi ghi bảng tính có cột lỗi (mặc định: <tệp>-loi.xlsx)"
        )
        parser.add_argument("--actor", default="hệ thống", help="người thực hiện, ghi nhật ký")

    def handle(
        self,
        *args,
        file: str,
        kind: str,
        map: str,
        org: str | None,
        on: str | None,
        sheet: str | None,
        dry_run: bool,
        errors: str | None,
        actor: str,
        **options,
    ):
        sheet_kind = SheetKind(kind)
        day = parse_date(on, field="--on") if on else date.today()
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            self._fail(f"không đọc được tệp «{file}»: {exc.strerror}.")
        unit = org_resolve(org, on=day) if org else _root(day)
        table = read_table(data, sheet_kind, sheet)
        mapping = parse_map(map, table, sheet_kind)
        self.stdout.write(
            f"Trang «{table.sheet}», dòng tiêu đề {table.header_row}, "
            f"{len(table.rows)} dòng dữ liệu. Ghép cột:"
        )
        for header, target in mapping_lines(table, mapping, sheet_kind):
            self.stdout.write(f"  {header} → {target}")
        try:
            outcome = import_table(
                kind=sheet_kind,
                org=unit,
                on=day,
                table=table,
                mapping=mapping,
                actor=actor,
                dry_run=dry_run,
                filename=file,
            )
        except ImportRefused as exc:
            for row in exc.plan.bad[:SHOWN]:
                self.stderr.write(f"Dòng {row.number}: {'; '.join(row.errors)}")
            if len(exc.plan.bad) > SHOWN:
                self.stderr.write(f"… và {len(exc.plan.bad) - SHOWN} dòng lỗi khác.")
            out = Path(errors) if errors else Path(file).with_name(Path(file).stem + "-loi.xlsx")
            out.write_bytes(error_workbook(data, exc.plan))
            self._fail(f"{exc.message} Bảng tính có cột lỗi: {out}")
        shown = preview(outcome.plan, 5)
        self.stdout.write(" | ".join(["Dòng", *shown.columns]))
        for number, values in shown.rows:
            self.stdout.write(" | ".join([str(number), *values]))
        what = sheet_kind.label.lower()
        if dry_run:
            self.stdout.write(
                f"Kiểm tra xong: {shown.total} dòng hợp lệ ({what}); chưa ghi gì (--dry-run)."
            )
        else:
            name = org_version_shown(unit, day).name
            self.stdout.write(f"Đã nhập {outcome.written} dòng ({what}) vào {name}.")
