"""Library functions return widgets and never call ``display()``: read every module's calls with ``ast``.

(This replaces a test that searched one module's text for "display(", which could not notice a call in any
other module and would have failed on the word in a docstring.)"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "coderpath_widgets"


def display_calls(source: str, filename: str) -> list[str]:
    """``file:line`` of every call to a function named ``display`` (``display(x)``, ``IPython.display.display(x)``)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "display":
                found.append(f"{filename}:{node.lineno}")
    return found


def test_no_module_of_the_package_calls_display():
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        for hit in display_calls(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    ]
    assert not found, "return the widget instead of displaying it:\n" + "\n".join(found)


def test_the_check_finds_calls_and_ignores_the_word():
    source = '"""Call display() yourself."""\nfrom IPython import display as d\n\n\ndef f(w):\n    d.display(w)\n'
    assert display_calls(source, "m.py") == ["m.py:6"]
    assert display_calls("display(1)\n", "n.py") == ["n.py:1"]
