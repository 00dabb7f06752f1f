"""What a learner reads never talks about how the workbook was made.

The workbook was built from a source article and checked by research; that history belongs in commits and in
``shared/research``, not on a page. Checked here: every notebook's markdown, every string the widgets show
(labels, options, placeholders, HTML), and every data column that a page shows.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import ipywidgets as widgets
import pytest

import coderpath_widgets
from coderpath_widgets.content.dataset import load_dataset

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

#: Research and process language: who wrote what first, what was checked, how figures were arrived at.
FORBIDDEN = (
    "seed article",
    "the article",
    "an article",
    "some articles",
    "in the article",
    "article order",
    "started from",
    "counted by the research",
    "the research",
    "our research",
    "planning estimate",
    "not a sourced",
    "sources read",
    "our data",
    "fact row",
    "data row",
)
PATTERN = re.compile("|".join(re.escape(p) for p in FORBIDDEN), re.IGNORECASE)

#: Columns no page shows: identifiers, machine vocabularies and file names.
HIDDEN_COLUMNS = frozenset({"id", "notebook", "source_kind", "as_of", "case_id", "step_id", "chapter"})

#: The public factories, called as a notebook calls them (positional arguments where a page passes any).
FACTORY_CALLS = {
    "show_checklist": ("skills",),
    "compare_careers": (),
    "compare_certifications": (),
    "find_certification_fit": (),
    "drill_terminology": (),
    "plan_courses": (),
    "practice_coding_cases": (),
    "show_code_lookup": (),
    "show_code_sets": (),
    "show_dashboard": (),
    "show_path_overview": (),
    "show_practice_progress": (),
    "show_profile": (),
    "show_programs": (),
    "take_quiz": (),
    "track_job_search": (),
}


def hits(text: str) -> list[str]:
    """The forbidden phrases in ``text``.

    >>> hits("The article this workbook started from")
    ['The article', 'started from']
    """
    return [m.group(0) for m in PATTERN.finditer(text)]


def widget_strings(widget: widgets.Widget) -> list[str]:
    """Every string a widget tree shows: descriptions, values of text and HTML, options, placeholders, tooltips."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, widgets.Widget):
            for name in ("description", "placeholder", "tooltip"):
                value = getattr(node, name, None)
                if isinstance(value, str):
                    out.append(value)
            if isinstance(node, widgets.HTML | widgets.HTMLMath | widgets.Label | widgets.Text | widgets.Textarea):
                out.append(str(node.value))
            labels = getattr(node, "_options_labels", None)
            if labels:
                out.extend(str(label) for label in labels)
            titles = getattr(node, "titles", None)
            if titles:
                out.extend(str(t) for t in titles if t)
            for child in getattr(node, "children", ()):
                walk(child)

    walk(widget)
    return out


def test_the_pattern_catches_each_phrase():
    for phrase in FORBIDDEN:
        assert hits(f"x {phrase.upper()} y"), phrase


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_markdown_has_no_research_language(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = [
        (n, hit)
        for n, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "markdown"
        for hit in hits("".join(cell["source"]))
    ]
    assert found == [], f"{path.name}: research or process language in markdown cells: {found}"


def test_shown_data_columns_have_no_research_language():
    dataset = load_dataset()
    found = []
    for field in dataclasses.fields(dataset):
        rows = getattr(dataset, field.name)
        if not isinstance(rows, tuple):
            continue
        for row in rows:
            for column in dataclasses.fields(row):
                value = getattr(row, column.name)
                if column.name in HIDDEN_COLUMNS or not isinstance(value, str):
                    continue
                found += [f"{field.name}.csv row {row.id} column {column.name}: {hit!r}" for hit in hits(value)]
    assert found == [], "research or process language in data a page shows:\n" + "\n".join(found)


@pytest.mark.parametrize("factory", sorted(FACTORY_CALLS))
def test_widget_text_has_no_research_language(factory):
    widget = getattr(coderpath_widgets, factory)(*FACTORY_CALLS[factory])
    found = [hit for text in widget_strings(widget) for hit in hits(text)]
    assert found == [], f"{factory}(): research or process language in what it shows: {found}"


#: For instructors and for exploring the data in JupyterLab, not pages a learner reads.
NOT_LEARNER_PAGES = frozenset({"show_class_report", "load_class_report", "load_table", "show_item_analysis"})


def test_every_public_factory_is_checked():
    assert set(FACTORY_CALLS) >= set(coderpath_widgets.__all__) - NOT_LEARNER_PAGES
