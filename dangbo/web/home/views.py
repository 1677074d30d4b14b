"""The home page of the user's organization: the year's figures at a glance, the last 12
months as a chart, and what needs action."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.core.dates import today
from dangbo.vn_format import number
from dangbo.web.decorators import require
from dangbo.web.home import data
from dangbo.web.home.chart import chart_svg
from dangbo.web.home.orgs import chosen_org


def _tiles(g: data.Glance) -> list[dict[str, str]]:
    f = g.figures
    out = [
        {"label": f"Đảng viên đầu năm ({f.start:%d/%m/%Y})", "value": number(f.members_start)},
        {
            "label": f"Đảng viên hiện nay ({f.end:%d/%m/%Y})",
            "value": number(f.members_end),
            "sub": f"chính thức {number(f.official_end)}, dự bị {number(f.probationary_end)}",
        },
        {
            "label": "Kết nạp",
            "value": number(g.admitted),
            "sub": (
                f"chỉ tiêu năm {number(g.target)}, đạt {g.target_percent}%"
                if g.target
                else "chưa có chỉ tiêu kết nạp của năm"
            ),
        },
        {"label": "Chuyển đến", "value": number(f.transferred_in)},
        {"label": "Chuyển đi", "value": number(f.transferred_out)},
        {
            "label": "Từ trần, xóa tên, khai trừ, ra khỏi Đảng",
            "value": number(f.died + f.removed + f.expelled + f.left),
            "sub": (
                f"từ trần {number(f.died)}, xóa tên {number(f.removed)}, "
                f"khai trừ {number(f.expelled)}, xin ra {number(f.left)}"
            ),
        },
    ]
    return out


def _links() -> dict[str, bool]:
    """Which pages of other areas exist to link to (each looked up once, not per row)."""
    out = {}
    for key, name, kwargs in (
        ("member", "web:member", {"pk": 1}),
        ("org", "web:org", {"pk": 1}),
        ("register", "web:register", None),
    ):
        try:
            reverse(name, kwargs=kwargs)
            out[key] = True
        except NoReverseMatch:
            out[key] = False
    return out


@require(Action.VIEW_ORGS)
def home(request: HttpRequest) -> HttpResponse:
    """The home of `?org=` (an organization in the user's scope) or of the user's own."""
    on = today()
    user = request.user
    chosen = chosen_org(request, Action.VIEW_ORGS, on)
    org = chosen.org
    context: dict[str, Any] = {
        "org": org,
        "org_name": chosen.name,
        "on": on,
        "choices": chosen.choices,
        "links": _links(),
    }
    if can(user, Action.VIEW_FIGURES, org.pk):
        glance = data.glance(org, on)
        context["glance"] = glance
        context["tiles"] = _tiles(glance)
        context["chart"] = mark_safe(chart_svg(data.chart(org, on)))  # noqa: S308 — built from numbers and escaped text
    if can(user, Action.VIEW_MEMBERS, org.pk):
        context["agenda"] = data.agenda(
            org, on, with_transfers=can(user, Action.RECEIVE_TRANSFERS, org.pk)
        )
    return render(request, "web/home/home.html", context)
