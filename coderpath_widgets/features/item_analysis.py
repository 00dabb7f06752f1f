"""Item analysis: how the class did on every graded cell, from nbgrader's gradebook.

For each graded cell (knowledge check, code exercise, reflection): how many submissions were graded, the mean
score, the share of full marks, the discrimination (Pearson correlation of the cell's score with the rest of the
notebook's score, across students) and, for answer questions, the most common wrong answers. Answers are read
from the graded notebooks in ``autograded/``: the cell ``qN-answer`` or ``codeN-answer`` that belongs to the
check ``qN-check`` / ``codeN-check``. An answer that is not a plain text literal (``answer_q1 = "B"``) is shown
as ``(not plain text)``: a sign of code written into an answer cell.

``coderpath item-analysis COURSE [-o FILE]`` writes the CSV; ``show_item_analysis()`` returns the widget for
instructors/item-analysis.ipynb.
"""

from __future__ import annotations

import ast
import csv
import io
import os
import statistics
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.ui.folder_report import FolderReport
from coderpath_widgets.ui.format import plural
from coderpath_widgets.ui.spreadsheet import csv_download_link

COURSE_ENV = "CODERPATH_COURSE"
NOT_PLAIN = "(not plain text)"
TOP_WRONG = 3


class ItemAnalysisError(Exception):
    """A plain message for the instructor."""


@dataclass(frozen=True)
class Item:
    assignment: str
    notebook: str
    cell: str
    kind: str  # "auto" (a test cell) or "manual" (graded by hand)
    max_points: float
    graded: int  # submissions with a score for this cell
    mean_score: float | None
    full_marks_percent: float | None
    discrimination: float | None  # None: undefined (fewer than 3 students, or no spread)
    common_wrong_answers: str  # "D (2); A (1)"


def answer_cell_name(check: str) -> str:
    """``q1-check`` → ``q1-answer``."""
    return check.removesuffix("-check") + "-answer"


def answer_value(source: str) -> str:
    """The answer typed in an answer cell, as graded: the last ``name = "text"`` literal, trimmed, upper case.

    >>> answer_value('answer_q1 = " b "  # one letter')
    'B'
    >>> answer_value('class S(str):\\n    def __eq__(self, other): return True\\nanswer_q1 = S("A")')
    '(not plain text)'
    >>> answer_value('answer_q1 = ""')
    ''
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return NOT_PLAIN
    value = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                value = node.value.value.strip().upper()
            else:
                return NOT_PLAIN
        elif not isinstance(node, ast.Expr | ast.Pass):
            return NOT_PLAIN
    return value if value is not None else NOT_PLAIN


def discrimination(item_scores: list[float], rest_scores: list[float]) -> float | None:
    """Pearson r between a cell's scores and the rest of each student's score; None when undefined.

    >>> discrimination([1, 1, 0, 0], [6, 5, 2, 1])
    0.97
    >>> discrimination([1, 1, 1], [3, 2, 1]) is None
    True
    """
    if len(item_scores) < 3 or len(set(item_scores)) < 2 or len(set(rest_scores)) < 2:
        return None
    return round(statistics.correlation(item_scores, rest_scores), 2)


def _graded_sources(course: Path, student: str, assignment: str, notebook: str) -> dict[str, str]:
    import nbformat

    path = course / "autograded" / student / assignment / f"{notebook}.ipynb"
    if not path.is_file():
        return {}
    nb = nbformat.read(path, as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade_id")
    }


def analyse(course: str | os.PathLike[str]) -> list[Item]:
    """Every graded cell of every assignment in the course's gradebook, in notebook order."""
    from nbgrader.api import Gradebook

    course = Path(course)
    database = course / "gradebook.db"
    if not database.is_file():
        raise ItemAnalysisError(f"{course}: no gradebook.db here; give the course folder (where you run nbgrader)")
    items: list[Item] = []
    with Gradebook(f"sqlite:///{database}") as gradebook:
        for assignment in gradebook.assignments:
            for notebook in assignment.notebooks:
                cells = sorted(notebook.grade_cells, key=lambda c: c.id)
                order = {c.name: n for n, c in enumerate(_source_order(course, assignment.name, notebook.name, cells))}
                per_cell: dict[str, list[tuple[float, float, str]]] = {c.name: [] for c in cells}
                for submitted in notebook.submissions:
                    sources = _graded_sources(course, submitted.student.id, assignment.name, notebook.name)
                    for grade in submitted.grades:
                        if grade.auto_score is None and grade.manual_score is None:
                            continue  # waiting for hand grading
                        answer = sources.get(answer_cell_name(grade.name))
                        per_cell[grade.name].append(
                            (grade.score, submitted.score - grade.score, "" if answer is None else answer_value(answer))
                        )
                for cell in sorted(cells, key=lambda c: order.get(c.name, len(order))):
                    items.append(_item(assignment.name, notebook.name, cell, per_cell[cell.name]))
    return items


