"""The package's layers hold: read every module's imports (with ``ast``) and fail on a broken rule.

The layers, lowest first: ``paths`` < ``content`` < ``progress`` < ``icd`` < ``ui`` < ``features`` <
``dashboard`` < ``app``. A module may import its own layer and the layers below it, never one above. Two
layers are narrower still: ``icd`` imports only ``content`` and ``paths``, and ``progress`` (which holds the
store) never imports ``icd``, ``ui``, ``features``, ``dashboard`` or ``app``. The package root
(``coderpath_widgets/__init__.py``) is the notebooks' facade on top of everything; no module imports it,
except for its ``__version__``.

Every import counts: module level, inside functions, ``importlib.import_module("...")`` with a literal
name. Imports under ``if TYPE_CHECKING:`` never run, so they do not make a cycle, but they still may not
reach a higher layer. Each failure names the module, the line and the rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "coderpath_widgets"

#: lowest first; a module may import only its own layer and those before it
LAYERS = ("paths", "content", "progress", "icd", "ui", "features", "dashboard", "app")
#: layers narrower than their place in the order
ONLY = {"icd": {"icd", "content", "paths"}}
NEVER = {"progress": {"icd", "ui", "features", "dashboard", "app"}}


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target`` at ``line``; ``runtime`` is False under ``if TYPE_CHECKING:``."""

    source: str
    target: str
    line: int
    runtime: bool


def module_names(package_dir: Path, package: str) -> dict[str, Path]:
    """Every module of the package by dotted name (a package is its ``__init__``)."""
    out = {}
    for path in sorted(package_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([package, *parts])] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, runtime: bool = True):
    """Every node with whether it runs (False inside ``if TYPE_CHECKING:``)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for inner in child.body:
                yield inner, False
                yield from _walk(inner, False)
            for inner in child.orelse:
                yield inner, runtime
                yield from _walk(inner, runtime)
            continue
        yield child, runtime
        yield from _walk(child, runtime)


def imports_of(name: str, path: Path, modules: dict[str, Path], package: str) -> list[Edge]:
    """The package modules one module imports, each with its line."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    edges = []

    def resolve(target: str, line: int, runtime: bool) -> None:
        # "from a.b import c": c may be a module of its own; else the name comes from a.b
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            edges.append(Edge(name, target, line, runtime))

    for node, runtime in _walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == package or alias.name.startswith(package + "."):
                    resolve(alias.name, node.lineno, runtime)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if module != package and not module.startswith(package + "."):
                continue
            for alias in node.names:
                if module == package and alias.name.startswith("__"):
                    continue  # the root's metadata (``__version__``) imports nothing else
                full = f"{module}.{alias.name}"
                resolve(full if full in modules else module, node.lineno, runtime)
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "import_module" and node.args and isinstance(node.args[0], ast.Constant):
                target = node.args[0].value
                if isinstance(target, str) and (target == package or target.startswith(package + ".")):
                    resolve(target, node.lineno, runtime)
    return edges


