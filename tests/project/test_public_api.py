"""The notebooks' API: factory names are verbs, load on first use, and editors can see them."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import coderpath_widgets

ROOT = Path(__file__).resolve().parents[2]
INIT = ROOT / "coderpath_widgets" / "__init__.py"
#: what a learner or instructor does with each factory
VERBS = {"compare", "drill", "find", "load", "plan", "practice", "show", "take", "track"}


def test_every_factory_is_named_by_a_verb():
    not_verbs = [name for name in coderpath_widgets._FACTORIES if name.split("_")[0] not in VERBS]
    assert not not_verbs, f"name these factories by what the learner does: {not_verbs}"
    assert coderpath_widgets.__all__ == sorted(coderpath_widgets._FACTORIES)


def test_each_factory_comes_from_the_module_named_for_it():
    for name, module in coderpath_widgets._FACTORIES.items():
        factory = getattr(coderpath_widgets, name)
        assert callable(factory), name
        assert factory.__module__.startswith(f"coderpath_widgets.{module}"), (name, factory.__module__)


def test_old_names_still_work_for_one_release():
    for old, new in coderpath_widgets._RENAMED.items():
        assert old not in coderpath_widgets._FACTORIES and new in coderpath_widgets._FACTORIES
        assert getattr(coderpath_widgets, old) is getattr(coderpath_widgets, new)
        assert old in (INIT.read_text(encoding="utf-8").split('"""')[1]), f"the module docstring notes {old}"


def test_editors_see_every_factory_and_old_name():
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    (block,) = [n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"]
    seen = {alias.asname or alias.name for node in block.body for alias in node.names}
    assert seen == set(coderpath_widgets._FACTORIES) | set(coderpath_widgets._RENAMED)


def test_notebooks_call_the_current_names():
    notebooks = [*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "instructors").glob("*.ipynb")]
    assert notebooks
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.ImportFrom) and node.module == "coderpath_widgets":
                    names = {a.name for a in node.names}
                    assert names <= set(coderpath_widgets._FACTORIES), (path.name, names)
