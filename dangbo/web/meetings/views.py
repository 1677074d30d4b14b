"""Meetings of an organization: the list by year, a meeting with its people, agenda,
attendance and follow-up tasks (those it set and those it reviews), recording a monthly
cell meeting or a conference, and the news item (editable, downloadable)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can, scope_org_ids
from dangbo.core.dates import today
from dangbo.core.errors import DomainError
from dangbo.meetings import services
from dangbo.meetings.models import Meeting, MeetingKind, MeetingRole, Task, TaskReview
from dangbo.meetings.news import meeting_name, news_draft
from dangbo.meetings.references import meeting_ref, meetings_of
from dangbo.organizations.models import Organization
from dangbo.web.decorators import require
from dangbo.web.forms import add_domain_error, form_write
from dangbo.web.home.orgs import chosen_org
from dangbo.web.meetings import download
from dangbo.web.meetings.forms import (
    CellMeetingForm,
    MeetingForm,
    NewsForm,
    ReviewForm,
    TaskForm,
    item_rows,
    orgs_in,
    people_rows,
)
from dangbo.web.meetings.refs import get_meeting_for_user, name_on, refs_of


def _year(request: HttpRequest, default: int) -> int:
    text = request.GET.get("nam", "")
    if not text:
        return default
    if not text.isdigit() or not 1945 <= int(text) <= 2200:
        raise Http404("Năm không hợp lệ.")
    return int(text)


@require(Action.VIEW_PARTY_WORK)
def meetings(request: HttpRequest) -> HttpResponse:
    """Meetings held in a year by `?org=` (default the user's own) and the organizations
    below it, newest first."""
    on = today()
    chosen = chosen_org(request, Action.VIEW_PARTY_WORK, on)
    year = _year(request, on.year)
    rows = list(
        meetings_of(chosen.org, date(year, 1, 1), date(year, 12, 31))
        .prefetch_related("org__versions")
        .annotate(n_tasks=Count("tasks"))
    )
    refs = refs_of(rows)
    years = sorted({d.year for d in meetings_of(chosen.org).dates("held_on", "year")} | {year})
    listed = [
        {"m": m, "ref": refs[m.pk], "org_name": name_on(m), "kind": MeetingKind(m.kind).label}
        for m in reversed(rows)
    ]
    return render(
        request,
        "web/meetings/list.html",
        {
            "org": chosen.org,
            "org_name": chosen.name,
            "choices": chosen.choices,
            "year": year,
            "years": years,
            "rows": listed,
            "can_record": can(request.user, Action.RECORD_MEETINGS),
        },
    )


def _detail(meeting: Meeting) -> dict[str, Any]:
    """Everything the meeting page shows, in a fixed number of queries."""
    m = (
        Meeting.objects.select_related("org", "concluded_by")
        .prefetch_related("org__versions", "people", "items", "tasks")
        .get(pk=meeting.pk)
    )
    siblings = list(Meeting.objects.filter(org_id=m.org_id).order_by("held_on", "pk"))
    for s in siblings:
        s.org = m.org
    refs = refs_of(siblings)
    at = next(i for i, s in enumerate(siblings) if s.pk == m.pk)
    earlier = (
        Task.objects.filter(meeting__org_id=m.org_id, meeting__held_on__lt=m.held_on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=m.held_on))
        .select_related("meeting")
        .prefetch_related(
            Prefetch("reviews", queryset=TaskReview.objects.filter(meeting=m), to_attr="here")
        )
        .order_by("meeting__held_on", "meeting_id", "order", "id")
    )
    people = list(m.people.all())
    return {
        "meeting": m,
        "ref": refs[m.pk],
        "name": meeting_name(m, _version_of(m)),
        "org_name": name_on(m),
        "kind": MeetingKind(m.kind).label,
        "is_cell": m.kind == MeetingKind.CELL,
        "absent": (
            m.members_expected - m.present
            if m.members_expected is not None and m.present is not None
            else None
        ),
        "chairs": [p for p in people if p.role == MeetingRole.CHAIR],
        "guests": [p for p in people if p.role == MeetingRole.GUEST],
        "presenters": [p for p in people if p.role == MeetingRole.PRESENTER],
        "attendees": [p for p in people if p.role == MeetingRole.ATTENDEE],
        "items": list(m.items.all()),
        "tasks": list(m.tasks.all()),
        "reviewed": [
            {
                "task": t,
                "from_ref": refs.get(t.meeting_id, ""),
                "review": t.here[0] if t.here else None,
            }
            for t in earlier
        ],
        "previous": (refs[siblings[at - 1].pk], siblings[at - 1]) if at > 0 else None,
        "next": (refs[siblings[at + 1].pk], siblings[at + 1]) if at + 1 < len(siblings) else None,
    }


def _version_of(m: Meeting):
    versions = sorted(m.org.versions.all(), key=lambda v: v.valid_from)
    for v in versions:
        if v.valid_from <= m.held_on < v.valid_to:
            return v
    return versions[-1]


@require(Action.VIEW_PARTY_WORK)
def meeting(request: HttpRequest, ref: str) -> HttpResponse:
    found = get_meeting_for_user(request.user, ref)
    context = _detail(found)
    context["can_record"] = can(request.user, Action.RECORD_MEETINGS, found.org_id)
    context["task_form"] = TaskForm()
    context["review_form"] = ReviewForm()
    return render(request, "web/meetings/meeting.html", context)


def _record(form, write: Callable[[], Meeting], rename=None) -> Meeting | None:
    """Record the meeting and, when typed, its first task, in one transaction: a refusal of
    either goes beside its field and leaves nothing written."""
    d = form.cleaned_data
    try:
        with transaction.atomic():
            m = write()
            if d.get("task_text"):
                try:
                    services.task_add(
                        meeting=m,
                        text=d["task_text"],
                        owner=d.get("task_owner") or "",
                        deadline=d.get("task_deadline"),
                        actor=m.actor,
                    )
                except DomainError as exc:
                    exc.field = f"task_{exc.field}" if exc.field else "task_text"
                    raise
    except DomainError as exc:
        add_domain_error(form, exc, rename)
        return None
    return m


@require(Action.RECORD_MEETINGS)
def cell_meeting_new(request: HttpRequest) -> HttpResponse:
    """Record a monthly cell meeting with its attendance (and its first follow-up task)."""
    on = today()
    cells = orgs_in(scope_org_ids(request.user, Action.RECORD_MEETINGS), on, cells=True)
    form = CellMeetingForm(request.POST or None, cells=cells, initial={"held_on": on})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        m = _record(
            form,
            lambda: services.cell_meeting_record(
                cell=Organization.objects.get(pk=d["cell"]),
                held_on=d["held_on"],
                present=d["present"],
                speakers=d["speakers"],
                members_expected=d["members_expected"],
                title=d["title"],
                place=d["place"],
                session=d["session"],
                conclusion=d["conclusion"],
                actor=request.user.get_username(),
            ),
        )
        if m is not None:
            messages.success(request, f"Đã ghi {meeting_name(m)}.")
            return redirect("web:meeting", ref=meeting_ref(m))
    return render(
        request,
        "web/meetings/new.html",
        {"form": form, "heading": "Ghi sinh hoạt chi bộ thường kỳ"},
    )


@require(Action.RECORD_MEETINGS)
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Record a conference with its people, agenda, conclusion (and first follow-up task)."""
    on = today()
    orgs = orgs_in(scope_org_ids(request.user, Action.RECORD_MEETINGS), on, cells=None)
    form = MeetingForm(request.POST or None, orgs=orgs, initial={"held_on": on})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        people, people_at = people_rows(d)
        items, items_at = item_rows(d)

        def rename(field: str | None) -> str | None:
            for prefix, at in (("people[", people_at), ("items[", items_at)):
                if field and field.startswith(prefix):
                    return at[int(field[len(prefix) :].split("]")[0]) - 1]
            return {"speakers": "speakers_count"}.get(field or "", field)

        m = _record(
            form,
            lambda: services.meeting_record(
                org=Organization.objects.get(pk=d["org"]),
                kind=d["kind"],
                held_on=d["held_on"],
                number=d["number"],
                session=d["session"],
                place=d["place"],
                title=d["title"],
                attendees_note=d["attendees_note"],
                people=people,
                items=items,
                speakers_count=d["speakers_count"],
                present=d["present"],
                members_expected=d["members_expected"],
                conclusion=d["conclusion"],
                concluded_by=d["concluded_by"] or None,
                actor=request.user.get_username(),
            ),
            rename,
        )
        if m is not None:
            messages.success(request, f"Đã ghi {meeting_name(m)}.")
            return redirect("web:meeting", ref=meeting_ref(m))
    return render(request, "web/meetings/new.html", {"form": form, "heading": "Ghi hội nghị"})


def _meeting_form(
    request: HttpRequest,
    ref: str,
    m: Meeting,
    form: Any,
    write: Callable[[dict], Any],
    *,
    done: str,
    heading: str,
    submit: str,
    task: Task | None = None,
) -> HttpResponse:
    """A form on one meeting: the service `write` of the cleaned data, back to the meeting
    when it is written, else the form with the refusal beside its field."""
    if request.method == "POST" and form.is_valid():
        ok, _ = form_write(form, lambda: write(form.cleaned_data))
        if ok:
            messages.success(request, done)
            return redirect("web:meeting", ref=ref)
    context = {"form": form, "meeting": m, "ref": ref, "heading": heading, "submit": submit}
    if task is not None:
        context["task"] = task
    return render(request, "web/meetings/form.html", context)


@require(Action.RECORD_MEETINGS)
def meeting_task_add(request: HttpRequest, ref: str) -> HttpResponse:
    """A follow-up task set at the meeting."""
    m = get_meeting_for_user(request.user, ref, Action.RECORD_MEETINGS)
    return _meeting_form(
        request,
        ref,
        m,
        TaskForm(request.POST or None),
        lambda d: services.task_add(
            meeting=m,
            text=d["text"],
            owner=d["owner"],
            deadline=d["deadline"],
            actor=request.user.get_username(),
        ),
        done="Đã ghi nhiệm vụ.",
        heading="Giao nhiệm vụ",
        submit="Ghi nhiệm vụ",
    )


@require(Action.RECORD_MEETINGS)
def meeting_task_review(request: HttpRequest, ref: str, task: int) -> HttpResponse:
    """How far a task set at an earlier meeting has got, as reviewed at this one."""
    m = get_meeting_for_user(request.user, ref, Action.RECORD_MEETINGS)
    t = Task.objects.select_related("meeting").filter(pk=task, meeting__org_id=m.org_id).first()
    if t is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return _meeting_form(
        request,
        ref,
        m,
        ReviewForm(request.POST or None),
        lambda d: services.task_review(
            task=t, meeting=m, status=d["status"], note=d["note"], actor=request.user.get_username()
        ),
        done="Đã ghi kết quả thực hiện nhiệm vụ.",
        heading="Đánh giá nhiệm vụ",
        submit="Ghi đánh giá",
        task=t,
    )


def _news_context(request: HttpRequest, m: Meeting, ref: str, form: NewsForm | None) -> dict:
    edited = bool(m.news_text)
    text = m.news_text or news_draft(m)
    return {
        "meeting": m,
        "ref": ref,
        "name": meeting_name(m),
        "paragraphs": [p for p in text.split("\n\n") if p.strip()],
        "edited": edited,
        "form": form,
        "can_record": can(request.user, Action.RECORD_MEETINGS, m.org_id),
    }


@require(Action.VIEW_PARTY_WORK)
def meeting_news(request: HttpRequest, ref: str) -> HttpResponse:
    """The news item: the office's edit when there is one, else the draft from the records."""
    m = get_meeting_for_user(request.user, ref)
    context = _news_context(request, m, ref, None)
    if context["can_record"]:
        context["form"] = NewsForm(initial={"text": "\n\n".join(context["paragraphs"])})
    return render(request, "web/meetings/news.html", context)


@require(Action.RECORD_MEETINGS)
def meeting_news_edit(request: HttpRequest, ref: str) -> HttpResponse:
    """Edit the news item and keep it on the meeting (empty: back to the draft)."""
    m = get_meeting_for_user(request.user, ref, Action.RECORD_MEETINGS)
    form = NewsForm(request.POST or None, initial={"text": m.news_text or news_draft(m)})
    if request.method == "POST" and form.is_valid():
        ok, _ = form_write(
            form,
            lambda: services.meeting_news_save(
                meeting=m, text=form.cleaned_data["text"], actor=request.user.get_username()
            ),
        )
        if ok:
            messages.success(request, "Đã lưu tin bài.")
            return redirect("web:meeting_news", ref=ref)
    return render(request, "web/meetings/news.html", _news_context(request, m, ref, form))


@require(Action.VIEW_PARTY_WORK)
def meeting_news_download(request: HttpRequest, ref: str, fmt: str) -> HttpResponse:
    """The news item as DOCX (`fmt` "docx") or plain text ("txt")."""
    m = get_meeting_for_user(request.user, ref)
    if fmt not in ("docx", "txt"):
        raise Http404("Không có định dạng này.")
    text = m.news_text or news_draft(m)
    return download.news_response(meeting_name(m), text, f"{ref}-tin-bai.{fmt}", fmt)
