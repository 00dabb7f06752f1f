"""The nbgrader course in instructors/course, end to end, as a class would use it.

In a tmp copy of the course: generate and release every assignment to a local exchange; three students
fetch, answer and submit; collect; autograde; grade the reflections by hand; export the gradebook to CSV;
generate and release feedback. Students:

- ada answers everything right (her answers are the solutions written in the source notebooks),
- ben gets some right and some wrong (exact scores below),
- cy tampers with step 3: deletes one test cell and rewrites another to pass.

Everything runs in this process through nbgrader's Python API (``NbGraderAPI`` and the exchange classes);
only ``nbgrader export`` runs as the command instructors type.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

pytestmark = [
    pytest.mark.nbgrader,
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

    def notebook_score(self, assignment: str, student: str) -> tuple[float, float]:
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}") as gradebook:
            submitted = gradebook.find_submission_notebook(assignment, assignment, student)
            return submitted.score, submitted.max_score

    def autograded(self, assignment: str, student: str) -> nbformat.NotebookNode:
        path = self.course / "autograded" / student / assignment / f"{assignment}.ipynb"
        return nbformat.read(path, as_version=4)


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

        for assignment in ASSIGNMENTS:
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

    return Run(course, exchange, students, validation, export_csv)


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
        rows = {(row["assignment"], row["student_id"]): row for row in csv.DictReader(handle)}
    expected = {(a, "ada"): MAX_SCORE[a] for a in ASSIGNMENTS}
    expected.update({(a, "ben"): BEN_SCORE[a] for a in ASSIGNMENTS})
    expected.update({(a, "cy"): 0 for a in ASSIGNMENTS})  # no submission: 0
    expected[("step3-certification", "cy")] = CY_SCORE
    assert {key: float(row["score"]) for key, row in rows.items()} == expected
    assert {float(row["max_score"]) for row in rows.values() if row["assignment"] == "practice-coding"} == {12.0}


def test_feedback_is_released_to_each_student(run):
    feedback = list((run.exchange / COURSE_ID / "feedback").glob("*.html"))
    assert len(feedback) == len(ASSIGNMENTS) * 2 + 1  # ada and ben: five each; cy: one
    ben_step1 = (run.course / "feedback" / "ben" / "step1-skills" / "step1-skills.html").read_text()
    assert "Score: 4.0 / 8.0" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", ben_step1))
