"""Domain errors: each carries a Vietnamese message and a stable code.

Interfaces (commands, later the web views) turn them into a readable message and a
non-zero exit or a 400/409 — a rule violation is never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """A request the domain refuses, with a message a clerk can read."""

    code = "loi_nghiep_vu"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    code = "khong_tim_thay"


class InvalidInput(DomainError):
    code = "du_lieu_khong_hop_le"


class LedgerError(DomainError):
    """The event does not fit the member's history (e.g. a card for a non-member)."""

    code = "so_dang_vien"


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, which regulation, and what is wrong."""

    rule: str
    regulation: str
    message: str

    def __str__(self) -> str:
        return f"{self.regulation}: {self.message}"

    def sentence(self) -> str:
        """The message alone as a sentence: capitalised, with a full stop (for a service that
        refuses with a plain message and this rule's code)."""
        return self.message[:1].upper() + self.message[1:] + "."


class RuleViolation(DomainError):
    """One or more rules in force on the event's date refuse it."""

    code = "vi_pham_quy_dinh"

    def __init__(self, violations: list[Violation]):
        self.violations = list(violations)
        super().__init__("; ".join(str(v) for v in self.violations), code=self.code)
