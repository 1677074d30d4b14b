"""Charts drawn as inline ``<svg>`` on the server: a :class:`dangbo.reports.document.Chart`
(line or grouped bars; the dashboard's charts) and the round axis bound every chart of the
pages uses (the home page's chart too).

Text is escaped and numbers are written with `dangbo.vn_format`; no script, no external
asset. The value axis starts at zero and ends at a round number.
"""

from __future__ import annotations

from html import escape

from dangbo.reports.charts import number_label
from dangbo.reports.document import Chart

WIDTH, HEIGHT = 520, 250
LEFT, RIGHT, TOP, BOTTOM = 46, 10, 14, 58
COLOURS = ("#1f4e79", "#c0392b", "#7f8c8d", "#2e7d32", "#b9770e", "#6c3483")


def nice_max(n: float) -> int:
    """A round upper bound ≥ n for an axis (1, 2, 5 × 10^k); 1 for n ≤ 0."""
    if n <= 0:
        return 1
    step = 1
    while True:
        for f in (1, 2, 5):
            if f * step >= n:
                return f * step
        step *= 10


def chart_svg(chart: Chart) -> str:
    """The chart as an ``<svg>`` element (a string safe to insert in the page)."""
    n = len(chart.labels)
    top = max(nice_max(max((v for _, values in chart.series for v in values), default=0)), 4)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(n, 1)

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * v / top

    out = [
        f'<svg class="dash-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(chart.title)}">'
    ]
    for k in range(5):
        v = top * k / 4
        yy = y(v)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" '
            f'stroke="#e3e6ea"/><text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#555">{escape(number_label(v))}</text>'
        )
    for i, label in enumerate(chart.labels):
        cx = LEFT + slot * (i + 0.5)
        out.append(
            f'<text x="{cx:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
            f'font-size="11" fill="#333">{escape(label)}</text>'
        )
    if chart.kind == "line":
        for s, (_name, values) in enumerate(chart.series):
            colour = COLOURS[s % len(COLOURS)]
            points = " ".join(
                f"{LEFT + slot * (i + 0.5):.1f},{y(v):.1f}" for i, v in enumerate(values)
            )
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            for i, v in enumerate(values):
                cx, cy = LEFT + slot * (i + 0.5), y(v)
                out.append(
                    f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"><title>'
                    f"{escape(chart.labels[i])}: {escape(number_label(v))}</title></circle>"
                    f'<text x="{cx:.1f}" y="{cy - 7:.1f}" text-anchor="middle" font-size="10" '
                    f'fill="#333">{escape(number_label(v))}</text>'
                )
    else:
        groups = max(len(chart.series), 1)
        bar = slot * 0.8 / groups
        for s, (name, values) in enumerate(chart.series):
            colour = COLOURS[s % len(COLOURS)]
            for i, v in enumerate(values):
                x = LEFT + slot * i + slot * 0.1 + bar * s
                out.append(
                    f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{bar:.1f}" '
                    f'height="{TOP + plot_h - y(v):.1f}" fill="{colour}"><title>'
                    f"{escape(name)} {escape(chart.labels[i])}: {escape(number_label(v))}"
                    "</title></rect>"
                )
    lx = LEFT
    for s, (name, _values) in enumerate(chart.series):
        colour = COLOURS[s % len(COLOURS)]
        out.append(
            f'<rect x="{lx}" y="{HEIGHT - 24}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{HEIGHT - 15}" font-size="11" fill="#333">{escape(name)}</text>'
        )
        lx += 22 + 6 * len(name)
    out.append("</svg>")
    return "".join(out)
