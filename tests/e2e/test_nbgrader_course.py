"""The nbgrader course in instructors/course, end to end, as a class would use it.

In a tmp copy of the course: generate and release every assignment to a local exchange; three students
fetch, answer and submit; collect; autograde; grade the reflections by hand; export the gradebook to CSV;
generate and release feedback. Students:

- ada answers everything right (her answers are the solutions written in the source notebooks),
- ben gets some right and some wrong (exact scores below),
- cy tampers with step 3: deletes one test cell and rewrites another to pass.

Three more students work as on one machine, each with their own HOME and only the students' nbgrader_config.py
that `coderpath course student-config` wrote (no CODERPATH_EXCHANGE): they type `nbgrader fetch_assignment`,
`nbgrader validate`, `nbgrader submit` and `coderpath submit-progress`, on step 1 only:

- eve answers question 1 with a `str` subclass whose `__eq__` is always true (the answer-cell trick),
- fay answers "A" to every question,
- dee answers everything right but submits after the due date that `coderpath course schedule` set.

The instructor side runs in this process through nbgrader's Python API (``NbGraderAPI``); `nbgrader export`,
`coderpath course schedule`, `coderpath grades` and `coderpath item-analysis` run as the commands instructors type.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

pytestmark = [
    pytest.mark.nbgrader,
    # the module's fixture runs the whole class (six students, a dozen commands); on a loaded 2-core machine
    # that takes longer than the suite's default 600 s per test
    pytest.mark.timeout(1800),
    # nbgrader's own noise, not ours: SQLAlchemy session warnings inside its gradebook, the cell it adds
    # back without an id, and a misspelt keyword (`authentictor`) in NbGraderAPI.release_feedback.
    pytest.mark.filterwarnings("ignore:Object of type <Submitted:sqlalchemy.exc.SAWarning"),
    pytest.mark.filterwarnings("ignore::nbformat.warnings.MissingIDFieldWarning"),
    pytest.mark.filterwarnings(
        r"ignore:Passing unrecognized arguments to super\(ExchangeReleaseFeedback\):DeprecationWarning"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "instructors" / "course"
ENV_BIN = Path(sys.executable).parent  # nbgrader shells out to `alembic` from here when it creates the db
COURSE_ID = "coderpath"
ASSIGNMENTS = ["step1-skills", "step2-education", "step3-certification", "step4-jobs", "practice-coding"]
MAX_SCORE = {"step1-skills": 8, "step2-education": 8, "step3-certification": 8, "step4-jobs": 8, "practice-coding": 12}
REFLECTION_POINTS = {
    "step1-skills": 3,
    "step2-education": 3,
    "step3-certification": 3,
    "step4-jobs": 3,
    "practice-coding": 2,
}

# ben: answers (cell grade_id -> new source) and the exact score each notebook must get.
# Answers are normalised before grading (case, spaces, the dot in a code), so "b" and "i10" are right.
BEN = {
    "step1-skills": {
        "q1-answer": 'answer_q1 = "b"',  # right (lower case)
        "q2-answer": 'answer_q2 = "D"',  # wrong
        "q3-answer": 'answer_q3 = " A "',  # right (spaces)
        "code1-answer": 'answer_code_1 = "i10"',  # right (lower case): 2 points
    },
    "step2-education": {
        "q1-answer": 'answer_q1 = "C"',  # right
        "q2-answer": 'answer_q2 = "A"',  # wrong
        "q3-answer": 'answer_q3 = "B"',  # wrong
        "code1-answer": 'answer_code_1 = "E11"',  # a category with subcodes, not billable: wrong
    },
    "step3-certification": {
        "q1-answer": 'answer_q1 = "B"',  # right
        "q2-answer": 'answer_q2 = "C"',  # wrong
        "q3-answer": 'answer_q3 = "C"',  # right
        "code1-answer": 'answer_code_1 = "J02.9"',  # valid and billable, but not strep: wrong
        "reflection": "The CPC, from AAPC, because I want to work in a clinic.",  # graded 2 of 3 below
    },
    "step4-jobs": {
        "q1-answer": 'answer_q1 = "A"',  # wrong
        "q2-answer": 'answer_q2 = "A"',  # wrong
        "q3-answer": 'answer_q3 = "A"',  # wrong
        "code1-answer": 'answer_code_1 = "N390"',  # right (no dot)
    },
    "practice-coding": {
        "code1-answer": 'answer_code_1 = "E78.5"',  # right
        "code2-answer": 'answer_code_2 = "J45.2"',  # not billable (needs the 5th character): wrong
        "code3-answer": 'answer_code_3 = "H66.91"',  # right
        "code4-answer": 'answer_code_4 = "S93.401"',  # missing the 7th character: wrong
        "code5-answer": 'answer_code_5 = "M54.50"',  # right
    },
}
BEN_SCORE = {
    "step1-skills": 4,
    "step2-education": 1,
    "step3-certification": 2 + 2,
    "step4-jobs": 2,
    "practice-coding": 6,
}
BEN_MANUAL = {("step3-certification", "reflection"): 2}

# cy, step 3 only: right on q1 and q2, wrong on q3 and the code; deletes q1's test cell (so nothing
# checks q1) and rewrites the code's test cell to print "all good".
CY = {
    "q1-answer": 'answer_q1 = "B"',
    "q2-answer": 'answer_q2 = "A"',
    "q3-answer": 'answer_q3 = "A"',
    "code1-answer": 'answer_code_1 = "J02.9"',
}
CY_SCORE = 1 + 1 + 0 + 0  # both test cells are put back and run, so the score reflects the answers

# eve's question 1: "A" (wrong) dressed as a string equal to everything. The check before this issue,
# `choice_q1 = str(answer_q1).strip().upper()` then `assert choice_q1 == "B"`, passed it.
TRICK = """class AlwaysEqual(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
    def __str__(self):
        return self
    def strip(self):
        return self
    def upper(self):
        return self
answer_q1 = AlwaysEqual("A")"""
OLD_CHECK = """choice_q1 = str(answer_q1).strip().upper()
assert choice_q1 in {"A", "B", "C", "D"}
assert choice_q1 == "B"
"""
CLI_STUDENTS = {  # one-machine students: step 1 answers, in the order they submit (dee last, after the due date)
    "eve": {
        "q1-answer": TRICK,
        "q2-answer": 'answer_q2 = "C"',
        "q3-answer": 'answer_q3 = "A"',
        "code1-answer": 'answer_code_1 = "I10"',
    },
    "fay": {
        "q1-answer": 'answer_q1 = "A"',
        "q2-answer": 'answer_q2 = "A"',
        "q3-answer": 'answer_q3 = "A"',
        "code1-answer": 'answer_code_1 = "I10"',
    },
    "dee": None,  # the solutions
}
STEP1_AUTO = {"ada": 5, "eve": 0 + 1 + 1 + 2, "fay": 0 + 0 + 1 + 2, "dee": 5}
LATE_PENALTY = 0.5  # dee: under a day late -> one started day -> 10% of her 5 points


# ------------------------------------------------------------------------------------------------ helpers


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def region(source: str, begin: str, end: str) -> list[str]:
    """The lines between ``### BEGIN …`` and ``### END …`` delimiters."""
    lines, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def source_notebook(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def solutions(assignment: str) -> dict[str, str]:
    """grade_id -> the instructor's solution, for every answer cell of the source notebook."""
    return {
        grade_id(cell): "\n".join(region(cell.source, "BEGIN SOLUTION", "END SOLUTION"))
        for cell in source_notebook(assignment).cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def secrets_of(assignment: str) -> list[str]:
    """Text that must never reach students: solution lines, hidden-test lines, and the accepted codes."""
    found = []
    for cell in source_notebook(assignment).cells:
        found += region(cell.source, "BEGIN SOLUTION", "END SOLUTION")
        hidden = region(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
        found += hidden
        for line in hidden:  # assert code_1 in {"E11.9"} -> E11.9 and E119
            for code in re.findall(r'"([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)"', line):
                found += [code, code.replace(".", "")]
    return [text.strip() for text in found if text.strip()]


@dataclass
class Run:
    course: Path
    exchange: Path
    students: Path
    validation: dict
    export_csv: Path
    eve_validate: dict
    cli: dict

    def notebook_score(self, assignment: str, student: str) -> tuple[float, float]:
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}") as gradebook:
            submitted = gradebook.find_submission_notebook(assignment, assignment, student)
            return submitted.score, submitted.max_score

    def autograded(self, assignment: str, student: str) -> nbformat.NotebookNode:
        path = self.course / "autograded" / student / assignment / f"{assignment}.ipynb"
        return nbformat.read(path, as_version=4)


def cli(
    args: list[str], home: Path | None = None, cwd: Path | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """A command as a student or instructor types it; a student gets their own HOME and Jupyter config."""
    environment = dict(os.environ, **(env or {}))
    if home is not None:
        environment.pop("CODERPATH_EXCHANGE", None)  # students never see the instructor's variable
        environment.update(
            HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"), CODERPATH_HOME=str(home / "coderpath")
        )
    command = [str(ENV_BIN / args[0]), *args[1:]]
    return subprocess.run(command, cwd=cwd or home, env=environment, capture_output=True, text=True, timeout=300)


def exchange_app(kind: str, config):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    factory = ExchangeFactory(config=config)
    app = getattr(factory, kind)(
        coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config), config=config
    )
    return app.start()


def student_config(student: str, assignment: str, exchange: Path, home: Path):
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.assignment_id = assignment
    config.CourseDirectory.student_id = student
    config.Exchange.root = str(exchange)
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(home / ".nbgrader-cache")
    return config


def answer(path: Path, answers: dict[str, str], delete: tuple[str, ...] = (), rewrite: dict[str, str] | None = None):
    """Edit a fetched notebook as a student would: fill answer cells, maybe delete or rewrite others."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if grade_id(cell) not in delete]
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
        if rewrite and grade_id(cell) in rewrite:
            cell.source = rewrite[grade_id(cell)]
    nbformat.write(notebook, path)


# ---------------------------------------------------------------------------------------------- the run


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.validator import Validator
    from traitlets.config.loader import PyFileConfigLoader

    from coderpath_widgets.app.course import write_student_config
    from coderpath_widgets.features.grades import write_grades
    from coderpath_widgets.progress.store import DB_NAME, ProgressStore

    tmp = tmp_path_factory.mktemp("nbgrader")
    course, exchange, students, home = tmp / "course", tmp / "exchange", tmp / "students", tmp / "home"
    shutil.copytree(
        COURSE,
        course,
        ignore=shutil.ignore_patterns(
            "release", "submitted", "autograded", "feedback", "gradebook.db", ".ipynb_checkpoints"
        ),
    )
    for folder in (exchange, students, home):
        folder.mkdir()
    exchange.chmod(0o777)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", os.pathsep.join([str(ENV_BIN), os.environ.get("PATH", "")]))
        patch.setenv("HOME", str(home))
        patch.setenv("JUPYTER_CONFIG_DIR", str(home / ".jupyter"))  # nobody's real nbgrader config
        patch.setenv("CODERPATH_EXCHANGE", str(exchange))
        patch.setenv("CODERPATH_HOME", str(home / "coderpath"))  # the ICD-10-CM index is built once, here
        patch.chdir(course)

        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
        config.CourseDirectory.root = str(course)
        config.Exchange.cache = str(home / ".nbgrader-cache")
        api = NbGraderAPI(config=config, coursedir=CourseDirectory(config=config))

        def ok(result: dict) -> dict:
            assert result["success"], result.get("error", "") + result.get("log", "")
            return result

        for assignment in ASSIGNMENTS:
            ok(api.generate_assignment(assignment))
            ok(api.release_assignment(assignment))

        # Students fetch, answer and submit through the exchange.
        work = [("ada", a, solutions(a), {}) for a in ASSIGNMENTS]
        work += [("ben", a, BEN[a], {}) for a in ASSIGNMENTS]
        work += [
            (
                "cy",
                "step3-certification",
                CY,
                {"delete": ("q1-check",), "rewrite": {"code1-check": 'print("all good")'}},
            )
        ]
        validation = {}
        for student, assignment, answers, tampering in work:
            student_home = students / student
            student_home.mkdir(exist_ok=True)
            settings = student_config(student, assignment, exchange, student_home)
            exchange_app("FetchAssignment", settings)
            fetched = student_home / assignment / f"{assignment}.ipynb"
            answer(fetched, answers, **tampering)
            if tampering:  # what `nbgrader validate` tells the student before submitting
                validation = Validator(config=config).validate(str(fetched))
            exchange_app("Submit", settings)

        ok(api.generate_assignment("progress"))
        ok(api.release_assignment("progress"))

        # One-machine students: their own HOME, the students' config file, the commands they type.
        results: dict = {}
        for student, answers in CLI_STUDENTS.items():
            student_home = tmp / "homes" / student
            student_home.mkdir(parents=True)
            # as `coderpath course student-config --where ~/.jupyter` writes it (tests/app/test_course_cli.py)
            results[student, "config"] = write_student_config(exchange, str(student_home / ".jupyter"))
            ProgressStore(student_home / "coderpath" / DB_NAME).set_student_id(student)  # `coderpath student-id`
            results[student, "fetch"] = cli(
                ["nbgrader", "fetch_assignment", "step1-skills", "--course", COURSE_ID], home=student_home
            )
            fetched = student_home / "step1-skills" / "step1-skills.ipynb"
            answer(fetched, answers or solutions("step1-skills"))
            if student == "eve":  # what `nbgrader validate` (the Validate button) tells her
                eve_validate = Validator(config=config).validate(str(fetched))
            if student == "dee":  # the due date passes just before dee submits
                due = datetime.now(UTC).replace(microsecond=0)
                time.sleep(1.1)
                (course / "schedule.csv").write_text(
                    f"assignment,duedate\nstep1-skills,{due.isoformat()}\n"
                    + "".join(f"{a},2030-06-0{n}T23:59:00-04:00\n" for n, a in enumerate(ASSIGNMENTS[1:], start=1)),
                    encoding="utf-8",
                )
                results["schedule"] = cli(["coderpath", "course", "schedule", str(course)], cwd=course)
            results[student, "submit"] = cli(
                [
                    "nbgrader",
                    "submit",
                    "step1-skills",
                    "--course",
                    COURSE_ID,
                    f"--CourseDirectory.student_id={student}",
                ],
                home=student_home,
            )
            results[student, "progress"] = cli(
                ["coderpath", "submit-progress", "--", f"--CourseDirectory.student_id={student}"], home=student_home
            )
            work.append((student, "step1-skills", None, None))

        for assignment in [*ASSIGNMENTS, "progress"]:
            ok(api.collect(assignment))
        for student, assignment, _, _ in work:
            ok(api.autograde(assignment, student))

        # Hand grading, as in the formgrader: ada's reflections get full marks, ben's step 3 one gets 2 of 3.
        manual = {("ada", a, "reflection"): REFLECTION_POINTS[a] for a in ASSIGNMENTS}
        manual.update({("ben", a, cell): points for (a, cell), points in BEN_MANUAL.items()})
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            for (student, assignment, cell), points in manual.items():
                grade = gradebook.find_grade(cell, assignment, assignment, student)
                grade.manual_score = points
                grade.needs_manual_grade = False  # what the formgrader's save does (apihandlers.py)
            gradebook.db.commit()

        for assignment in ASSIGNMENTS:
            ok(api.generate_feedback(assignment))
            ok(api.release_feedback(assignment))

        export_csv = course / "grades.csv"
        exported = subprocess.run(
            [str(ENV_BIN / "nbgrader"), "export", "--to", str(export_csv)],
            cwd=course,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert exported.returncode == 0, exported.stderr
        results["grades"] = cli(
            ["coderpath", "grades", str(course), "--format", "wide", "-o", str(course / "grades-wide.csv")], cwd=course
        )
        for fmt in ("canvas", "moodle"):
            write_grades(course, course / f"grades-{fmt}.csv", fmt)
        results["item-analysis"] = cli(["coderpath", "item-analysis", str(course)], cwd=course)

    return Run(course, exchange, students, validation, export_csv, eve_validate, results)


# ------------------------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_is_clean_and_points_add_up(assignment):
    notebook = source_notebook(assignment)
    points = 0.0
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{grade_id(cell)}: clear outputs"
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            points += meta["points"]
    assert points == MAX_SCORE[assignment]
    assert (COURSE / "source" / assignment).is_dir() and not (ROOT / "notebooks" / f"{assignment}.ipynb").exists()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_version_has_no_solutions_hidden_tests_or_answers(run, assignment):
    released = run.exchange / COURSE_ID / "outbound" / assignment / f"{assignment}.ipynb"
    text = released.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "MARK SCHEME"):
        assert marker not in text
    for secret in secrets_of(assignment):
        assert secret not in text, f"{assignment}: the released notebook shows {secret!r}"
    notebook = nbformat.read(released, as_version=4)
    stubs = [cell.source for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert stubs and all("YOUR ANSWER HERE" in stub for stub in stubs)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_all_right_gets_full_marks(run, assignment):
    assert run.notebook_score(assignment, "ada") == (MAX_SCORE[assignment], MAX_SCORE[assignment])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_partly_right_gets_the_exact_score(run, assignment):
    assert run.notebook_score(assignment, "ben") == (BEN_SCORE[assignment], MAX_SCORE[assignment])


def test_edited_or_deleted_test_cells_are_put_back_before_grading(run):
    # Before submitting, `nbgrader validate` flags the edited test cell (it cannot see a deleted one).
    assert [cell["source"] for cell in run.validation["changed"]] == ['print("all good")']

    # The autograder restores both cells from the gradebook and runs them: the score reflects the answers.
    assert run.notebook_score("step3-certification", "cy") == (CY_SCORE, 8)
    graded = {grade_id(cell): cell for cell in run.autograded("step3-certification", "cy").cells}
    source = {grade_id(cell): cell for cell in source_notebook("step3-certification").cells}
    assert "was missing from the submission. It was added back by nbgrader." in graded["q1-check"].source
    assert graded["code1-check"].source == source["code1-check"].source  # hidden tests included
    assert any(output.get("ename") == "AssertionError" for output in graded["code1-check"].outputs)


def test_grades_export_to_csv_for_the_lms(run):
    with run.export_csv.open(newline="") as handle:
        rows = {
            (row["assignment"], row["student_id"]): row
            for row in csv.DictReader(handle)
            if row["assignment"] != "progress"
        }
    expected = {(a, "ada"): MAX_SCORE[a] for a in ASSIGNMENTS}
    expected.update({(a, "ben"): BEN_SCORE[a] for a in ASSIGNMENTS})
    for student in ("cy", "dee", "eve", "fay"):
        expected.update({(a, student): 0 for a in ASSIGNMENTS})  # no submission: nbgrader's export says 0
    expected[("step3-certification", "cy")] = CY_SCORE
    expected.update({("step1-skills", s): STEP1_AUTO[s] for s in ("eve", "fay")})
    expected[("step1-skills", "dee")] = STEP1_AUTO["dee"] - LATE_PENALTY
    assert {key: float(row["score"]) for key, row in rows.items()} == expected
    assert {float(row["max_score"]) for row in rows.values() if row["assignment"] == "practice-coding"} == {12.0}


def test_feedback_is_released_to_each_student(run):
    feedback = list((run.exchange / COURSE_ID / "feedback").glob("*.html"))
    assert len(feedback) == len(ASSIGNMENTS) * 2 + 1 + 3  # ada and ben: five each; cy, dee, eve, fay: one
    ben_step1 = (run.course / "feedback" / "ben" / "step1-skills" / "step1-skills.html").read_text()
    assert "Score: 4.0 / 8.0" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", ben_step1))


# ------------------------------------------------------------------ issue 13: from a private copy to the LMS


def test_course_init_copies_sources_and_settings_but_no_student_data(tmp_path):
    from coderpath_widgets.app.course import CourseError, init_course

    origin = tmp_path / "checkout" / "instructors" / "course"
    shutil.copytree(
        COURSE,
        origin,
        ignore=shutil.ignore_patterns(
            *[p.rstrip("/") for p in ("release", "submitted", "autograded", "feedback", "gradebook.db")]
        ),
    )
    for student_data in (
        "submitted/ada/step1-skills",
        "autograded/ada/step1-skills",
        "feedback/ada",
        "release/step1-skills",
    ):
        (origin / student_data).mkdir(parents=True)
    (origin / "gradebook.db").write_text("records", encoding="utf-8")

    target = tmp_path / "mine"
    written = {p.name for p in init_course(target, source=origin)}
    assert written == {"nbgrader_config.py", "schedule.csv", "README.md", "source", "templates", ".gitignore"}
    assert sorted(p.name for p in target.iterdir()) == sorted(written)
    assert (target / "source" / "practice-coding" / "practice-coding.ipynb").is_file()
    ignored = (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in ("gradebook.db", "/release/", "/submitted/", "/autograded/", "/feedback/", "/exchange/"):
        assert pattern in ignored  # anchored: source/<assignment>/ folders of the same names stay committed

    with pytest.raises(CourseError, match="not empty.*--force"):
        init_course(target, source=origin)
    init_course(target, source=origin, force=True)
    (tmp_path / "checkout" / ".git").mkdir()
    with pytest.raises(CourseError, match="inside the public checkout"):
        init_course(tmp_path / "checkout" / "my-course", source=origin)
    # The repository's own course ignores student data too.
    repo_ignored = (COURSE / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"gradebook.db", "/release/", "/submitted/", "/autograded/", "/feedback/"} <= set(repo_ignored)
    # ... and none of the course's own sources: the progress assignment lives in source/progress/.
    for notebook in sorted((COURSE / "source").glob("*/*.ipynb")):
        check = subprocess.run(["git", "check-ignore", "-q", str(notebook)], cwd=COURSE, check=False)
        assert check.returncode == 1, f"{notebook.relative_to(COURSE)} is ignored by git, so a clone lacks it"


def test_students_on_one_machine_need_only_the_student_config(run):
    for student in CLI_STUDENTS:
        for step in ("fetch", "submit", "progress"):
            result = run.cli[student, step]
            assert result.returncode == 0, f"{student} {step}: {result.stdout}{result.stderr}"
    config = (run.course.parent / "homes" / "eve" / ".jupyter" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert (
        f"c.Exchange.root = {str(run.exchange)!r}" in config and "c.CourseDirectory.course_id = 'coderpath'" in config
    )
    inbound = {path.name.split("+")[0] for path in (run.exchange / COURSE_ID / "inbound").iterdir()}
    assert {"ada", "ben", "cy", "dee", "eve", "fay"} <= inbound


def test_due_dates_come_from_the_schedule_and_late_work_loses_ten_percent_per_day(run):
    from nbgrader.api import Gradebook

    assert run.cli["schedule"].returncode == 0, run.cli["schedule"].stderr
    assert "5 due dates set" in run.cli["schedule"].stdout
    with Gradebook(f"sqlite:///{run.course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_assignment("practice-coding").duedate == datetime(2030, 6, 5, 3, 59)  # stored in UTC
        late = gradebook.find_submission("step1-skills", "dee")
        assert 0 < late.total_seconds_late < 24 * 3600
        assert (late.score, late.late_submission_penalty) == (STEP1_AUTO["dee"], LATE_PENALTY)
        for student in ("ada", "ben", "eve", "fay"):
            on_time = gradebook.find_submission("step1-skills", student)
            assert on_time.total_seconds_late == 0 and not on_time.late_submission_penalty


def test_a_bad_schedule_is_named_by_file_line_and_field(tmp_path):
    from coderpath_widgets.app.course import CourseError, read_schedule

    path = tmp_path / "schedule.csv"
    path.write_text(
        "assignment,duedate\nstep1-skills,2027-02-07 23:59\nstep2-education,next friday\n", encoding="utf-8"
    )
    with pytest.raises(CourseError) as error:
        read_schedule(path)
    assert str(error.value).splitlines() == [
        f"{path}:2 duedate: '2027-02-07 23:59' needs a UTC offset, e.g. 2027-02-01T23:59:00-05:00",
        f"{path}:3 duedate: 'next friday' is not a date and time (e.g. 2027-02-01T23:59:00-05:00)",
    ]


def test_the_always_equal_string_trick_passed_the_old_check_and_fails_now(run):
    namespace: dict = {}
    exec(TRICK + "\n" + OLD_CHECK, namespace)  # the check as it was: a wrong answer passes

    check = next(c.source for c in source_notebook("step1-skills").cells if grade_id(c) == "q1-check")
    namespace = {}
    exec(TRICK, namespace)
    with pytest.raises(AssertionError, match="Type one letter between the quotes"):
        exec(check, namespace)

    failed = run.eve_validate["failed"]  # Validate no longer says "Success!": question 1, and the empty reflection
    assert [cell["raw_error"] for cell in failed][1:] == ["You did not provide a response."], failed
    assert "assert type(answer_q1) is str" in failed[0]["source"], failed
    assert "Type one letter between the quotes" in failed[0]["raw_error"], failed
    assert run.notebook_score("step1-skills", "eve") == (STEP1_AUTO["eve"], 8)
    assert run.notebook_score("step1-skills", "fay") == (STEP1_AUTO["fay"], 8)


def read_csv_file(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no byte-order mark"
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))


def test_grades_for_the_lms_one_row_per_student_blank_when_never_collected(run):
    assert run.cli["grades"].returncode == 0, run.cli["grades"].stdout
    steps = ASSIGNMENTS  # in due-date order, as nbgrader lists them
    canvas = read_csv_file(run.course / "grades-canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *steps]
    assert {row[3]: row[5:] for row in canvas[1:]} == {
        "ada": ["8", "8", "8", "8", "12"],
        "ben": ["4", "1", "4", "2", "6"],
        "cy": ["", "", "2", "", ""],
        "dee": ["4.5", "", "", "", ""],
        "eve": ["4", "", "", "", ""],
        "fay": ["3", "", "", "", ""],
    }
    # Provisional: a reflection written but not graded yet (dee's). A reflection left as the stub is scored 0 by
    # nbgrader itself ("No response"), so ben's, cy's, eve's and fay's unwritten ones are final.
    pending = read_csv_file(run.course / "grades-canvas-provisional.csv")
    assert pending == [["SIS Login ID", "assignment"], ["dee", "step1-skills"]]
    moodle = read_csv_file(run.course / "grades-moodle.csv")
    assert moodle[0] == [
        "Username",
        "Email address",
        "First name",
        "Last name",
        *steps,
        "Provisional (ignore on import)",
    ]
    assert [(row[0], row[4], row[-1]) for row in moodle[1:]] == [
        ("ada", "8", ""),
        ("ben", "4", ""),
        ("cy", "", ""),
        ("dee", "4.5", "step1-skills"),
        ("eve", "4", ""),
        ("fay", "3", ""),
    ]
    assert (
        run.cli["grades"]
        .stdout.splitlines()[1]
        .endswith("1 provisional (waiting for hand grading), listed in the column 'provisional'.")
    )
    wide = read_csv_file(run.course / "grades-wide.csv")
    assert wide[0][-3:] == ["total", "max_total", "provisional"]
    assert {row[0]: row[-3:-1] for row in wide[1:]}["ben"] == ["17", "44"]
    assert "16 cells blank" in run.cli["grades"].stdout  # cy: 4, dee, eve, fay: 4 each


def test_grades_cells_are_spreadsheet_safe():
    from coderpath_widgets.features.grades import Gradesheet, StudentGrades, grade_rows

    sheet = Gradesheet(
        ["a1"], {"a1": 8.0}, [StudentGrades("=cmd|'/c calc'!A1", "Zoë", "@SUM(1)", "-x", "", {"a1": None})]
    )
    row = grade_rows(sheet, "moodle")[1]
    assert row[:4] == ["'=cmd|'/c calc'!A1", "'-x", "Zoë", "'@SUM(1)"] and row[4] == ""


def test_item_analysis_of_step1_has_the_exact_numbers(run):
    from coderpath_widgets.features.item_analysis import analyse

    assert run.cli["item-analysis"].returncode == 0, run.cli["item-analysis"].stdout
    items = {item.cell: item for item in analyse(run.course) if item.assignment == "step1-skills"}
    assert list(items) == ["q1-check", "q2-check", "q3-check", "code1-check", "reflection"]
    # step 1 submissions: ada (all right), ben, dee (all right, late), eve (trick on q1), fay (all "A")
    q1, q2, q3, code, reflection = items.values()
    assert (q1.graded, q1.mean_score, q1.full_marks_percent, q1.discrimination) == (5, 0.6, 60, 0.39)
    assert q1.common_wrong_answers == "(not plain text) (1); A (1)"
    assert (q2.mean_score, q2.full_marks_percent, q2.discrimination, q2.common_wrong_answers) == (
        0.6,
        60,
        0.39,
        "A (1); D (1)",
    )
    assert (q3.mean_score, q3.full_marks_percent, q3.discrimination, q3.common_wrong_answers) == (1, 100, None, "")
    assert (code.max_points, code.mean_score, code.full_marks_percent) == (2, 2, 100)
    # ada's graded 3; ben's, eve's and fay's left as the stub, 0 from nbgrader; dee's waits for hand grading
    assert (reflection.kind, reflection.graded, reflection.mean_score, reflection.full_marks_percent) == (
        "manual",
        4,
        0.75,
        25,
    )
    text = (run.course / "item-analysis.csv").read_text(encoding="utf-8-sig")
    assert "step1-skills,step1-skills,q1-check,auto,1,5,0.6,60,0.39,(not plain text) (1); A (1)" in text


def test_item_analysis_widget_shows_the_same_table(run):
    from coderpath_widgets import show_item_analysis

    widget = show_item_analysis(str(run.course))
    assert any(row["cell"] == "q1-check" and row["discrimination"] == 0.39 for row in widget.items)
    widget.course_input.value = str(run.course / "nowhere")
    widget.build_button.click()
    assert widget.items == [] and "no gradebook.db" in widget.output.value


def test_progress_reaches_the_instructor_through_the_exchange_and_joins_the_roster(run):
    collected = sorted(
        str(p.relative_to(run.course / "submitted")) for p in (run.course / "submitted").rglob("progress.json")
    )
    assert collected == ["dee/progress/progress.json", "eve/progress/progress.json", "fay/progress/progress.json"]
    reported = cli(["coderpath", "course", "progress", str(run.course)], cwd=run.course)
    assert reported.returncode == 0, reported.stdout + reported.stderr
    assert reported.stdout.splitlines()[:2] == [
        f"3 progress files from {run.course}/submitted (run `nbgrader collect progress` first).",
        f"6 learners in {run.course / 'progress' / 'class-report.csv'}",
    ]
    rows = list(csv.DictReader((run.course / "progress" / "class-report.csv").open(encoding="utf-8-sig")))
    assert [(r["student_id"], r["in_roster"], r["file"]) for r in rows] == [
        ("ada", "yes", ""),
        ("ben", "yes", ""),
        ("cy", "yes", ""),
        ("dee", "yes", "dee.json"),
        ("eve", "yes", "eve.json"),
        ("fay", "yes", "fay.json"),
    ]


def test_feedback_loads_no_script_from_outside(run):
    pages = list((run.course / "feedback").rglob("*.html"))
    assert len(pages) == 14
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.findall(r"""<script[^>]*\bsrc=["']?(?:https?:)?//""", text), page
        assert "cdnjs" not in text and "cdn.jsdelivr" not in text, page
        assert "/static/jupyter_server_mathjax/MathJax.js" in text
