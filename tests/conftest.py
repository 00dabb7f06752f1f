"""Shared fixtures: every test gets its own learner home, so no test touches real progress."""

from __future__ import annotations

import pytest

from coderpath_widgets import store as store_module


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
