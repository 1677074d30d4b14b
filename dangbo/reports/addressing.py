"""Where a report is written and to whom: the place line and the recipients (Nơi nhận).

Hướng dẫn 36-HD/VPTW: the place is the administrative unit where the issuing committee sits;
the recipients name the organizations directly below as the regulations call them.
"""

from __future__ import annotations

import re
from datetime import date

from dangbo.organizations.models import Organization, OrgClosure, OrgVersion
from dangbo.organizations.naming import committee_name
from dangbo.organizations.selectors import org_version_shown

#: "Đảng bộ phường Hòa Bình" → ("phường", "Hòa Bình"): the units a committee is named after.
_LOCALITY = re.compile(
    r"^(?:Đảng bộ|Chi bộ)\s+(tỉnh|thành phố|quận|huyện|thị xã|phường|xã|thị trấn|đặc khu)\s+(.+)$"
)
#: Units written by their bare name on the place line ("Hà Nội", not "Thành phố Hà Nội").
_BARE = {"tỉnh", "thành phố"}


def _locality(v: OrgVersion) -> str | None:
    m = _LOCALITY.match(v.name.strip())
    if not m:
        return None
    unit, name = m.group(1), m.group(2).strip()
    if unit in _BARE and v.kind.code == "tinh":
        return name
    return f"{unit[:1].upper()}{unit[1:]} {name}"


def default_place(org: Organization, on: date) -> str:
    """The place line of `org`'s documents dated `on`: its own locality ("Phường Hòa Bình",
    "Quận Ba Đình"; a province or a centrally-run city by its bare name, "Hà Nội"), or —
    for an organization not named after a locality (a cell, an agency's committee) — that
    of the nearest organization above it that is; the organization's own name when none is."""
    path = (
        OrgClosure.objects.filter(descendant=org, valid_from__lte=on, valid_to__gt=on)
        .select_related("ancestor")
        .order_by("depth")
    )
    orgs = [c.ancestor for c in path] or [org]
    for o in orgs:
        place = _locality(org_version_shown(o, on))
        if place:
            return place
    return org_version_shown(org, on).name


def units_below(org: Organization, on: date) -> str:
    """How the recipients line names `org`'s direct units on `on`: "Các chi bộ trực thuộc"
    when every one is a cell (base cells included), "Các tổ chức cơ sở đảng trực thuộc" when
    every one is a base organization and some are committees, "Các tổ chức đảng trực
    thuộc" otherwise; "" when it has none."""
    kinds = list(
        OrgVersion.objects.filter(parent=org, valid_from__lte=on, valid_to__gt=on).values_list(
            "kind__is_base", "kind__holds_members"
        )
    )
    if not kinds:
        return ""
    if all(cell for _, cell in kinds):
        return "Các chi bộ trực thuộc"
    if all(base for base, _ in kinds):
        return "Các tổ chức cơ sở đảng trực thuộc"
    return "Các tổ chức đảng trực thuộc"


def default_recipients(org: Organization, on: date) -> list[str]:
    """The Nơi nhận list: the standing committee above, the executive committee's members,
    the units below as :func:`units_below` names them, the office's file."""
    v = org_version_shown(org, on)
    out = []
    if v.parent is not None:
        pv = org_version_shown(v.parent, on)
        out.append(f"Ban Thường vụ {committee_name(pv.name, pv.kind.code)}")
    out.append("Các đồng chí Ủy viên Ban Chấp hành")
    below = units_below(org, on)
    if below:
        out.append(below)
    out.append("Lưu Văn phòng.")
    return out
