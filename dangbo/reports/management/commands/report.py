"""`dangbo report review|issue|render` — the periodic review report as DOCX, PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from dangbo.core.dates import parse_date
from dangbo.core.errors import InvalidInput, NotFound
from dangbo.core.management.base import DangboCommand, writable_path
from dangbo.organizations.selectors import org_resolve
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.models import ReportKind, ReviewReport
from dangbo.reports.output import FORMATS, render_to
from dangbo.reports.services import report_draft, report_issue

ACTOR = "dong_lenh"


class Command(DangboCommand):
    help = "Báo cáo sơ kết, tổng kết: bản dự thảo từ số liệu hiện tại, ban hành, in lại bản đã ban hành."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("review", "bản dự thảo từ số liệu hiện tại"),
            ("issue", "ban hành: cấp số, chốt số liệu"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("org", metavar="ORG")
            p.add_argument("--period", required=True, help="2023-H1, 2023-9M, 2023, 2020-2025")
            p.add_argument("--kind", choices=ReportKind.values)
            p.add_argument("--topic", default="")
            p.add_argument("--signer", default="")
            p.add_argument("--out", help="tệp .docx, .pdf hoặc .html")
            if name == "issue":
                p.add_argument("--date", required=True, help="ngày ban hành")
        p = sub.add_parser("render", help="in lại báo cáo đã ban hành theo số")
        p.add_argument("number", help="số, ký hiệu, ví dụ 12-BC/ĐU")
        p.add_argument("--org", help="tổ chức ban hành (khi số trùng giữa các tổ chức)")
        p.add_argument("--out", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if opts.get("out") and Path(opts["out"]).suffix.lower() not in FORMATS:
            raise InvalidInput(
                f"Tệp «{opts['out']}» phải có đuôi .docx, .pdf hoặc .html.", field="--out"
            )
        if opts.get("out"):
            writable_path(opts["out"])
        if action == "render":
            report = self._by_number(opts["number"], opts.get("org"))
        else:
            org = org_resolve(opts["org"])
            with transaction.atomic():  # a refused issue leaves no draft behind
                report = report_draft(
                    org=org,
                    period_code=opts["period"],
                    kind=opts["kind"],
                    topic=opts["topic"],
                    signer_name=opts["signer"],
                    actor=ACTOR,
                    save=action == "issue",
                )
                if action == "issue":
                    report = report_issue(
                        report=report, on=parse_date(opts["date"], field="--date"), actor=ACTOR
                    )
            if action == "issue":
                assert report.number is not None and report.issued_on is not None
                self.stdout.write(
                    f"Đã ban hành Báo cáo số {report.number.text}, ngày {report.issued_on:%d/%m/%Y}."
                )
        if opts.get("out"):
            path = render_to(compose_review(build_review(report)), Path(opts["out"]))
            self.stdout.write(f"Đã ghi {path}")
        elif action == "review":
            raise InvalidInput(
                "Cần chỉ rõ tệp kết quả: --out BAO_CAO.docx (hoặc .pdf, .html).", field="--out"
            )

    def _by_number(self, number: str, org_ref: str | None) -> ReviewReport:
        reports = ReviewReport.objects.filter(number__text=number.strip()).select_related("number")
        if org_ref:
            reports = reports.filter(org=org_resolve(org_ref))
        found = list(reports[:2])
        if not found:
            raise NotFound(f"Không tìm thấy báo cáo đã ban hành số «{number}».", field="number")
        if len(found) > 1:
            raise InvalidInput(f"Có nhiều báo cáo số «{number}»; hãy chỉ rõ --org.", field="--org")
        return found[0]
