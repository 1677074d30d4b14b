"""Reorganization forms: fill in, see what will be written (the preview), confirm.

The preview runs the service and rolls it back (`organizations.preview`); confirming runs it
for good. Both go through `org_reorganize`, so the decision is recorded with the change or
not at all, and a refusal shows beside the field it concerns.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import scope_org_ids
from dangbo.core.errors import DomainError
from dangbo.membership.models import Member
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.organizations.preview import Preview, reorganization_preview
from dangbo.organizations.services import org_reorganize
from dangbo.web.access import get_org_for_user
from dangbo.web.decorators import require
from dangbo.web.forms import add_domain_error
from dangbo.web.orgs.forms import FORMS


def _moves(preview: Preview) -> list[dict[str, str]]:
    """The preview's ledger events with the members' and cells' names."""
    members = Member.objects.select_related("person").in_bulk([m.member_id for m in preview.moves])
    org_ids = {m.from_org for m in preview.moves} | {m.to_org for m in preview.moves}
    names: dict[int, str] = {}
    for v in OrgVersion.objects.filter(org_id__in=org_ids).order_by("valid_from"):
        names[v.org_id] = v.name  # the latest name
    return [
        {
            "member": members[m.member_id].person.full_name if m.member_id in members else "",
            "member_id": str(m.member_id),
            "from": names.get(m.from_org, ""),
            "to": names.get(m.to_org, ""),
            "same": "1" if m.from_org == m.to_org else "",
        }
        for m in preview.moves
    ]


def reorganize(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    org = get_org_for_user(request.user, pk, Action.MANAGE_ORGS)
    form_class = FORMS[kind]
    scope = scope_org_ids(request.user, Action.MANAGE_ORGS)
    form = form_class(request.POST or None, org=org, scope=scope)
    preview: Preview | None = None
    step = request.POST.get("step", "")
    if request.method == "POST" and step != "edit" and form.is_valid():
        kwargs = form.service_kwargs()
        actor = request.user.get_username()
        try:
            if step == "confirm":
                result = org_reorganize(
                    form_class.service, decision=form.decision(), actor=actor, **kwargs
                )
                messages.success(request, f"Đã ghi: {form_class.title.lower()}.")
                target = result if isinstance(result, Organization) else org
                return redirect("web:org", pk=target.pk)
            preview = reorganization_preview(
                org_reorganize, form_class.service, decision=form.decision(), actor=actor, **kwargs
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    context: dict[str, Any] = {
        "org": org,
        "v": form.version,
        "form": form,
        "title": form_class.title,
        "preview": preview,
        "moves": _moves(preview) if preview else [],
    }
    return render(request, "web/orgs/reorganize.html", context)


def _view(kind: str):
    @require(Action.MANAGE_ORGS)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return reorganize(request, pk, kind)

    view.__name__ = f"org_{kind}"
    view.__qualname__ = f"org_{kind}"
    return view


org_found = _view("found")
org_rename = _view("rename")
org_move = _view("move")
org_merge = _view("merge")
org_split = _view("split")
org_dissolve = _view("dissolve")
