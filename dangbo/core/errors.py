"""Domain errors: each carries a Vietnamese message and a stable code.

Interfaces (commands, later the web views) turn them into a readable message and a
non-zero exit or a 400/409 — a rule violation is never a crash. Codes are members of
each app's ``error_codes`` enums (``StrEnum``, so a code compares and serialises as its
string value); rule codes of :class:`Violation` likewise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dangbo.core.error_codes import CoreErrorCode


class DomainError(Exception):
    """A request the domain refuses, with a message a clerk can read."""

    code: str = CoreErrorCode.LOI_NGHIEP_VU

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    code: str = CoreErrorCode.KHONG_TIM_THAY


class InvalidInput(DomainError):
    code: str = CoreErrorCode.DU_LIEU_KHONG_HOP_LE


class LedgerError(DomainError):
    """The event does not fit the member's history (e.g. a card for a non-member)."""

    code: str = CoreErrorCode.SO_DANG_VIEN


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, which regulation, and what is wrong.

    `field` names the input that is actually wrong (empty when the rule does not say);
    a :class:`RuleViolation` carries the field of its first violation.
    """

    rule: StrEnum
    regulation: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        return f"{self.regulation}: {self.message}" if self.regulation else self.message

    def sentence(self) -> str:
        """The message alone as a sentence: capitalised, with a full stop (for a service that
        refuses with a plain message and this rule's code)."""
        return self.message[:1].upper() + self.message[1:] + "."


def violations_text(violations: list[Violation]) -> str:
    """The violations as one message, each regulation named once before the rules it refuses
    ("Quy định 24-QĐ/TW: a; b"), not repeated before each."""
    parts: list[str] = []
    last = None
    for v in violations:
        parts.append(v.message if v.regulation == last else str(v))
        last = v.regulation
    return "; ".join(parts)


class RuleViolation(DomainError):
    """One or more rules in force on the event's date refuse it."""

    code: str = CoreErrorCode.VI_PHAM_QUY_DINH

    def __init__(self, violations: list[Violation]):
        self.violations = list(violations)
        field = next((v.field for v in self.violations if v.field), None)
        super().__init__(violations_text(self.violations), code=self.code, field=field)
