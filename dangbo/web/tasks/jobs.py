"""The background tasks of the web application.

Each task takes its context (its own id), reports its progress through
:mod:`dangbo.web.tasks.store` and publishes its result file in one rename at the end; the
task returns the result's file name. Killed half-way, a task leaves no result file and its
retry (a new task with the same arguments) starts over.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from django_tasks import TaskContext, task

from dangbo.core.errors import DomainError
from dangbo.figures_snapshot import min_members, snapshot_refresh
from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_version_shown
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.output import render_bytes
from dangbo.reports.services import report_draft
from dangbo.reports.xlsx import figures_xlsx
from dangbo.statistics import period_statistics
from dangbo.web.tasks.store import publish_result, report_progress
from dangbo.web.tasks.units import child_versions

ACTOR = "viec_nen"
FORMATS = ("pdf", "docx")


def _id(context: TaskContext) -> str:
    return str(context.task_result.id)


@task(takes_context=True)
def unit_reports(context: TaskContext, org_id: int, period_code: str, fmt: str) -> str:
    """The review report of every unit directly below organization `org_id` for the period,
    one file per unit (`fmt`: pdf or docx), in one zip.

    A unit whose report cannot be drafted (founded after the period, no figures) gets a text
    file saying why instead of failing the whole task. Nothing is saved: the drafts are
    built in memory.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}")
    task_id = _id(context)
    org = Organization.objects.get(pk=org_id)
    today = date.today()
    units = child_versions(org.pk, today)
    version = org_version_shown(org, today)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, unit in enumerate(units):
            report_progress(task_id, i, len(units), unit.name)
            name = f"{i + 1:02d}-{unit.code}"
            try:
                report = report_draft(
                    org=unit.org, period_code=period_code, actor=ACTOR, save=False
                )
                data = render_bytes(compose_review(build_review(report)), Path(f"x.{fmt}"))
            except DomainError as exc:
                archive.writestr(f"{name}.txt", f"{unit.name}: {exc.message}\n")
                continue
            archive.writestr(f"{name}.{fmt}", data)
        report_progress(task_id, len(units), len(units), "")
    return publish_result(task_id, f"bao-cao-{version.code}-{period_code}.zip", buffer.getvalue())


@task(takes_context=True)
def org_figures_workbook(
    context: TaskContext, org_id: int, start: str, end: str, code: str = ""
) -> str:
    """The figures of organization `org_id` for the period from `start` to `end` (ISO dates)
    as the xlsx workbook of the organization page; `code` (e.g. 2024-H1) names the file."""
    task_id = _id(context)
    org = Organization.objects.get(pk=org_id)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    report_progress(task_id, 0, 1, "Tính số liệu")
    figures = period_statistics(org, first, last, breakdowns="snapshot")
    version = org_version_shown(org, last)
    data = figures_xlsx(figures, org_name=version.name, org_code=version.code)
    report_progress(task_id, 1, 1)
    name = f"so-lieu-{version.code}-{code or f'{first:%Y%m%d}-{last:%Y%m%d}'}.xlsx"
    return publish_result(task_id, name, data)


@task(takes_context=True)
def breakdown_snapshot(context: TaskContext, on: str) -> str:
    """Recompute the breakdown snapshot of the large subtrees as of `on` (an ISO date); the
    result is a one-line text file saying what was computed."""
    task_id = _id(context)
    day = date.fromisoformat(on)
    report_progress(task_id, 0, 2, "Tính cơ cấu đảng viên")
    n = snapshot_refresh(
        day, progress=lambda done, total: report_progress(task_id, done, total, "Ghi bản chụp")
    )
    text = (
        f"Đã tính cơ cấu đảng viên tính đến ngày {day:%d/%m/%Y} của {n} tổ chức có từ "
        f"{min_members():,} đảng viên trở lên.\n".replace(",", ".")
        if n
        else f"Ngày {day:%d/%m/%Y} không tổ chức nào có từ {min_members():,} đảng viên trở "
        "lên: cơ cấu đảng viên được tính trực tiếp khi cần.\n".replace(",", ".")
    )
    return publish_result(task_id, f"co-cau-dang-vien-{day:%Y%m%d}.txt", text.encode("utf-8"))
