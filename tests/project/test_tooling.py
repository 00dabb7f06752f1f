"""The project's tooling holds: one formatter, an enforced line length, a type checker, ``py.typed``.

``ruff check`` itself runs in test_project_files.py::test_ruff_finds_nothing.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: what ``ruff format`` and ``ruff check`` look at (the nbgrader course sources are excluded in pyproject)
SOURCES = ("coderpath_widgets", "tests", "benchmarks", "run.py", "deploy")


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_line_length_is_120_and_enforced():
    ruff = pyproject()["tool"]["ruff"]
    assert ruff["line-length"] == 120
    assert "E501" not in ruff["lint"].get("ignore", []) and "E" in ruff["lint"]["select"]


def test_the_tree_is_formatted_with_ruff_format():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *SOURCES], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, "run `ruff format` on:\n" + result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_nothing_in_the_package():
    config = pyproject()["tool"]["mypy"]
    assert config["python_version"] == "3.11" and config["packages"] == ["coderpath_widgets"]
    assert not config.get("strict", False)
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_ships_py_typed():
    assert (ROOT / "coderpath_widgets" / "py.typed").is_file()
    assert "py.typed" in pyproject()["tool"]["setuptools"]["package-data"]["coderpath_widgets"]
    dev = pyproject()["project"]["optional-dependencies"]["dev"]
    assert any(d.startswith("mypy") for d in dev) and any(d.startswith("ruff") for d in dev)
