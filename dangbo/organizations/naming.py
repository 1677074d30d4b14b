"""How an organization is named in documents: the committee that speaks for it."""

from __future__ import annotations


def committee_name(name: str, kind: str) -> str:
    """The committee that speaks for an organization: "Đảng bộ phường X" → "Đảng ủy phường X"."""
    for prefix, committee in (
        ("Đảng bộ thành phố ", "Thành ủy "),
        ("Đảng bộ tỉnh ", "Tỉnh ủy "),
        ("Đảng bộ quận ", "Quận ủy "),
        ("Đảng bộ huyện ", "Huyện ủy "),
        ("Đảng bộ thị xã ", "Thị ủy "),
    ):
        if name.startswith(prefix) and kind in ("tinh", "huyen"):
            return committee + name[len(prefix) :]
    if name.startswith("Đảng bộ "):
        return "Đảng ủy " + name[len("Đảng bộ ") :]
    return name
