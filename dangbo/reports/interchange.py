"""Review reports in the interchange file, with their narrative revisions and frozen data."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from dangbo.core.dates import today
from dangbo.core.errors import InvalidInput
from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import Checker, Rec
from dangbo.interchange.schema import App, Field, RecordType, string
from dangbo.reports.models import (
    NarrativeRevision,
    OfficeSetting,
    ReportKind,
    ReportStatus,
    ReviewReport,
)
from dangbo.reports.rules import check_issue_date, check_override, check_reissue
from dangbo.reports.wording import setting_of

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer


NARRATIVE_REVISION_FIELDS = (
    Field("narrative", "object", required=True),
    Field("sections", "strlist", default=[]),
    string(NarrativeRevision, "source"),
    string(NarrativeRevision, "actor"),
)
REVIEW_REPORT = RecordType(
    "review_report",
    "report",
    "báo cáo sơ kết, tổng kết",
    (
        Field("org", "ref", required=True, target="organization"),
        string(ReviewReport, "kind", required=True, choices=ReportKind.values),
        string(ReviewReport, "period_code", required=True),
        Field("period_start", "date", required=True),
        Field("period_end", "date", required=True),
        string(ReviewReport, "topic"),
        string(
            ReviewReport, "status", default=ReportStatus.DRAFT.value, choices=ReportStatus.values
        ),
        Field("number", "ref", target="issued_number"),
        Field("issued_on", "date"),
        string(ReviewReport, "place"),
        string(ReviewReport, "signature_form", default="T/M BAN THƯỜNG VỤ"),
        string(ReviewReport, "signer_position", default="BÍ THƯ"),
        string(ReviewReport, "signer_name"),
        Field("recipients", "strlist", default=[]),
        Field("narrative", "object", default={}),
        Field("overrides", "object", default={}),
        Field("snapshot", "object"),
        string(ReviewReport, "reissue_reason"),
        string(ReviewReport, "created_by"),
        Field("revisions", "list", default=[], items=NARRATIVE_REVISION_FIELDS),
    ),
)

OFFICE_SETTING = RecordType(
    "office_setting",
    "setting",
    "cài đặt cách viết báo cáo",
    (
        Field("org", "ref", required=True, target="organization"),
        string(OfficeSetting, "key", required=True),
        string(OfficeSetting, "value", required=True),
        Field("valid_from", "date", required=True),
        string(OfficeSetting, "decision"),
        string(OfficeSetting, "set_by"),
    ),
)


# -- export


def _export_settings(w: Writer) -> None:
    orgs = w.refs["organization"]
    refs = w.number(OfficeSetting, OFFICE_SETTING)
    for s in OfficeSetting.objects.order_by("pk"):
        w.record(
            OFFICE_SETTING,
            refs[s.pk],
            {
                "org": orgs[s.org_id],
                "key": s.key,
                "value": s.value,
                "valid_from": s.valid_from,
                "decision": s.decision,
                "set_by": s.set_by,
            },
        )


def _export(w: Writer) -> None:
    _export_settings(w)
    orgs = w.refs["organization"]
    numbers = w.refs["issued_number"]
    narratives: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in NarrativeRevision.objects.order_by("pk"):
        narratives[r.report_id].append(
            {"narrative": r.narrative, "sections": r.sections, "source": r.source, "actor": r.actor}
        )
    refs = w.number(ReviewReport, REVIEW_REPORT)
    names = [f.name for f in REVIEW_REPORT.fields if f.kind not in ("ref", "list")]
    for report in ReviewReport.objects.order_by("pk"):
        w.record(
            REVIEW_REPORT,
            refs[report.pk],
            {
                **{n: getattr(report, n) for n in names},
                "org": orgs[report.org_id],
                "number": numbers.get(report.number_id),
                "snapshot": _snapshot_out(report.snapshot, orgs),
                "revisions": narratives.get(report.pk, []),
            },
        )


def _snapshot_out(snapshot: dict[str, Any] | None, orgs: dict[Any, str]) -> dict[str, Any] | None:
    """An issued report's frozen data, naming its organization by ref instead of id."""
    if not snapshot or not isinstance(snapshot.get("org"), dict):
        return snapshot
    org = dict(snapshot["org"])
    org["id"] = orgs.get(org.get("id"), org.get("id"))
    return {**snapshot, "org": org}


# -- checks


def _check_settings(ck: Checker) -> None:
    """A known key and a value it takes; one version per organization, key and day."""
    seen: dict[tuple[Any, ...], int] = {}
    for r in ck.recs["office_setting"]:
        if r.bad:
            continue
        before = ck.errors
        try:
            setting_of(r.get("key")).parse(r.get("value"))
        except InvalidInput as exc:
            ck.err(r.line, exc.field or "value", exc.message)
        key = (r.get("org"), r.get("key"), r.get("valid_from"))
        first = seen.setdefault(key, r.line)
        if first != r.line:
            ck.err(r.line, "valid_from", f"dòng {first} đã đặt cài đặt này từ cùng ngày.")
        r.bad = ck.errors > before


