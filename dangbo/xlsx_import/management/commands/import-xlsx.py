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
from dangbo.xlsx_import.bundle import BUNDLE, BUNDLE_LABEL
from dangbo.xlsx_import.fields import SheetKind
from dangbo.xlsx_import.management.bundle import bundle_run
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
            choices=[k.value for k in SheetKind] + [BUNDLE],
            help=f"loại danh sách: {kinds}, {BUNDLE} ({BUNDLE_LABEL})",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            help='ghép cột, vd. "Họ và tên=full_name, '
            'Ngày SN=birth_date, Ghi chú=-" (cột còn lại ghép theo tiêu đề); với '
            f'{BUNDLE}: một --map cho mỗi trang, vd. "phat_the:Số thẻ=card_number"',
        )
        parser.add_argument("--org", help="mã đơn vị nhập (mặc định: tổ chức gốc)")
        parser.add_argument("--on", help="ngày nhập sổ (danh sách đảng viên; mặc định hôm nay)")
        parser.add_argument(
            "--sheet",
            action="append",
            default=[],
            help="tên trang tính (mặc định: trang mang tên loại danh "
            f"sách, nếu không thì trang đầu); với {BUNDLE}: LOẠI=TÊN TRANG, vd. "
            '"ket_nap=Trang 2"',
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
        map: list[str],
        org: str | None,
        on: str | None,
        sheet: list[str],
        dry_run: bool,
        errors: str | None,
        actor: str,
        **options,
    ):
        day = parse_date(on, field="--on") if on else date.today()
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            self._fail(f"không đọc được tệp «{file}»: {exc.strerror}.")
        unit = org_resolve(org, on=day) if org else _root(day)
        errors_path = (
            Path(errors) if errors else Path(file).with_name(Path(file).stem + "-loi.xlsx")
        )
        if kind == BUNDLE:
            bundle_run(
                self,
                data=data,
                org=unit,
                on=day,
                maps=map,
                sheets=sheet,
                actor=actor,
                dry_run=dry_run,
                filename=file,
                errors=errors_path,
            )
            return
        sheet_kind = SheetKind(kind)
        table = read_table(data, sheet_kind, sheet[-1] if sheet else None)
        mapping = parse_map(", ".join(map), table, sheet_kind)
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
            errors_path.write_bytes(error_workbook(data, exc.plan))
            self._fail(f"{exc.message} Bảng tính có cột lỗi: {errors_path}")
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
