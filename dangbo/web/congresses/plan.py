"""Planning a congress: the organization, the term, the roll summoned from the register with
who the threshold may leave out and why, and the attendance the clerk confirms."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import home_org, scope_org_ids
from dangbo.congresses.congress import congress_record
from dangbo.congresses.models import CongressKind
from dangbo.congresses.selectors import is_cell
from dangbo.core.dates import parse_date, today
from dangbo.core.errors import DomainError
from dangbo.organizations.models import Organization
from dangbo.web.congresses.forms import CongressForm, write_placed
from dangbo.web.congresses.roll import summoned_roll
from dangbo.web.decorators import require
from dangbo.web.orgs.forms import org_choices


def _org(request: HttpRequest) -> Organization:
    """`?org=` among the organizations where the user manages congresses, else the user's
    own; 404 otherwise."""
    scope = scope_org_ids(request.user, Action.MANAGE_CONGRESSES)
    wanted = request.GET.get("org", "")
    if wanted:
        if not wanted.isdigit() or int(wanted) not in scope:
            raise Http404("Không tìm thấy tổ chức.")
        org_id = int(wanted)
    else:
        home = home_org(request.user)
        if home is not None and home.pk in scope:
            org_id = home.pk
        elif scope:
            org_id = min(scope)
        else:
            raise Http404("Tài khoản chưa được phân công tổ chức.")
    return Organization.objects.get(pk=org_id)


@require(Action.MANAGE_CONGRESSES)
def congress_new(request: HttpRequest) -> HttpResponse:
    """GET `?org=&on=`: the form with the roll of `on` (default today); an htmx GET returns
    only the roll. POST: the congress recorded, then its page."""
    org = _org(request)
    on = today()
    text = (
        request.GET.get("on") or request.GET.get("starts_on") or request.POST.get("starts_on") or ""
    )
    if text.strip():
        try:
            on = parse_date(text.strip(), field="ngày khai mạc")
        except DomainError:
            pass
    roll = summoned_roll(org, on)
    if request.method == "GET" and request.htmx:  # type: ignore[attr-defined]
        return render(request, "web/congresses/_roll.html", {"roll": roll})
    cell = is_cell(org, today())
    initial = {
        "kind": CongressKind.ALL_MEMBER,
        "starts_on": on,
        "summoned": roll.summoned,
        "temporarily_elsewhere": roll.elsewhere,
        "absent_exempt": roll.exempt,
    }
    form = CongressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, congress = write_placed(
            form,
            lambda: congress_record(
                org=org, actor=request.user.get_username(), **form.service_kwargs()
            ),
        )
        if ok and congress is not None:
            return redirect("web:congress", pk=congress.pk)
    choices = org_choices(scope_org_ids(request.user, Action.MANAGE_CONGRESSES), on=today())
    return render(
        request,
        "web/congresses/plan.html",
        {"form": form, "org": org, "roll": roll, "choices": choices, "cell": cell},
    )
