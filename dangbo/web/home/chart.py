"""The home page's chart of the last 12 months, drawn as inline SVG on the server.

Two panels share the months: members at each month's end (a line, its own scale) above,
admissions in each month (bars) below. Text is escaped; numbers are written with
`dangbo.vn_format`. No script and no external asset.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from html import escape

from dangbo.core.dates import add_months
from dangbo.vn_format import number
from dangbo.web.svgchart import nice_max

WIDTH, HEIGHT = 660, 236
LEFT, RIGHT = 44, 12
TOP_Y, TOP_H = 22, 104  # members panel
BOTTOM_Y, BOTTOM_H = 160, 46  # admissions panel
AXIS_Y = 226


def month_ends(on: date, months: int = 12) -> list[date]:
    """The last day of each of the `months` months ending with `on`'s month; `on` itself
    for the current month (its end has not come yet)."""
    first = on.replace(day=1)
    out = []
    for i in range(months - 1, 0, -1):
        d = add_months(first, -i)
        out.append(d.replace(day=calendar.monthrange(d.year, d.month)[1]))
    return [*out, on]


@dataclass(frozen=True)
class ChartData:
    ends: list[date]
    members: list[int]
    admissions: list[int]


def chart_svg(data: ChartData) -> str:
    """The chart as an ``<svg>`` element (a string safe to insert in the page)."""
    n = len(data.ends)
    slot = (WIDTH - LEFT - RIGHT) / max(n, 1)

    def x(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    lo, hi = (min(data.members), max(data.members)) if data.members else (0, 0)
    pad = max(1, (hi - lo) // 5)
    lo, hi = max(0, lo - pad), hi + pad

    def y_members(v: int) -> float:
        return TOP_Y + TOP_H - (v - lo) / (hi - lo) * TOP_H

    top_adm = nice_max(max(data.admissions, default=0))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-title">',
        '<title id="chart-title">Số đảng viên cuối mỗi tháng và số kết nạp trong tháng, '
        "12 tháng gần nhất</title>",
        "<style>.c-t{font:11px sans-serif;fill:#5f6368}.c-v{font:10px sans-serif;fill:#1d1d1f}"
        ".c-g{stroke:#e3e5e8;stroke-width:1}.c-l{fill:none;stroke:#b3261e;stroke-width:2}"
        ".c-p{fill:#b3261e}.c-b{fill:#f0a8a3}</style>",
        f'<text class="c-t" x="{LEFT}" y="13">Số đảng viên cuối tháng</text>',
        f'<text class="c-t" x="{LEFT}" y="{BOTTOM_Y - 8}">Kết nạp trong tháng</text>',
    ]
    for v in (lo, (lo + hi) // 2, hi):
        y = y_members(v)
        parts.append(
            f'<line class="c-g" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="c-t" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{number(v)}</text>'
        )
    base = BOTTOM_Y + BOTTOM_H
    parts.append(f'<line class="c-g" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}"/>')
    parts.append(
        f'<text class="c-t" x="{LEFT - 4}" y="{BOTTOM_Y + 4}" text-anchor="end">{number(top_adm)}</text>'
    )
    points = " ".join(f"{x(i):.1f},{y_members(v):.1f}" for i, v in enumerate(data.members))
    if points:
        parts.append(f'<polyline class="c-l" points="{points}"/>')
    for i, (end, members, admitted) in enumerate(
        zip(data.ends, data.members, data.admissions, strict=True)
    ):
        label = escape(f"{end.month:02d}/{end.year % 100:02d}")
        tip = escape(
            f"{end:%d/%m/%Y}: {number(members)} đảng viên; kết nạp trong tháng: {number(admitted)}"
        )
        cx, cy = x(i), y_members(members)
        parts.append(
            f'<g><title>{tip}</title><circle class="c-p" cx="{cx:.1f}" cy="{cy:.1f}" r="3"/>'
        )
        parts.append(
            f'<text class="c-v" x="{cx:.1f}" y="{cy - 7:.1f}" text-anchor="middle">{number(members)}</text>'
        )
        h = admitted / top_adm * BOTTOM_H
        parts.append(
            f'<rect class="c-b" x="{cx - slot * 0.3:.1f}" y="{base - h:.1f}" '
            f'width="{slot * 0.6:.1f}" height="{h:.1f}"/>'
        )
        if admitted:
            parts.append(
                f'<text class="c-v" x="{cx:.1f}" y="{base - h - 3:.1f}" text-anchor="middle">'
                f"{number(admitted)}</text>"
            )
        parts.append(
            f'<text class="c-t" x="{cx:.1f}" y="{AXIS_Y}" text-anchor="middle">{label}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
