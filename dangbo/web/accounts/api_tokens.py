"""The signed-in user's API tokens: list, create (the secret shown once), revoke.

Every account with a role may hold tokens (a token acts with the account's roles); an
administrator also revokes the tokens of the accounts they manage, from the account's page.
Edge cases: the secret is shown only on the answer to the creating POST and never stored; a
token revoked twice is refused with a message.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from dangbo.accounts.permissions import Action
from dangbo.api.tokens import token_create, token_list, token_revoke
from dangbo.core.errors import DomainError
from dangbo.web.accounts.access import get_api_token_for_user
from dangbo.web.decorators import require
from dangbo.web.forms import form_write


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Tên gợi nhớ",
        max_length=80,
        required=False,
        help_text="Dùng vào việc gì, ví dụ «Cổng thông tin» hoặc «Kịch bản đồng bộ».",
    )


@require(Action.VIEW_ORGS)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens and the form of a new one; after creating, the secret, once."""
    form = ApiTokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        ok, new = form_write(
            form,
            lambda: token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                actor=request.user.get_username(),
            ),
        )
        if ok and new is not None:
            secret = new.secret
            form = ApiTokenForm()
    return render(
        request,
        "web/accounts/api_tokens.html",
        {"tokens": token_list(request.user), "form": form, "secret": secret},
    )


def _back(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("web:api_tokens")


@require(Action.VIEW_ORGS)
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes (the user's own token, or one of an account
    the user administers)."""
    token = get_api_token_for_user(request.user, pk)
    if request.method == "POST":
        try:
            token_revoke(token=token, actor=request.user.get_username())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã thu hồi mã truy cập {token.prefix}….")
        return redirect(_back(request))
    return render(
        request,
        "web/accounts/api_token_revoke.html",
        {"token": token, "is_own": token.user_id == request.user.pk, "next": _back(request)},
    )
