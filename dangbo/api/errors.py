"""Refusals as JSON: every error of the API has the shape of :class:`ErrorOut`.

Statuses: a bad or revoked token 401; a role without the operation's action 403; an object
missing or outside the user's scope 404; an edit conflict or an idempotency key reused with
another request 409; invalid input and broken rules 422 (the rule's code, message,
regulation and field). Nothing the domain refuses is a 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dangbo.core.error_codes import CoreErrorCode
from dangbo.core.errors import DomainError, RuleViolation
from dangbo.membership.edits import EditConflict


class ApiError(Exception):
    """A refusal of the API itself (not of the domain): status, code, message, field."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_body(exc: DomainError) -> dict[str, Any]:
    """The JSON body of a domain refusal (a rule violation: its first rule's code and
    regulation, every rule in `violations`)."""
    if isinstance(exc, RuleViolation) and exc.violations:
        first = exc.violations[0]
        return {
            "code": str(first.rule),
            "message": exc.message,
            "regulation": first.regulation,
            "field": exc.field,
            "violations": [
                {
                    "code": str(v.rule),
                    "message": v.sentence(),
                    "regulation": v.regulation,
                    "field": v.field or None,
                }
                for v in exc.violations
            ],
        }
    return {
        "code": str(exc.code),
        "message": exc.message,
        "regulation": "",
        "field": exc.field,
        "violations": [],
    }


def error_status(exc: DomainError) -> int:
    return 409 if isinstance(exc, EditConflict) else 422


def _body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "regulation": "", "field": field, "violations": []}


def _location(loc: Any) -> str | None:
    parts = [str(p) for p in (loc or ()) if p not in ("body", "query", "path", "header", "payload")]
    return ".".join(parts) or None


def install(api: NinjaAPI) -> None:
    """Answer every refusal with an :class:`ErrorOut` body."""

    def json(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return json(request, error_status(exc), error_body(exc))

    @api.exception_handler(ApiError)
    def own(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return json(request, exc.status, _body(exc.code, exc.message, exc.field))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = json(
            request,
            401,
            _body(
                "chua_xac_thuc",
                "Thiếu mã truy cập, mã không đúng hoặc đã bị thu hồi "
                "(gửi tiêu đề «Authorization: Bearer <mã>»).",
            ),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) or "Tài khoản không có quyền thực hiện thao tác này."
        return json(request, 403, _body("khong_co_quyen", message))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) if str(exc) and "No " not in str(exc) else "Không tìm thấy."
        return json(request, 404, _body(CoreErrorCode.KHONG_TIM_THAY, message))

    @api.exception_handler(HttpError)
    def http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = 422 if exc.status_code == 400 else exc.status_code
        message = "Không đọc được nội dung yêu cầu (cần JSON hợp lệ)."
        return json(request, status, _body(CoreErrorCode.DU_LIEU_KHONG_HOP_LE, message))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        field = _location(first.get("loc"))
        message = "Dữ liệu gửi lên không hợp lệ"
        if field:
            message += f" ở trường «{field}»"
        message += f": {first.get('msg', '')}".rstrip(": ") + "."
        return json(request, 422, _body(CoreErrorCode.DU_LIEU_KHONG_HOP_LE, message, field))
