"""The course planner: which courses, in which order, on which dates, and when the learner is exam-ready.

Three layers, as everywhere in coderpath:

* pure planning — :func:`courses_for` picks a program's courses for a credential (with every prerequisite),
  :func:`order_courses` puts them in prerequisite order, :func:`make_schedule` dates them, and
  :func:`schedule_to_csv`, :func:`schedule_to_ics` and :func:`timeline_svg` turn a :class:`Schedule` into files
  and a picture;
* the widget :class:`CoursePlanner`, whose inputs are traitlets saved in the progress store;
* the factory :func:`plan_courses`, which loads the data and returns the widget.

How dates are worked out. Study happens every day that is not inside a break, at ``hours_per_week / 7`` hours
a day, in exact fractions. The courses are laid end to end along that study time: a course covers the study days
from the one where the hours before it run out to the one where its own hours run out, so one course can end and
the next begin on the same day, and rounding never piles up. The exam-ready date is ``exam_prep_weeks × 7`` study
days after the finish date (breaks are skipped there too). This makes every result monotone: a later start,
fewer hours a week or more breaks can only move dates later.

The calendar file holds exactly one all-day event per scheduled block, and the blocks are the courses only.
Exam preparation is not a block: it has no planned hours, and making it one would break "the blocks add up to
the total hours". The exam-ready date is therefore written in the calendar's ``X-WR-CALDESC`` and in the
description of the last course's event, which is where calendar apps that ignore ``X-WR-CALDESC`` still show it.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from heapq import heapify, heappop, heappush
from pathlib import Path
from typing import Any

import icalendar
import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.trait_types import Date

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset
from coderpath_widgets.content.models import Course
from coderpath_widgets.content.validation import find_cycle
from coderpath_widgets.features.progress_notice import store_notice_widget
from coderpath_widgets.progress.store import ProgressStore, get_store
from coderpath_widgets.progress.vocabulary import PLAN_KEY, PLAN_NAMESPACE, SCHEDULE_KEY, TARGET_KEY, TARGET_NAMESPACE

MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 1, 60
MAX_EXAM_PREP_WEEKS = 52
DEFAULT_HOURS_PER_WEEK = 10.0
DEFAULT_EXAM_PREP_WEEKS = 4
PRODID = "-//coderpath//course plan//EN"
CSV_NAME, ICS_NAME = "course-plan.csv", "course-plan.ics"
CSV_COLUMNS = ("order", "course_id", "course", "start", "end", "hours", "planning_basis")
#: The CSV download and file carry a byte-order mark so spreadsheet programs read them as UTF-8.
CSV_ENCODING = "utf-8-sig"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ONE_DAY = timedelta(days=1)


class PlanError(ValueError):
    """A plan cannot be made; the message says why in plain words and what to change."""


# ---------------------------------------------------------------- which courses, in which order


def courses_for(program_id: str, credential_id: str | None, dataset: Dataset) -> list[Course]:
    """The courses of a program type needed for a credential, plus all their prerequisites, in CSV order.

    A course belongs to the program types listed in its ``programs``; an empty ``credentials`` means it is
    needed for every credential. ``credential_id`` None or "" takes every course of the program type.
    """
    programs = {p.id for p in dataset.programs}
    if program_id not in programs:
        raise PlanError(f"'{program_id}' is not a program type in programs.csv.")
    if credential_id and credential_id not in {c.id for c in dataset.certifications}:
        raise PlanError(f"'{credential_id}' is not a credential in certifications.csv.")
    by_id = {c.id: c for c in dataset.courses}
    wanted = {
        c.id
        for c in dataset.courses
        if program_id in c.programs and (not credential_id or not c.credentials or credential_id in c.credentials)
    }
    todo = list(wanted)
    while todo:
        course = by_id[todo.pop()]
        for prerequisite in course.prerequisites:
            if prerequisite not in by_id:
                raise PlanError(
                    f"'{course.name}' lists the prerequisite '{prerequisite}', which is not a course in courses.csv."
                )
            if prerequisite not in wanted:
                wanted.add(prerequisite)
                todo.append(prerequisite)
    return [c for c in dataset.courses if c.id in wanted]


def order_courses(courses: Sequence[Course]) -> list[Course]:
    """The courses in prerequisite order (Kahn's algorithm); ties keep the given (CSV) order.

    Prerequisites that are not among ``courses`` count as already done. A cycle raises :class:`PlanError`
    naming it, e.g. "Medical Coding I → ICD-10-CM → Medical Coding I".
    """
    position: dict[str, int] = {}
    for index, course in enumerate(courses):
        if course.id in position:
            raise PlanError(f"The course '{course.id}' is listed twice; each course can be planned once.")
        position[course.id] = index
    waiting = {c.id: {p for p in c.prerequisites if p in position} for c in courses}
    unlocks: dict[str, list[str]] = {c.id: [] for c in courses}
    for course_id, prerequisites in waiting.items():
        for prerequisite in prerequisites:
            unlocks[prerequisite].append(course_id)
    ready = [position[c.id] for c in courses if not waiting[c.id]]
    heapify(ready)
    ordered: list[Course] = []
    while ready:
        course = courses[heappop(ready)]
        ordered.append(course)
        for follower in unlocks[course.id]:
            waiting[follower].discard(course.id)
            if not waiting[follower]:
                heappush(ready, position[follower])
    if len(ordered) < len(courses):
        stuck = {c.id: tuple(sorted(waiting[c.id])) for c in courses if waiting[c.id]}
        loop = (find_cycle(stuck) or [*sorted(stuck), min(stuck)])[:-1]
        first = min(range(len(loop)), key=lambda n: position[loop[n]])  # start where the CSV lists it first
        loop = loop[first:] + loop[:first]
        names = {c.id: c.name for c in courses}
        path = " → ".join(names[i] for i in [*loop, loop[0]])
        raise PlanError(
            f"These courses are each other's prerequisites, so no order can work: {path} "
            "(each one needs the next). Fix the prerequisites column of courses.csv."
        )
    return ordered


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class Block:
    """One course on the calendar: studied from ``start`` to ``end`` (both included)."""

    course_id: str
    name: str
    start: date
    end: date
    hours: float
    planning_basis: str = ""


@dataclass(frozen=True)
class Schedule:
    """A dated plan: the course blocks in order, their total hours, the finish and exam-ready dates."""

    blocks: tuple[Block, ...]
    start: date
    hours_per_week: float
    breaks: tuple[tuple[date, date], ...]
    exam_prep_weeks: int
    total_hours: float
    finish: date
    exam_ready: date

    @property
    def weeks(self) -> float:
        """Calendar weeks from the start to the finish of coursework (breaks included)."""
        return ((self.finish - self.start).days + 1) / 7


def check_inputs(
    hours_per_week: Any, start: Any, breaks: Iterable[Any] = (), exam_prep_weeks: Any = DEFAULT_EXAM_PREP_WEEKS
) -> tuple[float, date, tuple[tuple[date, date], ...], int]:
    """The planner inputs checked and normalised, or :class:`PlanError` with a plain-English reason.

    >>> check_inputs(10, date(2026, 1, 5), [(date(2026, 3, 2), date(2026, 3, 8))], 4)[2]
    ((datetime.date(2026, 3, 2), datetime.date(2026, 3, 8)),)
    >>> check_inputs(0, date(2026, 1, 5))
    Traceback (most recent call last):
    ...
    coderpath_widgets.features.planner.PlanError: Hours per week must be between 1 and 60; you entered 0.
    """
    if start is None:
        raise PlanError("Choose a start date: the day you plan to begin the first course.")
    if isinstance(start, datetime) or not isinstance(start, date):
        raise PlanError(f"The start date must be a calendar date; got {start!r}.")
    if isinstance(hours_per_week, bool) or not isinstance(hours_per_week, int | float):
        raise PlanError(f"Hours per week must be a number between {MIN_HOURS_PER_WEEK} and {MAX_HOURS_PER_WEEK}.")
    if not MIN_HOURS_PER_WEEK <= hours_per_week <= MAX_HOURS_PER_WEEK:  # also rejects NaN
        raise PlanError(
            f"Hours per week must be between {MIN_HOURS_PER_WEEK} and {MAX_HOURS_PER_WEEK}; "
            f"you entered {_number(hours_per_week)}."
        )
    if isinstance(exam_prep_weeks, bool) or not isinstance(exam_prep_weeks, int) or not (
        0 <= exam_prep_weeks <= MAX_EXAM_PREP_WEEKS
    ):
        raise PlanError(f"Exam-preparation weeks must be a whole number from 0 to {MAX_EXAM_PREP_WEEKS}.")
    checked = []
    for number, pair in enumerate(breaks, start=1):
        first, last = check_break(pair, number)
        checked.append((first, last))
    return float(hours_per_week), start, tuple(sorted(checked)), exam_prep_weeks


def check_break(pair: Any, number: int = 1) -> tuple[date, date]:
    """One break as ``(first day, last day)``, or :class:`PlanError` saying what is wrong with it."""
    try:
        first, last = pair
    except (TypeError, ValueError):
        raise PlanError(f"Break {number} needs a first day and a last day.") from None
    if first is None or last is None:
        raise PlanError(f"Break {number} needs both a first day and a last day.")
    if not all(isinstance(d, date) and not isinstance(d, datetime) for d in (first, last)):
        raise PlanError(f"Break {number} must be two calendar dates.")
    if last < first:
        raise PlanError(
            f"Break {number} ends ({last.isoformat()}) before it starts ({first.isoformat()}); swap the two dates."
        )
    return first, last


def merge_breaks(breaks: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Breaks sorted, with overlapping or touching ones joined.

    >>> merge_breaks([(date(2026, 1, 5), date(2026, 1, 9)), (date(2026, 1, 10), date(2026, 1, 12))])
    [(datetime.date(2026, 1, 5), datetime.date(2026, 1, 12))]
    """
    merged: list[tuple[date, date]] = []
    for first, last in sorted(breaks):
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def nth_study_day(start: date, n: int, breaks: Sequence[tuple[date, date]]) -> date:
    """The ``n``-th day (1-based) on or after ``start`` that is not inside a (merged, sorted) break.

    >>> nth_study_day(date(2026, 1, 1), 3, [(date(2026, 1, 2), date(2026, 1, 4))])
    datetime.date(2026, 1, 6)
    """
    day, remaining = start, n
    for first, last in breaks:
        if last < day:
            continue
        if first > day:
            gap = (first - day).days
            if remaining <= gap:
                return day + timedelta(days=remaining - 1)
            remaining -= gap
        day = last + ONE_DAY
    return day + timedelta(days=remaining - 1)


def make_schedule(
    courses: Sequence[Course],
    hours_per_week: float,
    start: date,
    breaks: Iterable[tuple[date, date]] = (),
    exam_prep_weeks: int = DEFAULT_EXAM_PREP_WEEKS,
) -> Schedule:
    """Date already-ordered courses one after another at ``hours_per_week``, with no study during breaks.

    Breaks are inclusive date ranges. The exam-ready date comes ``exam_prep_weeks`` of study weeks after the
    finish date, also skipping breaks.
    """
    hours_per_week, start, breaks, exam_prep_weeks = check_inputs(hours_per_week, start, breaks, exam_prep_weeks)
    if not courses:
        raise PlanError("There are no courses to plan for this choice.")
    merged = merge_breaks(breaks)
    per_day = Fraction(hours_per_week) / 7
    blocks = []
    done = Fraction(0)
    try:
        for course in courses:
            first_day = math.floor(done / per_day) + 1
            done += Fraction(course.planning_hours)
            last_day = max(first_day, math.ceil(done / per_day))
            blocks.append(
                Block(
                    course.id,
                    course.name,
                    nth_study_day(start, first_day, merged),
                    nth_study_day(start, last_day, merged),
                    course.planning_hours,
                    course.planning_basis,
                )
            )
        finish = blocks[-1].end
        exam_ready = nth_study_day(finish + ONE_DAY, 7 * exam_prep_weeks, merged) if exam_prep_weeks else finish
    except OverflowError:
        raise PlanError("This plan would run past the year 9999; plan more hours per week.") from None
    return Schedule(
        blocks=tuple(blocks),
        start=start,
        hours_per_week=hours_per_week,
        breaks=breaks,
        exam_prep_weeks=exam_prep_weeks,
        total_hours=sum(b.hours for b in blocks),
        finish=finish,
        exam_ready=exam_ready,
    )


def schedule_summary(schedule: Schedule, program_id: str, credential_id: str | None) -> dict[str, Any]:
    """The JSON summary the dashboard reads from the store (namespace "plan", key "schedule")."""
    return {
        "program": program_id,
        "credential": credential_id or None,
        "start": schedule.start.isoformat(),
        "finish": schedule.finish.isoformat(),
        "exam_ready": schedule.exam_ready.isoformat(),
        "total_hours": schedule.total_hours,
        "hours_per_week": schedule.hours_per_week,
        "exam_prep_weeks": schedule.exam_prep_weeks,
        "breaks": [[a.isoformat(), b.isoformat()] for a, b in schedule.breaks],
        "blocks": [
            {
                "course_id": b.course_id,
                "name": b.name,
                "start": b.start.isoformat(),
                "end": b.end.isoformat(),
                "hours": b.hours,
            }
            for b in schedule.blocks
        ],
    }


# ---------------------------------------------------------------- files


def _number(value: float) -> str:
    """A figure without a useless ".0".

    >>> _number(40.0), _number(7.5)
    ('40', '7.5')
    """
    return f"{value:g}" if float(value).is_integer() else f"{value:.4g}"


def friendly_date(day: date) -> str:
    """A date as US readers write it, independent of the machine's locale.

    >>> friendly_date(date(2026, 9, 3))
    'Sep 3, 2026'
    """
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _cell(text: str) -> str:
    """A CSV text cell that a spreadsheet will not run as a formula (leading = + - @ get an apostrophe)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def schedule_to_csv(schedule: Schedule) -> str:
    """The blocks as CSV text: one row per course with ISO dates and hours (RFC 4180 line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for number, block in enumerate(schedule.blocks, start=1):
        writer.writerow(
            [
                number,
                _cell(block.course_id),
                _cell(block.name),
                block.start.isoformat(),
                block.end.isoformat(),
                _number(block.hours),
                _cell(block.planning_basis),
            ]
        )
    return out.getvalue()


def _uid(course_id: str) -> str:
    """A stable UID per course, so importing a revised plan can update events instead of duplicating them."""
    return f"{hashlib.sha256(course_id.encode('utf-8')).hexdigest()[:20]}@course-plan.coderpath"


def _exam_sentence(schedule: Schedule) -> str:
    if not schedule.exam_prep_weeks:
        return f"Coursework finishes on {schedule.finish.isoformat()}; no exam-preparation weeks were planned."
    return (
        f"Coursework finishes on {schedule.finish.isoformat()}. After {schedule.exam_prep_weeks} weeks of exam "
        f"preparation you should be exam-ready on {schedule.exam_ready.isoformat()}."
    )


def schedule_to_ics(schedule: Schedule, stamp: datetime | None = None) -> bytes:
    """An iCalendar file (RFC 5545): one all-day VEVENT per block, DTEND exclusive.

    The exam-ready date is in the calendar's X-WR-CALDESC and in the last event's DESCRIPTION, not an event of
    its own (see the module docstring). ``stamp`` fixes DTSTAMP (default: now, UTC).
    """
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Course plan (coderpath)")
    calendar.add(
        "x-wr-caldesc",
        f"Course plan from {schedule.start.isoformat()}: {len(schedule.blocks)} courses, "
        f"{_number(schedule.total_hours)} hours at {_number(schedule.hours_per_week)} hours a week. "
        f"{_exam_sentence(schedule)} Hours are coderpath planning estimates.",
    )
    count = len(schedule.blocks)
    for number, block in enumerate(schedule.blocks, start=1):
        description = (
            f"Course {number} of {count} in your coderpath course plan: about {_number(block.hours)} hours of study "
            f"at {_number(schedule.hours_per_week)} hours a week. Planning estimate: {block.planning_basis}"
        )
        if number == count:
            description += "\n" + _exam_sentence(schedule)
        event = icalendar.Event()
        event.add("uid", _uid(block.course_id))
        event.add("dtstamp", stamp)
        event.add("dtstart", block.start)
        event.add("dtend", block.end + ONE_DAY)
        event.add("summary", block.name)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


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
        f"{len(schedule.blocks)} courses from {friendly_date(schedule.start)} to {friendly_date(schedule.finish)}, "
        f"{_number(schedule.total_hours)} hours; exam-ready {friendly_date(schedule.exam_ready)}."
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
            f"<title>Break: {ui.esc(friendly_date(a))} to {ui.esc(friendly_date(b))}</title></rect>"
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
            f"{block.name}: {friendly_date(block.start)} to {friendly_date(block.end)}, "
            f"{_number(block.hours)} hours"
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
        tip = f"Exam preparation: exam-ready on {friendly_date(schedule.exam_ready)}"
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
        [str(n), b.name, friendly_date(b.start), friendly_date(b.end), _number(b.hours)]
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
        f"<b>{len(schedule.blocks)} courses, {ui.esc(_number(schedule.total_hours))} hours</b> "
        f"at {ui.esc(_number(schedule.hours_per_week))} hours a week.<br>"
        f"Coursework: {ui.esc(friendly_date(schedule.start))} to <b>{ui.esc(friendly_date(schedule.finish))}</b> "
        f"(about {ui.esc(_number(round(schedule.weeks)))} weeks).<br>"
        f"Exam-ready: <b>{ui.esc(friendly_date(schedule.exam_ready))}</b> ({ui.esc(prep)})."
        "</div>"
    )


def planning_basis_html(schedule: Schedule) -> str:
    """The note that per-course hours are coderpath planning estimates, with how each was estimated."""
    groups: dict[str, list[str]] = {}
    for block in schedule.blocks:
        groups.setdefault(block.planning_basis, []).append(block.name)
    items = "".join(f"<li><b>{ui.esc(', '.join(names))}</b>: {ui.esc(basis)}</li>" for basis, names in groups.items())
    return (
        '<div class="cp-notice">The hours per course are <b>coderpath planning estimates</b>, not figures from a '
        "school or a credentialing body; your program's own schedule wins. How they were estimated:"
        f"<ul style='margin:4px 0'>{items}</ul></div>"
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


# ---------------------------------------------------------------- widget

_INPUT_TRAITS = ("program", "credential", "hours_per_week", "start", "breaks", "exam_prep_weeks")


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _parse_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class CoursePlanner(widgets.VBox):
    """Pick a program type, a credential, hours a week, a start date and breaks; see the dated plan.

    The inputs are saved in the store (namespace "plan", key "inputs") on every change and restored on
    construction; the schedule summary for the dashboard is saved under key "schedule".
    """

    program = traitlets.Unicode("")
    credential = traitlets.Unicode("")
    hours_per_week = traitlets.Float(DEFAULT_HOURS_PER_WEEK)
    start = Date(None, allow_none=True)
    breaks = traitlets.List()
    exam_prep_weeks = traitlets.Int(DEFAULT_EXAM_PREP_WEEKS)
    schedule = traitlets.Dict(read_only=True)
    error = traitlets.Unicode("", read_only=True)

    def __init__(self, dataset: Dataset, store: ProgressStore, today: date | None = None):
        self._dataset = dataset
        self._store = store
        self._ready = False
        self._syncing = False
        self._result: Schedule | None = None
        self._program_names = {p.id: p.name for p in dataset.programs}
        self._credential_ids = {c.id for c in dataset.certifications}
        wide = {"description_width": "initial"}
        self.program_picker = widgets.Dropdown(
            options=[(p.name, p.id) for p in dataset.programs],
            description="Program type",
            style=wide,
            layout=widgets.Layout(width="470px"),
        )
        self.credential_picker = widgets.Dropdown(
            options=[("Any credential (every course of the program)", "")]
            + [(f"{c.credential} ({c.issuing_body.value}) — {c.full_name}", c.id) for c in dataset.certifications],
            description="Target credential",
            style=wide,
            layout=widgets.Layout(width="470px"),
        )
        self.hours_input = widgets.BoundedFloatText(
            value=DEFAULT_HOURS_PER_WEEK, min=MIN_HOURS_PER_WEEK, max=MAX_HOURS_PER_WEEK, step=0.5,
            description="Study hours a week", style=wide, layout=widgets.Layout(width="220px"),
        )
        self.start_picker = widgets.DatePicker(description="Start date", style=wide)
        self.prep_input = widgets.BoundedIntText(
            value=DEFAULT_EXAM_PREP_WEEKS, min=0, max=MAX_EXAM_PREP_WEEKS, description="Exam-prep weeks",
            style=wide, layout=widgets.Layout(width="200px"),
        )
        self.break_from = widgets.DatePicker(description="Break from", style=wide)
        self.break_to = widgets.DatePicker(description="to", style=wide)
        self.add_break_button = widgets.Button(description="Add break", icon="plus", tooltip="No study on these days")
        self.remove_break_buttons: list[widgets.Button] = []
        self.breaks_list = widgets.VBox()
        self.error_box = widgets.HTML()
        self.summary_box = widgets.HTML()
        self.table_box = widgets.HTML()
        self.timeline_box = widgets.HTML()
        self.basis_box = widgets.HTML()
        self.downloads_box = widgets.HTML()

        for control, name in (
            (self.program_picker, "program"),
            (self.credential_picker, "credential"),
            (self.hours_input, "hours_per_week"),
            (self.start_picker, "start"),
            (self.prep_input, "exam_prep_weeks"),
        ):
            control.observe(self._control_to_trait(name), names="value")
        self.add_break_button.on_click(self._add_break)

        super().__init__(
            [
                ui.header("Plan your courses", "Choose your program and pace; see when you finish and can sit the exam."),
                store_notice_widget(),
                self.program_picker,
                self.credential_picker,
                widgets.HBox([self.hours_input, self.start_picker, self.prep_input]),
                widgets.HTML("<div class='cp-small'>Breaks: no study on these days (first and last day included).</div>"),
                widgets.HBox([self.break_from, self.break_to, self.add_break_button]),
                self.breaks_list,
                self.error_box,
                self.summary_box,
                self.table_box,
                self.timeline_box,
                self.basis_box,
                self.downloads_box,
            ],
            layout=widgets.Layout(max_width="980px"),
        )
        saved = store.get(PLAN_NAMESPACE, PLAN_KEY)
        for name, value in self._initial_inputs(saved if isinstance(saved, dict) else {}, today).items():
            setattr(self, name, value)
            self._sync_control(name)
        self._render_breaks()
        self._ready = True
        self._recompute(save_schedule=isinstance(saved, dict))

    # ------------------------------------------------------------ public

    @property
    def result(self) -> Schedule | None:
        """The :class:`Schedule` behind :attr:`schedule`, or None while the inputs have a problem."""
        return self._result

    def save_files(self, folder: str | Path) -> tuple[Path, Path]:
        """Write ``course-plan.csv`` and ``course-plan.ics`` into ``folder`` (created if needed)."""
        if self._result is None:
            raise PlanError(self.error or "There is no plan to save yet.")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, ics_path = folder / CSV_NAME, folder / ICS_NAME
        csv_path.write_bytes(schedule_to_csv(self._result).encode(CSV_ENCODING))
        ics_path.write_bytes(schedule_to_ics(self._result))
        return csv_path, ics_path

    # ------------------------------------------------------------ inputs

    def _initial_inputs(self, saved: dict[str, Any], today: date | None) -> dict[str, Any]:
        programs = list(self._program_names)
        program = saved.get("program") if saved.get("program") in self._program_names else None
        program = program or (programs[0] if programs else "")
        credential = saved.get("credential")
        if not (credential == "" or credential in self._credential_ids):
            target = self._store.get(TARGET_NAMESPACE, TARGET_KEY)
            credential = target if target in self._credential_ids else ""
        hours = saved.get("hours_per_week")
        if isinstance(hours, bool) or not isinstance(hours, int | float):
            hours = DEFAULT_HOURS_PER_WEEK
        weeks = saved.get("exam_prep_weeks")
        if isinstance(weeks, bool) or not isinstance(weeks, int):
            weeks = DEFAULT_EXAM_PREP_WEEKS
        breaks = []
        for pair in saved.get("breaks") or []:
            if isinstance(pair, list | tuple) and len(pair) == 2:
                first, last = _parse_day(pair[0]), _parse_day(pair[1])
                if first and last:
                    breaks.append((first, last))
        start = _parse_day(saved.get("start")) if "start" in saved else (today or date.today())
        return {
            "program": program,
            "credential": credential,
            "hours_per_week": float(hours),
            "start": start,
            "breaks": breaks,
            "exam_prep_weeks": weeks,
        }

    def _inputs_json(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "credential": self.credential,
            "hours_per_week": self.hours_per_week,
            "start": self.start.isoformat() if self.start else None,
            "breaks": [[_iso(d) for d in pair] for pair in self.breaks],
            "exam_prep_weeks": self.exam_prep_weeks,
        }

    def _controls(self) -> dict[str, widgets.ValueWidget]:
        return {
            "program": self.program_picker,
            "credential": self.credential_picker,
            "hours_per_week": self.hours_input,
            "start": self.start_picker,
            "exam_prep_weeks": self.prep_input,
        }

    def _control_to_trait(self, name: str):
        def handler(change):
            if not self._syncing:
                setattr(self, name, change["new"])

        return handler

    def _sync_control(self, name: str) -> None:
        """Show a trait's value in its control, unless the control cannot hold it (then the error box explains)."""
        control = self._controls().get(name)
        value = getattr(self, name)
        if control is None or control.value == value:
            return
        if isinstance(control, widgets.Dropdown) and value not in {v for _, v in control.options}:
            return
        bounded = isinstance(control, widgets.BoundedFloatText | widgets.BoundedIntText)
        if bounded and not control.min <= value <= control.max:
            return
        self._syncing = True
        try:
            control.value = value
        finally:
            self._syncing = False

    @traitlets.observe(*_INPUT_TRAITS)
    def _on_input(self, change) -> None:
        if not self._ready:
            return
        self._sync_control(change["name"])
        if change["name"] == "breaks":
            self._render_breaks()
        self._store.set(PLAN_NAMESPACE, PLAN_KEY, self._inputs_json())
        self._recompute(save_schedule=True)

    def _add_break(self, _button=None) -> None:
        try:
            pair = check_break((self.break_from.value, self.break_to.value), len(self.breaks) + 1)
        except PlanError as exc:
            self._show_error(f"The break was not added: {exc}")
            return
        self.break_from.value = None
        self.break_to.value = None
        self.breaks = sorted([*self.breaks, pair], key=lambda p: [_iso(d) or "" for d in p])

    def _remove_break(self, index: int):
        def handler(_button=None):
            self.breaks = [b for i, b in enumerate(self.breaks) if i != index]

        return handler

    def _render_breaks(self) -> None:
        rows, buttons = [], []
        for index, pair in enumerate(self.breaks):
            try:
                first, last = check_break(pair, index + 1)
                label = f"{friendly_date(first)} to {friendly_date(last)} ({(last - first).days + 1} days)"
            except PlanError as exc:
                label = str(exc)
            button = widgets.Button(description="Remove", icon="trash", layout=widgets.Layout(width="100px"))
            button.on_click(self._remove_break(index))
            buttons.append(button)
            rows.append(widgets.HBox([widgets.HTML(f"<span class='cp-small'>Break: {ui.esc(label)}</span>"), button]))
        self.remove_break_buttons = buttons
        self.breaks_list.children = rows

    # ------------------------------------------------------------ results

    def _show_error(self, message: str) -> None:
        self.set_trait("error", message)
        self.error_box.value = ui.notice(message, "error") if message else ""

    def _recompute(self, save_schedule: bool) -> None:
        try:
            chosen = courses_for(self.program, self.credential, self._dataset)
            if not chosen:
                label = self._program_names.get(self.program, self.program)
                raise PlanError(
                    f"No course in courses.csv is listed for the program type '{label}'"
                    + (f" and the credential '{self.credential}'." if self.credential else ".")
                )
            result = make_schedule(
                order_courses(chosen), self.hours_per_week, self.start, self.breaks, self.exam_prep_weeks
            )
        except PlanError as exc:
            self._result = None
            self._show_error(str(exc))
            self.set_trait("schedule", {})
            for box in (self.summary_box, self.table_box, self.timeline_box, self.basis_box, self.downloads_box):
                box.value = ""
            if save_schedule:
                self._store.delete(PLAN_NAMESPACE, SCHEDULE_KEY)
            return
        self._result = result
        self._show_error("")
        summary = schedule_summary(result, self.program, self.credential)
        self.set_trait("schedule", summary)
        self.summary_box.value = summary_html(result)
        self.table_box.value = schedule_table_html(result)
        self.timeline_box.value = timeline_svg(result)
        self.basis_box.value = planning_basis_html(result)
        self.downloads_box.value = downloads_html(result)
        if save_schedule:
            self._store.set(PLAN_NAMESPACE, SCHEDULE_KEY, summary)


def plan_courses(directory: str | Path | None = None) -> CoursePlanner:
    """The course planner for the data in ``directory`` (default: the shipped data) and the current learner."""
    return CoursePlanner(load_dataset(directory), get_store())
