"""Matrix cases of the task pages: a task's page, its result file and its retry, for a task
on an organization in (P1-C1) and out of (P2-C1) every role's scope, started by nobody of
the world; and the form starting the reports of all units of a ward."""

import tempfile

from django.conf import settings
from django_tasks_db.models import DBTaskResult

from dangbo.accounts.permissions import Action
from dangbo.web.tasks import jobs
from dangbo.web.tasks.api import enqueue
from tests.web.matrix.case import Case, queued

_DIR = tempfile.mkdtemp(prefix="dangbo-matrix-tasks-")


def task(world, in_scope: bool) -> dict:
    """A failed task (in scope: its retry is offered), a waiting one (out of scope)."""
    key = f"task_{in_scope}"
    if key not in world.extra:
        settings.TASKS_DIR = _DIR  # the matrix's task files stay out of var/
        org = world.org_in if in_scope else world.org_out
        task_id = enqueue(
            jobs.org_figures_workbook,
            org.pk,
            "2024-01-01",
            "2024-12-31",
            owner_id=0,
            title="Số liệu",
            org_id=org.pk,
            action=Action.VIEW_ORGS,
        )
        if in_scope:
            DBTaskResult.objects.get(pk=task_id).set_failed(RuntimeError("thử"))
        world.extra[key] = task_id
    return {"task_id": world.extra[key]}


def ward(world, in_scope: bool) -> dict:
    return {"pk": world.tree["w1" if in_scope else "w2"].pk}


def _download(role, in_scope, method):
    # the in-scope task failed: no result to download, for every role that reaches it
    return 404


CASES = [
    Case("web:task", Action.VIEW_ORGS, task),
    Case("web:task_download", Action.VIEW_ORGS, task, expect=_download),
    Case("web:task_retry", Action.VIEW_ORGS, task, methods=("POST",)),
    Case("web:task_unit_reports", Action.DRAFT_REPORTS, ward, methods=("GET", "POST")),
    Case(
        "web:task_breakdown_snapshot",
        Action.MANAGE_ACCOUNTS,
        methods=("GET", "POST"),
        expect=queued(Action.MANAGE_ACCOUNTS),
    ),
]
