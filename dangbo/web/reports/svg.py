"""The charts of a review report drawn as inline SVG for the page's preview.

The composer's `Chart` blocks carry the data; the DOCX and PDF draw them with matplotlib
(a second or so), the preview draws the same series here in a few milliseconds. Text is
escaped; numbers go through `dangbo.vn_format`. A chart without values draws its axes only.
"""

from __future__ import annotations

from html import escape

from dangbo.reports.document import Chart
from dangbo.vn_format import number

W, H = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 40
COLOURS = ("#1f4e79", "#c0392b", "#7f8c8d", "#2e7d32", "#b9770e", "#6c3483")


def _scale(series: tuple[tuple[str, tuple[float, ...]], ...]) -> float:
    top = max((v for _, values in series for v in values), default=0.0)
    return top if top > 0 else 1.0


def _legend(block: Chart) -> str:
    if len(block.series) < 2:
        return ""
    items = "".join(
        f'<span><i style="background:{COLOURS[i % len(COLOURS)]}"></i>{escape(name)}</span>'
        for i, (name, _) in enumerate(block.series)
    )
    return f'<div class="legend">{items}</div>'


def _vertical(block: Chart) -> list[str]:
    n = max(len(block.labels), 1)
    top = _scale(block.series)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    step = plot_w / n
    y = lambda v: TOP + plot_h - plot_h * v / top  # noqa: E731
    out = [
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{W - RIGHT}" y2="{TOP + plot_h}" stroke="#555"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{number(round(top))}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end">0</text>',
    ]
    every = max(1, n // 12)
    for i, label in enumerate(block.labels):
        if i % every == 0:
            x = LEFT + step * (i + 0.5)
            out.append(
                f'<text x="{x:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    k = max(len(block.series), 1)
    for s, (name, values) in enumerate(block.series):
        colour = COLOURS[s % len(COLOURS)]
        if block.kind == "line":
            points = " ".join(
                f"{LEFT + step * (i + 0.5):.1f},{y(v):.1f}" for i, v in enumerate(values)
            )
            out.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"><title>{escape(name)}</title></polyline>'
            )
            continue
        bar = step * 0.8 / k
        for i, v in enumerate(values):
            x = LEFT + step * i + step * 0.1 + bar * s
            out.append(
                f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{bar:.1f}" height="{TOP + plot_h - y(v):.1f}" '
                f'fill="{colour}"><title>{escape(name)} {escape(block.labels[i] if i < len(block.labels) else "")}: {number(round(v))}</title></rect>'
            )
    return out


def _horizontal(block: Chart) -> list[str]:
    n = max(len(block.labels), 1)
    top = _scale(block.series)
    left = 160
    plot_w, plot_h = W - left - RIGHT - 40, H - TOP - 12
    step = plot_h / n
    values = block.series[0][1] if block.series else ()
    out = []
    for i, label in enumerate(block.labels):
        v = values[i] if i < len(values) else 0.0
        yy = TOP + step * i
        out.append(
            f'<text x="{left - 6}" y="{yy + step * 0.6:.1f}" text-anchor="end">{escape(label[:28])}</text>'
        )
        width = plot_w * v / top
        out.append(
            f'<rect x="{left}" y="{yy + step * 0.15:.1f}" width="{width:.1f}" height="{step * 0.7:.1f}" fill="{COLOURS[0]}"/>'
        )
        out.append(
            f'<text x="{left + width + 4:.1f}" y="{yy + step * 0.6:.1f}">{number(round(v))}</text>'
        )
    return out


def chart_svg(block: Chart) -> str:
    """The chart as a `<figure>` with an inline SVG, its title and its source note."""
    shapes = _horizontal(block) if block.kind == "barh" else _vertical(block)
    svg = (
        f'<svg class="chart" viewBox="0 0 {W} {H}" width="100%" role="img" '
        f'aria-label="{escape(block.title or block.kind)}" font-size="11" font-family="serif">'
        + "".join(shapes)
        + "</svg>"
    )
    caption = f"<figcaption>{escape(block.title)}</figcaption>" if block.title else ""
    note = f'<div class="note">{escape(block.note)}</div>' if block.note else ""
    return f'<figure class="chart">{svg}{_legend(block)}{caption}{note}</figure>'
