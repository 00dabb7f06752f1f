"""The instructor's course folder: ``coderpath course init|student-config|schedule|lab``.

``init`` copies the course (sources, settings, schedule, templates) out of the repository into the instructor's
own folder, as ``nbgrader quickstart`` would, with a ``.gitignore`` that keeps student records out of git.
``student-config`` writes the students' side of a one-machine exchange. ``schedule`` puts the due dates of
``schedule.csv`` into the gradebook. ``lab`` starts JupyterLab in the course folder, where the formgrader finds
the course. The guide is docs/instructors.md.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

COURSE_ID = "coderpath"
SCHEDULE = "schedule.csv"
SCHEDULE_COLUMNS = ["assignment", "duedate"]

#: What a course folder holds that came from the repository; everything else in it is student data.
COURSE_FILES = ["nbgrader_config.py", SCHEDULE, "README.md", "source", "templates"]

#: Student records nbgrader writes into the course folder (and the exchange, if it lives there).
STUDENT_DATA = [
    "gradebook.db",
    "gradebook.db-journal",
    "/release/",
    "/submitted/",
    "/autograded/",
    "/feedback/",
    "/exchange/",
    "/progress/",  # the course folder's own, not source/progress
    "*.csv.bak",
    "grades*.csv",
    "item-analysis*.csv",
    ".nbgrader.log",
    ".ipynb_checkpoints/",
]

GITIGNORE = "# Student records: never commit them (nbgrader writes them here while you teach).\n" + "".join(
    f"{pattern}\n" for pattern in STUDENT_DATA
)


class CourseError(Exception):
    """A plain message for the instructor (no traceback)."""


def repository_course() -> Path:
    """The course shipped in this repository: instructors/course next to the package."""
    return Path(__file__).resolve().parents[2] / "instructors" / "course"


def init_course(
    target: str | os.PathLike[str], source: str | os.PathLike[str] | None = None, force: bool = False
) -> list[Path]:
    """Copy the course's sources and settings (never student data) to ``target``; return what was written."""
    source = Path(source) if source is not None else repository_course()
    target = Path(target).expanduser().resolve()
    if not (source / "nbgrader_config.py").is_file():
        raise CourseError(f"{source}: not a course folder (no nbgrader_config.py)")
    if target.exists() and not target.is_dir():
        raise CourseError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise CourseError(
            f"{target}: the folder is not empty; choose an empty one or add --force to overwrite the course files in it"
        )
    checkout = source.resolve().parents[1]
    if (checkout / ".git").exists() and target.is_relative_to(checkout):
        raise CourseError(
            f"{target}: inside the public checkout {checkout}; choose a folder outside it, e.g. ~/coderpath-course"
        )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in COURSE_FILES:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(
                origin,
                target / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
        elif origin.is_file():
            shutil.copy2(origin, target / name)
        else:
            continue
        written.append(target / name)
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    written.append(target / ".gitignore")
    return written


def student_config_text(exchange: str | os.PathLike[str], course_id: str = COURSE_ID) -> str:
    """The students' nbgrader_config.py for a one-machine exchange."""
    return (
        '"""nbgrader settings for students on this machine (written by `coderpath course student-config`)."""\n\n'
        "c = get_config()  # noqa: F821\n\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
    )


def write_student_config(exchange: str | os.PathLike[str], where: str = "user") -> Path:
    """Write the students' nbgrader_config.py: ``where`` is ``user`` (~/.jupyter), ``system`` (/etc/jupyter),
    ``env`` (this environment's etc/jupyter) or a folder."""
    folders = {
        "user": Path(os.environ.get("JUPYTER_CONFIG_DIR", Path.home() / ".jupyter")),
        "system": Path("/etc/jupyter"),
        "env": Path(sys.prefix) / "etc" / "jupyter",
    }
    folder = folders.get(where, Path(where))
    path = folder / "nbgrader_config.py"
    if path.exists() and "coderpath course student-config" not in path.read_text(encoding="utf-8", errors="replace"):
        raise CourseError(
            f"{path}: exists and was not written by this command; add the two lines by hand:\n"
            + student_config_text(exchange).split("\n\n", 2)[2]
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(student_config_text(exchange), encoding="utf-8")
    except OSError as error:
        raise CourseError(f"{path}: cannot write it ({error.strerror}); for /etc/jupyter run as root (sudo)") from error
    return path


@dataclass(frozen=True)
class Due:
    assignment: str
    duedate: datetime  # UTC, naive (as nbgrader stores it)


def read_schedule(path: str | os.PathLike[str]) -> list[Due]:
    """``schedule.csv``: ``assignment,duedate`` with an ISO date and time and a UTC offset or zone."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CourseError(f"{path}: no schedule file (columns: assignment,duedate)") from error
    except UnicodeDecodeError as error:
        raise CourseError(f"{path}: not UTF-8 text; save it as 'CSV UTF-8'") from error
    rows = list(csv.reader(text.splitlines()))
    if not rows or [cell.strip() for cell in rows[0]] != SCHEDULE_COLUMNS:
        raise CourseError(f"{path}:1: the header must be exactly 'assignment,duedate'")
    problems, dues = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            problems.append(f"{path}:{line}: expected 2 fields (assignment,duedate), found {len(row)}")
            continue
        name, when = row[0].strip(), row[1].strip()
        if not name:
            problems.append(f"{path}:{line} assignment: empty")
            continue
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            problems.append(f"{path}:{line} duedate: {when!r} is not a date and time (e.g. 2027-02-01T23:59:00-05:00)")
            continue
        if moment.tzinfo is None:
            problems.append(f"{path}:{line} duedate: {when!r} needs a UTC offset, e.g. 2027-02-01T23:59:00-05:00")
            continue
        dues.append(Due(name, moment.astimezone(UTC).replace(tzinfo=None)))
    if problems:
        raise CourseError("\n".join(problems))
    return dues


def apply_schedule(course: str | os.PathLike[str], schedule: str | os.PathLike[str] | None = None) -> list[Due]:
    """Set each assignment's due date in the course's gradebook from ``schedule.csv`` (adds missing assignments)."""
    from nbgrader.api import Gradebook

    course = Path(course)
    dues = read_schedule(schedule or course / SCHEDULE)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        for due in dues:
            gradebook.update_or_create_assignment(due.assignment, duedate=due.duedate)
    return dues


def lab_command(course: str | os.PathLike[str]) -> list[str]:
    """The command that opens the instructor's JupyterLab (formgrader included) in the course folder."""
    return [str(Path(sys.executable).parent / "jupyter"), "lab", f"--ServerApp.root_dir={Path(course).resolve()}"]


def run_lab(course: str | os.PathLike[str], extra: list[str]) -> int:
    course = Path(course)
    if not (course / "nbgrader_config.py").is_file():
        raise CourseError(
            f"{course}: not a course folder (no nbgrader_config.py); run `coderpath course init {course}` first"
        )
    print(f"Starting JupyterLab in {course.resolve()}; the Formgrader is under Nbgrader → Formgrader.")
    return subprocess.call([*lab_command(course), *extra], cwd=course)


def now_utc() -> datetime:
    return datetime.now(UTC)


PROGRESS_ASSIGNMENT = "progress"
PROGRESS_FILE = "progress.json"


def submit_progress(course_id: str = COURSE_ID, nbgrader_args: list[str] | None = None) -> subprocess.CompletedProcess:
    """Export this learner's progress into a submission of the course's ``progress`` assignment.

    The export goes to a fresh folder ``<tmp>/progress/progress.json`` and ``nbgrader submit`` sends it through
    the exchange, like any assignment, under the learner's nbgrader student id. The instructor collects it with
    ``nbgrader collect progress``; ``coderpath class-report COURSE/submitted --gradebook COURSE`` reads it.
    """
    import tempfile

    from coderpath_widgets.progress.store import get_store

    with tempfile.TemporaryDirectory(prefix="coderpath-progress-") as staging:
        folder = Path(staging) / PROGRESS_ASSIGNMENT
        folder.mkdir()
        get_store().export_json(folder / PROGRESS_FILE)
        command = [
            str(Path(sys.executable).parent / "nbgrader"),
            "submit",
            PROGRESS_ASSIGNMENT,
            "--course",
            course_id,
            f"--Exchange.assignment_dir={staging}",
            "--Exchange.path_includes_course=False",
            *(nbgrader_args or []),
        ]
        return subprocess.run(command, cwd=staging, capture_output=True, text=True, timeout=300)


def gather_progress(course: str | os.PathLike[str]) -> list[Path]:
    """Copy each collected ``submitted/<student>/progress/progress.json`` to ``progress/<student>.json``.

    The folder then holds only progress exports, one per student, ready for the class report.
    """
    course = Path(course)
    target = course / PROGRESS_ASSIGNMENT
    target.mkdir(exist_ok=True)
    copied = []
    for found in sorted((course / "submitted").glob(f"*/{PROGRESS_ASSIGNMENT}/{PROGRESS_FILE}")):
        student = found.parent.parent.name
        destination = target / f"{student}.json"
        shutil.copyfile(found, destination)
        copied.append(destination)
    return copied
