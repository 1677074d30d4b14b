"""The register's export written on the task queue (a list too long to write while the
browser waits)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django_tasks import TaskContext, task

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import home_org, scope_org_ids
from dangbo.web.register.export import register_workbook
from dangbo.web.tasks.store import publish_result, report_progress


@task(takes_context=True)
def register_export_task(
    context: TaskContext, user_id: int, params: dict[str, str], on: str
) -> str:
    """The export of user `user_id` with the filter `params` on `on` (ISO), in that user's
    scope as it stands when the task runs, audited like the export in the browser."""
    from dangbo.web.register.views import query_for  # the views enqueue this task

    task_id = str(context.task_result.id)
    user = get_user_model().objects.get(pk=user_id)
    day = date.fromisoformat(on)
    query = query_for(user, params, day, Action.EXPORT_MEMBERS)
    report_progress(task_id, 0, 1, "Ghi danh sách")
    org = home_org(user, day)
    data = register_workbook(
        user=user,
        org_ids=query.scope,
        personal_scope=scope_org_ids(user, Action.VIEW_PERSONAL_DATA, on=day),
        filters=query.filters,
        on=day,
        title_org=str(org) if org else "",
    )
    report_progress(task_id, 1, 1)
    return publish_result(task_id, f"danh-sach-dang-vien-{on}.xlsx", data)
