"""Whose progress this is: the learner's own name, asked once, never the computer's account name.

The store opens as the profile it was last switched to (``active_profile``). A store that has never been switched
asks :func:`default_profile`, which takes, in order:

1. the JupyterHub user (on a hub, each account is one learner);
2. ``$CODERPATH_PROFILE`` (set by tests, the Voilà harness and deployments);
3. the name the learner gave, kept in ``learner.json`` in the coderpath home (so a fresh or recovered store
   starts under it again);
4. the computer's account name, but only where an older copy of the workbook already saved progress under it,
   so nobody loses what they did before names were asked;
5. otherwise :data:`UNNAMED`, until the learner gives a name.

In the last two cases the start page asks "What should we call you?" once. :func:`give_name` switches to the
name and copies what the unnamed profile holds into it (nothing is deleted). See ``docs/progress-format.md``.

This module holds no widgets and does not import the store (the store imports it), so it takes the store as an
argument where it needs one.
"""

from __future__ import annotations

import enum
import getpass
import json
import logging
import os
import sqlite3
import unicodedata
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coderpath_widgets.progress.store import ProgressStore

HUB_ENV = "JUPYTERHUB_USER"
PROFILE_ENV = "CODERPATH_PROFILE"
#: the small settings file, in the coderpath home, that keeps the learner's name
SETTINGS_NAME = "learner.json"
#: the profile of a learner who has not given a name yet
UNNAMED = "learner"
MAX_NAME_LENGTH = 60
#: characters a name may not hold: a profile name becomes part of a file name (``coderpath-progress-NAME.json``)
PATH_CHARACTERS = '/\\:*?"<>|'

_log = logging.getLogger(__name__)


class ProfileNameError(ValueError):
    """A name the learner typed that cannot be a profile name; the message says why, in plain words."""


class Source(enum.StrEnum):
    """Where a default profile name came from."""

    HUB = "hub"
    ENVIRONMENT = "environment"
    NAMED = "named"  # the learner gave it
    OLDER_INSTALL = "older install"  # the account name an older copy saved progress under
    UNNAMED = "unnamed"


@dataclass(frozen=True)
class DefaultProfile:
    """The profile a store starts with, and why."""

    name: str
    source: Source

    @property
    def asks_for_a_name(self) -> bool:
        """Whether the learner should be asked their name (no hub, no setting, no name given yet)."""
        return self.source in (Source.OLDER_INSTALL, Source.UNNAMED)


def check_name(text: Any) -> str:
    """``text`` as a profile name (spaces trimmed), or :class:`ProfileNameError` saying what is wrong.

    >>> check_name("  Ana María ")
    'Ana María'
    >>> check_name("../ana")
    Traceback (most recent call last):
    ...
    coderpath_widgets.progress.profiles.ProfileNameError: A name cannot contain /. Please leave out / \\ : * ? " < > |
    """
    if not isinstance(text, str) or not text.strip():
        raise ProfileNameError("Please type a name: it needs at least one letter or number.")
    name = " ".join(text.split())  # trimmed, and inner runs of spaces, tabs or newlines made one space
    if len(name) > MAX_NAME_LENGTH:
        raise ProfileNameError(f"A name can have at most {MAX_NAME_LENGTH} characters; this one has {len(name)}.")
    bad = next((c for c in name if c in PATH_CHARACTERS), None)
    if bad is not None:
        raise ProfileNameError(f"A name cannot contain {bad}. Please leave out {' '.join(PATH_CHARACTERS)}")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ProfileNameError("A name cannot contain control or invisible characters.")
    if name.startswith("."):
        raise ProfileNameError("A name cannot start with a dot.")
    if not any(c.isalnum() for c in name):
        raise ProfileNameError("Please type a name: it needs at least one letter or number.")
    return name


def os_user() -> str | None:
    """The computer's account name, or None where there is none (some containers)."""
    try:
        return getpass.getuser() or None
    except Exception:  # no user name on some containers
        return None


# ------------------------------------------------------------------ the settings file


def settings_path(home: Path) -> Path:
    return home / SETTINGS_NAME


def saved_name(home: Path) -> str | None:
    """The name the learner gave on this machine, or None (never given, or the file cannot be read)."""
    try:
        return check_name(_settings(home).get("name"))
    except ProfileNameError:
        return None


