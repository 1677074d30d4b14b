"""The shapes shared by every endpoint: errors, pages, organizations' references."""

from __future__ import annotations

from ninja import Schema


class ViolationOut(Schema):
    code: str
    message: str
    regulation: str
    field: str | None = None


class ErrorOut(Schema):
    """Every refusal: a stable code, a Vietnamese message, the regulation of a broken rule
    (empty for other refusals) and the input it concerns (when there is one)."""

    code: str
    message: str
    regulation: str = ""
    field: str | None = None
    violations: list[ViolationOut] = []


#: the statuses every authenticated endpoint may answer besides its own
READ_ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}
WRITE_ERRORS: dict[int, type[ErrorOut]] = {**READ_ERRORS, 409: ErrorOut}
