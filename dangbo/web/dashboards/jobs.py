"""The dashboard's xlsx tables as background tasks (the units' table of a city is large)."""

from __future__ import annotations

from datetime import date

from django_tasks import TaskContext, task

from dangbo.organizations.models import Organization
from dangbo.organizations.selectors import org_version_shown
from dangbo.web.dashboards.charts import chart
from dangbo.web.dashboards.data import dashboard
from dangbo.web.dashboards.xlsx import chart_xlsx, units_xlsx
from dangbo.web.tasks.store import publish_result, report_progress

UNITS = "don-vi"


@task(takes_context=True)
def dashboard_workbook(context: TaskContext, org_id: int, key: str, year: int, on: str) -> str:
    """A chart's figures by year, or (`key` ``don-vi``) the units' table, of organization
    `org_id` for `year` and the years before it, as seen on `on` (ISO date)."""
    task_id = str(context.task_result.id)
    org = Organization.objects.get(pk=org_id)
    day = date.fromisoformat(on)
    report_progress(task_id, 0, 1, "Tính số liệu")
    board = dashboard(org, org_version_shown(org, day).name, year, day)
    data = units_xlsx(board) if key == UNITS else chart_xlsx(chart(board, key))
    report_progress(task_id, 1, 1)
    return publish_result(task_id, f"tong-hop-{key}-{board.year}.xlsx", data)
