"""The project's own files agree with each other: env file ↔ pyproject, data dictionary ↔ CSVs, lint."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from coderpath_widgets.content.loaders import column_names
from coderpath_widgets.content.models import TABLES

ROOT = Path(__file__).resolve().parents[2]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_delegates_to_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    conda_names = sorted(re.split(r"[<>=]", d)[0] for d in deps if isinstance(d, str))
    assert conda_names == ["nodejs", "pip", "python"], "conda installs only Python, pip and Node.js"
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    assert python.replace(" ", "") == "python>=" + pyproject()["project"]["requires-python"].lstrip(">=")
    (pip_section,) = [d["pip"] for d in deps if isinstance(d, dict)]
    assert len(pip_section) == 1, "pip installs only the project itself"
    match = re.fullmatch(r"-e \"?\.\[([a-z,]+)\]\"?", pip_section[0])
    assert match, pip_section[0]
    extras = set(match.group(1).split(","))
    assert extras == set(pyproject()["project"]["optional-dependencies"]), "every extra, and only those"


def dictionary_columns() -> dict[str, list[str]]:
    """``## file.csv`` sections of data/README.md → the backticked names in their tables' first column."""
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"^##\s+`?([a-z_]+)\.csv`?", line)
        if heading:
            current = heading.group(1)
            sections[current] = []
            continue
        if line.startswith("## "):
            current = None
        cell = re.match(r"^\|\s*`([a-z_0-9]+)`\s*\|", line)
        if current and cell:
            sections[current].append(cell.group(1))
    return sections


def test_data_dictionary_documents_every_file_and_column():
    documented = dictionary_columns()
    assert list(documented) == list(TABLES), "one section per CSV, in models.TABLES order"
    for table, model in TABLES.items():
        with open(ROOT / "data" / f"{table}.csv", encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == column_names(model), f"data/{table}.csv header differs from the model"
        assert documented[table] == header, f"data/README.md section {table}.csv differs from its header"


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "coderpath_widgets", "tests", "benchmarks", "run.py", "deploy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_wheel_ships_the_data(tmp_path):
    """Installed from a wheel, the package still finds data/ (it ships as coderpath_widgets.data)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("coderpath-*.whl")
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for table in TABLES:
        assert f"coderpath_widgets/data/{table}.csv" in names
    assert "coderpath_widgets/data/README.md" in names


def test_every_public_factory_is_importable_and_documented():
    import inspect

    import coderpath_widgets

    for name in coderpath_widgets.__all__:
        factory = getattr(coderpath_widgets, name)
        assert callable(factory) and inspect.getdoc(factory), f"{name} needs a docstring"
        returns = inspect.signature(factory).return_annotation
        assert returns is not inspect.Signature.empty, f"{name} needs a return type"
