"""Small helpers for widget tests: read what a widget tree shows; write a fixture data folder; make a learner's
progress export."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import ipywidgets as widgets

from coderpath_widgets.content.loaders import column_names
from coderpath_widgets.content.models import TABLES
from coderpath_widgets.progress.store import ProgressStore


def html_of(widget: widgets.Widget) -> str:
    """Every HTML fragment a widget tree shows, joined by newlines."""
    parts = []

    def walk(node):
        if isinstance(node, widgets.HTML):
            parts.append(node.value)
        for child in getattr(node, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(parts)


def write_tables(directory: Path, content: dict[str, list[dict[str, str]]]) -> Path:
    """A complete data folder: one CSV per model, with ``content[table]`` as its rows."""
    directory.mkdir(parents=True, exist_ok=True)
    for table, model in TABLES.items():
        with open(directory / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=column_names(model), restval="")
            writer.writeheader()
            writer.writerows(content[table])
    return directory


#: A source every fixture row may cite: a named document of an official owner (see content/sources.py).
SOURCE = "AHIMA (test fixture)"
#: an ``as_of`` that is current, one that is stale, and a string that must come out escaped
FRESH = str(date.today().year)
OLD = "2019"
SCRIPT = "<script>alert(1)</script>"


def unrelated_tables(as_of: str) -> dict[str, list[dict[str, str]]]:
    """One valid row for each table a widget test does not look at (a step and its checklist, programs, courses,
    practice, study data)."""
    return {
        "steps": [
            dict(
                id="certification",
                number="3",
                title="Get certified",
                subtitle="s",
                notebook="03-get-certified.ipynb",
                summary="s",
                time_minutes="30",
            )
        ],
        "checklist_items": [
            dict(
                id="c1",
                step_id="certification",
                section="S",
                order="1",
                title="t",
                detail="d",
                source_kind="official",
                source=SOURCE,
                as_of=as_of,
            )
        ],
        "programs": [
            dict(id="aas", name="AAS in HIT", award="associate", source_kind="official", source=SOURCE, as_of=as_of)
        ],
        "courses": [
            dict(
                id="terms",
                name="Terminology",
                description="d",
                planning_hours="40",
                planning_basis="b",
                evidence="e",
                source_kind="official",
                source=SOURCE,
                as_of=as_of,
            )
        ],
        "practice_cases": [
            dict(
                id="p1",
                chapter="1",
                difficulty="easy",
                title="t",
                note="n",
                first_listed="A00.0",
                rationale="r",
                guideline="g",
                source=SOURCE,
                as_of=as_of,
            )
        ],
        "word_parts": [
            dict(
                id="w1",
                part="cardi/o",
                kind="combining_form",
                root="cardi",
                meaning="heart",
                example_term="cardiology",
                example_meaning="study of the heart",
                body_system="cardiovascular",
                source=SOURCE,
            )
        ],
        "quiz_questions": [
            dict(
                id="q1",
                domain="guidelines",
                question="q",
                choice_a="a",
                choice_b="b",
                answer="A",
                rationale="r",
                source=SOURCE,
                as_of=as_of,
            )
        ],
    }


def rewrite_csv(path: Path, change) -> None:
    """Read a CSV as dict rows, let ``change(rows)`` edit them in place, and write it back with the same header."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    change(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def export_for(folder: Path, profile: str, ticks: int, cases: list[bool], quiz: float | None = None) -> dict:
    """The progress export of a learner who ticked the first ``ticks`` Step 1 items (of the shipped data),
    answered one practice case per entry of ``cases`` (right or wrong) and, with ``quiz``, took the quiz once."""
    from coderpath_widgets.content.dataset import load_dataset

    store = ProgressStore(folder / f"{profile}.sqlite3", profile=profile)
    for item in load_dataset().checklist("skills")[:ticks]:
        store.set("checklist", item.id, {"done": True, "note": ""})
    for n, correct in enumerate(cases):
        store.add_event("case_attempt", {"case_id": f"case-{n}", "chapter": 9, "correct": correct})
    if quiz is not None:
        store.add_event("quiz_attempt", {"score": quiz})
    data = store.export_data()
    store.close()
    return data
