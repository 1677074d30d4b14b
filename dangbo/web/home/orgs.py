"""Which organization a page of the home area shows: `?org=` among those in the user's
scope, else the user's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404, HttpRequest

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import home_org, scope_org_ids
from dangbo.organizations.models import Organization, OrgVersion


@dataclass(frozen=True)
class Chosen:
    org: Organization
    name: str
    #: (id, name) of the organizations the page may switch to
    choices: list[tuple[int, str]]


def chosen_org(request: HttpRequest, action: Action, on: date) -> Chosen:
    """The organization of `?org=` (404 when it is not in the user's scope for `action`),
    else the user's home organization; the choices are the committees in scope (the
    organizations above cells) and the home organization."""
    user = request.user
    home = home_org(user)
    scope = scope_org_ids(user, action)
    if home is None or home.pk not in scope:
        home = None
    wanted = request.GET.get("org", "")
    if wanted:
        if not wanted.isdigit() or int(wanted) not in scope:
            raise Http404("Không tìm thấy tổ chức.")
        org_id = int(wanted)
    elif home is not None:
        org_id = home.pk
    elif scope:
        org_id = min(scope)
    else:
        raise Http404("Tài khoản chưa được phân công tổ chức.")
    keep = {org_id, home.pk if home else org_id}
    rows = list(
        OrgVersion.objects.filter(org_id__in=scope, valid_from__lte=on, valid_to__gt=on)
        .exclude(kind__holds_members=True, org_id__in=scope - keep)
        .select_related("org")
        .order_by("kind__rank", "name")
    )
    mine = next((v for v in rows if v.org_id == org_id), None)
    if mine is None:
        raise Http404("Không tìm thấy tổ chức.")
    return Chosen(mine.org, mine.name, [(v.org_id, v.name) for v in rows])
