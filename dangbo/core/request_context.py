"""Who is acting and from where, for the audit rows written while a request is served.

The web middleware sets it for each request; commands leave it empty (the address of a
command line write is none). Kept in a context variable so that services deep below the
view record the address without every signature carrying it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_address: ContextVar[str | None] = ContextVar("dangbo_request_address", default=None)


def current_address() -> str | None:
    """The client address of the request being served, or None outside a request."""
    return _address.get()


@contextmanager
def acting_from(address: str | None) -> Iterator[None]:
    """Record `address` on every audit row written inside the block."""
    token = _address.set(address)
    try:
        yield
    finally:
        _address.reset(token)
