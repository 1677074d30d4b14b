"""Template context of every page: the navigation the user may follow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from dangbo.accounts.permissions import ROLE_LABELS, Action
from dangbo.accounts.scope import assignments_on, can

# (label, URL name, action the page needs); a page not built yet is left out
NAVIGATION: list[tuple[str, str, Action]] = [
    ("Trang chủ", "web:home", Action.VIEW_ORGS),
    ("Tổ chức", "web:org_tree", Action.VIEW_ORGS),
    ("Đảng viên", "web:register", Action.VIEW_MEMBERS),
    ("Phát triển đảng viên", "web:candidates", Action.VIEW_CANDIDATES),
    ("Chuyển sinh hoạt", "web:transfers", Action.RECEIVE_TRANSFERS),
    ("Đề xuất của chi bộ", "web:proposals", Action.CONFIRM_PROPOSALS),
    ("Đại hội", "web:congresses", Action.VIEW_PARTY_WORK),
    ("Xếp loại", "web:grading", Action.VIEW_PARTY_WORK),
    ("Chỉ tiêu", "web:targets", Action.VIEW_PARTY_WORK),
    ("Kiểm tra", "web:inspections", Action.VIEW_PARTY_WORK),
    ("Văn bản", "web:documents", Action.VIEW_PARTY_WORK),
    ("Hội nghị", "web:meetings", Action.VIEW_PARTY_WORK),
    ("Đảng phí", "web:dues", Action.VIEW_PARTY_WORK),
    ("Báo cáo", "web:reports", Action.VIEW_PARTY_WORK),
    ("Tổng hợp", "web:dashboards", Action.VIEW_FIGURES),
    ("Tài khoản", "web:accounts", Action.MANAGE_ACCOUNTS),
    ("Nhật ký", "web:audit", Action.VIEW_AUDIT),
]

#: pages of an area whose URLs do not start with the area's own URL (elections: congresses)
EXTRA_PREFIXES: dict[str, tuple[str, ...]] = {"web:congresses": ("/bau-cu/",)}


def active_url(path: str, urls: dict[str, str]) -> str | None:
    """The URL name of the area `path` belongs to: the longest area URL that is a prefix of
    it (or one of the area's extra prefixes).

    The home page ("/") is active only on itself, never as the prefix of every page.
    """
    best: tuple[int, str | None] = (0, None)
    for name, url in urls.items():
        prefixes = (url, *EXTRA_PREFIXES.get(name, ()))
        for prefix in prefixes:
            hit = path == prefix if prefix == "/" else path.startswith(prefix)
            if hit and len(prefix) > best[0]:
                best = (len(prefix), name)
    return best[1]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    shown: list[tuple[str, str, str]] = []
    for label, name, action in NAVIGATION:
        if not can(user, action):
            continue
        try:
            shown.append((label, name, reverse(name)))
        except NoReverseMatch:
            continue
    active = active_url(request.path, {name: url for _label, name, url in shown})
    items = [{"label": label, "url": url, "active": name == active} for label, name, url in shown]
    roles = sorted({ROLE_LABELS[a.role_enum] for a in assignments_on(user)})
    return {"nav_items": items, "nav_roles": roles}
