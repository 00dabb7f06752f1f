"""Shared fixtures: every test gets its own learner home, so no test touches real progress.

Also the markers of the notebooks' own cells: ``pytest --nbval-lax`` runs each notebook in a fresh kernel, one
item a cell; those items are marked ``notebooks`` and ``slow``, so the quick loop ``-m "not slow and not e2e"``
leaves them to the full suite (this file is loaded whenever ``tests/`` is collected, as it is by default).
In that quick loop the Hypothesis tests try 25 examples each instead of 100 (profile ``quick``); a test that
sets its own ``max_examples`` keeps it, and the full suite runs them all at the default.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from coderpath_widgets.progress import store as store_module

settings.register_profile("quick", max_examples=25)


def pytest_configure(config: pytest.Config) -> None:
    if "not slow" in (config.option.markexpr or ""):
        settings.load_profile("quick")


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture
def desktop_learner(tmp_home, monkeypatch):
    """A learner on their own computer: no hub, no ``$CODERPATH_PROFILE``, and the account is ``root`` (so the
    workbook has to ask their name)."""
    from coderpath_widgets.progress import profiles

    monkeypatch.delenv("CODERPATH_PROFILE", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(profiles, "os_user", lambda: "root")
    store_module.reset_stores()


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
