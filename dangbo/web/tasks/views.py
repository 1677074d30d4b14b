"""The task page: status, progress, the result file once ready, a retry of a failed task.

The page polls itself with htmx every two seconds while the task waits or runs and stops
once it has finished; nothing here waits for a task.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dangbo.accounts.permissions import Action
from dangbo.web.decorators import require
from dangbo.web.tasks.access import get_task_for_user
from dangbo.web.tasks.api import enqueue
from dangbo.web.tasks.store import Meta, read_progress, result_path

#: A task running longer than this is taken for one whose worker was killed: it may be retried.
STALE_AFTER = timedelta(minutes=30)

STATUS_LABELS = {
    TaskResultStatus.READY: "Đang chờ",
    TaskResultStatus.RUNNING: "Đang chạy",
    TaskResultStatus.SUCCESSFUL: "Hoàn thành",
    TaskResultStatus.FAILED: "Không thành công",
}
STATUS_BADGES = {
    TaskResultStatus.READY: "",
    TaskResultStatus.RUNNING: "badge-info",
    TaskResultStatus.SUCCESSFUL: "badge-ok",
    TaskResultStatus.FAILED: "badge-warn",
}


def _retryable(row: DBTaskResult) -> bool:
    if row.status == TaskResultStatus.FAILED:
        return True
    return (
        row.status == TaskResultStatus.RUNNING
        and row.started_at is not None
        and timezone.now() - row.started_at > STALE_AFTER
    )


def _result_name(row: DBTaskResult) -> str | None:
    """The result file of a successful task, when it is there."""
    name = row.return_value if row.status == TaskResultStatus.SUCCESSFUL else None
    if isinstance(name, str) and result_path(str(row.pk), name) is not None:
        return name
    return None


def _context(row: DBTaskResult, meta: Meta) -> dict[str, Any]:
    task_id = str(row.pk)
    status = TaskResultStatus(row.status)
    finished = status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    return {
        "task_id": task_id,
        "meta": meta,
        "row": row,
        "status_label": STATUS_LABELS[status],
        "badge": STATUS_BADGES[status],
        "finished": finished,
        "failed": status == TaskResultStatus.FAILED,
        "progress": read_progress(task_id) if not finished else None,
        "result_name": _result_name(row),
        "retryable": _retryable(row),
    }


@require(Action.VIEW_ORGS)
def task_page(request: HttpRequest, task_id: str) -> HttpResponse:
    """The whole page, or for htmx's poll only the status part."""
    row, meta = get_task_for_user(request.user, str(task_id))
    context = _context(row, meta)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "web/tasks/_status.html", context)
    return render(request, "web/tasks/task.html", context)


@require(Action.VIEW_ORGS)
def task_download(request: HttpRequest, task_id: str) -> HttpResponse:
    """The result file of a finished task (404 while there is none)."""
    row, _meta = get_task_for_user(request.user, str(task_id))
    name = _result_name(row)
    path = result_path(str(row.pk), name) if name else None
    if name is None or path is None:
        raise Http404("Việc chạy nền chưa có kết quả.")
    response = FileResponse(path.open("rb"))
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response  # type: ignore[return-value]  # streamed: the gate passes it through


@require_POST
@require(Action.VIEW_ORGS)
def task_retry(request: HttpRequest, task_id: str) -> HttpResponse:
    """Run a failed (or abandoned) task again with the same arguments, as a new task."""
    row, meta = get_task_for_user(request.user, str(task_id))
    if not _retryable(row):
        return redirect("web:task", task_id=row.pk)
    new_id = enqueue(
        row.task,
        *row.args_kwargs["args"],
        owner_id=int(request.user.pk or 0),
        title=meta.title,
        org_id=meta.org_id,
        action=Action(meta.action),
        back=meta.back,
    )
    return redirect("web:task", task_id=new_id)