def _settings(home: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(settings_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def copied_profiles(home: Path) -> list[str]:
    """The unnamed profiles whose progress :func:`give_name` copied into a named one (kept, not offered)."""
    names = _settings(home).get("copied_from")
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def save_name(home: Path, name: str, copied_from: str | None = None) -> None:
    """Keep ``name`` as the learner's name (written atomically); raises OSError if the home cannot be written."""
    name = check_name(name)
    path = settings_path(home)
    data = _settings(home)
    data["name"] = name
    if copied_from is not None:
        data["copied_from"] = sorted({*copied_profiles(home), copied_from})
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)


# ------------------------------------------------------------------ choosing the default


def has_progress(db_path: Path, profile: str) -> bool:
    """Whether the store file at ``db_path`` holds any saved entry, list item or attempt of ``profile`` (read
    only). List items have rows of their own from schema 4 on; an older file keeps its lists in ``state``."""
    if not db_path.is_file():
        return False
    try:
        with closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)) as db:
            tables = ["state", "events"]
            if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'list_items'").fetchone():
                tables.append("list_items")
            query = " OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE profile = ?)" for table in tables)
            row = db.execute(f"SELECT {query}", [profile] * len(tables)).fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def choose_default(
    environ: Mapping[str, str],
    saved: str | None,
    account: str | None,
    older_progress: Callable[[str], bool],
) -> DefaultProfile:
    """The default profile from what is known (pure: the caller reads the environment, the file and the store).

    >>> choose_default({}, None, "root", lambda name: False)
    DefaultProfile(name='learner', source=<Source.UNNAMED: 'unnamed'>)
    >>> choose_default({}, None, "root", lambda name: name == "root").source
    <Source.OLDER_INSTALL: 'older install'>
    >>> choose_default({"JUPYTERHUB_USER": "ana"}, "Maria", "root", lambda name: True).name
    'ana'
    """
    if environ.get(HUB_ENV):
        return DefaultProfile(environ[HUB_ENV], Source.HUB)
    if environ.get(PROFILE_ENV):
        return DefaultProfile(environ[PROFILE_ENV], Source.ENVIRONMENT)
    if saved:
        return DefaultProfile(saved, Source.NAMED)
    if account and account != UNNAMED and older_progress(account):
        return DefaultProfile(account, Source.OLDER_INSTALL)
    return DefaultProfile(UNNAMED, Source.UNNAMED)


def default_profile(home: Path, db_path: Path, environ: Mapping[str, str] | None = None) -> DefaultProfile:
    """The default profile for the store file ``db_path`` in the coderpath folder ``home``."""
    environ = os.environ if environ is None else environ
    return choose_default(environ, saved_name(home), os_user(), lambda name: has_progress(db_path, name))


def _fallback_names() -> set[str]:
    """The profile names a store falls back to before the learner gives one."""
    account = os_user()
    return {UNNAMED, account} if account else {UNNAMED}


def needs_name(store: ProgressStore, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the start page should ask the learner's name: none given, and the store is on a fallback profile.

    A profile the learner chose on the profile panel counts as a name given. The settings file is the one next
    to the store's file (for the workbook's store, the coderpath home).
    """
    chosen = default_profile(store.path.parent, store.path, environ)
    return chosen.asks_for_a_name and store.profile in _fallback_names()


@dataclass(frozen=True)
class Named:
    """What :func:`give_name` did."""

    name: str
    #: the unnamed profile whose progress was copied into ``name``, or None when there was nothing to copy
    copied_from: str | None = None
    #: False when the name could not be written to the settings file (the store still remembers it)
    remembered: bool = True


def give_name(store: ProgressStore, name: str, environ: Mapping[str, str] | None = None) -> Named:
    """Make ``name`` the learner's profile: copy the unnamed profile's progress into it, switch, remember it.

    Raises :class:`ProfileNameError` for a bad name and the store's ``StoreError`` when it cannot be saved;
    in both cases nothing has changed. The unnamed profile keeps its copy: nothing is ever deleted.
    """
    return _adopt(store, check_name(name), environ)


def _adopt(store: ProgressStore, name: str, environ: Mapping[str, str] | None) -> Named:
    home = store.path.parent
    old = store.profile
    copied_from = None
    if old != name and needs_name(store, environ) and has_progress(store.path, old):
        store.import_data(store.export_data(), source=f"profile '{old}'", into_profile=name)
        copied_from = old
    store.use_profile(name)
    return Named(name, copied_from, remembered=_remember(home, name, copied_from))


def switch_profile(store: ProgressStore, name: str, environ: Mapping[str, str] | None = None) -> Named:
    """The profile panel's switch: to an existing profile as it is spelt, or to a new, checked name.

    While the learner has given no name, this is :func:`give_name` (their progress so far comes along).
    """
    existing = isinstance(name, str) and name.strip() in store.profiles()
    name = name.strip() if existing else check_name(name)
    if needs_name(store, environ):
        return _adopt(store, name, environ)
    store.use_profile(name)
    return Named(name, remembered=_remember(store.path.parent, name))


def _remember(home: Path, name: str, copied_from: str | None = None) -> bool:
    try:
        save_name(home, name, copied_from)
    except (OSError, ProfileNameError) as exc:  # an existing profile whose name this check would refuse
        _log.warning("could not keep the learner's name in %s: %s", settings_path(home), exc)
        return False
    return True


def listed_profiles(store: ProgressStore) -> list[str]:
    """The store's profiles to offer a learner.

    Left out: a fallback profile (``learner``, the account name) that is empty or whose progress was copied
    into the learner's name. The current profile is always listed.
    """
    copied = set(copied_profiles(store.path.parent))
    fallbacks = _fallback_names()
    return [
        p
        for p in store.profiles()
        if p == store.profile or (p not in copied and (p not in fallbacks or has_progress(store.path, p)))
    ]
