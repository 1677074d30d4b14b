"""The second factor is asked before any page once the password was given."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from dangbo.accounts.second_factor import PENDING_KEY


class SecondFactorRequired:
    """A session that still owes its TOTP code reaches only the code page, sign-out and
    static files; every other request is sent to the code page (then back)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(PENDING_KEY):
            verify = reverse("web:totp_verify")
            allowed = (verify, reverse("web:logout"), reverse("web:login"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.method == "GET":
                    return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
                return redirect(verify)
        return self.get_response(request)
