"""The review-report builder: records → one frozen, plain object with every figure.

Nothing here formats text; :mod:`dangbo.reports.compose` writes the Vietnamese. An issued
report is rebuilt from its frozen snapshot, never from the records, so rendering it again
after later events, corrections or reorganizations gives the same document.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.core.dates import add_months, parse_period
from dangbo.core.errors import InvalidInput
from dangbo.figures import members_series, membership_figures
from dangbo.membership.models import ClassAttendance, ClassKind, TrainingClass
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion
from dangbo.organizations.naming import committee_name
from dangbo.reports.models import ReportKind, ReviewReport

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class ReviewData:
    """Everything a review report shows, as plain data (JSON-serialisable via to_json)."""

    status: str
    kind: str
    period_code: str
    period_start: date
    period_end: date
    topic: str
    org: dict  # id, code, name, committee, doc_code, kind
    superior: dict | None  # name, committee of the organization above on the period's end
    number: str  # "154-BC/ĐU"; "" for a draft
    issued_on: date | None
    place: str
    signature: dict  # form, position, name
    recipients: tuple[str, ...]
    figures: dict  # REPORTS §1–2 keys, with hand overrides applied
    overrides: dict  # key -> {"value": v, "computed": c}
    units: tuple[
        dict, ...
    ]  # per direct sub-organization: name, members_start, members_end, admitted…
    monthly: tuple[tuple[str, int], ...]  # (month-end "6/2023", members)
    admissions_by_month: tuple[tuple[str, int], ...]
    admission_target: int | None
    classes: tuple[dict, ...]  # kind, name, starts_on, ends_on, attendees, certified
    narrative: dict
    # parts whose records arrive later; they render when present
    congresses: dict | None = None
    grading: dict | None = None
    targets: tuple[dict, ...] = ()
    inspections: dict | None = None
    documents: tuple[dict, ...] = ()
    open_tasks: tuple[dict, ...] = ()
    version: int = SNAPSHOT_VERSION
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return json.loads(json.dumps(dataclasses.asdict(self), default=_encode, ensure_ascii=False))

    @classmethod
    def from_json(cls, data: dict) -> ReviewData:
        values = dict(data)
        for key in ("period_start", "period_end", "issued_on"):
            if values.get(key):
                values[key] = date.fromisoformat(values[key])
        for key in ("recipients", "units", "classes", "targets", "documents", "open_tasks"):
            values[key] = tuple(values.get(key) or ())
        for key in ("monthly", "admissions_by_month"):
            values[key] = tuple(tuple(x) for x in values.get(key) or ())
        return cls(**values)


def _encode(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))


def default_place(org: Organization, on: date) -> str:
    """The place name of the document: the province or city of the root of the tree."""
    root = (
        OrgClosure.objects.filter(descendant=org, valid_from__lte=on, valid_to__gt=on)
        .order_by("-depth")
        .first()
    )
    v = (root.ancestor if root else org).version_on(on) or org.latest_version
    m = re.search(r"(?:thành phố|tỉnh)\s+(.+)$", v.name)
    return m.group(1) if m else v.name


def report_period(kind: str, code: str, org: Organization | None = None) -> tuple[date, date]:
    """Dates of a report period: `2023-H1`, `2023-9M`, `2023`, `2023-Q3`, or a term `2020-2025`.

    A term gives the whole term for an end-of-term report and its first half (to the end of
    the half-year holding the midpoint) for a mid-term one.
    """
    m = re.fullmatch(r"(\d{4})\s*[-–](\d{4})", code.strip())
    if not m:
        return parse_period(code)
    first, last = int(m[1]), int(m[2])
    if last <= first:
        raise InvalidInput(f"Nhiệm kỳ «{code}» không hợp lệ.", field="period")
    start, end = date(first, 1, 1), date(last, 12, 31)
    term = None
    if org is not None:
        term = org.terms.filter(label=f"{first}–{last}").first()
    if term is not None:
        start = term.starts_on
    if kind == ReportKind.MID_TERM:
        midpoint = start + (end - start) / 2
        half_end = (
            date(midpoint.year, 6, 30) if midpoint.month <= 6 else date(midpoint.year, 12, 31)
        )
        return start, half_end
    return start, end


def _month_ends(start: date, end: date) -> list[date]:
    out, d = [], date(start.year, start.month, 1)
    while d <= end:
        out.append(min(add_months(d, 1) - timedelta(days=1), end))
        d = add_months(d, 1)
    if len(out) > 24:  # long periods (terms): one point per quarter
        out = [x for x in out if x.month in (3, 6, 9, 12)] + (
            [end] if end.month not in (3, 6, 9, 12) else []
        )
    return out


def _units(org: Organization, start: date, end: date) -> list[dict]:
    children = OrgVersion.objects.filter(
        parent=org, valid_from__lte=end, valid_to__gt=start
    ).order_by("org_id", "-valid_from")
    seen: dict[int, OrgVersion] = {}
    for v in children:
        seen.setdefault(v.org_id, v)
    out = []
    for org_id, v in seen.items():
        f = membership_figures(org_id, start, end, breakdowns=False)
        if not (f["members_start"] or f["members_end"]):
            continue
        out.append(
            {
                "name": v.name,
                "code": v.code,
                **{
                    k: f[k]
                    for k in (
                        "members_start",
                        "members_end",
                        "official_end",
                        "probationary_end",
                        "admitted",
                        "transferred_in",
                        "transferred_out",
                        "died",
                    )
                },
            }
        )
    out.sort(key=lambda u: u["code"])
    return out


def _classes(org: Organization, start: date, end: date) -> list[dict]:
    inside = OrgClosure.objects.filter(
        ancestor=org, valid_from__lte=end, valid_to__gt=start
    ).values("descendant_id")
    out = []
    for tc in TrainingClass.objects.filter(
        organizer_id__in=inside, starts_on__gte=start, starts_on__lte=end
    ).order_by("starts_on", "pk"):
        attendees = ClassAttendance.objects.filter(training_class=tc)
        out.append(
            {
                "kind": tc.kind,
                "kind_label": ClassKind(tc.kind).label,
                "name": tc.name,
                "starts_on": tc.starts_on.isoformat(),
                "ends_on": tc.ends_on.isoformat(),
                "attendees": attendees.count(),
                "certified": attendees.filter(certified_on__isnull=False).count(),
            }
        )
    return out


def build_review(report: ReviewReport) -> ReviewData:
    """The report's data: its frozen snapshot once issued, else computed from the records now."""
    if report.snapshot:
        return ReviewData.from_json(report.snapshot)
    return compute_review(report)


