"""Small charts as inline SVG strings: no JavaScript, no chart library, so they render offline in
JupyterLab, Voilà and a saved HTML page alike.

Pure functions only; every label is escaped here. :func:`bar_chart_svg` draws one horizontal bar per
label, with negative values to the left of a zero line.

An SVG scales its text with its width, so one drawing cannot be legible both on a laptop and on a phone.
Each chart therefore comes in two drawings, a wide one and a narrow one, put side by side by
:func:`responsive_chart`; the workbook's stylesheet shows the narrow one when the chart's own box is narrower
than 48rem (a container query, no script). Without that stylesheet (in JupyterLab) the wide one shows.
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
FONT_SIZE = 12
LINE_HEIGHT = 16

#: The narrow drawing: as wide as a phone's card, labels on up to two lines. It grows to at most
#: ``NARROW_MAX_SCALE`` times its size, so its 12-unit text is 11.5 to 15 px wherever it shows.
NARROW_WIDTH = 320
NARROW_VALUE_SPACE = 66
NARROW_LABEL_CHARS = 40
NARROW_LABEL_LINES = 2
NARROW_MAX_SCALE = 1.25

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


def wrap_label(text: str, chars: int, lines: int = 1) -> list[str]:
    """``text`` on at most ``lines`` lines of at most ``chars`` characters, broken at spaces; the rest cut with "…".

    >>> wrap_label("Medical coders (medical records specialists) (2024-2034)", 40, 2)
    ['Medical coders (medical records', 'specialists) (2024-2034)']
    >>> wrap_label("Health information managers", 12, 2)
    ['Health', 'information…']
    >>> wrap_label("x" * 10, 4)
    ['xxx…']
    """
    out: list[str] = []
    rest = text.strip()
    while rest and len(out) < lines:
        if len(rest) <= chars:
            out.append(rest)
            break
        if len(out) == lines - 1:
            out.append(rest[: chars - 1].rstrip() + "…")
            break
        cut = rest.rfind(" ", 0, chars + 1)
        cut = cut if cut > 0 else chars
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return out or [""]


def responsive_chart(wide: str, narrow: str) -> str:
    """Two drawings of one chart in a ``cp-chart-box``: the wide one shows, the narrow one is hidden.

    The workbook's stylesheet swaps them when the box is 48rem wide or less. The hidden drawing is
    ``display: none``, so a screen reader meets the chart once.

    >>> box = responsive_chart("<svg>W</svg>", "<svg>N</svg>")
    >>> box.startswith('<div class="cp-chart-box">') and 'cp-chart-narrow" style="display:none"><svg>N' in box
    True
    """
    return (
        '<div class="cp-chart-box">'
        f'<div class="cp-chart-wide">{wide}</div>'
        f'<div class="cp-chart-narrow" style="display:none">{narrow}</div>'
        "</div>"
    )


def _text(x: float, y: float, content: str, anchor: str = "start", weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{TEXT_FILL}" font-size="{FONT_SIZE}" font-family="{FONT}">{content}</text>'
    )


def bar_chart_html(labels: Sequence[str], values: Sequence[float], unit: str = "", title: str = "") -> str:
    """:func:`bar_chart_svg` in both drawings, wide and narrow, for :func:`responsive_chart`.

    >>> box = bar_chart_html(["Coders"], [7], "%", "Growth")
    >>> box.count("<svg") == 2 and box.count('role="img"') == 2
    True
    """
    return responsive_chart(
        bar_chart_svg(labels, values, unit, title), bar_chart_svg(labels, values, unit, title, narrow=True)
    )


def bar_chart_svg(
    labels: Sequence[str], values: Sequence[float], unit: str = "", title: str = "", *, narrow: bool = False
) -> str:
    """A horizontal bar chart as an ``<svg>`` string, one bar per label.

    Negative values are drawn to the left of the zero line and in a second colour. Labels and the
    title are escaped; the title is also the chart's accessible name (``<title>``), and a ``<desc>``
    lists every value for screen readers. ``narrow`` draws it for a phone: :data:`NARROW_WIDTH` units
    wide, labels and title on up to two lines.

    >>> svg = bar_chart_svg(["Coders", "<b>Transcriptionists</b>"], [7, -5], "%", "Growth")
    >>> svg.startswith("<svg") and "<title" in svg and 'role="img"' in svg
    True
    >>> "&lt;b&gt;Transcriptionists" in svg and "<b>" not in svg
    True
    >>> "−5%" in svg and "+7%" in svg
    True
    >>> "No figures to chart" in bar_chart_svg([], [], "$", "Pay")
    True
    >>> 'viewBox="0 0 320 ' in bar_chart_svg(["Coders"], [7], "%", "Growth", narrow=True)
    True
    """
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels but {len(values)} values; give one value per label")
    numbers = [float(v) for v in values]
    if any(not math.isfinite(v) for v in numbers):
        raise ValueError("every value must be a finite number")
    width = NARROW_WIDTH if narrow else WIDTH
    value_space = NARROW_VALUE_SPACE if narrow else VALUE_SPACE
    chars = NARROW_LABEL_CHARS if narrow else MAX_LABEL_CHARS
    lines = NARROW_LABEL_LINES if narrow else 1
    max_width = round(width * NARROW_MAX_SCALE) if narrow else width

    signed = any(v < 0 for v in numbers)
    shown = [format_value(v, unit, signed) for v in numbers]
    digest = hashlib.sha1(repr((title, list(labels), numbers, unit, narrow)).encode("utf-8")).hexdigest()[:10]
    title_id, desc_id = f"cp-chart-{digest}-title", f"cp-chart-{digest}-desc"
    description = (
        "; ".join(f"{label}: {text}" for label, text in zip(labels, shown, strict=True)) or "No figures to chart."
    )

    plot_left = PADDING + (value_space if signed else 0)
    plot_right = width - PADDING - value_space
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    span = (high - low) or 1.0
    scale = (plot_right - plot_left) / span
    zero_x = plot_left + (0.0 - low) * scale

    heading = wrap_label(title, chars, lines)
    body: list[str] = [
        _text(PADDING, 18 + n * LINE_HEIGHT, html.escape(line), weight="600") for n, line in enumerate(heading)
    ]
    top = TITLE_HEIGHT + (len(heading) - 1) * LINE_HEIGHT
    if not numbers:
        body.append(_text(PADDING, top + 16, "No figures to chart."))
        top += ROW_HEIGHT
    for label, value, text in zip(labels, numbers, shown, strict=True):
        name = str(label)
        label_lines = wrap_label(name, chars, lines)
        for n, line in enumerate(label_lines):
            body.append(_text(PADDING, top + 12 + n * LINE_HEIGHT, html.escape(line)))
        bar_top = top + LABEL_HEIGHT + (len(label_lines) - 1) * LINE_HEIGHT
        middle = bar_top + BAR_HEIGHT / 2 + 4
        end_x = zero_x + value * scale
        left, bar_width = min(zero_x, end_x), max(abs(end_x - zero_x), 1.0)
        fill = NEGATIVE_FILL if value < 0 else POSITIVE_FILL
        body.append(
            f'<line x1="{zero_x:.1f}" y1="{bar_top - 2:.1f}" x2="{zero_x:.1f}" y2="{bar_top + BAR_HEIGHT + 2:.1f}" '
            f'stroke="{AXIS_STROKE}" stroke-width="1"/>'
        )
        body.append(
            f'<rect x="{left:.1f}" y="{bar_top:.1f}" width="{bar_width:.1f}" height="{BAR_HEIGHT}" '
            f'rx="3" fill="{fill}"><title>{html.escape(f"{name}: {text}")}</title></rect>'
        )
        if value < 0:
            body.append(_text(left - 6, middle, html.escape(text), anchor="end"))
        else:
            body.append(_text(left + bar_width + 6, middle, html.escape(text)))
        top = bar_top + BAR_HEIGHT + ROW_GAP

    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="cp-chart" role="img" viewBox="0 0 {width} {top}" '
            f'width="100%" style="max-width:{max_width}px" aria-labelledby="{title_id} {desc_id}">',
            f'<title id="{title_id}">{html.escape(title)}</title>',
            f'<desc id="{desc_id}">{html.escape(description)}</desc>',
            *body,
            "</svg>",
        ]
    )
