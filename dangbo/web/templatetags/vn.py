"""Template filters writing figures the Vietnamese way (a builtin: no ``{% load %}`` needed).

``{{ n|so }}`` → "2.318"; a value that is not a number (None, "—") is shown as it is.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from dangbo import vn_format

register = template.Library()


@register.filter
def so(value: object) -> object:
    """A count or amount with the thousands dot and decimal comma."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return value
    return vn_format.number(value)
