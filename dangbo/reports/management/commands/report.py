"""`dangbo report review|issue|render` — the periodic review report as DOCX, PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from dangbo.core.concurrency import write_conflicts
from dangbo.core.dates import parse_date
from dangbo.core.errors import DomainError, InvalidInput, NotFound
from dangbo.core.management.base import DangboCommand, writable_path
from dangbo.organizations.selectors import org_resolve
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.error_codes import ReportErrorCode
from dangbo.reports.models import ReportKind, ReviewReport
from dangbo.reports.output import FORMATS, publish, render_bytes, render_to, stage
from dangbo.reports.services import issued_for_period, report_draft, report_issue

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
                p.add_argument(
                    "--again",
                    action="store_true",
                    help="ban hành lại khi kỳ này đã có báo cáo ban hành (cần --reason)",
                )
                p.add_argument("--reason", default="", help="lý do ban hành lại")
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
        if action == "issue":
            self._issue(opts)
            return
        if action == "render":
            report = self._by_number(opts["number"], opts.get("org"))
        else:
            report = report_draft(
                org=org_resolve(opts["org"]),
                period_code=opts["period"],
                kind=opts["kind"],
                topic=opts["topic"],
                signer_name=opts["signer"],
                actor=ACTOR,
                save=False,
            )
        if not opts.get("out"):
            raise InvalidInput(
                "Cần chỉ rõ tệp kết quả: --out BAO_CAO.docx (hoặc .pdf, .html).", field="--out"
            )
        path = render_to(compose_review(build_review(report)), Path(opts["out"]))
        self.stdout.write(f"Đã ghi {path}")

    def _issue(self, opts: dict[str, Any]) -> None:
        """Issue and write the file: the file is staged before the number is committed.

        Refused before anything is written when `--again` and `--reason` do not go together
        or the output's folder does not exist. A failure before the commit leaves neither a
        number nor a file; a failure of the final rename says how to render the file again.
        """
        again, reason = opts["again"], opts["reason"].strip()
        if again and not reason:
            raise InvalidInput(
                "Ban hành lại (--again) cần ghi rõ lý do: --reason «…».", field="--reason"
            )
        if reason and not again:
            raise InvalidInput("Lý do (--reason) chỉ dùng cùng --again.", field="--reason")
        out = Path(opts["out"]) if opts.get("out") else None
        if out is not None:
            _check_target(out)
        org = org_resolve(opts["org"])
        on = parse_date(opts["date"], field="--date")
        tmp: Path | None = None
        try:
            with (
                write_conflicts("việc ban hành báo cáo", "Hãy chạy lại lệnh."),
                transaction.atomic(),  # a refused issue leaves no draft and no number behind
            ):
                report = report_draft(
                    org=org,
                    period_code=opts["period"],
                    kind=opts["kind"],
                    topic=opts["topic"],
                    signer_name=opts["signer"],
                    actor=ACTOR,
                )
                try:
                    report = report_issue(report=report, on=on, actor=ACTOR, reason=reason)
                except DomainError as exc:
                    if exc.code != ReportErrorCode.DA_CO_BAO_CAO:
                        raise
                    raise DomainError(
                        _reissue_hint(exc.message, report, opts["org"]), code=exc.code
                    ) from None
                if again and not report.reissue_reason:
                    raise InvalidInput(
                        "Kỳ này chưa có báo cáo nào ban hành; bỏ --again và --reason.",
                        field="--again",
                    )
                if out is not None:
                    tmp = stage(render_bytes(compose_review(build_review(report)), out), out)
        except BaseException:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            raise
        assert report.number is not None and report.issued_on is not None
        number = report.number.text
        self.stdout.write(f"Đã ban hành Báo cáo số {number}, ngày {report.issued_on:%d/%m/%Y}.")
        if out is None or tmp is None:
            return
        try:
            publish(tmp, out)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise DomainError(
                f"Báo cáo số {number} đã ban hành nhưng không ghi được tệp «{out}» "
                f"({exc.strerror or exc}). In lại bản đã ban hành bằng lệnh: "
                f"dangbo report render {number} --org {opts['org']} --out {out}"
            ) from None
        self.stdout.write(f"Đã ghi {out}")

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


def _check_target(out: Path) -> None:
    """The output path names a file in an existing folder."""
    if out.is_dir():
        raise InvalidInput(f"«{out}» là một thư mục; hãy ghi tên tệp.", field="--out")
    if not out.parent.is_dir():
        raise InvalidInput(
            f"Thư mục «{out.parent}» không tồn tại; hãy tạo thư mục trước.", field="--out"
        )


def _reissue_hint(message: str, report: ReviewReport, org_ref: str) -> str:
    """The refusal of a second issue, with the two ways on: render the existing one, or issue
    again with a reason."""
    previous = issued_for_period(report)
    number = previous.number.text if previous and previous.number else ""
    return (
        f"{message} In lại bản đã ban hành: dangbo report render {number} --org {org_ref} "
        "--out TỆP; hoặc ban hành lại: thêm --again --reason «lý do»."
    )
