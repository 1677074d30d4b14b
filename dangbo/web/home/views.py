"""The home page of the user's organization."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import home_org
from dangbo.web.decorators import require


@require(Action.VIEW_ORGS)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home/home.html", {"org": home_org(request.user)})
