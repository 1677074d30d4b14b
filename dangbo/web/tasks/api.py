"""What other pages call to run long work in the background: enqueue a task, remember who
asked and for which organization, and send the user to the task's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django_tasks.base import Task

from dangbo.accounts.permissions import Action
from dangbo.web.tasks.store import Meta, write_meta


def enqueue(
    task: Task[Any, Any],
    *args: Any,
    owner_id: int,
    title: str,
    org_id: int | None = None,
    action: Action = Action.VIEW_ORGS,
    back: str = "",
) -> str:
    """Put `task(*args)` on the queue and record its meta; returns the task's id.

    Whoever may do `action` in organization `org_id` sees the task's page too (besides its
    owner); the task's arguments must be JSON values (ids, dates as ISO strings).
    """
    result = task.enqueue(*args)
    task_id = str(result.id)
    write_meta(
        task_id,
        Meta(owner_id=owner_id, org_id=org_id, action=action.value, title=title, back=back),
    )
    return task_id


def enqueue_and_redirect(
    request: HttpRequest,
    task: Task[Any, Any],
    *args: Any,
    title: str,
    org_id: int | None = None,
    action: Action = Action.VIEW_ORGS,
    back: str | None = None,
) -> HttpResponseRedirect:
    """Enqueue `task(*args)` for the signed-in user and redirect to its page (``web:task``),
    which shows the progress and, once ready, the result to download. `back` is offered as
    the way back: by default the page of a GET request (a form's page); a download link
    that starts the task names the page the link is on."""
    if back is None:
        back = request.get_full_path() if request.method == "GET" else ""
    task_id = enqueue(
        task,
        *args,
        owner_id=int(request.user.pk or 0),
        title=title,
        org_id=org_id,
        action=action,
        back=back,
    )
    return redirect("web:task", task_id=task_id)


BACKGROUND = "Việc này chạy nền: trang sau cho biết tiến độ và tệp kết quả."


def start_page(
    request: HttpRequest, *, title: str, button: str, back: str = "", note: str = BACKGROUND
) -> HttpResponse:
    """The answer to a GET of a URL whose POST starts a task: a small page with the button
    that starts it, nothing written (a prefetcher, a crawler or a reload starts nothing).

    The button posts to the very address asked, its query string included.
    """
    return render(
        request,
        "web/tasks/start.html",
        {"title": title, "button": button, "back": back, "note": note},
    )