def layer_of(module: str, package: str) -> str:
    """``coderpath_widgets.features.planner.render`` → ``features``; the root itself → ``root``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def rule_broken(source_layer: str, target_layer: str) -> str | None:
    """Why ``source_layer`` may not import ``target_layer``, or None when it may."""
    if target_layer == "root":
        return "no module imports the package root (the notebooks' facade); import the module that does the work"
    if source_layer == "root" or source_layer == target_layer:
        return None
    if source_layer not in LAYERS:
        return f"{source_layer!r} is in no layer; add it to LAYERS in tests/project/test_import_rules.py"
    if target_layer not in LAYERS:
        return f"{target_layer!r} is in no layer; add it to LAYERS in tests/project/test_import_rules.py"
    if target_layer in NEVER.get(source_layer, set()):
        return f"{source_layer} must not import {target_layer}"
    if source_layer in ONLY and target_layer not in ONLY[source_layer]:
        allowed = ", ".join(sorted(ONLY[source_layer] - {source_layer}))
        return f"{source_layer} may import only {allowed}"
    if LAYERS.index(target_layer) > LAYERS.index(source_layer):
        return f"{source_layer} is below {target_layer} (order: {' < '.join(LAYERS)})"
    return None


def find_cycles(edges: list[Edge]) -> list[list[Edge]]:
    """Each import cycle once, as the edges that close it (Tarjan's strongly connected components)."""
    graph: dict[str, dict[str, Edge]] = {}
    for edge in edges:
        if edge.runtime:
            graph.setdefault(edge.source, {}).setdefault(edge.target, edge)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    cycles = []
    for component in components:
        members = set(component)
        # one concrete loop through the component, starting at its first module
        path, seen, node = [], set(), component[0]
        while node not in seen:
            seen.add(node)
            edge = next(e for t, e in sorted(graph[node].items()) if t in members)
            path.append(edge)
            node = edge.target
        cycles.append(path[[e.source for e in path].index(node) :])
    return cycles


def problems(package_dir: Path, package: str = PACKAGE) -> list[str]:
    """Every broken rule as ``file:line: module imports target: why``."""
    modules = module_names(package_dir, package)
    edges = [edge for name, path in modules.items() for edge in imports_of(name, path, modules, package)]
    out = []

    def where(edge: Edge) -> str:
        return f"{modules[edge.source].relative_to(package_dir.parent)}:{edge.line}"

    for edge in edges:
        why = rule_broken(layer_of(edge.source, package), layer_of(edge.target, package))
        if why:
            out.append(f"{where(edge)}: {edge.source} imports {edge.target}: {why}")
    for cycle in find_cycles(edges):
        loop = " → ".join([*(e.source for e in cycle), cycle[0].source])
        lines = ", ".join(f"{where(e)} imports {e.target}" for e in cycle)
        out.append(f"import cycle {loop} ({lines})")
    return out


def test_the_package_keeps_its_layers():
    found = problems(ROOT / PACKAGE)
    assert not found, "\n".join(found)


def test_every_top_level_folder_is_a_layer():
    # a Python package folder (tool caches such as __pycache__ or .mypy_cache hold no code of ours)
    folders = {p.name for p in (ROOT / PACKAGE).iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in (ROOT / PACKAGE).glob("*.py") if p.name != "__init__.py"}
    assert folders | modules <= set(LAYERS), sorted((folders | modules) - set(LAYERS))


# ---------------------------------------------------------------- the checker itself can fail


def write_package(root: Path, files: dict[str, str]) -> Path:
    package_dir = root / PACKAGE
    for name, text in files.items():
        path = package_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in [package_dir, *(p for p in package_dir.rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return package_dir


def test_a_lower_layer_importing_a_higher_one_is_named_with_its_line(tmp_path):
    package_dir = write_package(
        tmp_path,
        {
            "paths.py": "",
            "content/models.py": "import json\n\n\ndef late():\n    from coderpath_widgets.ui import charts\n",
            "ui/charts.py": "",
        },
    )
    (found,) = problems(package_dir)
    assert found.startswith("coderpath_widgets/content/models.py:5: coderpath_widgets.content.models imports ")
    assert "coderpath_widgets.ui.charts" in found and "content is below ui" in found


@pytest.mark.parametrize(
    ("source", "text", "why"),
    [
        ("progress/store.py", "from coderpath_widgets.app import server\n", "progress must not import app"),
        ("progress/store.py", "from ..icd import index\n", "progress must not import icd"),
        ("icd/index.py", "import coderpath_widgets.progress.store\n", "icd may import only content, paths"),
        (
            "features/quiz.py",
            "import importlib\nimportlib.import_module('coderpath_widgets.app.server')\n",
            "features is below app",
        ),
        (
            "content/models.py",
            "from coderpath_widgets import __version__, show_dashboard\n",
            "no module imports the package root",
        ),
    ],
)
def test_each_rule_is_enforced(tmp_path, source, text, why):
    files = {
        "app/server.py": "",
        "icd/index.py": "",
        "progress/store.py": "",
        "features/quiz.py": "",
        "content/models.py": "",
    }
    package_dir = write_package(tmp_path, {**files, source: text})
    found = problems(package_dir)
    assert len(found) == 1 and why in found[0], found
    assert f"coderpath_widgets/{source}:" in found[0]


def test_a_cycle_is_named_with_each_line_and_type_checking_imports_do_not_count(tmp_path):
    package_dir = write_package(
        tmp_path,
        {
            "content/models.py": "from coderpath_widgets.content.loaders import TABLES\n",
            "content/loaders.py": "import os\n\n\ndef f():\n    from coderpath_widgets.content import models\n",
            "features/a.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from coderpath_widgets.features import b\n"
            ),
            "features/b.py": "from coderpath_widgets.features import a\n",
        },
    )
    (found,) = problems(package_dir)
    assert "import cycle coderpath_widgets.content.loaders → coderpath_widgets.content.models" in found
    assert "coderpath_widgets/content/loaders.py:5 imports coderpath_widgets.content.models" in found
    assert "coderpath_widgets/content/models.py:1 imports coderpath_widgets.content.loaders" in found


def test_type_checking_imports_still_may_not_reach_up(tmp_path):
    package_dir = write_package(
        tmp_path,
        {
            "content/models.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from coderpath_widgets.ui import x\n"
            ),
            "ui/x.py": "",
        },
    )
    (found,) = problems(package_dir)
    assert "content/models.py:3" in found and "content is below ui" in found
