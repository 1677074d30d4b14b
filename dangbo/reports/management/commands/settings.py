"""`dangbo settings set ORG KEY VALUE --from DATE` and `dangbo settings list ORG [--on DATE]` —
an office's report wording settings (versioned, inherited by the organizations below)."""

from __future__ import annotations

from typing import Any

from dangbo.core.dates import parse_date, today
from dangbo.core.management.base import DangboCommand
from dangbo.organizations.selectors import org_resolve, org_version_shown
from dangbo.reports.wording import SETTINGS, setting_set, settings_in_force, wording_on

ACTOR = "dong_lenh"


class Command(DangboCommand):
    help = "Cài đặt cách viết báo cáo của văn phòng (số nhỏ, tỷ lệ, ngày, tiền, danh sách lớp)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("set", help="đặt một cài đặt, áp dụng từ một ngày")
        p.add_argument("org", metavar="ORG")
        p.add_argument("key", metavar="KEY", help=", ".join(SETTINGS))
        p.add_argument("value", metavar="VALUE")
        p.add_argument("--from", dest="valid_from", required=True, help="áp dụng từ ngày")
        p.add_argument("--decision", default="", help="căn cứ: văn bản, ý kiến chỉ đạo")
        p.add_argument("--actor", default=ACTOR, help="người đặt")
        p = sub.add_parser("list", help="các cài đặt đang áp dụng của một tổ chức")
        p.add_argument("org", metavar="ORG")
        p.add_argument("--on", help="ngày (mặc định hôm nay)")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "set":
            org = org_resolve(opts["org"])
            row = setting_set(
                org=org,
                key=opts["key"],
                value=opts["value"],
                valid_from=parse_date(opts["valid_from"], field="--from"),
                decision=opts["decision"],
                actor=opts["actor"],
            )
            self.stdout.write(
                f"Đã đặt {row.key} = {row.value} cho {org_version_shown(org, row.valid_from).name}, "
                f"áp dụng từ ngày {row.valid_from:%d/%m/%Y}."
            )
            return
        on = parse_date(opts["on"], field="--on") if opts.get("on") else today()
        org = org_resolve(opts["org"], on=on)
        rows = settings_in_force(org, on)
        wording = wording_on(org, on)
        self.stdout.write(
            f"Cách viết báo cáo của {org_version_shown(org, on).name} ngày {on:%d/%m/%Y}"
        )
        for key, setting in SETTINGS.items():
            value = setting.written(getattr(wording, key))
            found = rows.get(key)
            if found is None:
                source = "mặc định"
            else:
                source = f"từ ngày {found.valid_from:%d/%m/%Y}"
                if found.org_id != org.pk:
                    source += f", theo {org_version_shown(found.org, on).name}"
                if found.decision:
                    source += f", căn cứ {found.decision}"
                source += f", người đặt {found.set_by}"
            self.stdout.write(f"  {key:<14} {value:<12} {setting.label} ({source})")
