"""Import of a 10,000-member office sheet (the opening balance) on a fresh SQLite database.

    .venv/bin/python bench/xlsx_import.py [--members 10000] [--cells 40] [--json FILE]

Migrates a temporary SQLite database, founds a ward with `--cells` cells, builds a member
list the way offices make it (title rows, typed and serial dates, NFD names) with openpyxl,
then times each step: reading the sheet, checking every row (the dry run) and the import
itself (check and write, one transaction). Target: the import of 10,000 members ≤ 10 s.
"""

from __future__ import annotations

import argparse
import atexit
import io
import json
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = tempfile.mkdtemp(prefix="dangbo-bench-xlsx-")
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
os.environ["DANGBO_VAR_DIR"] = WORK
os.environ["DATABASE_URL"] = f"sqlite:///{WORK}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from dangbo.membership.models import Member, MemberEvent  # noqa: E402
from dangbo.organizations import services as org_services  # noqa: E402
from dangbo.organizations.models import OrgKind  # noqa: E402
from dangbo.xlsx_import.fields import SheetKind  # noqa: E402
from dangbo.xlsx_import.sheet import guess_mapping, read_table  # noqa: E402
from dangbo.xlsx_import.write import import_table  # noqa: E402

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Quang", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phương", "Quân"]


def sheet(members: int, cells: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["ĐẢNG BỘ PHƯỜNG THỬ"])
    ws.append(["DANH SÁCH ĐẢNG VIÊN"])
    ws.append([])
    ws.append(
        [
            "STT",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Số CCCD",
            "Chi bộ",
            "Loại đảng viên",
            "Ngày vào Đảng",
            "Ngày chính thức",
            "Số thẻ",
        ]
    )
    for i in range(members):
        name = f"{SURNAMES[i % 10]} {MIDDLE[i // 10 % 8]} {GIVEN[i // 80 % 11]} {i}"
        born = date(1950 + i % 40, 1 + i % 12, 1 + i % 28)
        official = i % 10 != 0
        year = born.year + 20 + i % 10 if official else 2023
        admitted = date(year, 1 + i % 12, 1 + i % 28)
        ws.append(
            [
                i + 1,
                unicodedata.normalize("NFD", name) if i % 2 else name + "  ",
                "Nữ" if i % 3 == 0 else "Nam",
                f"{born:%d/%m/%Y}" if i % 2 else (born - date(1899, 12, 30)).days,
                f"{i:012d}",
                f"C{i % cells + 1:02d}",
                "Chính thức" if official else "Dự bị",
                admitted,
                date(admitted.year + 1, admitted.month, admitted.day) if official else None,
                f"{10000000 + i}" if official else "",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--cells", type=int, default=40)
    parser.add_argument("--json")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    on = date(2018, 1, 1)
    ward = org_services.org_found(
        kind=OrgKind.objects.get(code="co_so"),
        name="Đảng bộ phường Thử",
        code="P",
        doc_code="ĐU",
        on=on,
        actor="bench",
    )
    for c in range(args.cells):
        org_services.org_found(
            kind=OrgKind.objects.get(code="chi_bo"),
            name=f"Chi bộ {c + 1}",
            code=f"C{c + 1:02d}",
            parent=ward,
            on=on,
            actor="bench",
        )
    data = sheet(args.members, args.cells)
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    t, c = time.perf_counter(), time.process_time()
    table = read_table(data, SheetKind.MEMBERS)
    times["read"], cpu["read"] = time.perf_counter() - t, time.process_time() - c
    mapping = guess_mapping(table, SheetKind.MEMBERS)
    t, c = time.perf_counter(), time.process_time()
    dry = import_table(
        kind=SheetKind.MEMBERS,
        org=ward,
        on=date(2024, 1, 1),
        table=table,
        mapping=mapping,
        actor="bench",
        dry_run=True,
    )
    times["check (dry run)"] = time.perf_counter() - t
    cpu["check (dry run)"] = time.process_time() - c
    assert dry.plan.ok, [r.errors for r in dry.plan.bad[:3]]
    t, c = time.perf_counter(), time.process_time()
    out = import_table(
        kind=SheetKind.MEMBERS,
        org=ward,
        on=date(2024, 1, 1),
        table=table,
        mapping=mapping,
        actor="bench",
    )
    times["import (check + write)"] = time.perf_counter() - t
    cpu["import (check + write)"] = time.process_time() - c
    for d in (times, cpu):
        d["read + import"] = d["read"] + d["import (check + write)"]
    assert out.written == args.members == Member.objects.count() == MemberEvent.objects.count()
    print(f"{args.members} đảng viên, {args.cells} chi bộ, tệp {len(data) / 1e6:.1f} MB")
    print(f"  {'':<24} {'wall':>8} {'CPU':>8}")
    for step, seconds in times.items():
        print(f"  {step:<24} {seconds:6.2f} s {cpu[step]:6.2f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"members": args.members, "wall": times, "cpu": cpu}))


if __name__ == "__main__":
    main()
