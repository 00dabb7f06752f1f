"""Dates: the inputs checked, breaks merged, courses laid along study days; ``Schedule`` and ``Block``."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from coderpath_widgets.content.models import Course
from coderpath_widgets.features.planner.courses import PlanError
from coderpath_widgets.ui.format import format_number

MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 1, 60


MAX_EXAM_PREP_WEEKS = 52


DEFAULT_HOURS_PER_WEEK = 10.0


DEFAULT_EXAM_PREP_WEEKS = 4


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

    def to_saved(self) -> dict[str, Any]:
        """The JSON form kept in the store (dates as ISO text); :meth:`from_saved` reads it back.

        >>> plan = Schedule((Block("c1", "Anatomy", date(2026, 1, 5), date(2026, 1, 9), 5.0),), date(2026, 1, 5),
        ...                 7.0, (), 1, 5.0, date(2026, 1, 9), date(2026, 1, 16))
        >>> Schedule.from_saved(plan.to_saved()) == plan
        True
        """
        return {
            "start": self.start.isoformat(),
            "finish": self.finish.isoformat(),
            "exam_ready": self.exam_ready.isoformat(),
            "total_hours": self.total_hours,
            "hours_per_week": self.hours_per_week,
            "exam_prep_weeks": self.exam_prep_weeks,
            "breaks": [[a.isoformat(), b.isoformat()] for a, b in self.breaks],
            "blocks": [
                {
                    "course_id": b.course_id,
                    "name": b.name,
                    "start": b.start.isoformat(),
                    "end": b.end.isoformat(),
                    "hours": b.hours,
                }
                for b in self.blocks
            ],
        }

    @classmethod
    def from_saved(cls, data: Mapping[str, Any]) -> Schedule:
        """A schedule from its saved form; :class:`PlanError` names the field that cannot be read.

        >>> Schedule.from_saved({"finish": "soon", "exam_ready": "2027-01-01", "blocks": []})
        Traceback (most recent call last):
        ...
        coderpath_widgets.features.planner.courses.PlanError: finish: 'soon' is not a date (YYYY-MM-DD).
        """

        def day(value: Any, field: str) -> date:
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                raise PlanError(f"{field}: {value!r} is not a date (YYYY-MM-DD).") from None

        def figure(value: Any, field: str) -> float:
            try:
                return float(value or 0)
            except (TypeError, ValueError):
                raise PlanError(f"{field}: {value!r} is not a number.") from None

        if not isinstance(data, Mapping):
            raise PlanError(f"the saved plan is {type(data).__name__}, not a JSON object.")
        finish, exam_ready = day(data.get("finish"), "finish"), day(data.get("exam_ready"), "exam_ready")
        blocks = []
        for n, raw in enumerate(data.get("blocks") or [], start=1):
            if not isinstance(raw, Mapping):
                raise PlanError(f"blocks[{n}]: {raw!r} is not a JSON object.")
            blocks.append(
                Block(
                    str(raw.get("course_id", "")),
                    str(raw.get("name", "")),
                    day(raw.get("start"), f"blocks[{n}].start"),
                    day(raw.get("end"), f"blocks[{n}].end"),
                    figure(raw.get("hours"), f"blocks[{n}].hours"),
                )
            )
        breaks = []
        for n, pair in enumerate(data.get("breaks") or [], start=1):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise PlanError(f"breaks[{n}]: {pair!r} is not a [first day, last day] pair.")
            breaks.append((day(pair[0], f"breaks[{n}][0]"), day(pair[1], f"breaks[{n}][1]")))
        start = data.get("start")
        return cls(
            blocks=tuple(blocks),
            start=day(start, "start") if start else (blocks[0].start if blocks else finish),
            hours_per_week=figure(data.get("hours_per_week"), "hours_per_week"),
            breaks=tuple(breaks),
            exam_prep_weeks=int(figure(data.get("exam_prep_weeks"), "exam_prep_weeks")),
            total_hours=figure(data.get("total_hours"), "total_hours"),
            finish=finish,
            exam_ready=exam_ready,
        )


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
            f"you entered {format_number(hours_per_week)}."
        )
    if (
        isinstance(exam_prep_weeks, bool)
        or not isinstance(exam_prep_weeks, int)
        or not (0 <= exam_prep_weeks <= MAX_EXAM_PREP_WEEKS)
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
    try:
        last_day = 0
        for course in courses:
            # each course starts the day after the previous one ends (back-to-back courses never share a day)
            # and takes the whole days its hours need at this pace
            first_day = last_day + 1
            last_day = first_day + max(1, math.ceil(Fraction(course.planning_hours) / per_day)) - 1
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
    return {"program": program_id, "credential": credential_id or None, **schedule.to_saved()}
