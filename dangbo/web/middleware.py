"""Middleware of the web application."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dangbo.core.request_context import acting_from


class RequestContextMiddleware:
    """Every audit row written while serving a request records the client's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_from(request.META.get("REMOTE_ADDR") or None):
            return self.get_response(request)
