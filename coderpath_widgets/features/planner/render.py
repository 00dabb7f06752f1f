"""Pure HTML and SVG for the planner: the schedule table, the summary, the timeline and download links."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime

from coderpath_widgets import ui
from coderpath_widgets.features.planner.files import CSV_ENCODING, CSV_NAME, ICS_NAME, schedule_to_csv, schedule_to_ics
from coderpath_widgets.features.planner.schedule import ONE_DAY, Schedule, merge_breaks
from coderpath_widgets.ui.charts import NARROW_MAX_SCALE, NARROW_WIDTH, responsive_chart
from coderpath_widgets.ui.format import MONTHS

# ---------------------------------------------------------------- picture

#: The wide drawing: a column of course names, then the calendar (user units; 12-unit text). It is drawn
#: at most its own width, so its text is 11 px or more in any box of 48rem or more.
SVG_LABEL_WIDTH, SVG_CHART_WIDTH, SVG_RIGHT, SVG_ROW, SVG_TOP = 250, 540, 40, 24, 30
SVG_FONT_SIZE = 12
SVG_FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
SVG_TICK_SPACING = 76  # units a "Sep 2026" label needs
SVG_TICK_LABEL = 62  # units from a month's line to the end of its label
#: The narrow drawing, for a phone: each name on its own line above its bar, the calendar full width.
NARROW_PAD, NARROW_TOP, NARROW_ROW, NARROW_BAR, NARROW_NAME_CHARS = 8, 24, 36, 10, 42


BAR_COLOUR, PREP_COLOUR, BREAK_COLOUR, GRID_COLOUR = "#2680c2", "#f0b429", "#e4e7eb", "#cbd2d9"
NAME_COLOUR, TICK_COLOUR = "#1f2933", "#52606d"


def _clip(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _month_ticks(first: date, last: date, most: int = 12) -> list[date]:
    """First days of months between two dates, every 1, 2, 3, 6, 12… months so there are at most ``most``.

    >>> [d.isoformat() for d in _month_ticks(date(2026, 1, 15), date(2026, 4, 2))]
    ['2026-02-01', '2026-03-01', '2026-04-01']
    """
    low = first.year * 12 + first.month - 1
    high = last.year * 12 + last.month - 1
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120, 600, 1200, 12000) if (high - low + 1) / s <= most)
    index = -(-low // step) * step
    ticks = []
    while index <= high:
        tick = date(index // 12, index % 12 + 1, 1)
        if tick >= first:
            ticks.append(tick)
        index += step
    return ticks


def timeline_html(schedule: Schedule) -> str:
    """The plan's timeline in both drawings (:func:`timeline_svg`, wide and narrow); the stylesheet shows one."""
    return responsive_chart(timeline_svg(schedule), timeline_svg(schedule, narrow=True))


