"""The background exports: the figures of all units of an organization side by side."""

from __future__ import annotations

from datetime import date

from django_tasks import TaskContext, task

from dangbo.organizations.models import Organization
from dangbo.reports.units import units_table
from dangbo.reports.xlsx import units_xlsx
from dangbo.web.tasks.store import publish_result, report_progress


@task(takes_context=True)
def units_figures_workbook(context: TaskContext, org_id: int, start: str, end: str) -> str:
    """The membership figures of every unit directly below organization `org_id` for the
    period from `start` to `end` (ISO dates), with the total and the organization's row."""
    task_id = str(context.task_result.id)
    org = Organization.objects.get(pk=org_id)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    report_progress(task_id, 0, 1, "Tính số liệu các đơn vị")
    table = units_table(org, first, last)
    data = units_xlsx(table)
    report_progress(task_id, 1, 1)
    name = f"so-lieu-don-vi-{table.code}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
    return publish_result(task_id, name, data)
