"""The units directly below an organization on a date, in the order of their codes."""

from __future__ import annotations

from datetime import date

from dangbo.organizations.models import OrgVersion


def child_versions(org_id: int, on: date) -> list[OrgVersion]:
    """The versions in force on `on` of the organizations whose parent is `org_id`."""
    return list(
        OrgVersion.objects.filter(parent_id=org_id, valid_from__lte=on, valid_to__gt=on)
        .select_related("org")
        .order_by("code", "org_id")
    )
