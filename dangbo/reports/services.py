"""Writes of review reports: create a draft, edit its narrative, override a figure, issue it."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction

from dangbo.core.dates import today as today_date
from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.services import audit
from dangbo.documents.numbering import number_issue
from dangbo.figures import FLOWS, STOCKS
from dangbo.organizations.models import Organization
from dangbo.reports.addressing import default_place, default_recipients
from dangbo.reports.builder import compute_review, report_period
from dangbo.reports.error_codes import ReportErrorCode
from dangbo.reports.models import NarrativeRevision, ReportKind, ReportStatus, ReviewReport
from dangbo.reports.narrative import NARRATIVE_KEYS
from dangbo.reports.rules import check_issue_date, check_override, check_reissue

REASON_MAX = ReviewReport._meta.get_field("reissue_reason").max_length or 500
OVERRIDABLE = {f"{k}_{w}" for k in STOCKS for w in ("start", "end")} | set(FLOWS)


def kind_for_period(code: str) -> str:
    code = code.strip().upper()
    if re.fullmatch(r"\d{4}\s*[-–]\s*\d{4}", code):
        return ReportKind.END_OF_TERM
    if code.endswith("9M"):
        return ReportKind.NINE_MONTHS
    if re.fullmatch(r"\d{4}", code):
        return ReportKind.YEAR_END
    return ReportKind.HALF_YEAR


def report_draft(
    *,
    org: Organization,
    period_code: str,
    actor: str,
    kind: str | None = None,
    topic: str = "",
    place: str | None = None,
    signer_name: str = "",
    signer_position: str = "BÍ THƯ",
    signature_form: str = "T/M BAN THƯỜNG VỤ",
    recipients: list[str] | None = None,
    narrative: dict[str, str] | None = None,
    source: str = "",
    save: bool = True,
) -> ReviewReport:
    """A draft review report of `org` for a period (saved unless `save=False`); a saved
    draft with a narrative gets its first revision (`source`: where the text came from).

    The place defaults to the organization's own locality, the recipients to those of
    :func:`dangbo.reports.addressing.default_recipients`."""
    kind = kind or kind_for_period(period_code)
    if kind not in ReportKind.values:
        raise InvalidInput(
            f"Loại báo cáo «{kind}» không hợp lệ ({', '.join(ReportKind.values)}).", field="kind"
        )
    if kind == ReportKind.THEMATIC and not topic.strip():
        raise InvalidInput("Báo cáo chuyên đề cần ghi rõ chủ đề.", field="topic")
    start, end = report_period(kind, period_code, org)
    if org.founded_on > end:
        raise InvalidInput("Tổ chức chưa thành lập trong kỳ báo cáo.", field="period")
    _check_narrative(narrative or {})
    report = ReviewReport(
        org=org,
        kind=kind,
        period_code=period_code.strip(),
        period_start=start,
        period_end=end,
        topic=topic.strip(),
        place=place or default_place(org, end),
        signer_name=signer_name,
        signer_position=signer_position,
        signature_form=signature_form,
        recipients=recipients if recipients is not None else default_recipients(org, end),
        narrative=narrative or {},
        created_by=actor,
    )
    if save:
        report.save()
        if report.narrative:
            _revision(report, sorted(report.narrative), actor, source)
        audit(
            actor=actor,
            action="report_draft",
            obj=report,
            after={"org": org.pk, "period": period_code},
        )
    return report


def _check_narrative(narrative: dict[str, str]) -> None:
    unknown = set(narrative) - set(NARRATIVE_KEYS)
    if unknown:
        raise InvalidInput(
            f"Phần nội dung không có trong báo cáo: {', '.join(sorted(unknown))} "
            f"(các phần: {', '.join(NARRATIVE_KEYS)}).",
            field="narrative",
        )


def _require_draft(report: ReviewReport) -> None:
    if report.status != ReportStatus.DRAFT:
        raise DomainError(
            f"Báo cáo số {report.number.text if report.number else ''} đã ban hành, không sửa được.",
            code=ReportErrorCode.DA_BAN_HANH,
        )


def _revision(report: ReviewReport, sections: list[str], actor: str, source: str) -> None:
    NarrativeRevision.objects.create(
        report=report,
        narrative=report.narrative,
        sections=sections,
        source=source[:300],
        actor=actor,
    )


@transaction.atomic
def report_update_narrative(
    *, report: ReviewReport, narrative: dict[str, str], actor: str, source: str = ""
) -> ReviewReport:
    """Replace the given sections of a draft's narrative (the others stay); the narrative as
    saved is appended as a revision with its author, time, the sections changed and
    `source`. A save that changes nothing writes no revision."""
    _require_draft(report)
    _check_narrative(narrative)
    changed = sorted(k for k, v in narrative.items() if report.narrative.get(k) != v)
    if not changed:
        return report
    report.narrative = {**report.narrative, **narrative}
    report.save(update_fields=["narrative", "updated_at"])
    _revision(report, changed, actor, source)
    audit(actor=actor, action="report_narrative", obj=report, after={"keys": changed})
    return report


def stored_draft(
    *, org: Organization, period_code: str, kind: str | None = None, topic: str = ""
) -> ReviewReport | None:
    """The latest stored (or imported) draft of `org` for the period and kind (and topic,
    for a thematic report); None when there is none."""
    kind = kind or kind_for_period(period_code)
    start, end = report_period(kind, period_code, org)
    drafts = ReviewReport.objects.filter(
        org=org,
        kind=kind,
        period_start=start,
        period_end=end,
        status=ReportStatus.DRAFT,
    )
    if kind == ReportKind.THEMATIC:
        drafts = drafts.filter(topic=topic.strip())
    return drafts.order_by("-updated_at", "-pk").first()


@transaction.atomic
def report_draft_save(
    *,
    org: Organization,
    period_code: str,
    actor: str,
    kind: str | None = None,
    topic: str = "",
    narrative: dict[str, str] | None = None,
    source: str = "",
    place: str | None = None,
    signer_name: str | None = None,
) -> tuple[ReviewReport, bool]:
    """Keep the draft of `org` for the period: the stored one (its narrative sections given
    replaced, as a revision; place and signer when given), or a new one. Returns the draft
    and whether it was created."""
    report = stored_draft(org=org, period_code=period_code, kind=kind, topic=topic)
    if report is None:
        report = report_draft(
            org=org,
            period_code=period_code,
            actor=actor,
            kind=kind,
            topic=topic,
            place=place,
            signer_name=signer_name or "",
            narrative=narrative,
            source=source,
        )
        return report, True
    changes = {}
    if place is not None and place.strip() and place.strip() != report.place:
        changes["place"] = place.strip()
    if signer_name is not None and signer_name.strip() and signer_name != report.signer_name:
        changes["signer_name"] = signer_name.strip()
    if changes:
        before = {k: getattr(report, k) for k in changes}
        for k, v in changes.items():
            setattr(report, k, v)
        report.save(update_fields=[*changes, "updated_at"])
        audit(actor=actor, action="report_draft_edit", obj=report, before=before, after=changes)
    if narrative:
        report_update_narrative(report=report, narrative=narrative, actor=actor, source=source)
    return report, False


@transaction.atomic
def report_override(
    *, report: ReviewReport, key: str, value: int, actor: str, reason: str = ""
) -> ReviewReport:
    """Replace a computed figure by hand; the report shows it as overridden, with the computed
    value. `reason` (why the office corrects it) is kept in the audit entry."""
    _require_draft(report)
    if key not in OVERRIDABLE:
        raise InvalidInput(f"Số liệu «{key}» không sửa tay được.", field="key")
    for v in check_override(key=key, value=value):
        raise InvalidInput(v.sentence(), code=v.rule, field="value")
    if len(reason.strip()) > REASON_MAX:
        raise InvalidInput(f"Lý do sửa số liệu dài quá {REASON_MAX} ký tự.", field="reason")
    report.overrides = {**report.overrides, key: value}
    report.save(update_fields=["overrides", "updated_at"])
    after: dict[str, object] = {key: value}
    if reason.strip():
        after["reason"] = reason.strip()
    audit(actor=actor, action="report_override", obj=report, after=after)
    return report


@transaction.atomic
def report_override_remove(*, report: ReviewReport, key: str, actor: str) -> ReviewReport:
    """Give a figure back to the computation (a key not overridden is refused)."""
    _require_draft(report)
    if key not in report.overrides:
        raise InvalidInput(f"Số liệu «{key}» không sửa tay.", field="key")
    before = {key: report.overrides[key]}
    report.overrides = {k: v for k, v in report.overrides.items() if k != key}
    report.save(update_fields=["overrides", "updated_at"])
    audit(actor=actor, action="report_override_remove", obj=report, before=before)
    return report


@transaction.atomic
def report_set_addressing(
    *,
    report: ReviewReport,
    actor: str,
    place: str,
    signer_name: str,
    signer_position: str,
    signature_form: str,
    recipients: list[str],
) -> ReviewReport:
    """Set where the draft is written, who signs it and to whom it goes; blank lines of the
    recipients are dropped. A blank place, position or signature form is refused."""
    _require_draft(report)
    values: dict[str, object] = {
        "place": place.strip(),
        "signer_name": signer_name.strip(),
        "signer_position": signer_position.strip(),
        "signature_form": signature_form.strip(),
        "recipients": [r.strip() for r in recipients if r.strip()],
    }
    limits = {"place": 80, "signer_position": 40, "signature_form": 40, "signer_name": 120}
    for name, limit in limits.items():
        if not values[name] and name != "signer_name":
            raise InvalidInput("Không được để trống.", field=name)
        if len(str(values[name])) > limit:
            raise InvalidInput(f"Dài quá {limit} ký tự.", field=name)
    changes = {k: v for k, v in values.items() if getattr(report, k) != v}
    if not changes:
        return report
    before = {k: getattr(report, k) for k in changes}
    for k, v in changes.items():
        setattr(report, k, v)
    report.save(update_fields=[*changes, "updated_at"])
    audit(actor=actor, action="report_draft_edit", obj=report, before=before, after=changes)
    return report


def issued_for_period(report: ReviewReport) -> ReviewReport | None:
    """The latest issued report of the same organization, kind and period (and topic, for a
    thematic report), other than `report`; None when there is none."""
    same = ReviewReport.objects.filter(
        org_id=report.org_id,
        kind=report.kind,
        period_start=report.period_start,
        period_end=report.period_end,
        status=ReportStatus.ISSUED,
    ).select_related("number")
    if report.kind == ReportKind.THEMATIC:
        same = same.filter(topic=report.topic)
    if report.pk is not None:
        same = same.exclude(pk=report.pk)
    return same.order_by("-issued_on", "-pk").first()


@transaction.atomic
def report_issue(
    *,
    report: ReviewReport,
    on: date,
    actor: str,
    signer_name: str | None = None,
    reason: str = "",
    today: date | None = None,
) -> ReviewReport:
    """Issue the report: give it the next BC number, and freeze its figures and data.

    Refused when the period has not ended or `on` is after `today` (the real date unless
    given), and when the organization already has an issued report of the same kind and
    period, unless `reason` says why it is issued again (kept on the report and audited).
    """
    _require_draft(report)
    if signer_name is not None:
        report.signer_name = signer_name
    if not report.signer_name.strip():
        raise InvalidInput("Cần ghi họ tên người ký trước khi ban hành.", field="signer_name")
    checks = check_issue_date(
        issued_on=on, period_end=report.period_end, today=today or today_date()
    )
    for v in checks:
        raise InvalidInput(v.sentence(), code=v.rule, field="issued_on")
    if len(reason.strip()) > REASON_MAX:
        raise InvalidInput(f"Lý do ban hành lại dài quá {REASON_MAX} ký tự.", field="reason")
    Organization.objects.select_for_update().filter(pk=report.org_id).first()  # one at a time
    previous = issued_for_period(report)
    existing = previous.number.text if previous and previous.number else None
    for v in check_reissue(existing=existing and f"số {existing}", reason=reason):
        raise DomainError(v.sentence(), code=v.rule)
    if report.pk is None:
        report.save()
    title = f"Báo cáo {ReportKind(report.kind).label.lower()} ({report.period_code})"
    report.number = number_issue(issuer=report.org, type_code="BC", on=on, title=title, actor=actor)
    report.issued_on = on
    report.status = ReportStatus.ISSUED
    report.reissue_reason = reason.strip() if existing else ""
    report.snapshot = compute_review(report).to_json()
    report.save()
    after = {"number": report.number.text}
    if existing:
        after |= {"again_of": existing, "reason": report.reissue_reason}
    audit(actor=actor, action="report_issue", obj=report, after=after)
    return report
