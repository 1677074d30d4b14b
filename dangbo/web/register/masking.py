"""Masking of personal data (Decree 13/2023) for roles that may not read it in full.

A national ID keeps its last 3 digits ("*********234"), a phone number its first 3 and
last 3 ("091****678"); an empty value stays empty, and a value too short to keep anything
is masked whole.
"""

from __future__ import annotations

MASK = "*"


def mask(value: str | None, *, keep_start: int = 0, keep_end: int = 3) -> str:
    """`value` with every character but the first `keep_start` and last `keep_end` masked."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end + 1:
        return MASK * len(value)
    end = value[len(value) - keep_end :] if keep_end else ""
    return value[:keep_start] + MASK * (len(value) - keep_start - keep_end) + end


def mask_citizen_id(value: str | None) -> str:
    return mask(value, keep_start=0, keep_end=3)


def mask_phone(value: str | None) -> str:
    return mask(value, keep_start=3, keep_end=3)
