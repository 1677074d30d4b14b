"""`dangbo orgs [--on DATE] [--format table|json]` — the organization tree on a date."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from dangbo.core.dates import parse_date
from dangbo.core.management.base import DangboCommand
from dangbo.membership.selectors import cells_below_minimum, member_counts
from dangbo.organizations.selectors import org_tree, require_organizations


class Command(DangboCommand):
    help = "Cây tổ chức đảng vào một ngày, kèm số hiệu, mã và số đảng viên."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="ngày (2025-06-30 hoặc 30/6/2025); mặc định hôm nay")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **opts):
        on = parse_date(opts["on"], field="--on") if opts["on"] is not None else date.today()
        nodes = org_tree(on=on)
        counts = member_counts(on=on)
        flagged = {c["org_id"]: c for c in cells_below_minimum(on=on)}
        if opts["format"] == "json":
            if not nodes:
                require_organizations()  # a database without any organization: what to run
            out = []
            for n in nodes:
                members, official = counts.get(n.id, (0, 0))
                item = {
                    k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(n).items()
                }
                item.update(members=members, official=official, below_minimum=n.id in flagged)
                out.append(item)
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        if not nodes:
            self.stdout.write(f"Chưa có tổ chức đảng nào vào ngày {on:%d/%m/%Y}.")
            require_organizations()  # a database without any organization: what to run
            return
        self.stdout.write(f"Cây tổ chức đảng ngày {on:%d/%m/%Y}")
        self.stdout.write(f"{'Số hiệu':>7}  {'Mã':<14} {'Đảng viên':>9}  Tên")
        for n in nodes:
            members, official = counts.get(n.id, (0, 0))
            flag = ""
            if n.id in flagged:
                c = flagged[n.id]
                flag = f"  ⚠ chỉ {official} đảng viên chính thức (tối thiểu {c['minimum']}, {c['regulation']})"
            self.stdout.write(
                f"{n.id:>7}  {n.code:<14} {members:>9}  {'  ' * n.depth}{n.name}{flag}"
            )
        if flagged:
            self.stdout.write(
                f"\n{len(flagged)} chi bộ có dưới {next(iter(flagged.values()))['minimum']} "
                "đảng viên chính thức, cần kiện toàn."
            )
