"""How an organization's committee and its place are named in its documents."""

from __future__ import annotations

import re
from datetime import date

from dangbo.organizations.models import Organization, OrgClosure

#: (prefix of the organization's name, its committee's prefix) for provinces and districts.
_COMMITTEES = (
    ("Đảng bộ thành phố ", "Thành ủy "),
    ("Đảng bộ tỉnh ", "Tỉnh ủy "),
    ("Đảng bộ quận ", "Quận ủy "),
    ("Đảng bộ huyện ", "Huyện ủy "),
    ("Đảng bộ thị xã ", "Thị ủy "),
)


def committee_name(name: str, kind: str) -> str:
    """The committee that speaks for an organization: "Đảng bộ phường X" → "Đảng ủy phường X".

    A province- or district-level organization (`kind` "tinh" or "huyen") has a Thành ủy,
    Tỉnh ủy, Quận ủy, Huyện ủy or Thị ủy; any other "Đảng bộ …" a Đảng ủy; a name that is
    not a Đảng bộ (a cell) is its own speaker."""
    for prefix, committee in _COMMITTEES:
        if name.startswith(prefix) and kind in ("tinh", "huyen"):
            return committee + name[len(prefix) :]
    if name.startswith("Đảng bộ "):
        return "Đảng ủy " + name[len("Đảng bộ ") :]
    return name


def default_place(org: Organization, on: date) -> str:
    """The place name of the document: the province or city of the root of the tree on `on`.

    The root's whole name when it names no "thành phố" or "tỉnh"."""
    root = (
        OrgClosure.objects.filter(descendant=org, valid_from__lte=on, valid_to__gt=on)
        .order_by("-depth")
        .first()
    )
    v = (root.ancestor if root else org).version_on(on) or org.latest_version
    m = re.search(r"(?:thành phố|tỉnh)\s+(.+)$", v.name)
    return m.group(1) if m else v.name