def compute_review(report: ReviewReport) -> ReviewData:
    org, start, end = report.org, report.period_start, report.period_end
    v = org.version_on(end) or org.version_on(start) or org.latest_version
    parent_v = v.parent.version_on(end) or v.parent.latest_version if v.parent_id else None
    figures = membership_figures(org, start, end)
    overrides = {}
    for key, value in (report.overrides or {}).items():
        overrides[key] = {"value": value, "computed": figures.get(key)}
        figures[key] = value
    month_ends = _month_ends(start, end)
    series = members_series(org, month_ends)
    admissions = []
    first = start
    for month_end in month_ends:
        f = membership_figures(org, first, month_end, breakdowns=False)
        admissions.append((f"{month_end.month}/{month_end.year}", f["admitted"] + f["readmitted"]))
        first = month_end + timedelta(days=1)
    return ReviewData(
        status=report.status,
        kind=report.kind,
        period_code=report.period_code,
        period_start=start,
        period_end=end,
        topic=report.topic,
        org={
            "id": org.pk,
            "code": v.code,
            "name": v.name,
            "committee": committee_name(v.name, v.kind.code),
            "doc_code": v.doc_code,
            "kind": v.kind.code,
        },
        superior=(
            {"name": parent_v.name, "committee": committee_name(parent_v.name, parent_v.kind.code)}
            if parent_v
            else None
        ),
        number=report.number.text if report.number_id else "",
        issued_on=report.issued_on,
        place=report.place or default_place(org, end),
        signature={
            "form": report.signature_form,
            "position": report.signer_position,
            "name": report.signer_name,
        },
        recipients=tuple(report.recipients or ()),
        figures=figures,
        overrides=overrides,
        units=tuple(_units(org, start, end)),
        monthly=tuple((f"{d.month}/{d.year}", n) for d, n in zip(month_ends, series, strict=True)),
        admissions_by_month=tuple(admissions),
        admission_target=_admission_target(org, start, end),
        classes=tuple(_classes(org, start, end)),
        narrative=dict(report.narrative or {}),
        congresses=_congresses(org, start, end),
        grading=_grading(org, report.kind, end),
        inspections=_inspections(org, start, end),
        documents=tuple(_documents(org, start, end)),
        open_tasks=tuple(_open_tasks(org, end)),
        targets=tuple(_targets(org, start, end)),
    )


def _targets(org: Organization, start: date, end: date) -> list[dict]:
    from dangbo.targets.figures import target_figures

    return target_figures(org, start, end)["targets"]


def _admission_target(org: Organization, start: date, end: date) -> int | None:
    """The planned admissions in force at the period's end, from the computed admission target."""
    from django.db.models import Q

    from dangbo.targets.models import Target
    from dangbo.targets.selectors import in_force

    target = (
        Target.objects.filter(org=org, computed_from="admitted", adopted_on__lte=end)
        .filter(Q(year=end.year) | Q(term__starts_on__lte=end, term__ends_on__gt=end))
        .order_by("-adopted_on", "-pk")
        .first()
    )
    if target is None:
        return None
    planned = in_force(target, end).planned
    return int(planned) if planned == int(planned) else None


def _open_tasks(org: Organization, end: date) -> list[dict]:
    """Follow-up tasks of the organization's meetings still open at the period's end (part III)."""
    from dangbo.meetings.selectors import open_tasks

    return [{k: t[k] for k in ("task", "owner", "deadline")} for t in open_tasks(org, end)]


def _documents(org: Organization, start: date, end: date) -> list[dict]:
    """Documents of higher levels received and implemented in the period (not secret ones)."""
    from dangbo.documents.selectors import documents_for_report

    return documents_for_report(org, start, end)


def _inspections(org: Organization, start: date, end: date) -> dict | None:
    from dangbo.inspections.figures import inspection_figures

    f = inspection_figures(org, start, end)
    counted = (
        "inspected_orgs",
        "inspected_members",
        "supervised_orgs",
        "supervised_members",
        "violations_found",
    )
    return (
        {k: v for k, v in f.items() if k not in ("from", "to")}
        if any(f[k] for k in counted)
        else None
    )


def _congresses(org: Organization, start: date, end: date) -> dict | None:
    """The congresses of the organizations below `org` in the period (none: the part is left out)."""
    from dangbo.congresses.figures import congress_figures

    figures = congress_figures(org, start, end, include_root=False)
    return figures if figures["congresses_held"] or figures["congresses_due"] else None


def _grading(org: Organization, kind: str, end: date) -> dict | None:
    """Grading results in reports that close a year (year-end and end-of-term)."""
    from dangbo.grading.figures import grading_figures

    if kind not in (ReportKind.YEAR_END, ReportKind.END_OF_TERM) or (end.month, end.day) != (
        12,
        31,
    ):
        return None
    figures = grading_figures(org, end.year)
    return figures if figures["members_total"] or figures["base_orgs_graded"] else None
