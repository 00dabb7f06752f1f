"""Small charts as inline SVG strings: no JavaScript, no chart library, so they render offline in
JupyterLab, Voilà and a saved HTML page alike.

Pure functions only; every label is escaped here. :func:`bar_chart_svg` draws one horizontal bar per
label, with negative values to the left of a zero line.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Sequence

#: Layout in SVG user units (the chart scales to its container's width).
WIDTH = 640
LABEL_HEIGHT = 16
BAR_HEIGHT = 18
ROW_GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
TITLE_HEIGHT = 30
VALUE_SPACE = 78
PADDING = 8
#: Labels sit above their bar; longer ones are cut with "…" (the bar's tooltip keeps the full text).
MAX_LABEL_CHARS = 86

POSITIVE_FILL = "#2680c2"
NEGATIVE_FILL = "#d64545"
TEXT_FILL = "#1f2933"
AXIS_STROKE = "#9aa5b1"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
PREFIX_UNITS = {"$", "US$", "€", "£"}


def format_value(value: float, unit: str = "", signed: bool = False) -> str:
    """A value as the chart writes it: currency units before, others after; thousands separated.

    >>> format_value(50250, "$")
    '$50,250'
    >>> format_value(-5, "%", signed=True), format_value(7.5, "%", signed=True)
    ('−5%', '+7.5%')
    """
    number = f"{abs(value):,.0f}" if float(value).is_integer() else f"{abs(value):,.1f}"
    sign = "−" if value < 0 else ("+" if signed and value > 0 else "")
    if unit in PREFIX_UNITS:
        return f"{sign}{unit}{number}"
    return f"{sign}{number}{unit}"


def _text(x: float, y: float, content: str, anchor: str = "start", weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{TEXT_FILL}" font-size="12" font-family="{FONT}">{content}</text>'
    )


def bar_chart_svg(labels: Sequence[str], values: Sequence[float], unit: str = "", title: str = "") -> str:
    """A horizontal bar chart as an ``<svg>`` string, one bar per label.

    Negative values are drawn to the left of the zero line and in a second colour. Labels and the
    title are escaped; the title is also the chart's accessible name (``<title>``), and a ``<desc>``
    lists every value for screen readers.

    >>> svg = bar_chart_svg(["Coders", "<b>Transcriptionists</b>"], [7, -5], "%", "Growth")
    >>> svg.startswith("<svg") and "<title" in svg and 'role="img"' in svg
    True
    >>> "&lt;b&gt;Transcriptionists" in svg and "<b>" not in svg
    True
    >>> "−5%" in svg and "+7%" in svg
    True
    >>> "No figures to chart" in bar_chart_svg([], [], "$", "Pay")
    True
    """
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values; give one value per label")
    numbers = [float(v) for v in values]
    if any(not math.isfinite(v) for v in numbers):
        raise ValueError("every value must be a finite number")
    signed = any(v < 0 for v in numbers)
    shown = [format_value(v, unit, signed) for v in numbers]
    digest = hashlib.sha1(repr((title, list(labels), numbers, unit)).encode("utf-8")).hexdigest()[:10]
    title_id, desc_id = f"cp-chart-{digest}-title", f"cp-chart-{digest}-desc"
    description = (
        "; ".join(f"{label}: {text}" for label, text in zip(labels, shown, strict=True)) or "No figures to chart."
    )

    plot_left = PADDING + (VALUE_SPACE if signed else 0)
    plot_right = WIDTH - PADDING - VALUE_SPACE
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    span = (high - low) or 1.0
    scale = (plot_right - plot_left) / span
    zero_x = plot_left + (0.0 - low) * scale

    height = TITLE_HEIGHT + max(len(numbers), 1) * ROW_HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cp-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="max-width:{WIDTH}px" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{html.escape(title)}</title>',
        f'<desc id="{desc_id}">{html.escape(description)}</desc>',
        _text(PADDING, 18, html.escape(title), weight="600"),
    ]
    if not numbers:
        parts.append(_text(PADDING, TITLE_HEIGHT + 16, "No figures to chart."))
    for row, (label, value, text) in enumerate(zip(labels, numbers, shown, strict=True)):
        top = TITLE_HEIGHT + row * ROW_HEIGHT
        bar_top = top + LABEL_HEIGHT
        middle = bar_top + BAR_HEIGHT / 2 + 4
        end_x = zero_x + value * scale
        left, width = min(zero_x, end_x), max(abs(end_x - zero_x), 1.0)
        fill = NEGATIVE_FILL if value < 0 else POSITIVE_FILL
        name = str(label)
        short = name if len(name) <= MAX_LABEL_CHARS else name[: MAX_LABEL_CHARS - 1] + "…"
        parts.append(_text(PADDING, top + 12, html.escape(short)))
        parts.append(
            f'<line x1="{zero_x:.1f}" y1="{bar_top - 2:.1f}" x2="{zero_x:.1f}" y2="{bar_top + BAR_HEIGHT + 2:.1f}" '
            f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
        )
        parts.append(
            f'<rect x="{left:.1f}" y="{bar_top:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'rx="3" fill="{fill}"><title>{html.escape(f"{name}: {text}")}</title></rect>'
        )
        if value < 0:
            parts.append(_text(left - 6, middle, html.escape(text), anchor="end"))
        else:
            parts.append(_text(left + width + 6, middle, html.escape(text)))
    parts.append("</svg>")
    return "".join(parts)
