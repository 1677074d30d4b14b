"""A task is reached only through :func:`get_task_for_user`: 404 when missing or not the
user's (neither its owner nor allowed its action in its organization)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django_tasks_db.models import DBTaskResult

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.web.tasks.store import Meta, read_meta


def get_task_for_user(user: Any, task_id: str) -> tuple[DBTaskResult, Meta]:
    """The task row and its meta, if `user` started it or may do its action in its
    organization; else 404."""
    meta = read_meta(task_id)
    row = DBTaskResult.objects.filter(pk=task_id).first() if meta is not None else None
    if meta is None or row is None or not _allowed(user, meta):
        raise Http404("Không tìm thấy việc chạy nền.")
    return row, meta


def _allowed(user: Any, meta: Meta) -> bool:
    if meta.owner_id == user.pk:
        return True
    if meta.org_id is None:
        return False
    try:
        action = Action(meta.action)
    except ValueError:
        return False
    return meta.org_id in scope_org_ids(user, action)
