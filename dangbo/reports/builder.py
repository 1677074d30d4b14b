"""The review-report builder: records → one frozen :class:`ReviewData` with every figure.

Nothing here formats text; :mod:`dangbo.reports.compose` writes the Vietnamese. An issued
report is rebuilt from its frozen snapshot, never from the records, so rendering it again
after later events, corrections or reorganizations gives the same document.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from dangbo.congresses.figures import CongressFigures, congress_figures
from dangbo.core.dates import add_months, parse_period, today
from dangbo.core.errors import InvalidInput
from dangbo.documents.selectors import documents_for_report
from dangbo.dues.figures import DuesFigures, dues_figures
from dangbo.figures import admissions_series, members_series, membership_figures, unit_counts
from dangbo.grading.figures import GradingFigures, grading_figures
from dangbo.inspections.figures import InspectionFigures, inspection_figures
from dangbo.meetings.selectors import open_tasks
from dangbo.membership.models import TrainingClass
from dangbo.organizations.models import Organization, OrgClosure, OrgVersion
from dangbo.organizations.naming import committee_name
from dangbo.reports.addressing import default_place
from dangbo.reports.data import (
    SNAPSHOT_VERSION,
    ClassRow,
    DocumentItem,
    MonthPoint,
    OpenTask,
    OrgHeading,
    Override,
    ReviewData,
    Signer,
    Superior,
    UnitRow,
)
from dangbo.reports.models import ReportKind, ReviewReport
from dangbo.reports.wording import wording_on
from dangbo.targets.figures import adopted_targets, target_figures
from dangbo.targets.models import Target
from dangbo.targets.selectors import in_force

__all__ = ["SNAPSHOT_VERSION", "ReviewData", "build_review", "compute_review", "report_period"]


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


def _units(org: Organization, start: date, end: date) -> list[UnitRow]:
    """The direct sub-organizations of the period (each as it last stood in it) that had
    members at its start or end, by code; their figures in one query."""
    children = OrgVersion.objects.filter(
        parent=org, valid_from__lte=end, valid_to__gt=start
    ).order_by("org_id", "-valid_from")
    seen: dict[int, OrgVersion] = {}
    for v in children:
        seen.setdefault(v.org_id, v)
    counts = unit_counts(list(seen), start, end)
    out = [
        UnitRow(name=v.name, code=v.code, counts=counts[org_id])
        for org_id, v in seen.items()
        if counts[org_id].members_start or counts[org_id].members_end
    ]
    out.sort(key=lambda u: u.code)
    return out


def _classes(org: Organization, start: date, end: date) -> list[ClassRow]:
    """Training classes organized inside `org` that started in the period, with their
    attendees and those certified, in one query."""
    inside = OrgClosure.objects.filter(
        ancestor=org, valid_from__lte=end, valid_to__gt=start
    ).values("descendant_id")
    classes = (
        TrainingClass.objects.filter(
            organizer_id__in=inside, starts_on__gte=start, starts_on__lte=end
        )
        .annotate(
            n_attendees=Count("attendees"),
            n_certified=Count("attendees", filter=Q(attendees__certified_on__isnull=False)),
        )
        .order_by("starts_on", "pk")
    )
    return [
        ClassRow(
            kind=tc.kind,
            name=tc.name,
            starts_on=tc.starts_on,
            ends_on=tc.ends_on,
            attendees=tc.n_attendees,
            certified=tc.n_certified,
        )
        for tc in classes
    ]


def build_review(report: ReviewReport) -> ReviewData:
    """The report's data: its frozen snapshot once issued, else computed from the records now."""
    if report.snapshot:
        return ReviewData.from_json(report.snapshot)
    return compute_review(report)


