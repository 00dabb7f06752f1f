"""A schedule as files: the CSV table (with a byte-order mark for spreadsheets) and the ``.ics`` calendar."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime

import icalendar

from coderpath_widgets.features.planner.schedule import ONE_DAY, Schedule
from coderpath_widgets.ui.format import format_number
from coderpath_widgets.ui.spreadsheet import safe_cell

PRODID = "-//coderpath//course plan//EN"


CSV_NAME, ICS_NAME = "course-plan.csv", "course-plan.ics"


CSV_COLUMNS = ("order", "course_id", "course", "start", "end", "hours", "planning_basis")


#: The CSV download and file carry a byte-order mark so spreadsheet programs read them as UTF-8.
CSV_ENCODING = "utf-8-sig"


#: A CSV text cell that a spreadsheet will not run as a formula (leading = + - @ tab CR get an apostrophe).
_cell = safe_cell


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
                format_number(block.hours),
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
    """An iCalendar file (RFC 5545): one all-day VEVENT per block, DTEND exclusive, then the exam.

    After the courses: an "Exam preparation" event over the preparation weeks (when there are any) and an
    "Exam-ready" event on the exam-ready date. ``stamp`` fixes DTSTAMP (default: now, UTC).
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
        f"{format_number(schedule.total_hours)} hours at {format_number(schedule.hours_per_week)} hours a week. "
        f"{_exam_sentence(schedule)} Hours are estimates to plan with.",
    )
    count = len(schedule.blocks)
    for number, block in enumerate(schedule.blocks, start=1):
        description = (
            f"Course {number} of {count} in your coderpath course plan: about {format_number(block.hours)} hours of "
            f"study at {format_number(schedule.hours_per_week)} hours a week. "
            f"How the hours were estimated: {block.planning_basis}"
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
    exam_events = [
        (
            "exam-ready",
            schedule.exam_ready,
            schedule.exam_ready,
            "Exam-ready",
            "You planned to be ready to sit your certification exam from today. " + _exam_sentence(schedule),
        )
    ]
    if schedule.exam_prep_weeks and schedule.exam_ready > schedule.finish + ONE_DAY:
        exam_events.insert(
            0,
            (
                "exam-preparation",
                schedule.finish + ONE_DAY,
                schedule.exam_ready - ONE_DAY,
                "Exam preparation",
                f"{schedule.exam_prep_weeks} weeks of exam preparation after your coursework: practice "
                "exams under time, and the practice lab's cases and quiz.",
            ),
        )
    for uid, first, last, summary, description in exam_events:
        event = icalendar.Event()
        event.add("uid", _uid(uid))
        event.add("dtstamp", stamp)
        event.add("dtstart", first)
        event.add("dtend", last + ONE_DAY)
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
