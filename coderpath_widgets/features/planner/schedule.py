"""Dates: the inputs checked, breaks merged, courses laid along study days; ``Schedule`` and ``Block``."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from coderpath_widgets.content.models import Course
from coderpath_widgets.features.planner.courses import PlanError

MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 1, 60


MAX_EXAM_PREP_WEEKS = 52


DEFAULT_HOURS_PER_WEEK = 10.0


DEFAULT_EXAM_PREP_WEEKS = 4


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


ONE_DAY = timedelta(days=1)


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
    coderpath_widgets.features.planner.courses.PlanError: Hours per week must be between 1 and 60; you entered 0.
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
