"""Writes shared by every part: decisions and audit rows."""

from __future__ import annotations

from datetime import date

from dangbo.core.errors import InvalidInput
from dangbo.core.models import AuditEntry, Decision, IssuerLevel
from dangbo.core.request_context import current_address


def decision_get_or_create(
    *,
    number: str,
    issued_on: date,
    issuer: str,
    issuer_level: str = IssuerLevel.BASE,
    title: str = "",
) -> Decision:
    """Return the decision with this reference, recording it the first time it is cited."""
    if not number.strip():
        raise InvalidInput("Trường «số quyết định» không được để trống.", field="decision.number")
    if not issuer.strip():
        raise InvalidInput(
            "Trường «cơ quan ban hành» không được để trống.", field="decision.issuer"
        )
    if issuer_level not in IssuerLevel.values:
        raise InvalidInput(
            f"Trường «cấp ban hành»: «{issuer_level}» không hợp lệ.", field="decision.issuer_level"
        )
    decision, _ = Decision.objects.get_or_create(
        number=number.strip(),
        issued_on=issued_on,
        issuer=issuer.strip(),
        defaults={"issuer_level": issuer_level, "title": title},
    )
    return decision


def audit(*, actor: str, action: str, obj, before=None, after=None) -> None:
    """Write one audit row (in the caller's transaction), with the request's address when a
    web request is being served."""
    AuditEntry.objects.create(
        address=current_address(),
        actor=actor or "hệ thống",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )
