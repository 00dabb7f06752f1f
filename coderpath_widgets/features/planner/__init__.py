"""The course planner: which courses, in which order, on which dates, and when the learner is exam-ready.

Three layers, as everywhere in coderpath:

* pure planning — :func:`courses_for` picks a program's courses for a credential (with every prerequisite),
  :func:`order_courses` puts them in prerequisite order, :func:`make_schedule` dates them, and
  :func:`schedule_to_csv`, :func:`schedule_to_ics` and :func:`timeline_svg` turn a :class:`Schedule` into files
  and a picture;
* the widget :class:`CoursePlanner`, whose inputs are traitlets saved in the progress store;
* the factory :func:`plan_courses`, which loads the data and returns the widget.

Inside: :mod:`.courses` (which courses, in which order), :mod:`.schedule` (dates; :class:`Schedule` and its
saved form, :meth:`Schedule.to_saved` / :meth:`Schedule.from_saved`), :mod:`.files` (CSV and ``.ics``),
:mod:`.render` (table, summary, SVG timeline, download links) and :mod:`.widgets`.

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

from coderpath_widgets.features.planner.courses import (
    PlanError,
    courses_for,
    order_courses,
)
from coderpath_widgets.features.planner.files import (
    CSV_COLUMNS,
    CSV_ENCODING,
    CSV_NAME,
    ICS_NAME,
    PRODID,
    schedule_to_csv,
    schedule_to_ics,
)
from coderpath_widgets.features.planner.render import (
    BAR_COLOUR,
    BREAK_COLOUR,
    GRID_COLOUR,
    PREP_COLOUR,
    SVG_CHART_WIDTH,
    SVG_LABEL_WIDTH,
    SVG_ROW,
    SVG_TICK_SPACING,
    SVG_TOP,
    downloads_html,
    planning_basis_html,
    schedule_table_html,
    summary_html,
    timeline_svg,
)
from coderpath_widgets.features.planner.schedule import (
    DEFAULT_EXAM_PREP_WEEKS,
    DEFAULT_HOURS_PER_WEEK,
    MAX_EXAM_PREP_WEEKS,
    MAX_HOURS_PER_WEEK,
    MIN_HOURS_PER_WEEK,
    ONE_DAY,
    Block,
    Schedule,
    check_break,
    check_inputs,
    make_schedule,
    merge_breaks,
    nth_study_day,
    schedule_summary,
)
from coderpath_widgets.features.planner.widgets import (
    CoursePlanner,
    plan_courses,
)

__all__ = [
    "BAR_COLOUR",
    "BREAK_COLOUR",
    "Block",
    "CSV_COLUMNS",
    "CSV_ENCODING",
    "CSV_NAME",
    "CoursePlanner",
    "DEFAULT_EXAM_PREP_WEEKS",
    "DEFAULT_HOURS_PER_WEEK",
    "GRID_COLOUR",
    "ICS_NAME",
    "MAX_EXAM_PREP_WEEKS",
    "MAX_HOURS_PER_WEEK",
    "MIN_HOURS_PER_WEEK",
    "ONE_DAY",
    "PREP_COLOUR",
    "PRODID",
    "PlanError",
    "SVG_CHART_WIDTH",
    "SVG_LABEL_WIDTH",
    "SVG_ROW",
    "SVG_TICK_SPACING",
    "SVG_TOP",
    "Schedule",
    "check_break",
    "check_inputs",
    "courses_for",
    "downloads_html",
    "make_schedule",
    "merge_breaks",
    "nth_study_day",
    "order_courses",
    "plan_courses",
    "planning_basis_html",
    "schedule_summary",
    "schedule_table_html",
    "schedule_to_csv",
    "schedule_to_ics",
    "summary_html",
    "timeline_svg",
]
