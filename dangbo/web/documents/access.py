"""Documents are reached only through these helpers: what the user's scope holds, secret ones
only where the user is cleared (VIEW_SECRET); 404 for missing, out of scope and not cleared."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.documents.models import Document
from dangbo.documents.selectors import documents_readable


def readable_for_user(
    user: Any, action: Action = Action.VIEW_PARTY_WORK, *, within: set[int] | None = None
) -> QuerySet[Document]:
    """The documents `user` may reach for `action` (optionally held within `within`);
    secret-marked ones only where the user holds VIEW_SECRET."""
    ids = set(scope_org_ids(user, action))
    cleared = set(scope_org_ids(user, Action.VIEW_SECRET))
    if within is not None:
        ids &= within
        cleared &= within
    return documents_readable(ids, cleared & ids)


def get_document_for_user(user: Any, pk: int, action: Action = Action.VIEW_PARTY_WORK) -> Document:
    """The document `pk` if the user may reach it for `action`; else 404."""
    doc = readable_for_user(user, action).filter(pk=pk).first()
    if doc is None:
        raise Http404("Không tìm thấy văn bản.")
    return doc


def year_or_none(text: str, on: date) -> int | None:
    """A year typed in a filter (1945…next year), else None."""
    return int(text) if text.isdigit() and 1945 <= int(text) <= on.year + 1 else None
