"""Grades for the LMS: nbgrader's gradebook → one row per student, one column per assignment.

``coderpath grades COURSE_OR_GRADEBOOK --format canvas|moodle|wide -o FILE``. The layouts follow what the
LMSs document for their gradebook imports (sources in docs/instructors.md, "Grades for your LMS"):

- ``canvas``: ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per assignment, named as in
  the course; ``SIS Login ID`` carries the nbgrader student id (use your LMS logins as nbgrader ids).
- ``moodle``: ``Username, Email address, First name, Last name``, then one column per grade item; at import,
  map ``Username`` (or ``Email address``) to the Moodle user field and each assignment to its grade item.
- ``wide``: ``student_id, first_name, last_name, email``, each assignment, ``total``, ``max_total``.

Rules: the score is nbgrader's (autograded + hand-graded points, less the late penalty). An assignment a student
has no submission for is left blank, never 0. A submission still waiting for hand grading is provisional: its
score is written (or left blank with ``final_only``) and the assignment is listed: in the last column,
``Provisional (ignore on import)``, of the Moodle and wide files (left unmapped at import), and in a file of its
own for Canvas (``<name>-provisional.csv``), which makes a new assignment of every column it cannot match. Files
are UTF-8 with a byte-order mark, and no text cell can run as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from coderpath_widgets.ui.spreadsheet import BOM, safe_cell

FORMATS = ("canvas", "moodle", "wide")
PROVISIONAL = "Provisional (ignore on import)"


class GradesError(Exception):
    """A plain message for the instructor."""


def number(value: float | None) -> str:
    """A score as the LMS reads it: ``4``, ``3.5``, or blank for none.

    >>> number(4.0), number(3.5), number(None), number(1 / 3)
    ('4', '3.5', '', '0.33')
    """
    if value is None:
        return ""
    return f"{round(value, 2):g}"


@dataclass
class StudentGrades:
    student_id: str
    first_name: str
    last_name: str
    email: str
    lms_user_id: str
    scores: dict[str, float | None] = field(default_factory=dict)  # assignment → score, None: no submission
    provisional: list[str] = field(default_factory=list)  # assignments waiting for hand grading


@dataclass
class Gradesheet:
    assignments: list[str]
    max_scores: dict[str, float]
    students: list[StudentGrades]


def gradebook_path(course_or_gradebook: str | os.PathLike[str]) -> Path:
    path = Path(course_or_gradebook)
    if path.is_dir():
        path = path / "gradebook.db"
    if not path.is_file():
        raise GradesError(f"{path}: no nbgrader gradebook here (give the course folder or its gradebook.db)")
    return path


def read_gradesheet(course_or_gradebook: str | os.PathLike[str]) -> Gradesheet:
    """Every student and every graded assignment (max score > 0) of the gradebook, in due-date order."""
    from nbgrader.api import Gradebook, MissingEntry

    path = gradebook_path(course_or_gradebook)
    with Gradebook(f"sqlite:///{path}") as gradebook:
        assignments = [a for a in gradebook.assignments if (a.max_score or 0) > 0]
        names = [a.name for a in assignments]
        sheet = Gradesheet(names, {a.name: a.max_score for a in assignments}, [])
        for student in sorted(gradebook.students, key=lambda s: s.id):
            row = StudentGrades(
                student.id,
                student.first_name or "",
                student.last_name or "",
                student.email or "",
                student.lms_user_id or "",
            )
            for name in names:
                try:
                    submission = gradebook.find_submission(name, student.id)
                except MissingEntry:
                    row.scores[name] = None
                    continue
                penalty = submission.late_submission_penalty or 0.0
                row.scores[name] = max(0.0, submission.score - penalty)
                if submission.needs_manual_grade:
                    row.provisional.append(name)
            sheet.students.append(row)
    return sheet


def grade_rows(sheet: Gradesheet, fmt: str, final_only: bool = False) -> list[list[str]]:
    """The table (header first) for ``fmt``."""
    if fmt not in FORMATS:
        raise GradesError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")

    def score(student: StudentGrades, name: str) -> str:
        if final_only and name in student.provisional:
            return ""
        return number(student.scores[name])

    if fmt == "canvas":
        header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *sheet.assignments]
    elif fmt == "moodle":
        header = ["Username", "Email address", "First name", "Last name", *sheet.assignments, PROVISIONAL]
    else:
        header = [
            "student_id",
            "first_name",
            "last_name",
            "email",
            *sheet.assignments,
            "total",
            "max_total",
            "provisional",
        ]
    rows = [header]
    for s in sheet.students:
        scores = [score(s, name) for name in sheet.assignments]
        marked = "; ".join(s.provisional)
        if fmt == "canvas":
            name = ", ".join(part for part in (s.last_name, s.first_name) if part) or s.student_id
            rows.append([safe_cell(name), safe_cell(s.lms_user_id), "", safe_cell(s.student_id), "", *scores])
        elif fmt == "moodle":
            rows.append(
                [
                    safe_cell(s.student_id),
                    safe_cell(s.email),
                    safe_cell(s.first_name),
                    safe_cell(s.last_name),
                    *scores,
                    safe_cell(marked),
                ]
            )
        else:
            counted = [
                points
                for n in sheet.assignments
                if (points := s.scores[n]) is not None and not (final_only and n in s.provisional)
            ]
            total = number(sum(counted)) if counted else ""
            rows.append(
                [
                    safe_cell(s.student_id),
                    safe_cell(s.first_name),
                    safe_cell(s.last_name),
                    safe_cell(s.email),
                    *scores,
                    total,
                    number(sum(sheet.max_scores.values())),
                    safe_cell(marked),
                ]
            )
    return rows


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return BOM + buffer.getvalue()


def grades_csv(sheet: Gradesheet, fmt: str, final_only: bool = False) -> str:
    """The CSV text, starting with a byte-order mark so spreadsheets read it as UTF-8."""
    return _csv(grade_rows(sheet, fmt, final_only))


def provisional_path(output: str | os.PathLike[str]) -> Path:
    """``grades-canvas.csv`` → ``grades-canvas-provisional.csv``."""
    output = Path(output)
    return output.with_name(f"{output.stem}-provisional{output.suffix or '.csv'}")


def write_grades(
    course_or_gradebook: str | os.PathLike[str], output: str | os.PathLike[str], fmt: str, final_only: bool = False
) -> Gradesheet:
    """Write the import file; for Canvas also the list of provisional scores beside it (removed when none)."""
    sheet = read_gradesheet(course_or_gradebook)
    Path(output).write_text(grades_csv(sheet, fmt, final_only), encoding="utf-8", newline="")
    if fmt == "canvas":
        side = provisional_path(output)
        pending = [[safe_cell(s.student_id), safe_cell(name)] for s in sheet.students for name in s.provisional]
        if pending:
            side.write_text(_csv([["SIS Login ID", "assignment"], *pending]), encoding="utf-8", newline="")
        elif side.exists():
            side.unlink()
    return sheet


def run_grades(course_or_gradebook: str, output: str, fmt: str, final_only: bool = False) -> int:
    """``coderpath grades``: write the file, say what is blank and what is provisional."""
    try:
        sheet = write_grades(course_or_gradebook, output, fmt, final_only)
    except GradesError as error:
        print(error)
        return 2
    missing = sum(1 for s in sheet.students for n in sheet.assignments if s.scores[n] is None)
    provisional = sum(len(s.provisional) for s in sheet.students)
    print(f"{len(sheet.students)} students × {len(sheet.assignments)} assignments in {output} ({fmt}).")
    where = {
        "canvas": f"in {provisional_path(output)}",
        "moodle": f"in the column '{PROVISIONAL}'",
        "wide": "in the column 'provisional'",
    }[fmt]
    print(
        f"{missing} cells blank (no submission collected); {provisional} provisional (waiting for hand grading"
        f"{', left blank' if final_only else ''}), listed {where}."
    )
    return 0
