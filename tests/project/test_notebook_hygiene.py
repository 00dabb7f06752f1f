"""Notebooks are committed clean and thin: no outputs or widget state; code cells only call the package."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAME = re.compile(r"^\d\d-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$")
PATHLIKE = re.compile(r"(\.csv|\.json|\.sqlite|\.ipynb|/|\\)")


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ must hold the workbook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_name_is_numbered_kebab_case(path):
    assert NAME.match(path.name), f"{path.name}: name it NN-kebab-case.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_counts_or_widget_state(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for n, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {n}: has outputs"
            assert cell.get("execution_count") is None, f"{path.name} cell {n}: has an execution count"
    assert "widgets" not in nb.get("metadata", {}), f"{path.name}: saved widget state in metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_only_call_the_package(path):
    for n, source in enumerate(code_cells(path)):
        tree = ast.parse(source)
        where = f"{path.name} code cell {n}"
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda), (
                f"{where}: defines a function"
            )
            assert not isinstance(node, ast.ClassDef), f"{where}: defines a class"
            if isinstance(node, ast.Import):
                raise AssertionError(f"{where}: use 'from coderpath_widgets import …' only")
            if isinstance(node, ast.ImportFrom):
                assert node.module == "coderpath_widgets", f"{where}: imports from {node.module}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not PATHLIKE.search(node.value), f"{where}: looks like a file path: {node.value!r}"
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                assert name not in {"read_csv", "open", "eval", "exec", "display", "Path"}, f"{where}: uses {name}"
        body = tree.body
        if all(isinstance(s, ast.ImportFrom) for s in body):
            continue
        assert len(body) == 1, f"{where}: one call per cell"
        assert isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call), f"{where}: must be one call"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_written_for_a_reader_who_never_sees_code(path):
    """Voilà hides code: the text never asks the reader to run cells, and every page starts with its H1 title."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    markdown = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert markdown and markdown[0].startswith("# "), f"{path.name}: the first cell must be the H1 title"
    for text in markdown:
        lowered = text.lower()
        for phrase in ("run the cell", "cell below", "execute the cell", "shift+enter", "shift-enter"):
            assert phrase not in lowered, f"{path.name}: says {phrase!r}"
