"""The one gate of every page: signed in, and a role that allows the page's action."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can

View = Callable[..., HttpResponse]


def require(action: Action) -> Callable[[View], View]:
    """Anonymous → the sign-in page; a user whose roles allow `action` nowhere → 403.

    The object a view then shows is fetched through a ``get_<thing>_for_user`` helper,
    which answers 404 when it lies outside the user's scope. The action is kept on the view
    (``view.required_action``) for the authorization matrix test.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise PermissionDenied(f"Tài khoản không có quyền: {action.label.lower()}.")
            return view(request, *args, **kwargs)

        wrapped.required_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorate
