"""Shared fixtures: every test gets its own learner home, so no test touches real progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderpath_widgets.progress import store as store_module


@pytest.fixture(autouse=True)
def tmp_home(tmp_path_factory, monkeypatch):
    """A fresh ``$CODERPATH_HOME`` (progress store and caches) for each test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CODERPATH_HOME", str(home))
    monkeypatch.setenv("CODERPATH_PROFILE", "test-learner")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    store_module.reset_stores()
    yield home
    store_module.reset_stores()


@pytest.fixture
def store(tmp_home):
    """The learner store of the current test's home."""
    return store_module.get_store()


@pytest.fixture(scope="session")
def icd_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CODERPATH_HOME holding the ICD-10-CM search index, built once per test session.

    The shared index is kept open for the process, so test files after the first reuse it.
    """
    from coderpath_widgets.icd import index as icd_index

    home = tmp_path_factory.getbasetemp() / "icd-home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODERPATH_HOME", str(home))
        icd_index.shared_index()
    return home


@pytest.fixture
def icd_home_env(icd_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point CODERPATH_HOME at the session's ICD-10-CM index (use with ``pytest.mark.usefixtures``)."""
    monkeypatch.setenv("CODERPATH_HOME", str(icd_home))