def timeline_svg(schedule: Schedule, *, narrow: bool = False) -> str:
    """A Gantt-style inline SVG of the plan: one bar per course, breaks shaded, exam preparation after.

    Plain SVG with a <title> and a <desc> (every course with its dates) for screen readers; no script, no
    external resources. The wide drawing puts the names in a column left of the bars; ``narrow`` puts
    each name on its own line above its bar, so the text stays legible on a phone.
    """
    first = schedule.start
    last = schedule.exam_ready + ONE_DAY
    span = max(1, (last - first).days)
    rows = len(schedule.blocks) + (1 if schedule.exam_prep_weeks else 0)
    if narrow:
        width = NARROW_WIDTH
        plot_left, plot_width = NARROW_PAD, NARROW_WIDTH - 2 * NARROW_PAD
        grid_top, axis_y, row_top = NARROW_TOP - 4, NARROW_TOP - 10, NARROW_TOP
        bottom = NARROW_TOP + rows * NARROW_ROW
        height, max_width = bottom + 4, round(NARROW_WIDTH * NARROW_MAX_SCALE)
    else:
        width = SVG_LABEL_WIDTH + SVG_CHART_WIDTH + SVG_RIGHT
        plot_left, plot_width = SVG_LABEL_WIDTH, SVG_CHART_WIDTH
        grid_top, axis_y, row_top = SVG_TOP - 8, SVG_TOP - 12, SVG_TOP
        bottom = SVG_TOP + rows * SVG_ROW
        height, max_width = bottom + 10, width

    def x(day: date) -> float:
        return plot_left + plot_width * (min(max(day, first), last) - first).days / span

    def row(top: float, name: str, left: float, right: float, colour: str, tip: str) -> str:
        if narrow:
            short = ui.esc(_clip(name, NARROW_NAME_CHARS))
            label = (  # a white halo keeps the name clear of the month lines it crosses
                f'<text x="{NARROW_PAD}" y="{top + 12}" fill="{NAME_COLOUR}" stroke="#ffffff" stroke-width="3" '
                f'stroke-linejoin="round" paint-order="stroke">{short}</text>'
            )
            bar_top, bar_height = top + 17, NARROW_BAR
        else:
            label = (
                f'<text x="{SVG_LABEL_WIDTH - 8}" y="{top + 16}" text-anchor="end" fill="{NAME_COLOUR}">'
                f"{ui.esc(_clip(name))}</text>"
            )
            bar_top, bar_height = top + 4, SVG_ROW - 8
        return (
            f'{label}<rect x="{left:.1f}" y="{bar_top}" width="{max(right - left, 2):.1f}" height="{bar_height}" '
            f'rx="3" fill="{colour}"><title>{ui.esc(tip)}</title></rect>'
        )

    fingerprint = hashlib.sha256(
        repr((schedule.start, schedule.blocks, schedule.breaks, schedule.exam_ready, narrow)).encode("utf-8")
    ).hexdigest()[:10]
    title_id, desc_id = f"cp-plan-title-{fingerprint}", f"cp-plan-desc-{fingerprint}"
    courses = "; ".join(f"{b.name}, {ui.format_date(b.start)} to {ui.format_date(b.end)}" for b in schedule.blocks)
    summary = (
        f"{len(schedule.blocks)} courses from {ui.format_date(schedule.start)} to {ui.format_date(schedule.finish)}, "
        f"{ui.format_number(schedule.total_hours)} hours; exam-ready {ui.format_date(schedule.exam_ready)}. "
        f"{courses}."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cp-chart" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{max_width}px" '
        f'font-family="{SVG_FONT}" font-size="{SVG_FONT_SIZE}">',
        f'<title id="{title_id}">Course plan timeline</title>',
        f'<desc id="{desc_id}">{ui.esc(summary)}</desc>',
    ]
    for a, b in merge_breaks(schedule.breaks):
        if b < first or a >= last:
            continue
        left, right = x(a), x(b + ONE_DAY)
        parts.append(
            f'<rect x="{left:.1f}" y="{grid_top + 4}" width="{max(right - left, 1):.1f}" '
            f'height="{bottom - grid_top - 4}" fill="{BREAK_COLOUR}">'
            f"<title>Break: {ui.esc(ui.format_date(a))} to {ui.esc(ui.format_date(b))}</title></rect>"
        )
    for tick in _month_ticks(first, last, most=plot_width // SVG_TICK_SPACING):
        left = x(tick)
        if left + SVG_TICK_LABEL > width:
            continue  # its label would be cut off at the right edge
        label = f"{MONTHS[tick.month - 1]} {tick.year}"
        parts.append(
            f'<line x1="{left:.1f}" y1="{grid_top}" x2="{left:.1f}" y2="{bottom}" stroke="{GRID_COLOUR}" '
            'stroke-width="1"/>'
            f'<text x="{left + 3:.1f}" y="{axis_y}" fill="{TICK_COLOUR}">{ui.esc(label)}</text>'
        )
    step = NARROW_ROW if narrow else SVG_ROW
    for n, block in enumerate(schedule.blocks):
        tip = (
            f"{block.name}: {ui.format_date(block.start)} to {ui.format_date(block.end)}, "
            f"{ui.format_number(block.hours)} hours"
        )
        parts.append(row(row_top + n * step, block.name, x(block.start), x(block.end + ONE_DAY), BAR_COLOUR, tip))
    if schedule.exam_prep_weeks:
        tip = f"Exam preparation: exam-ready on {ui.format_date(schedule.exam_ready)}"
        left, right = x(schedule.finish + ONE_DAY), x(schedule.exam_ready + ONE_DAY)
        parts.append(row(row_top + len(schedule.blocks) * step, "Exam preparation", left, right, PREP_COLOUR, tip))
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- HTML fragments


def schedule_table_html(schedule: Schedule) -> str:
    """The dated schedule as an escaped HTML table."""
    rows = [
        [str(n), b.name, ui.format_date(b.start), ui.format_date(b.end), ui.format_number(b.hours)]
        for n, b in enumerate(schedule.blocks, start=1)
    ]
    return ui.table(["#", "Course", "Start", "End", "Hours"], rows)


def summary_html(schedule: Schedule) -> str:
    """Total hours, finish date and exam-ready date, in a card."""
    prep = (
        f"after {schedule.exam_prep_weeks} weeks of exam preparation"
        if schedule.exam_prep_weeks
        else "no exam-preparation weeks planned"
    )
    return (
        '<div class="cp-card">'
        f"<b>{len(schedule.blocks)} courses, {ui.esc(ui.format_number(schedule.total_hours))} hours</b> "
        f"at {ui.esc(ui.format_number(schedule.hours_per_week))} hours a week.<br>"
        f"Coursework: {ui.esc(ui.format_date(schedule.start))} to <b>{ui.esc(ui.format_date(schedule.finish))}</b> "
        f"(about {ui.esc(ui.format_number(round(schedule.weeks)))} weeks).<br>"
        f"Exam-ready: <b>{ui.esc(ui.format_date(schedule.exam_ready))}</b> ({ui.esc(prep)})."
        "</div>"
    )


def planning_basis_html(schedule: Schedule) -> str:
    """The note that per-course hours are estimates to plan with, with how each was estimated."""
    groups: dict[str, list[str]] = {}
    for block in schedule.blocks:
        groups.setdefault(block.planning_basis, []).append(block.name)
    items = "".join(f"<li><b>{ui.esc(', '.join(names))}</b>: {ui.esc(basis)}</li>" for basis, names in groups.items())
    return (
        '<details class="cp-info"><summary>The hours per course are <b>estimates to plan with</b>, not figures from a '
        "school or a credentialing body; your program's own schedule wins.</summary> How they were estimated:"
        f"<ul style='margin:4px 0'>{items}</ul></details>"
    )


def downloads_html(schedule: Schedule, stamp: datetime | None = None) -> str:
    """Download links for the CSV and the calendar file as data: URIs (local; they work offline and in Voilà)."""
    csv_data = base64.b64encode(schedule_to_csv(schedule).encode(CSV_ENCODING)).decode("ascii")
    ics_data = base64.b64encode(schedule_to_ics(schedule, stamp)).decode("ascii")
    return (
        '<div class="cp-small">'
        f'<a download="{CSV_NAME}" href="data:text/csv;charset=utf-8;base64,{csv_data}">'
        "Download the plan as a spreadsheet (CSV)</a> · "
        f'<a download="{ICS_NAME}" href="data:text/calendar;charset=utf-8;base64,{ics_data}">'
        "Download it for your calendar (.ics: Google Calendar, Outlook, Apple Calendar)</a>"
        "</div>"
    )
