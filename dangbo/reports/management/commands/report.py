"""`dangbo report draft|review|issue|render` — the periodic review report as DOCX, PDF or HTML.

`draft` keeps the office's draft of a period (narrative from a Markdown file, place,
signer); `review` and `issue` use the stored draft of the period when there is one (also
an imported one), else start from the records alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from dangbo.core.concurrency import write_conflicts
from dangbo.core.dates import parse_date
from dangbo.core.errors import DomainError, InvalidInput, NotFound
from dangbo.core.management.base import DangboCommand, writable_path
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_resolve
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.error_codes import ReportErrorCode
from dangbo.reports.models import ReportKind, ReviewReport
from dangbo.reports.narrative import parse_markdown
from dangbo.reports.output import FORMATS, publish, render_bytes, render_to, stage
from dangbo.reports.services import (
    issued_for_period,
    report_draft,
    report_draft_save,
    report_issue,
    stored_draft,
)

ACTOR = "dong_lenh"


class Command(DangboCommand):
    help = "Báo cáo sơ kết, tổng kết: bản dự thảo từ số liệu hiện tại, ban hành, in lại bản đã ban hành."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("draft", help="lưu bản dự thảo: nội dung (Markdown), địa danh, người ký")
        p.add_argument("org", metavar="ORG")
        p.add_argument("--period", required=True, help="2023-H1, 2023-9M, 2023, 2020-2025")
        p.add_argument("--kind", choices=ReportKind.values)
        p.add_argument("--topic", default="")
        p.add_argument("--narrative", help="tệp Markdown: mỗi phần dưới một tiêu đề")
        p.add_argument("--place", help="địa danh (mặc định: địa bàn của cấp ủy)")
        p.add_argument("--signer", help="họ tên người ký")
        p.add_argument("--actor", default=ACTOR, help="người sửa")
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
        if action == "draft":
            self._draft(opts)
            return
        if action == "issue":
            self._issue(opts)
            return
        if action == "render":
            report = self._by_number(opts["number"], opts.get("org"))
        else:
            report = _draft_of(opts, save=False)
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
                report = _draft_of(opts, org=org)
                try:
                    report = report_issue(
                        report=report,
                        on=on,
                        actor=ACTOR,
                        reason=reason,
                        signer_name=opts["signer"] or None,
                    )
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

    def _draft(self, opts: dict[str, Any]) -> None:
        narrative, source = None, ""
        if opts.get("narrative"):
            path = Path(opts["narrative"])
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidInput(
                    f"Không đọc được tệp nội dung «{path}» ({getattr(exc, 'strerror', None) or exc}).",
                    field="--narrative",
                ) from None
            source = path.name
            narrative = parse_markdown(text, source=f"Tệp «{path.name}»")
        report, created = report_draft_save(
            org=org_resolve(opts["org"]),
            period_code=opts["period"],
            kind=opts["kind"],
            topic=opts["topic"],
            narrative=narrative,
            source=source,
            place=opts.get("place"),
            signer_name=opts.get("signer"),
            actor=opts["actor"],
        )
        revisions = report.revisions.count()
        self.stdout.write(
            f"{'Đã tạo' if created else 'Đã cập nhật'} bản dự thảo báo cáo {report.period_code} "
            f"(địa danh: {report.place}; người ký: {report.signer_name or 'chưa ghi'}; "
            f"nội dung: {len(report.narrative)} phần, {revisions} lần lưu)."
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


def _draft_of(
    opts: dict[str, Any], *, org: Organization | None = None, save: bool = True
) -> ReviewReport:
    """The stored draft of the period (its signer replaced in memory by --signer), else a new
    draft from the records (saved unless `save` is False)."""
    org = org or org_resolve(opts["org"])
    report = stored_draft(
        org=org, period_code=opts["period"], kind=opts["kind"], topic=opts["topic"]
    )
    if report is not None:
        if opts.get("signer"):
            report.signer_name = opts["signer"]
        return report
    return report_draft(
        org=org,
        period_code=opts["period"],
        kind=opts["kind"],
        topic=opts["topic"],
        signer_name=opts["signer"] or "",
        actor=ACTOR,
        save=save,
    )


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
