"""Where coderpath finds its data and keeps learner state.

Order of precedence, as in Project Pythia's ``pythia_datasets``:
an explicit argument, then an environment variable, then the shipped default.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

DATA_ENV = "CODERPATH_DATA"
HOME_ENV = "CODERPATH_HOME"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the CSV files: argument > ``$CODERPATH_DATA`` > shipped ``data/``."""
    if explicit is not None:
        return Path(explicit)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    return Path(str(resources.files("coderpath_widgets.data")))


def home_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The per-user folder for the progress store: argument > ``$CODERPATH_HOME`` > platform data dir."""
    if explicit is not None:
        path = Path(explicit)
    elif os.environ.get(HOME_ENV):
        path = Path(os.environ[HOME_ENV])
    else:
        path = Path(platformdirs.user_data_dir("coderpath", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """The per-user cache (rebuildable indexes such as the ICD-10-CM search index)."""
    if os.environ.get(HOME_ENV):
        path = Path(os.environ[HOME_ENV]) / "cache"
    else:
        path = Path(platformdirs.user_cache_dir("coderpath", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
