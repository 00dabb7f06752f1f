"""Item analysis on a small gradebook written here (the whole nbgrader course runs in tests/e2e)."""

from __future__ import annotations

import base64
import csv
import io
import re

import nbformat
import pytest

from coderpath_widgets.features.item_analysis import analyse, items_csv, show_item_analysis

nbgrader_api = pytest.importorskip("nbgrader.api")
# nbgrader's own add_submission warns about its session while it fills the gradebook
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

#: student → (q1 score, code1 score, the q1 answer cell's source)
SUBMISSIONS = {
    "ana": (1, 2, 'answer_q1 = "a"'),
    "ben": (0, 1, 'answer_q1 = "<b>x</b>"'),
    "cy": (0, 0, "answer_q1 = pick()"),
}


def notebook(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    """A notebook of code cells, each ``(grade_id, source)``."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade_id": id}}) for id, source in cells]
    return nb


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course folder: a gradebook with one assignment of three graded cells, three students' graded notebooks."""
    # a new gradebook asks the ``alembic`` command for its schema version; these tests never read it
    monkeypatch.setattr(nbgrader_api, "get_alembic_version", lambda: "test-fixture")
    with nbgrader_api.Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment("step1")
        gradebook.add_notebook("step1", "step1")
        gradebook.add_grade_cell("q1-check", "step1", "step1", max_score=1, cell_type="code")
        gradebook.add_grade_cell("code1-check", "step1", "step1", max_score=2, cell_type="code")
        gradebook.add_grade_cell("reflection", "step1", "step1", max_score=1, cell_type="markdown")
        for student, (q1, code1, answer) in SUBMISSIONS.items():
            gradebook.add_student(student)
            gradebook.add_submission("step1", student)
            gradebook.find_grade("q1-check", "step1", "step1", student).auto_score = q1
            gradebook.find_grade("code1-check", "step1", "step1", student).auto_score = code1
            graded = tmp_path / "autograded" / student / "step1" / "step1.ipynb"
            graded.parent.mkdir(parents=True)
            nbformat.write(notebook(("q1-answer", answer), ("q1-check", "assert ok")), graded)
        gradebook.db.commit()  # the reflection is not graded by hand yet
    source = tmp_path / "source" / "step1" / "step1.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(notebook(("code1-check", ""), ("q1-answer", ""), ("q1-check", ""), ("reflection", "")), source)
    return tmp_path


def test_every_graded_cell_in_source_order_with_scores_discrimination_and_wrong_answers(course):
    items = {item.cell: item for item in analyse(course)}
    assert [item.cell for item in analyse(course)] == ["code1-check", "q1-check", "reflection"]
    q1 = items["q1-check"]
    assert (q1.kind, q1.max_points, q1.graded, q1.mean_score, q1.full_marks_percent) == ("auto", 1, 3, 0.33, 33)
    # q1 scores 1, 0, 0 against the rest of each notebook 2, 1, 0: Pearson r = 1 / sqrt(4/3) = 0.866
    assert q1.discrimination == 0.87
    assert q1.common_wrong_answers == "(not plain text) (1); <B>X</B> (1)"  # the right answer is not listed
    code1 = items["code1-check"]
    assert (code1.mean_score, code1.full_marks_percent, code1.common_wrong_answers) == (1, 33, "")
    reflection = items["reflection"]
    assert (reflection.kind, reflection.graded, reflection.mean_score, reflection.discrimination) == (
        "manual",
        0,
        None,
        None,
    )


def test_the_widget_shows_the_table_escaped_and_a_plain_message_for_a_folder_without_a_gradebook(course, tmp_path):
    widget = show_item_analysis(str(course))
    assert [row["cell"] for row in widget.items] == ["code1-check", "q1-check", "reflection"]
    assert widget.course == str(course)
    assert "<b>3 graded cells</b>" in widget.output.value
    assert "&lt;B&gt;X&lt;/B&gt; (1)" in widget.output.value and "<B>X</B>" not in widget.output.value
    payload = re.search(
        r'download="item-analysis.csv" href="data:text/csv;charset=utf-8;base64,([^"]+)"', widget.output.value
    )
    assert payload and base64.b64decode(payload.group(1)).decode("utf-8") == items_csv(analyse(course))
    widget.course_input.value = str(tmp_path / "nowhere")
    widget.build_button.click()
    assert widget.items == [] and "no gradebook.db here" in widget.output.value
    assert widget.course == str(tmp_path / "nowhere")


def test_the_csv_has_one_row_a_cell_and_is_safe_to_open_in_a_spreadsheet(course):
    text = items_csv(analyse(course))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [row["cell"] for row in rows] == ["code1-check", "q1-check", "reflection"]
    assert rows[1]["discrimination"] == "0.87" and rows[2]["mean_score"] == ""


def test_a_folder_given_without_a_gradebook_is_not_read_until_asked(tmp_path):
    widget = show_item_analysis(str(tmp_path))
    assert widget.items == [] and widget.output.value == ""
    widget.build_button.click()
    assert "no gradebook.db here" in widget.output.value