def compute_review(report: ReviewReport) -> ReviewData:
    """The report's data computed from the records now (hand overrides applied)."""
    org, start, end = report.org, report.period_start, report.period_end
    assert org is not None
    v = org.version_on(end) or org.version_on(start) or org.latest_version
    parent_v = v.parent.version_on(end) or v.parent.latest_version if v.parent else None
    computed = membership_figures(org, start, end)
    overrides = {
        key: Override(value=value, computed=computed.count(key))
        for key, value in (report.overrides or {}).items()
    }
    changes: dict[str, Any] = {k: o.value for k, o in overrides.items()}
    figures = dataclasses.replace(computed, **changes)
    month_ends = _month_ends(start, end)
    series = members_series(org, month_ends)
    admissions = admissions_series(org, start, month_ends)
    adopted = adopted_targets(org, start, end)  # the directions part and the targets' table
    return ReviewData(
        status=report.status,
        kind=report.kind,
        period_code=report.period_code,
        period_start=start,
        period_end=end,
        topic=report.topic,
        org=OrgHeading(
            id=org.pk,
            code=v.code,
            name=v.name,
            committee=committee_name(v.name, v.kind.code),
            doc_code=v.doc_code,
            kind=v.kind.code,
        ),
        superior=(
            Superior(
                name=parent_v.name, committee=committee_name(parent_v.name, parent_v.kind.code)
            )
            if parent_v
            else None
        ),
        number=report.number.text if report.number is not None else "",
        issued_on=report.issued_on,
        place=report.place or default_place(org, end),
        signature=Signer(
            form=report.signature_form,
            position=report.signer_position,
            name=report.signer_name,
        ),
        recipients=tuple(report.recipients or ()),
        figures=figures,
        overrides=overrides,
        units=tuple(_units(org, start, end)),
        monthly=tuple(MonthPoint(d, n) for d, n in zip(month_ends, series, strict=True)),
        admissions_by_month=tuple(
            MonthPoint(d, n) for d, n in zip(month_ends, admissions, strict=True)
        ),
        admission_target=admission_target(org, start, end),
        classes=tuple(_classes(org, start, end)),
        narrative=dict(report.narrative or {}),
        congresses=_congresses(org, start, end),
        grading=_grading(org, report.kind, end),
        inspections=_inspections(org, start, end),
        documents=tuple(
            DocumentItem(citation=d["citation"], title=d["title"])
            for d in documents_for_report(org, start, end)
        ),
        open_tasks=tuple(
            OpenTask(task=t["task"], owner=t["owner"], deadline=t["deadline"])
            for t in open_tasks(org, end)
        ),
        targets=target_figures(org, start, end, adopted=adopted).targets,
        targets_adopted=adopted if adopted.total else None,
        wording=wording_on(org, report.issued_on or today()),
        dues=_dues(org, start, end),
    )


def admission_target(org: Organization, start: date, end: date) -> int | None:
    """The planned admissions in force at the period's end, from the computed admission target."""
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


def _inspections(org: Organization, start: date, end: date) -> InspectionFigures | None:
    """Inspection figures when any inspection, supervision or violation counted."""
    figures = inspection_figures(org, start, end)
    return figures if figures.anything_counted else None


def _congresses(org: Organization, start: date, end: date) -> CongressFigures | None:
    """The congresses of the organizations below `org` and its own congress in the period
    (none: the part is left out)."""
    figures = congress_figures(org, start, end)
    shown = figures.congresses_held or figures.congresses_due or figures.own_congresses_held
    return figures if shown else None


def _dues(org: Organization, start: date, end: date) -> DuesFigures | None:
    """The dues figures of the period's months (one query) when it has dues records: charges
    computed or payments recorded (none: the report says nothing about dues)."""
    figures = dues_figures(org, start, end)
    return figures if figures.dues_member_months or figures.dues_paid else None


def _grading(org: Organization, kind: str, end: date) -> GradingFigures | None:
    """Grading results in reports that close a year (year-end and end-of-term)."""
    if kind not in (ReportKind.YEAR_END, ReportKind.END_OF_TERM) or (end.month, end.day) != (
        12,
        31,
    ):
        return None
    figures = grading_figures(org, end.year)
    return figures if figures.any_graded else None
