"""Pure HTML and SVG for the planner: the schedule table, the summary, the timeline and download links."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime

from coderpath_widgets import ui
from coderpath_widgets.features.planner.files import CSV_ENCODING, CSV_NAME, ICS_NAME, schedule_to_csv, schedule_to_ics
from coderpath_widgets.features.planner.schedule import ONE_DAY, Schedule, merge_breaks
from coderpath_widgets.ui.format import MONTHS

# ---------------------------------------------------------------- picture

SVG_LABEL_WIDTH, SVG_CHART_WIDTH, SVG_ROW, SVG_TOP = 230, 620, 22, 30


SVG_TICK_SPACING = 70  # pixels a "Sep 2026" label needs


BAR_COLOUR, PREP_COLOUR, BREAK_COLOUR, GRID_COLOUR = "#2680c2", "#f0b429", "#e4e7eb", "#cbd2d9"


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


def timeline_svg(schedule: Schedule) -> str:
    """A Gantt-style inline SVG of the plan: one bar per course, breaks shaded, exam preparation after.

    Plain SVG with a <title> and <desc> for screen readers; no script, no external resources.
    """
    first = schedule.start
    last = schedule.exam_ready + ONE_DAY
    span = max(1, (last - first).days)

    def x(day: date) -> float:
        return SVG_LABEL_WIDTH + SVG_CHART_WIDTH * (min(max(day, first), last) - first).days / span

    rows = len(schedule.blocks) + (1 if schedule.exam_prep_weeks else 0)
    height = SVG_TOP + rows * SVG_ROW + 10
    width = SVG_LABEL_WIDTH + SVG_CHART_WIDTH + 60  # room for the last month label
    fingerprint = hashlib.sha256(
        repr((schedule.start, schedule.blocks, schedule.breaks, schedule.exam_ready)).encode("utf-8")
    ).hexdigest()[:10]
    title_id, desc_id = f"cp-plan-title-{fingerprint}", f"cp-plan-desc-{fingerprint}"
    summary = (
        f"{len(schedule.blocks)} courses from {ui.format_date(schedule.start)} to {ui.format_date(schedule.finish)}, "
        f"{ui.format_number(schedule.total_hours)} hours; exam-ready {ui.format_date(schedule.exam_ready)}."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="11">',
        f'<title id="{title_id}">Course plan timeline</title>',
        f'<desc id="{desc_id}">{ui.esc(summary)}</desc>',
    ]
    bottom = SVG_TOP + rows * SVG_ROW
    for a, b in merge_breaks(schedule.breaks):
        if b < first or a >= last:
            continue
        left, right = x(a), x(b + ONE_DAY)
        parts.append(
            f'<rect x="{left:.1f}" y="{SVG_TOP - 4}" width="{max(right - left, 1):.1f}" '
            f'height="{bottom - SVG_TOP + 4}" fill="{BREAK_COLOUR}">'
            f"<title>Break: {ui.esc(ui.format_date(a))} to {ui.esc(ui.format_date(b))}</title></rect>"
        )
    for tick in _month_ticks(first, last, most=SVG_CHART_WIDTH // SVG_TICK_SPACING):
        left = x(tick)
        label = f"{MONTHS[tick.month - 1]} {tick.year}"
        parts.append(
            f'<line x1="{left:.1f}" y1="{SVG_TOP - 8}" x2="{left:.1f}" y2="{bottom}" stroke="{GRID_COLOUR}" '
            'stroke-width="1"/>'
            f'<text x="{left + 3:.1f}" y="{SVG_TOP - 12}" fill="#52606d">{ui.esc(label)}</text>'
        )
    for row, block in enumerate(schedule.blocks):
        top = SVG_TOP + row * SVG_ROW
        left, right = x(block.start), x(block.end + ONE_DAY)
        tip = (
            f"{block.name}: {ui.format_date(block.start)} to {ui.format_date(block.end)}, "
            f"{ui.format_number(block.hours)} hours"
        )
        parts.append(
            f'<text x="{SVG_LABEL_WIDTH - 8}" y="{top + 15}" text-anchor="end" fill="#1f2933">'
            f"{ui.esc(_clip(block.name))}</text>"
            f'<rect x="{left:.1f}" y="{top + 4}" width="{max(right - left, 2):.1f}" height="{SVG_ROW - 8}" '
            f'rx="3" fill="{BAR_COLOUR}"><title>{ui.esc(tip)}</title></rect>'
        )
    if schedule.exam_prep_weeks:
        top = SVG_TOP + len(schedule.blocks) * SVG_ROW
        left, right = x(schedule.finish + ONE_DAY), x(schedule.exam_ready + ONE_DAY)
        tip = f"Exam preparation: exam-ready on {ui.format_date(schedule.exam_ready)}"
        parts.append(
            f'<text x="{SVG_LABEL_WIDTH - 8}" y="{top + 15}" text-anchor="end" fill="#1f2933">Exam preparation</text>'
            f'<rect x="{left:.1f}" y="{top + 4}" width="{max(right - left, 2):.1f}" height="{SVG_ROW - 8}" '
            f'rx="3" fill="{PREP_COLOUR}"><title>{ui.esc(tip)}</title></rect>'
        )
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
