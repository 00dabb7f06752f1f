"""Fixtures for the content tests: a copy of the shipped data/ that a test may break."""

from __future__ import annotations

import shutil

import pytest

from coderpath_widgets.paths import data_dir


@pytest.fixture
def data_copy(tmp_path):
    """The shipped data folder, copied into the test's tmp_path (CSVs and README only)."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target
