"""Personal data shown masked (Decree 13/2023/NĐ-CP): only the last digits stay readable.

A role without the right to personal data sees "•••••••••345" for a national ID and
"•••••••678" for a phone; an empty value stays empty. A view of the unmasked values is
audited by the page that shows them.
"""

from __future__ import annotations

from typing import Any

from dangbo.core.services import audit

MASK = "•"


def _mask(value: str | None, keep: int) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    digits = sum(ch.isdigit() for ch in text)
    if digits <= keep:
        return MASK * len(text)
    shown, out = 0, []
    for ch in reversed(text):
        if ch.isdigit() and shown < keep:
            out.append(ch)
            shown += 1
        elif ch.isdigit() or ch.isalnum():
            out.append(MASK)
        else:
            out.append(ch)
    return "".join(reversed(out))


def mask_citizen_id(value: str | None) -> str:
    """A national ID (CCCD, 12 digits) with all but its last 3 digits masked."""
    return _mask(value, 3)


def mask_phone(value: str | None) -> str:
    """A phone number with all but its last 3 digits masked (spaces and "+" kept)."""
    return _mask(value, 3)


def personal_view_audit(*, person: Any, actor: str, what: str = "member_page") -> None:
    """Record that `actor` was shown `person`'s unmasked national ID and phone (`what`: where)."""
    audit(
        actor=actor,
        action="personal_data_view",
        obj=person,
        after={"person": person.pk, "where": what},
    )