def _source_order(course: Path, assignment: str, notebook: str, cells: list) -> list:
    """Grade cells in the order of the source notebook (the gradebook keeps no order)."""
    import nbformat

    path = course / "source" / assignment / f"{notebook}.ipynb"
    if not path.is_file():
        return cells
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nbformat.read(path, as_version=4).cells]
    by_name = {c.name: c for c in cells}
    return [by_name[i] for i in ids if i in by_name] + [c for c in cells if c.name not in ids]


def _item(assignment: str, notebook: str, cell, rows: list[tuple[float, float, str]]) -> Item:
    kind = "auto" if cell.cell_type == "code" else "manual"
    scores = [score for score, _, _ in rows]
    wrong = Counter(answer for score, _, answer in rows if score < cell.max_score and answer)
    return Item(
        assignment=assignment,
        notebook=notebook,
        cell=cell.name,
        kind=kind,
        max_points=cell.max_score,
        graded=len(rows),
        mean_score=round(statistics.fmean(scores), 2) if scores else None,
        full_marks_percent=round(100 * sum(s >= cell.max_score for s in scores) / len(scores)) if scores else None,
        discrimination=discrimination(scores, [rest for _, rest, _ in rows]),
        common_wrong_answers="; ".join(
            f"{answer} ({n})" for answer, n in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_WRONG]
        ),
    )


COLUMNS = [
    "assignment",
    "notebook",
    "cell",
    "kind",
    "max_points",
    "graded",
    "mean_score",
    "full_marks_percent",
    "discrimination",
    "common_wrong_answers",
]


def items_csv(items: list[Item]) -> str:
    """The report as CSV text with a byte-order mark (spreadsheet-safe cells)."""
    from coderpath_widgets.features.grades import BOM, number, safe_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        row = asdict(item)
        writer.writerow(
            [
                safe_cell(row[c]) if isinstance(row[c], str) else ("" if row[c] is None else number(row[c]))
                for c in COLUMNS
            ]
        )
    return BOM + buffer.getvalue()


def run_item_analysis(course: str, output: str | None) -> int:
    """``coderpath item-analysis COURSE``: write the CSV (default COURSE/item-analysis.csv)."""
    try:
        items = analyse(course)
    except ItemAnalysisError as error:
        print(error)
        return 2
    output = output or str(Path(course) / "item-analysis.csv")
    Path(output).write_text(items_csv(items), encoding="utf-8", newline="")
    hardest = sorted((i for i in items if i.full_marks_percent is not None), key=lambda i: i.full_marks_percent or 0.0)[
        :3
    ]
    print(f"{plural(len(items), 'graded cell')} in {output}.")
    for item in hardest:
        print(
            f"  {item.assignment} {item.cell}: {item.full_marks_percent}% full marks; "
            f"wrong: {item.common_wrong_answers or '-'}"
        )
    return 0


class ItemAnalysis(FolderReport):
    """The item-analysis table for instructors, under Voilà or in JupyterLab."""

    TITLE = "Item analysis"
    SUBTITLE = "Which questions the class got wrong, and with which answers. From your gradebook."
    FOLDER_LABEL = "Course folder"
    BUTTON_LABEL = "Analyse"

    items = traitlets.List()

    @property
    def course(self) -> str:
        """The course folder last read (the panel's :attr:`folder`)."""
        return self.folder

    @property
    def course_input(self) -> widgets.Text:
        """The course folder's box (the panel's :attr:`folder_input`)."""
        return self.folder_input

    def ready(self, folder: Path) -> bool:
        return (folder / "gradebook.db").is_file()

    def report(self, folder: str) -> str:
        """The table of every graded cell of the course in ``folder``."""
        try:
            items = analyse(folder)
        except ItemAnalysisError as error:
            self.items = []
            return ui.notice(str(error), "error")
        self.items = [asdict(i) for i in items]
        header = [
            "Assignment",
            "Cell",
            "Kind",
            "Points",
            "Graded",
            "Mean",
            "Full marks %",
            "Discrimination",
            "Most common wrong answers",
        ]
        rows = [
            [
                i.assignment,
                i.cell,
                i.kind,
                f"{i.max_points:g}",
                i.graded,
                "" if i.mean_score is None else f"{i.mean_score:g}",
                "" if i.full_marks_percent is None else i.full_marks_percent,
                "–" if i.discrimination is None else f"{i.discrimination:.2f}",
                i.common_wrong_answers,
            ]
            for i in items
        ]
        return (
            f"<p><b>{plural(len(items), 'graded cell')}</b>. Discrimination near 0 or below: the question does not "
            "separate students who did well overall from the others; check its wording and its answer key.</p>"
            f'<div style="overflow-x:auto;max-width:100%">{ui.table(header, rows)}</div>'
            f"<p>{csv_download_link(items_csv(items), 'item-analysis.csv', 'Download as CSV')}</p>"
        )


def show_item_analysis(course: str | None = None) -> ItemAnalysis:
    """The item-analysis widget; the course folder defaults to ``$CODERPATH_COURSE`` or the current folder."""
    return ItemAnalysis(course if course is not None else os.environ.get(COURSE_ENV, "."))
