"""The four names :mod:`dangbo.membership.interchange` and its checker import from here.

Everything else lives in the action modules: :mod:`~dangbo.membership.planning`,
:mod:`~dangbo.membership.projection`, :mod:`~dangbo.membership.events`,
:mod:`~dangbo.membership.admission` and :mod:`~dangbo.membership.people`.
"""

from __future__ import annotations

from dangbo.membership.planning import NewEvent, plan_member
from dangbo.membership.projection import PROJECTION_FIELDS, write_projection

__all__ = ["PROJECTION_FIELDS", "NewEvent", "_write_projection", "plan_member"]

_write_projection = write_projection
