"""Charts of the composed document drawn as PNG with matplotlib (Agg, no pyplot state).

The same picture goes into the DOCX (hence the PDF) and the HTML. Output is deterministic:
no timestamp or software tag in the PNG, fixed size and font, so two renders of the same
`Chart` give the same bytes.
"""

from __future__ import annotations

import io
import threading
from decimal import Decimal
from typing import Any

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from dangbo import vn_format
from dangbo.reports.document import Chart
from dangbo.reports.layout import FormatRules, format_rules_on

CHART_KINDS = ("line", "bar", "barh")
_MM_PER_INCH = 25.4
# grey-friendly palette: prints legibly in black and white
_COLOURS = ("#1f4e79", "#c0392b", "#7f8c8d", "#2e7d32", "#b9770e", "#6c3483")
_MARKERS = ("o", "s", "^", "D", "v", "P")
# rc_context changes matplotlib's global settings for the duration of a drawing: one
# drawing at a time per process, so threads of a web server cannot mix their styles
_DRAWING = threading.Lock()
_STYLE = {
    "font.family": "serif",
    "font.serif": ["Liberation Serif", "Times New Roman", "DejaVu Serif"],
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "dangbo",
    "path.simplify": False,
}


def number_label(value: float) -> str:
    """A chart value in the Vietnamese way: 314 → "314", 79.7 → "79,7", 1234.5 → "1.234,5".

    Whole values print whole; others to one decimal, rounded half up (vn_format's rule).
    """
    d = Decimal(repr(float(value)))
    if d == d.to_integral_value():
        return vn_format.number(int(d))
    return vn_format.number(d, vn_format.PERCENT_PLACES)


def _check(chart: Chart) -> None:
    if chart.kind not in CHART_KINDS:
        raise ValueError(
            f"Loại biểu đồ không hỗ trợ: {chart.kind!r} (chỉ có {', '.join(CHART_KINDS)})."
        )
    for name, values in chart.series:
        if len(values) != len(chart.labels):
            raise ValueError(
                f"Dãy số “{name}” có {len(values)} giá trị nhưng biểu đồ có {len(chart.labels)} nhãn."
            )


def chart_png(chart: Chart, *, dpi: int = 150, rules: FormatRules | None = None) -> bytes:
    """Draw `chart` as PNG bytes sized for the A4 text width (chart_width_mm of the rules).

    The title is not drawn in the picture: the renderers print it as the caption, so it is
    real, searchable text in the DOCX/PDF/HTML.
    """
    _check(chart)
    rules = rules or format_rules_on()
    # whole pixels first, so the picture is exactly chart_width_mm wide at `dpi`
    width_px = round(rules.chart_width_mm / _MM_PER_INCH * dpi)
    height_px = round(rules.chart_height_mm / _MM_PER_INCH * dpi)
    size = (width_px / dpi, height_px / dpi)
    with _DRAWING, rc_context(_STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=size, dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        {"line": _draw_line, "bar": _draw_bar, "barh": _draw_barh}[chart.kind](ax, chart)
        if chart.y_label:
            (ax.set_xlabel if chart.kind == "barh" else ax.set_ylabel)(chart.y_label)
        if len(chart.series) > 1 or any(name for name, _ in chart.series):
            ax.legend(
                frameon=False,
                loc="lower center",
                bbox_to_anchor=(0.5, 1.0),
                ncol=len(chart.series),
                borderaxespad=0.2,
            )
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def _value_axis(axis: Any, chart: Chart) -> None:
    """Vietnamese tick labels; whole ticks only when every value is whole (counts)."""
    whole = all(float(v).is_integer() for _, vs in chart.series for v in vs)
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: number_label(v)))
    axis.set_major_locator(MaxNLocator(nbins=6, integer=whole))


def _headroom(ax: Any, chart: Chart, *, horizontal: bool = False) -> None:
    values = [v for _, vs in chart.series for v in vs] or [0.0]
    low, high = min(0.0, min(values)), max(0.0, max(values))
    span = (high - low) or 1.0
    setter = ax.set_xlim if horizontal else ax.set_ylim
    setter(low - (0.05 * span if low < 0 else 0), high + 0.15 * span)


def _draw_line(ax: Any, chart: Chart) -> None:
    xs = range(len(chart.labels))
    values = [v for _, vs in chart.series for v in vs] or [0.0]
    low, high = min(values), max(values)
    span = (high - low) or max(abs(high), 1.0)
    for i, (name, series) in enumerate(chart.series):
        colour = _COLOURS[i % len(_COLOURS)]
        ax.plot(
            xs,
            series,
            marker=_MARKERS[i % len(_MARKERS)],
            color=colour,
            linewidth=1.8,
            label=name or None,
        )
        for x, v in zip(xs, series, strict=True):
            ax.annotate(
                number_label(v),
                (x, v),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=9,
                color=colour,
            )
    ax.set_xticks(list(xs), list(chart.labels))
    ax.set_ylim(low - 0.15 * span, high + 0.2 * span)
    ax.set_xlim(-0.4, len(chart.labels) - 0.6)
    ax.grid(axis="y", linewidth=0.4, alpha=0.6)
    _value_axis(ax.yaxis, chart)


def _bar_geometry(chart: Chart) -> tuple[float, list[float]]:
    n = max(len(chart.series), 1)
    width = 0.8 / n
    offsets = [(i - (n - 1) / 2) * width for i in range(n)]
    return width, offsets


def _draw_bar(ax: Any, chart: Chart) -> None:
    width, offsets = _bar_geometry(chart)
    for i, (name, series) in enumerate(chart.series):
        xs = [x + offsets[i] for x in range(len(chart.labels))]
        bars = ax.bar(
            xs, series, width=width, color=_COLOURS[i % len(_COLOURS)], label=name or None
        )
        ax.bar_label(bars, labels=[number_label(v) for v in series], padding=2, fontsize=9)
    ax.set_xticks(list(range(len(chart.labels))), list(chart.labels))
    ax.grid(axis="y", linewidth=0.4, alpha=0.6)
    ax.set_axisbelow(True)
    _headroom(ax, chart)
    _value_axis(ax.yaxis, chart)


def _draw_barh(ax: Any, chart: Chart) -> None:
    width, offsets = _bar_geometry(chart)
    for i, (name, series) in enumerate(chart.series):
        ys = [y + offsets[i] for y in range(len(chart.labels))]
        bars = ax.barh(
            ys, series, height=width, color=_COLOURS[i % len(_COLOURS)], label=name or None
        )
        ax.bar_label(bars, labels=[number_label(v) for v in series], padding=3, fontsize=9)
    ax.set_yticks(list(range(len(chart.labels))), list(chart.labels))
    ax.invert_yaxis()  # first category on top, as read in the table
    ax.grid(axis="x", linewidth=0.4, alpha=0.6)
    ax.set_axisbelow(True)
    _headroom(ax, chart, horizontal=True)
    _value_axis(ax.xaxis, chart)
