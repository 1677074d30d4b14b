"""`dangbo stats ORG (--period P | --from D --to D) [--format table|json]`."""

from __future__ import annotations

import json
from datetime import timedelta

from dangbo.core.dates import parse_date, parse_period
from dangbo.core.errors import InvalidInput
from dangbo.core.management.base import DangboCommand
from dangbo.figure_labels import BREAKDOWN_LABELS, DISCIPLINE_LABELS, LABELS, value_label
from dangbo.figures import FLOWS, INFLOWS, OUTFLOWS, STOCKS, identity_gap
from dangbo.organizations.selectors import org_resolve
from dangbo.statistics import period_statistics


class Command(DangboCommand):
    help = "Số liệu đảng viên của một tổ chức đảng (toàn bộ cấp dưới) trong một kỳ."

    def add_arguments(self, parser):
        parser.add_argument("org", metavar="ORG", help="số hiệu hoặc mã tổ chức")
        parser.add_argument("--period", help="2023, 2023-H1, 2023-H2, 2023-9M, 2023-Q3, 2023-M05")
        parser.add_argument("--from", dest="date_from", help="ngày đầu kỳ")
        parser.add_argument("--to", dest="date_to", help="ngày cuối kỳ")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **opts):
        if opts["period"] and (opts["date_from"] or opts["date_to"]):
            raise InvalidInput(
                "Dùng --period hoặc --from/--to, không dùng cả hai.", field="--period"
            )
        if opts["period"]:
            start, end = parse_period(opts["period"])
        elif opts["date_from"] and opts["date_to"]:
            start = parse_date(opts["date_from"], field="--from")
            end = parse_date(opts["date_to"], field="--to")
        else:
            raise InvalidInput(
                "Cần chỉ rõ kỳ: --period 2023-H1 hoặc --from D --to D.", field="--period"
            )
        org = org_resolve(opts["org"], on=end)
        version = org.version_on(end) or org.version_on(start) or org.latest_version
        figures = period_statistics(org, start, end)
        figures = {
            "organization": {"id": org.pk, "code": version.code, "name": version.name},
            **figures,
        }
        if opts["format"] == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self._table(figures, version.name, start, end)

    def _table(self, f: dict, name: str, start, end) -> None:
        w = self.stdout.write
        w(f"{name} — từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}")
        w("")
        w(f"{'Chỉ tiêu':<52}{'Đầu kỳ':>11}{'Cuối kỳ':>11}")
        w(
            f"{'':<52}{(start - timedelta(days=1)).strftime('%d/%m/%Y'):>11}{end.strftime('%d/%m/%Y'):>11}"
        )
        for key in STOCKS:
            w(f"{LABELS[key]:<52}{f[key + '_start']:>11}{f[key + '_end']:>11}")
        w("")
        w(f"{'Biến động trong kỳ':<52}{'Số lượng':>10}")
        for key in FLOWS:
            w(f"{LABELS[key]:<52}{f[key]:>10}")
        if f["badges_by_milestone"]:
            w(
                "  Huy hiệu theo mốc: "
                + ", ".join(f"{k} năm: {v}" for k, v in f["badges_by_milestone"].items())
            )
        w(f"{LABELS['disciplined_total']:<52}{f['disciplined_total']:>10}")
        for form, n in f["disciplined"].items():
            if n:
                w(f"  {DISCIPLINE_LABELS[form]:<50}{n:>10}")
        w("")
        ins = " + ".join(f"{f[k]}" for k in INFLOWS)
        outs = " − ".join(f"{f[k]}" for k in OUTFLOWS)
        gap = identity_gap(f)
        w(
            f"Đối chiếu: {f['members_start']} + ({ins}) − ({outs}) = {f['members_end'] - gap}; "
            f"cuối kỳ {f['members_end']} — {'khớp' if gap == 0 else f'LỆCH {gap}'}"
        )
        if f.get("congresses_due") or f.get("congresses_held"):
            w("")
            w(
                f"Đại hội: {f['congresses_held']}/{f['congresses_due']} tổ chức đã đại hội; bầu đủ ngay lần đầu "
                f"{f['elected_in_one_round']}; bí thư {f['secretaries_elected']} (nữ {f['secretaries_women']}, "
                f"tái cử {f['secretaries_reelected']}, mới {f['secretaries_new']}); cấp ủy viên "
                f"{f['committee_elected']} (nữ {f['committee_women_pct']}, tái cử {f['committee_reelected_pct']}, "
                f"lần đầu {f['committee_first_time_pct']})"
            )
        g = f.get("grading")
        if g and (g["members_total"] or g["base_orgs_total"]):
            w(
                f"Xếp loại năm {end.year}: tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên "
                f"{g['base_orgs_good_or_better_ratio']}; đảng viên được xếp loại {g['members_graded_ratio']}, "
                f"xuất sắc {g['members_excellent']}, tốt {g['members_good']}"
            )
        w("")
        w(f"Cơ cấu đảng viên ngày {end:%d/%m/%Y}")
        for dim, values in f["breakdowns"].items():
            w(
                f"  {BREAKDOWN_LABELS[dim]}: "
                + "; ".join(f"{value_label(dim, k)} {v}" for k, v in values.items())
                if values
                else f"  {BREAKDOWN_LABELS[dim]}: —"
            )
