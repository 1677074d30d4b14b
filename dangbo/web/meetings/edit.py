"""Editing a recorded meeting: its people, agenda, attendance, conclusion and the tasks it
set, through ``meeting_update``; a refusal goes beside its field and nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.core.errors import DomainError
from dangbo.meetings.models import Meeting, TaskReview
from dangbo.meetings.news import meeting_name
from dangbo.meetings.references import meeting_ref
from dangbo.meetings.services import meeting_update
from dangbo.web.decorators import require
from dangbo.web.forms import add_domain_error
from dangbo.web.meetings.forms import MeetingEditForm, item_rows, people_rows
from dangbo.web.meetings.refs import get_meeting_for_user


def _placer(people_at: list[str], items_at: list[str], tasks_at: list[str]):
    """The form field of a service's field: ``people[2].name`` → the box of that row,
    ``tasks[1].deadline`` → that task's deadline."""

    def rename(field: str | None) -> str | None:
        field = field or ""
        for prefix, at in (("people[", people_at), ("items[", items_at)):
            if field.startswith(prefix):
                return at[int(field[len(prefix) :].split("]")[0]) - 1]
        if field.startswith("tasks["):
            index, _, part = field[len("tasks[") :].partition("].")
            return f"{tasks_at[int(index) - 1]}_{part or 'text'}"
        return {"speakers": "speakers_count", "tasks": "task_new_text"}.get(field, field) or None

    return rename


@require(Action.RECORD_MEETINGS)
def meeting_edit(request: HttpRequest, ref: str) -> HttpResponse:
    """Change what the meeting says; its organization, kind and date name it and stay."""
    found = get_meeting_for_user(request.user, ref, Action.RECORD_MEETINGS)
    m = (
        Meeting.objects.select_related("org", "concluded_by")
        .prefetch_related("org__versions", "people", "items")
        .get(pk=found.pk)
    )
    tasks = list(m.tasks.order_by("order", "pk"))
    reviewed = set(
        TaskReview.objects.filter(task__meeting=m).values_list("task_id", flat=True).distinct()
    )
    form = MeetingEditForm(request.POST or None, meeting=m, tasks=tasks, reviewed=reviewed)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        people, people_at = people_rows(d)
        items, items_at = item_rows(d)
        tasks_in, tasks_at = form.task_rows()
        try:
            meeting_update(
                meeting=m,
                people=people,
                items=items,
                concluded_by=d["concluded_by"] or None,
                tasks=tasks_in,
                actor=request.user.get_username(),
                **form.fields_kwargs(),
            )
        except DomainError as exc:
            add_domain_error(form, exc, _placer(people_at, items_at, tasks_at))
        else:
            messages.success(request, f"Đã sửa {meeting_name(m)}.")
            return redirect("web:meeting", ref=meeting_ref(m))
    return render(
        request,
        "web/meetings/edit.html",
        {"form": form, "meeting": m, "ref": ref, "heading": f"Sửa {meeting_name(m)}"},
    )