def _check(ck: Checker) -> None:
    _check_settings(ck)
    numbers: dict[int, int] = {}
    periods: dict[tuple[Any, ...], int] = {}  # (org, kind, period, topic) → its first issued line
    orgs = ck.recs["organization"]
    on = today()
    for r in ck.recs["review_report"]:
        if r.bad:
            continue
        before = ck.errors
        if r.get("period_end") < r.get("period_start"):
            ck.err(r.line, "period_end", "trước period_start.")
        issued = r.get("status") == ReportStatus.ISSUED
        fields = ("number", "issued_on", "snapshot")
        if issued and any(r.get(f) is None for f in fields):
            ck.err(
                r.line,
                "status",
                "báo cáo đã ban hành có số, ngày ban hành và số liệu đã chốt "
                "(number, issued_on, snapshot).",
            )
        elif not issued and any(r.get(f) is not None for f in fields):
            ck.err(
                r.line,
                "status",
                "báo cáo dự thảo chưa có số, ngày ban hành hay số liệu đã chốt.",
            )
        elif issued:
            checks = check_issue_date(
                issued_on=r.get("issued_on"), period_end=r.get("period_end"), today=on
            )
            for v in checks:
                ck.violation(r.line, "issued_on", v)
            kind = r.get("kind")
            key = (r.get("org"), kind, r.get("period_start"), r.get("period_end"))
            key += (r.get("topic"),) if kind == ReportKind.THEMATIC else ()
            first = periods.setdefault(key, r.line)
            existing = None if first == r.line else f"ở dòng {first}"
            for v in check_reissue(existing=existing, reason=r.get("reissue_reason")):
                ck.violation(r.line, "reissue_reason", v)
        number = r.get("number")
        if number is not None:
            if number in numbers:
                ck.err(r.line, "number", f"số này đã dùng cho báo cáo ở dòng {numbers[number]}.")
            numbers.setdefault(number, r.line)
        for key, value in r.get("overrides").items():
            for v in check_override(key=key, value=value):
                ck.violation(r.line, f"overrides.{key}", v)
        snapshot = r.get("snapshot")
        if snapshot is not None:
            org = snapshot.get("org")
            ref = org.get("id") if isinstance(org, dict) else None
            if ref != orgs[r.get("org") - 1].ref:
                ck.err(
                    r.line,
                    "snapshot.org.id",
                    f"phải là ref của tổ chức của báo cáo «{orgs[r.get('org') - 1].ref}».",
                )
        r.bad = ck.errors > before


# -- the ledger


# -- writing


def _write(imp: Importer) -> None:
    now = imp.now
    Table(
        OfficeSetting,
        ("id", "org_id", "key", "value", "valid_from", "decision", "set_by", "set_at"),
    ).insert(
        (
            imp.id("office_setting", r.idx),
            imp.id("organization", r.get("org")),
            r.get("key"),
            r.get("value"),
            r.get("valid_from"),
            r.get("decision"),
            r.get("set_by"),
            now,
        )
        for r in imp.recs["office_setting"]
    )
    reports = imp.recs["review_report"]
    plain = (
        "kind",
        "period_code",
        "period_start",
        "period_end",
        "topic",
        "status",
        "issued_on",
        "place",
        "signature_form",
        "signer_position",
        "signer_name",
        "recipients",
        "narrative",
        "overrides",
        "reissue_reason",
        "created_by",
    )
    Table(
        ReviewReport,
        ("id", "org_id", "number_id", *plain, "snapshot", "created_at", "updated_at"),
    ).insert(
        (
            imp.id("review_report", r.idx),
            imp.id("organization", r.get("org")),
            imp.id("issued_number", r.get("number")),
            *(r.get(n) for n in plain),
            _snapshot(imp, r),
            now,
            now,
        )
        for r in reports
    )
    Table(
        NarrativeRevision, ("report_id", "narrative", "sections", "source", "actor", "saved_at")
    ).insert(
        (
            imp.id("review_report", r.idx),
            n["narrative"],
            n.get("sections", []),
            n.get("source", ""),
            n["actor"],
            now,
        )
        for r in reports
        for n in r.get("revisions")
    )


def _snapshot(imp: Importer, r: Rec) -> dict[str, Any] | None:
    snapshot = r.get("snapshot")
    if snapshot is None:
        return None
    return {
        **snapshot,
        "org": {**snapshot["org"], "id": imp.id("organization", r.get("org"))},
    }


APP = App(
    name="reports",
    types=(OFFICE_SETTING, REVIEW_REPORT),
    export=_export,
    check=_check,
    write=_write,
    ids=(("office_setting", OfficeSetting), ("review_report", ReviewReport)),
    tables=(OfficeSetting, ReviewReport, NarrativeRevision),
    occupied=((ReviewReport, "báo cáo"), (OfficeSetting, "cài đặt cách viết báo cáo")),
)
