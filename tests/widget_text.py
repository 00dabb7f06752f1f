"""Small helpers for widget tests: read what a widget tree shows; write a fixture data folder."""

from __future__ import annotations

import csv
from pathlib import Path

import ipywidgets as widgets

from coderpath_widgets.loaders import column_names
from coderpath_widgets.models import TABLES


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
