"""The progress store: every tick, note, plan and answer a learner makes.

SQLite from the standard library, in the per-user folder (``$CODERPATH_HOME`` or the platform's data dir),
WAL mode with a busy timeout. The unit of work is the learner's *action*, never a snapshot: each operation
(set one field of one item, add/edit/remove one list item by its id, review one card, append one attempt)
reads the current stored value and writes the change inside one ``BEGIN IMMEDIATE`` transaction, so two
kernels changing the same item at once never lose each other's changes. Every field carries the time of its
last change, so an import merges field by field (see ``docs/progress-format.md``).

A damaged database is never deleted: it is moved aside with a timestamp, the learner is told in plain words,
and a fresh store starts. A file that cannot be written (read-only folder, locked) is shown read-only with a
plain message, and every save says so instead of failing silently.

Widgets subscribe to :meth:`ProgressStore.subscribe`: they hear of a change made in this process at once, and
of one made by another process (JupyterLab, another Voilà page) within about a second, through a watcher
thread polling SQLite's ``PRAGMA data_version``.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import random
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from coderpath_widgets import __version__
from coderpath_widgets.paths import home_dir
from coderpath_widgets.progress import vocabulary as vocab
from coderpath_widgets.progress.preheat import wait_for_page_request

DB_NAME = "progress.sqlite3"
SCHEMA_VERSION = 4
EXPORT_FORMAT = "coderpath-progress"
EXPORT_FORMAT_VERSION = 2
#: export versions this coderpath reads (1: no per-field times, no event ids)
READABLE_FORMAT_VERSIONS = (1, 2)
BUSY_TIMEOUT_MS = 10_000
#: SQLite's own wait for a lock before _begin() retries (its sleeps grow, so keep it short)
WRITE_WAIT_MS = 3
PROFILE_ENV = "CODERPATH_PROFILE"
#: how often the watcher thread looks for changes made by other processes
POLL_SECONDS = 0.5
#: limits for an import file
MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 20
MAX_PROBLEMS_LISTED = 20

_log = logging.getLogger(__name__)


class StoreError(RuntimeError):
    """A problem with the progress store or a progress file, in plain words."""


class OtherProfileError(StoreError):
    """An import of another profile's export, which needs the learner's confirmation."""

    def __init__(self, message: str, export_profile: str, target_profile: str):
        super().__init__(message)
        self.export_profile = export_profile
        self.target_profile = target_profile


@dataclass(frozen=True)
class Event:
    """One recorded attempt or action."""

    id: int
    kind: str
    payload: Any
    created_at: str
    uid: str = ""


@dataclass(frozen=True)
class Change:
    """What a subscriber hears: the namespaces changed (None: unknown, another process), or a save that failed."""

    namespaces: frozenset[str] | None = None
    error: str | None = None
    #: the ``(namespace, key)`` entries changed, when known (a change here); None: any entry of ``namespaces``
    keys: frozenset[tuple[str, str]] | None = None

    def touches(self, namespace: str, key: str | None = None) -> bool:
        """Whether this change may concern ``namespace`` (and ``key``): a subscriber re-reads only then."""
        if self.error is not None or (self.namespaces is not None and namespace not in self.namespaces):
            return False
        return key is None or self.keys is None or (namespace, key) in self.keys


@dataclass
class ImportSummary:
    """What an import changed, for the learner to read."""

    source: str
    export_profile: str
    profile: str
    fields_changed: int = 0
    items_added: int = 0
    items_removed: int = 0
    events_added: int = 0
    events_known: int = 0
    changed: dict[str, int] = field(default_factory=dict)

    @property
    def nothing_changed(self) -> bool:
        return not (self.fields_changed or self.items_added or self.items_removed or self.events_added)

    def text(self) -> str:
        into = f"profile '{self.profile}'" + (
            f" (the export is of '{self.export_profile}')" if self.export_profile != self.profile else ""
        )
        if self.nothing_changed:
            return (
                f"Imported {self.source} into {into}: nothing changed; everything in it was already here "
                f"({self.events_known} attempts already known)."
            )
        where = ", ".join(f"{ns} {n}" for ns, n in sorted(self.changed.items()))
        return (
            f"Imported {self.source} into {into}: {self.fields_changed} saved fields changed"
            + (f" ({where})" if where else "")
            + f", {self.items_added} list items added, {self.items_removed} removed, "
            f"{self.events_added} attempts added ({self.events_known} already known)."
        )


# ------------------------------------------------------------------ times


def now_iso() -> str:
    """Current UTC time, ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def normal_stamp(text: Any) -> str | None:
    """``text`` as this store's stamp format (UTC, microseconds), or None if it is not a date and time."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if len(text) == 32 and text.endswith("+00:00") and text[19] == ".":
        return text  # already in this store's form (every stamp it writes): the common case, kept fast
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    except (OverflowError, ValueError):
        return None


def _after(stamp: str | None) -> str:
    """Now, or one microsecond after ``stamp`` if the clock has not passed it (a local change always wins)."""
    now = now_iso()
    if stamp is None or now > stamp:
        return now
    return (datetime.fromisoformat(stamp) + timedelta(microseconds=1)).isoformat(timespec="microseconds")


def default_profile() -> str:
    """The JupyterHub user, else ``$CODERPATH_PROFILE``, else the name the learner gave (never the OS account,
    unless an older install saved progress under it): see :mod:`coderpath_widgets.progress.profiles`."""
    from coderpath_widgets.progress import profiles

    home = home_dir()
    return profiles.default_profile(home, home / DB_NAME).name


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _legacy_hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def legacy_event_uid(kind: str, created_at: str, payload: Any) -> str:
    """The id of an event saved before events had ids: the same on every machine, so copies de-duplicate."""
    return "legacy-" + _legacy_hash(kind, str(created_at), _dumps(payload))[:32]


def _legacy_uid_of_text(kind: str, created_at: str, payload: str) -> str:
    return legacy_event_uid(kind, created_at, json.loads(payload))


# ------------------------------------------------------------------ docs: one saved entry with its field times
#
# value:  {"": [stamp, value]}                 value None = removed
# record: {field: [stamp, value], ...}
# list:   {"items": {id: {"o": order, "f": {field: [stamp, value]}}}, "deleted": {id: stamp}}


def _newer(a: list, b: list) -> list:
    """The winner of two ``[stamp, value]`` pairs: the later stamp; on a tie, the larger JSON text (any copy agrees)."""
    return a if (a[0], _dumps(a[1])) >= (b[0], _dumps(b[1])) else b


def empty_doc(kind: str) -> dict:
    return {"items": {}, "deleted": {}} if kind == vocab.LIST else {}


def materialize(kind: str, doc: dict) -> Any:
    """What readers see for a doc; None when there is nothing (never set, or removed)."""
    if kind == vocab.VALUE:
        pair = doc.get("")
        return None if pair is None else pair[1]
    if kind == vocab.RECORD:
        return {f: pair[1] for f, pair in sorted(doc.items())} or None
    items = doc.get("items", {})
    deleted = doc.get("deleted", {})
    live = sorted((entry["o"], item_id) for item_id, entry in items.items() if item_id not in deleted)
    return [{**{f: pair[1] for f, pair in sorted(items[i]["f"].items())}, "id": i} for _, i in live]


def max_stamp(kind: str, doc: dict) -> str:
    if kind == vocab.LIST:
        stamps = [p[0] for e in doc.get("items", {}).values() for p in e["f"].values()]
        stamps += list(doc.get("deleted", {}).values())
    else:
        stamps = [p[0] for p in doc.values()]
    return max(stamps, default="")


def merge_docs(kind: str, local: dict, incoming: dict) -> dict:
    """Merge two docs of one entry; the result is the same whichever side is ``local``."""
    if kind != vocab.LIST:
        out = dict(local)
        for f, pair in incoming.items():
            out[f] = _newer(out[f], pair) if f in out else pair
        return out
    deleted = dict(local.get("deleted", {}))
    for item_id, stamp in incoming.get("deleted", {}).items():
        deleted[item_id] = max(stamp, deleted.get(item_id, stamp))
    items: dict[str, dict] = {}
    for source in (local.get("items", {}), incoming.get("items", {})):
        for item_id, entry in source.items():
            if item_id in deleted:
                continue
            mine = items.get(item_id)
            if mine is None:
                items[item_id] = {"o": entry["o"], "f": dict(entry["f"])}
                continue
            mine["o"] = min(mine["o"], entry["o"])
            for f, pair in entry["f"].items():
                mine["f"][f] = _newer(mine["f"][f], pair) if f in mine["f"] else pair
    return {"items": items, "deleted": deleted}


def doc_from_value(kind: str, value: Any, stamp: str) -> dict:
    """A doc for a value saved without field times (schema 2 stores, format-1 exports); one stamp for all."""
    if kind == vocab.RECORD and isinstance(value, dict):
        return {str(f): [stamp, v] for f, v in value.items()}
    if kind == vocab.LIST and isinstance(value, list):
        items: dict[str, dict] = {}
        seen: dict[str, int] = {}
        for n, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            fields = {str(f): v for f, v in item.items() if f != "id"}
            item_id = item.get("id") if isinstance(item.get("id"), str) else None
            if not item_id:
                text = _dumps(fields)
                seen[text] = seen.get(text, 0) + 1
                item_id = "legacy-" + _legacy_hash(text, str(seen[text]))[:16]
            items[item_id] = {"o": f"{stamp}/{n:06d}", "f": {f: [stamp, v] for f, v in fields.items()}}
        return {"items": items, "deleted": {}}
    if kind == vocab.VALUE:
        return {"": [stamp, value]}
    return {"": [stamp, value]}


def _clamp_doc(kind: str, doc: dict, limit: str) -> dict:
    """Every stamp of ``doc`` made no later than ``limit`` (an export stamped in the future cannot win later)."""
    if kind != vocab.LIST:
        return {f: [min(p[0], limit), p[1]] for f, p in doc.items()}
    return {
        "items": {
            i: {"o": e["o"], "f": {f: [min(p[0], limit), p[1]] for f, p in e["f"].items()}}
            for i, e in doc["items"].items()
        },
        "deleted": {i: min(t, limit) for i, t in doc["deleted"].items()},
    }


def _count_changes(kind: str, before: dict, after: dict) -> tuple[int, int, int]:
    """(fields changed, items added, items removed) between two docs of one entry."""
    if kind != vocab.LIST:
        return sum(1 for f, p in after.items() if before.get(f) != p), 0, 0
    old_live = {i for i in before["items"] if i not in before["deleted"]}
    new_live = {i for i in after["items"] if i not in after["deleted"]}
    changed = sum(
        1 for i in old_live & new_live for f, p in after["items"][i]["f"].items() if before["items"][i]["f"].get(f) != p
    )
    return changed, len(new_live - old_live), len(old_live - new_live)


# ------------------------------------------------------------------ schema


def _create_v1(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS profiles (name TEXT PRIMARY KEY, created_at TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS state (profile TEXT NOT NULL, namespace TEXT NOT NULL, key TEXT NOT NULL, "
        "value TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (profile, namespace, key))"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, "
        "kind TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL)"
    )


def _migrate_v2(db: sqlite3.Connection) -> None:
    """v2: index events by profile and kind."""
    db.execute("CREATE INDEX IF NOT EXISTS events_by_kind ON events (profile, kind, id)")


def _migrate_v3(db: sqlite3.Connection) -> None:
    """v3: per-field change times (``doc``), list items with ids, event ids for de-duplication.

    Every value is kept: a schema-2 value becomes a doc stamped with its ``updated_at``; list items get ids
    derived from their contents (the same on every machine, so a format-1 export from elsewhere merges onto
    them); the planner's breaks move from ``plan/inputs`` to their own list ``plan/breaks``. A value that is
    not JSON is left as it is (the store reports it when read).
    """
    db.execute("ALTER TABLE state ADD COLUMN kind TEXT NOT NULL DEFAULT 'value'")
    db.execute("ALTER TABLE state ADD COLUMN doc TEXT")
    db.execute("ALTER TABLE events ADD COLUMN uid TEXT")
    db.execute(
        "CREATE TABLE IF NOT EXISTS damaged_values (profile TEXT, namespace TEXT, key TEXT, value TEXT, found_at TEXT)"
    )
    rows = db.execute("SELECT profile, namespace, key, value, updated_at FROM state").fetchall()
    for profile, namespace, key, text, updated_at in rows:
        stamp = normal_stamp(updated_at) or "2000-01-01T00:00:00.000000+00:00"
        kind = vocab.kind_of(namespace, key)
        try:
            value = json.loads(text)
        except (TypeError, ValueError, RecursionError):
            continue
        if (namespace, key) == (vocab.PLAN_NAMESPACE, vocab.PLAN_KEY) and isinstance(value, dict):
            breaks = value.pop("breaks", None) or []
            pairs = [{"first": p[0], "last": p[1]} for p in breaks if isinstance(p, list) and len(p) == 2]
            if pairs:
                bdoc = doc_from_value(vocab.LIST, pairs, stamp)
                db.execute(
                    "INSERT OR REPLACE INTO state (profile, namespace, key, value, updated_at, kind, doc) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        profile,
                        namespace,
                        vocab.PLAN_BREAKS_KEY,
                        _dumps(materialize(vocab.LIST, bdoc)),
                        stamp,
                        vocab.LIST,
                        _dumps(bdoc),
                    ),
                )
        if kind == vocab.RECORD and not isinstance(value, dict):
            kind = vocab.VALUE
        if kind == vocab.LIST and not isinstance(value, list):
            kind = vocab.VALUE
        doc = doc_from_value(kind, value, stamp)
        db.execute(
            "UPDATE state SET kind = ?, doc = ?, value = ?, updated_at = ? "
            "WHERE profile = ? AND namespace = ? AND key = ?",
            (kind, _dumps(doc), _dumps(materialize(kind, doc)), stamp, profile, namespace, key),
        )
    for row_id, kind, payload, created_at in db.execute("SELECT id, kind, payload, created_at FROM events").fetchall():
        try:
            uid = legacy_event_uid(kind, created_at, json.loads(payload))
        except (TypeError, ValueError, RecursionError):
            uid = "legacy-row-" + str(row_id)
        db.execute("UPDATE events SET uid = ? WHERE id = ?", (uid, row_id))
    # Two identical legacy events (same kind, time and payload) are one attempt saved twice: keep the first.
    db.execute("DELETE FROM events WHERE id NOT IN (SELECT min(id) FROM events GROUP BY profile, uid)")
    db.execute("CREATE UNIQUE INDEX IF NOT EXISTS events_by_uid ON events (profile, uid)")


def _readable_list_doc(text: Any) -> dict | None:
    """A list's saved doc (``state.doc`` of schema 3) if it can be read whole, else None."""
    try:
        doc = json.loads(text) if isinstance(text, str) else None
    except (ValueError, RecursionError):
        return None
    if not (isinstance(doc, dict) and isinstance(doc.get("items"), dict) and isinstance(doc.get("deleted"), dict)):
        return None
    items_ok = all(
        isinstance(e, dict) and isinstance(e.get("o"), str) and isinstance(e.get("f"), dict)
        for e in doc["items"].values()
    )
    return doc if items_ok and all(isinstance(t, str) for t in doc["deleted"].values()) else None


def _migrate_v4(db: sqlite3.Connection) -> None:
    """v4: each list item is a row of its own (``list_items``), so adding, editing or removing one writes one row.

    Every list of every profile is kept: each item becomes a row with its order and its field times, each
    tombstone a row with its removal time, and the list's row leaves ``state``. A list whose doc cannot be read
    but whose value can starts again from that value (stamped with its ``updated_at``); one that cannot be read
    at all is left in ``state`` as it is (the store keeps a copy in ``damaged_values`` when it is next changed).
    """
    db.execute(_CREATE_LIST_ITEMS)
    db.execute(_INDEX_LIST_ORDER)
    rows = db.execute(
        "SELECT profile, namespace, key, doc, value, updated_at FROM state WHERE kind = ?", (vocab.LIST,)
    ).fetchall()
    for profile, namespace, key, text, value, updated_at in rows:
        doc = _readable_list_doc(text)
        if doc is None:
            try:
                old = json.loads(value)
            except (TypeError, ValueError, RecursionError):
                continue
            if not isinstance(old, list):
                continue
            doc = doc_from_value(vocab.LIST, old, normal_stamp(updated_at) or "2000-01-01T00:00:00.000000+00:00")
        db.executemany(_UPSERT_ITEM, _item_rows(profile, namespace, key, empty_doc(vocab.LIST), doc))
        db.execute("DELETE FROM state WHERE profile = ? AND namespace = ? AND key = ?", (profile, namespace, key))


_CREATE_LIST_ITEMS = (
    "CREATE TABLE IF NOT EXISTS list_items (profile TEXT NOT NULL, namespace TEXT NOT NULL, key TEXT NOT NULL, "
    "item_id TEXT NOT NULL, ord TEXT NOT NULL, fields TEXT NOT NULL, deleted_at TEXT, updated_at TEXT NOT NULL, "
    "PRIMARY KEY (profile, namespace, key, item_id)) WITHOUT ROWID"
)
_INDEX_LIST_ORDER = "CREATE INDEX IF NOT EXISTS list_items_in_order ON list_items (profile, namespace, key, ord)"
#: one list item written (or its tombstone): (profile, namespace, key, item_id, ord, fields, deleted_at, updated_at)
_UPSERT_ITEM = (
    "INSERT INTO list_items (profile, namespace, key, item_id, ord, fields, deleted_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(profile, namespace, key, item_id) DO UPDATE SET ord = excluded.ord, "
    "fields = excluded.fields, deleted_at = excluded.deleted_at, updated_at = excluded.updated_at"
)
_WHERE_LIST = "WHERE profile = ? AND namespace = ? AND key = ?"


def _has_list_rows(db: sqlite3.Connection, where: tuple[str, str, str]) -> bool:
    """Whether the list ``(profile, namespace, key)`` has item rows (live items or tombstones)."""
    return db.execute(f"SELECT 1 FROM list_items {_WHERE_LIST} LIMIT 1", where).fetchone() is not None


def _item_rows(profile: str, namespace: str, key: str, before: dict, after: dict) -> list[tuple]:
    """The ``list_items`` rows to write to bring a list from doc ``before`` to doc ``after``: only those that differ."""
    rows = []
    old_items, old_deleted = before["items"], before["deleted"]
    for item_id, entry in after["items"].items():
        if _dumps(old_items.get(item_id)) != _dumps(entry):
            stamp = max((p[0] for p in entry["f"].values()), default="")
            rows.append((profile, namespace, key, item_id, entry["o"], _dumps(entry["f"]), None, stamp))
    for item_id, stamp in after["deleted"].items():
        if old_deleted.get(item_id) != stamp:
            order = old_items.get(item_id, {}).get("o", "")
            rows.append((profile, namespace, key, item_id, order, "{}", stamp, stamp))
    return rows


#: version reached → function that brings a database from the previous version to it.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _create_v1,
    2: _migrate_v2,
    3: _migrate_v3,
    4: _migrate_v4,
}
TABLES = ("meta", "profiles", "state", "events", "list_items")


def _plain_sqlite_problem(exc: BaseException) -> str:
    """An SQLite failure as words a learner can act on."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if "LOCKED" in name or "BUSY" in name or "locked" in text:
        return "it is locked by another program (another copy of the workbook may be busy with it)"
    if "READONLY" in name or "readonly" in text or "read-only" in text:
        return "it or its folder is read-only"
    if "CANTOPEN" in name or "unable to open" in text or "PERM" in name:
        return "it cannot be opened (the folder may be read-only or missing)"
    if "FULL" in name or "full" in text:
        return "the disk is full"
    return text


class ProgressStore:
    """One learner database file; many profiles may live in it."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        profile: str | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ):
        self.path = Path(path) if path is not None else home_dir() / DB_NAME
        self.busy_timeout_ms = busy_timeout_ms
        self._notices: list[str] = []
        #: Why nothing can be saved (read-only folder, locked file); None when saving works.
        self.unwritable: str | None = None
        #: Which check ran when the file was opened: "quick_check", or "integrity_check" after an unclean shutdown.
        self.opening_check = ""
        self._lock = threading.RLock()
        self._subscribers: list[Callable[[], Callable[[Change], None] | None]] = []
        self._watcher: threading.Thread | None = None
        self._closed = threading.Event()
        self._data_version: int | None = None
        self._db = self._open()
        self.profile = profile or self._meta("active_profile") or default_profile()
        #: a store opened without a profile follows the profile chosen on any page (``use_profile``)
        self._follows_active = profile is None
        if self.unwritable is None:
            self._ensure_profile(self.profile)

    # ------------------------------------------------------------ notices

    @property
    def notice(self) -> str | None:
        """Messages for the learner about this store (moved aside, unreadable values, cannot save), or None."""
        return "\n".join(self._notices) or None

    def _add_notice(self, message: str) -> None:
        if message not in self._notices:
            self._notices.append(message)

    # ------------------------------------------------------------ opening and recovery

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
        # While the file is opened (checks, migrations, the "clean" flag) SQLite waits the whole busy timeout for
        # another kernel's write: a second page opening during a burst of writes must not find the file "locked"
        # and go read-only. Once open, writers wait in _begin() and SQLite's own wait is short (_opened).
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        # for an import's attempts, read in SQL (_insert_events): only stamps not in the usual form, and attempts
        # saved before events had ids, come back to Python
        db.create_function("coderpath_stamp", 1, normal_stamp, deterministic=True)
        db.create_function("coderpath_legacy_uid", 3, _legacy_uid_of_text, deterministic=True)
        return db

    def _open(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._connect()
            self._check(db)
            self._migrate(db)
            missing = [
                t
                for t in TABLES
                if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (t,)).fetchone()
            ]
            if missing:
                raise sqlite3.DatabaseError(f"table '{missing[0]}' is missing")
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('clean', '0')")
            return self._opened(db)
        except StoreError:
            if db is not None:
                db.close()
            raise
        except (sqlite3.OperationalError, OSError) as exc:
            if db is not None:
                db.close()
            if isinstance(exc, sqlite3.OperationalError) and "malformed" in str(exc):
                return self._recover(exc)
            return self._open_unwritable(exc)
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            return self._recover(exc)

    def _check(self, db: sqlite3.Connection) -> None:
        """quick_check on every opening; the full integrity_check when the last session did not close cleanly."""
        clean = None
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
            row = db.execute("SELECT value FROM meta WHERE key = 'clean'").fetchone()
            clean = row[0] if row else None
        self.opening_check = "integrity_check" if clean == "0" else "quick_check"
        rows = db.execute(f"PRAGMA {self.opening_check}").fetchall()
        if rows != [("ok",)]:
            detail = "; ".join(str(r[0]) for r in rows[:3]) or "no answer"
            raise sqlite3.DatabaseError(f"integrity check failed: {detail}")

    def _recover(self, exc: BaseException) -> sqlite3.Connection:
        try:
            moved = self._move_aside()
        except OSError as move_exc:
            return self._open_unwritable(move_exc, damaged=exc)
        self._add_notice(
            f"Your progress file {self.path} could not be read ({exc}). It was kept, not deleted: it is now "
            f"{moved}. A fresh progress file was started. If you exported your progress before, "
            "you can import that export now; otherwise ask for help and keep the old file."
        )
        db = self._connect()
        self._migrate(db)
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('clean', '0')")
        return self._opened(db)

    def _opened(self, db: sqlite3.Connection) -> sqlite3.Connection:
        """An open file's connection: from now on writers wait in :meth:`_begin`, so SQLite's own wait is short."""
        db.execute(f"PRAGMA busy_timeout = {min(int(self.busy_timeout_ms), WRITE_WAIT_MS)}")
        return db

    def _open_unwritable(self, exc: BaseException, damaged: BaseException | None = None) -> sqlite3.Connection:
        """Open the file read-only if it can be read at all (else an empty store), and refuse every save in words."""
        if damaged is not None:
            reason = f"it is damaged ({damaged}) and could not be moved aside ({getattr(exc, 'strerror', None) or exc})"
        elif isinstance(exc, OSError):
            reason = f"it cannot be used ({exc.strerror or exc})"
        else:
            reason = _plain_sqlite_problem(exc)
        self.unwritable = (
            f"Your progress is not being saved: {self.path} cannot be written because {reason}. "
            "The file was left as it is. Fix that (or ask for help), then start the workbook again."
        )
        self._add_notice(self.unwritable)
        if damaged is None and self.path.is_file():
            try:
                db = sqlite3.connect(
                    f"{self.path.resolve().as_uri()}?mode=ro&immutable=1",
                    uri=True,
                    isolation_level=None,
                    check_same_thread=False,
                )
                has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
                version = has_meta and db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                current = version and int(version[0]) == SCHEMA_VERSION
                if current and all(
                    db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (t,)).fetchone() for t in TABLES
                ):
                    return db
                if version and int(version[0]) < SCHEMA_VERSION:
                    # an older file: shown from a copy upgraded in memory, so its progress stays visible
                    copy = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                    db.backup(copy)
                    db.close()
                    self._migrate(copy)
                    return copy
                db.close()
            except (sqlite3.Error, OSError, ValueError):
                pass
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._migrate(db)
        return db

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
            n += 1
        self.path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
        return target

    def _migrate(self, db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        try:
            version = int(row[0]) if row else 0
        except ValueError:
            raise sqlite3.DatabaseError(f"meta.schema_version is {row[0]!r}, not a number") from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer coderpath (schema {version}; this one knows {SCHEMA_VERSION}). "
                "Update coderpath; the file was left as it is."
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            db.execute("BEGIN IMMEDIATE")
            try:
                MIGRATIONS[target](db)
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (str(target),),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    @contextmanager
    def _write(
        self, namespaces: Iterable[str] = (), keys: frozenset[tuple[str, str]] | None = None
    ) -> Iterator[sqlite3.Connection]:
        """One transaction holding the write lock; a failure becomes a plain :class:`StoreError` and is announced."""
        if self.unwritable:
            self._notify(Change(error=self.unwritable))
            raise StoreError(self.unwritable)
        with self._lock:
            self._begin()
            try:
                yield self._db
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise self._save_failed(exc) from None
            except BaseException:
                self._rollback()
                raise
            self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
        self._notify(Change(namespaces=frozenset(namespaces), keys=keys))

    def _begin(self) -> None:
        """Take the write lock. SQLite's own busy handler sleeps ever longer (up to 100 ms) while another process
        writes; short, jittered retries keep two kernels changing the same item at once fast."""
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        while True:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() >= deadline:
                    raise self._save_failed(exc) from None
                time.sleep(random.uniform(0.0002, 0.002))
            except sqlite3.Error as exc:
                raise self._save_failed(exc) from None

    def _rollback(self) -> None:
        with suppress(sqlite3.Error):
            self._db.execute("ROLLBACK")

    def _save_failed(self, exc: BaseException) -> StoreError:
        message = (
            f"Your last change was not saved: {self.path} cannot be written ({_plain_sqlite_problem(exc)}). "
            "Nothing was lost that was saved before. Fix that, then make the change again."
        )
        self._notify(Change(error=message))
        return StoreError(message)

    def _meta(self, key: str) -> str | None:
        with self._lock:
            try:
                row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error:
                return None
        return row[0] if row else None

    def _ensure_profile(self, name: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO profiles (name, created_at) VALUES (?, ?)", (name, now_iso()))

    def close(self) -> None:
        """Mark a clean shutdown (the next opening runs the quick check only) and close the file."""
        self._closed.set()
        with self._lock:
            try:
                if not self.unwritable:
                    self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('clean', '1')")
            except sqlite3.Error:
                pass
            self._db.close()

    # ------------------------------------------------------------ change signal

    def subscribe(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``callback(change)`` after every change (here at once; from other processes within ~1 s).

        A bound method is held weakly, so a widget that is gone stops being called. Returns an unsubscribe function.
        """
        ref: Callable[[], Callable[[Change], None] | None]
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            ref = weakref.WeakMethod(callback)
        else:
            ref = lambda: callback  # noqa: E731
        with self._lock:
            self._subscribers.append(ref)
            if self._watcher is None and not self._closed.is_set():
                self._data_version = self._db.execute("PRAGMA data_version").fetchone()[0]
                self._watcher = threading.Thread(target=self._watch, name="coderpath-progress-watcher", daemon=True)
                self._watcher.start()

        def unsubscribe() -> None:
            with self._lock:
                if ref in self._subscribers:
                    self._subscribers.remove(ref)

        return unsubscribe

    def _notify(self, change: Change) -> None:
        with self._lock:
            refs = list(self._subscribers)
        alive = []
        for ref in refs:
            callback = ref()
            if callback is None:
                continue
            alive.append(ref)
            try:
                callback(change)
            except Exception:
                _log.exception("a progress subscriber failed")
        if len(alive) != len(refs):
            with self._lock:
                self._subscribers = [r for r in self._subscribers if r in alive or r not in refs]

    def poll(self) -> bool:
        """Look once for a change committed by another connection; notify subscribers if there was one."""
        with self._lock:
            if self._closed.is_set():
                return False
            try:
                version = self._db.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return False
            changed = self._data_version is not None and version != self._data_version
            self._data_version = version
        if changed:
            active = self._meta("active_profile") if self._follows_active else None
            if active and active != self.profile:
                self.profile = active  # another page switched learner: every page shows that learner now
            self._notify(Change(namespaces=None))
        return changed

    def _watch(self) -> None:
        while not self._closed.wait(POLL_SECONDS):
            self.poll()

    # ------------------------------------------------------------ profiles

    @property
    def schema_version(self) -> int:
        return int(self._meta("schema_version") or 0)

    def profiles(self) -> list[str]:
        """Every learner profile in this store."""
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT name FROM profiles ORDER BY name")]

    def use_profile(self, name: str) -> None:
        """Switch to ``name`` (created if new) and remember it as this store's active profile."""
        name = check_profile_name(name)
        self._ensure_profile(name)
        with self._write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('active_profile', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (name,),
            )
        self.profile = name
        self._notify(Change(namespaces=None))

    def student_id(self) -> str:
        """The id a class roster knows this learner by: the hub user on JupyterHub, else the one set once with
        :meth:`set_student_id` (``coderpath student-id ID``), else empty."""
        return os.environ.get("JUPYTERHUB_USER") or self._meta("student_id") or ""

    def set_student_id(self, value: str) -> None:
        """Remember the learner's student id (their LMS login) in this store; exports carry it."""
        value = value.strip()
        if not 1 <= len(value) <= 128:
            raise StoreError("A student id needs 1 to 128 characters.")
        with self._write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('student_id', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (value,),
            )

    # ------------------------------------------------------------ reading

    def _decode(self, namespace: str, key: str, text: str) -> Any:
        try:
            return json.loads(text)
        except (TypeError, ValueError, RecursionError):
            self._add_notice(
                f"{self.path}: the saved entry '{namespace}/{key}' cannot be read (it is not JSON). It is left in the "
                "file as it is and shown as empty; your other progress is fine."
            )
            return None

    def get(self, namespace: str, key: str, default: Any = None) -> Any:
        """The saved value (a record as a dict, a list with each item's ``id``), or ``default``."""
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM state WHERE profile = ? AND namespace = ? AND key = ?",
                (self.profile, namespace, key),
            ).fetchone()
            if row is None:  # a list (its items are rows of their own), or nothing saved
                listed = self._list_value(self._db, self.profile, namespace, key)
                return default if listed is None else listed
        value = self._decode(namespace, key, row[0])
        return default if value is None else value

    def items(self, namespace: str) -> dict[str, Any]:
        """Every saved ``key → value`` of a namespace for the active profile (unreadable entries left out)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, value FROM state WHERE profile = ? AND namespace = ? ORDER BY key",
                (self.profile, namespace),
            ).fetchall()
            list_keys = self._db.execute(
                "SELECT DISTINCT key FROM list_items WHERE profile = ? AND namespace = ?", (self.profile, namespace)
            ).fetchall()
            in_state = {k for k, _ in rows}
            lists = {
                k: self._list_value(self._db, self.profile, namespace, k) for (k,) in list_keys if k not in in_state
            }
        out = {}
        for k, v in rows:
            value = self._decode(namespace, k, v)
            if value is not None:
                out[k] = value
        out.update((k, v) for k, v in lists.items() if v is not None)
        return dict(sorted(out.items()))

    def _item_fields(self, namespace: str, key: str, item_id: str, text: str) -> dict | None:
        """The ``{field: [time, value]}`` of one saved list item, or None (reported) if it cannot be read."""
        try:
            fields = json.loads(text)
            if isinstance(fields, dict) and all(isinstance(p, list) and len(p) == 2 for p in fields.values()):
                return fields
        except (TypeError, ValueError, RecursionError):
            pass
        self._add_notice(
            f"{self.path}: item '{item_id}' of the saved list '{namespace}/{key}' cannot be read. It is left in "
            "the file as it is and not shown; your other progress is fine."
        )
        return None

    def _list_value(self, db: sqlite3.Connection, profile: str, namespace: str, key: str) -> list[dict] | None:
        """A list as readers see it: its items in the order added, each with its ``id``; None if never saved."""
        if not _has_list_rows(db, (profile, namespace, key)):
            return None
        return materialize(vocab.LIST, self._list_doc(db, profile, namespace, key))

    def _list_doc(self, db: sqlite3.Connection, profile: str, namespace: str, key: str) -> dict:
        """A saved list as a doc (``{"items": …, "deleted": …}``, see :func:`merge_docs`); unreadable items left out."""
        doc = empty_doc(vocab.LIST)
        for item_id, order, text, deleted_at in db.execute(
            f"SELECT item_id, ord, fields, deleted_at FROM list_items {_WHERE_LIST}", (profile, namespace, key)
        ):
            if deleted_at is not None:
                doc["deleted"][item_id] = deleted_at
            elif (fields := self._item_fields(namespace, key, item_id, text)) is not None:
                doc["items"][item_id] = {"o": order, "f": fields}
        return doc

    # ------------------------------------------------------------ changes

    def _load_doc(self, db: sqlite3.Connection, profile: str, namespace: str, key: str, kind: str) -> dict:
        row = db.execute(
            "SELECT doc, value FROM state WHERE profile = ? AND namespace = ? AND key = ?", (profile, namespace, key)
        ).fetchone()
        if row is None:
            return empty_doc(kind)
        try:
            doc = json.loads(row[0]) if row[0] is not None else None
            if isinstance(doc, dict) and (kind != vocab.LIST or {"items", "deleted"} <= doc.keys()):
                return doc
        except (TypeError, ValueError, RecursionError):
            pass
        db.execute(
            "INSERT INTO damaged_values VALUES (?, ?, ?, ?, ?)", (profile, namespace, key, str(row[1]), now_iso())
        )
        self._add_notice(
            f"{self.path}: the saved entry '{namespace}/{key}' could not be read; a copy was kept in the file "
            "(table damaged_values) and it starts again from your change."
        )
        return empty_doc(kind)

    def _save_doc(self, db: sqlite3.Connection, profile: str, namespace: str, key: str, kind: str, doc: dict) -> None:
        value = materialize(kind, doc)
        db.execute(
            "INSERT INTO state (profile, namespace, key, value, updated_at, kind, doc) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(profile, namespace, key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at, kind = excluded.kind, doc = excluded.doc",
            (profile, namespace, key, _dumps(value), max_stamp(kind, doc) or now_iso(), kind, _dumps(doc)),
        )

    def _change(self, namespace: str, key: str, kind: str, apply: Callable[[dict], Any]) -> Any:
        """Read the current doc, ``apply`` the change to it, write it back: one transaction."""
        with self._write([namespace], frozenset({(namespace, key)})) as db:
            doc = self._load_doc(db, self.profile, namespace, key, kind)
            result = apply(doc)
            self._save_doc(db, self.profile, namespace, key, kind, doc)
        return result

    def set(self, namespace: str, key: str, value: Any) -> None:
        """Replace a value by the learner's new choice (for a record, set each given field; see :meth:`set_field`)."""
        kind = vocab.kind_of(namespace, key)
        _dumps(value)  # refuse what JSON cannot hold before touching the file
        if kind == vocab.LIST:
            raise TypeError(f"{namespace}/{key} is a list: use list_add, list_edit and list_remove")
        if kind == vocab.RECORD:
            if not isinstance(value, dict):
                raise TypeError(f"{namespace}/{key} is a record: set it with a dict of fields")

            def apply_record(doc: dict) -> None:
                for f, v in value.items():
                    old = doc.get(f)
                    if old is None or old[1] != v:
                        doc[f] = [_after(old[0] if old else None), v]

            self._change(namespace, key, kind, apply_record)
            return

        def apply_value(doc: dict) -> None:
            old = doc.get("")
            doc[""] = [_after(old[0] if old else None), value]

        self._change(namespace, key, vocab.VALUE, apply_value)

    def delete(self, namespace: str, key: str) -> None:
        """Remove a value (a tombstone: a merge cannot bring the older value back)."""
        kind = vocab.kind_of(namespace, key)
        if kind == vocab.LIST:
            raise TypeError(f"{namespace}/{key} is a list: remove its items with list_remove")
        if kind == vocab.RECORD:

            def clear(doc: dict) -> None:
                for f, old in list(doc.items()):
                    if old[1] is not None:
                        doc[f] = [_after(old[0]), None]

            self._change(namespace, key, kind, clear)
            return
        self.set(namespace, key, None)

    def set_field(self, namespace: str, key: str, field_name: str, value: Any) -> None:
        """Set one field of one record (e.g. the note of one checklist item), against its current stored value."""
        _dumps(value)

        def apply(doc: dict) -> None:
            old = doc.get(field_name)
            if old is None or old[1] != value:
                doc[field_name] = [_after(old[0] if old else None), value]

        self._change(namespace, key, vocab.RECORD, apply)

    def increment(self, namespace: str, key: str, field_name: str, by: int | float = 1) -> int | float:
        """Add ``by`` to a numeric field of a record, inside the transaction; returns the new value."""

        def apply(doc: dict) -> int | float:
            old = doc.get(field_name)
            current = old[1] if old and isinstance(old[1], int | float) and not isinstance(old[1], bool) else 0
            doc[field_name] = [_after(old[0] if old else None), current + by]
            return current + by

        return self._change(namespace, key, vocab.RECORD, apply)

    def update(self, namespace: str, key: str, change: Callable[[Any], Any]) -> Any:
        """Replace a value by ``change(current value)``, computed inside the transaction; returns the new value."""

        def apply(doc: dict) -> Any:
            old = doc.get("")
            new = change(old[1] if old else None)
            _dumps(new)
            doc[""] = [_after(old[0] if old else None), new]
            return new

        return self._change(namespace, key, vocab.VALUE, apply)

    def review_card(self, card_id: str, knew_it: bool, today: date) -> dict:
        """One flashcard review: read the card's current state, apply the Leitner rule, write it, in one transaction."""
        from coderpath_widgets.progress.leitner import review

        return self.update(
            vocab.FLASHCARDS_NAMESPACE,
            card_id,
            lambda state: review(state if isinstance(state, dict) else None, knew_it, today),
        )

    def _list_change(self, namespace: str, key: str, apply: Callable[[sqlite3.Connection, tuple], Any]) -> Any:
        """One change to one list: one transaction that reads and writes only the rows of the items it touches."""
        with self._write([namespace], frozenset({(namespace, key)})) as db:
            where = (self.profile, namespace, key)
            self._list_ready(db, where)
            return apply(db, where)

    def _list_ready(self, db: sqlite3.Connection, where: tuple) -> None:
        """A list's items are rows of ``list_items``: a ``state`` row under its name (a list that could not be
        read when it was migrated, or a plain value) is kept in ``damaged_values``, and the list starts afresh."""
        row = db.execute(f"SELECT value FROM state {_WHERE_LIST}", where).fetchone()
        if row is None:
            return
        db.execute("INSERT INTO damaged_values VALUES (?, ?, ?, ?, ?)", (*where, str(row[0]), now_iso()))
        db.execute(f"DELETE FROM state {_WHERE_LIST}", where)
        self._add_notice(
            f"{self.path}: the saved entry '{where[1]}/{where[2]}' could not be read; a copy was kept in the file "
            "(table damaged_values) and it starts again from your change."
        )

    def _item(self, db: sqlite3.Connection, where: tuple, item_id: str) -> tuple[dict, str | None] | None:
        """One saved item's ``(fields, deleted_at)``, or None if the list never had it; unreadable fields: ``{}``."""
        row = db.execute(
            f"SELECT fields, deleted_at FROM list_items {_WHERE_LIST} AND item_id = ?", (*where, item_id)
        ).fetchone()
        if row is None:
            return None
        fields = self._item_fields(where[1], where[2], item_id, row[0])
        if fields is None:
            db.execute("INSERT INTO damaged_values VALUES (?, ?, ?, ?, ?)", (*where, str(row[0]), now_iso()))
        return fields or {}, row[1]

    def list_add(self, namespace: str, key: str, item: dict, item_id: str | None = None) -> str:
        """Add one item to a list (e.g. one job application); returns its new stable id. Writes one row."""
        fields = {str(f): v for f, v in item.items() if f != "id"}
        _dumps(fields)
        new_id = item_id or uuid.uuid4().hex

        def apply(db: sqlite3.Connection, where: tuple) -> str:
            if self._item(db, where, new_id) is not None:
                raise StoreError(f"{namespace}/{key}: an item with id {new_id} exists or was removed")
            stamp = now_iso()  # a new id: no other copy has changes of this item to compare times with
            order = f"{stamp}/{new_id}"
            # after every item of the list, so the new one is shown last (even if this clock is behind another's)
            last = db.execute(f"SELECT max(ord) FROM list_items {_WHERE_LIST}", where).fetchone()[0]
            if last is not None and order <= last:
                order = f"{last}/{new_id}"
            text = _dumps({f: [stamp, v] for f, v in fields.items()})
            db.execute(_UPSERT_ITEM, (*where, new_id, order, text, None, stamp))
            return new_id

        return self._list_change(namespace, key, apply)

    def list_edit(self, namespace: str, key: str, item_id: str, changes: dict) -> bool:
        """Change some fields of one list item; False if the item is gone (removed elsewhere). Writes one row."""
        changes = {str(f): v for f, v in changes.items() if f != "id"}
        _dumps(changes)

        def apply(db: sqlite3.Connection, where: tuple) -> bool:
            found = self._item(db, where, item_id)
            if found is None or found[1] is not None:
                return False
            fields = found[0]
            changed = False
            for f, v in changes.items():
                old = fields.get(f)
                if old is None or old[1] != v:
                    fields[f] = [_after(old[0] if old else None), v]
                    changed = True
            if changed:
                db.execute(
                    f"UPDATE list_items SET fields = ?, updated_at = ? {_WHERE_LIST} AND item_id = ?",
                    (_dumps(fields), max(p[0] for p in fields.values()), *where, item_id),
                )
            return True

        return self._list_change(namespace, key, apply)

    def list_remove(self, namespace: str, key: str, item_id: str) -> bool:
        """Remove one list item, leaving a tombstone; False if it was already gone. Writes one row."""
        return self.list_take(namespace, key, item_id) is not None

    def list_take(self, namespace: str, key: str, item_id: str) -> dict | None:
        """Remove one list item, leaving a tombstone, and return the fields it had then (without its id; ``{}`` if
        they could not be read); None if it was already gone. One transaction, one row: what an Undo puts back is
        what was removed, not what a page read earlier."""

        def apply(db: sqlite3.Connection, where: tuple) -> dict | None:
            found = self._item(db, where, item_id)
            if found is not None and found[1] is not None:
                return None
            stamp = _after(max((p[0] for p in found[0].values()), default=None) if found else None)
            db.execute(
                "INSERT INTO list_items (profile, namespace, key, item_id, ord, fields, deleted_at, updated_at) "
                "VALUES (?, ?, ?, ?, '', '{}', ?, ?) ON CONFLICT(profile, namespace, key, item_id) DO UPDATE SET "
                "fields = excluded.fields, deleted_at = excluded.deleted_at, updated_at = excluded.updated_at",
                (*where, item_id, stamp, stamp),
            )
            return None if found is None else {f: pair[1] for f, pair in sorted(found[0].items())}

        return self._list_change(namespace, key, apply)

    # ------------------------------------------------------------ events

    def add_event(self, kind: str, payload: Any, event_id: str | None = None) -> int:
        """Append one attempt; ``event_id`` (default: a new random id) makes a re-sent attempt count once."""
        text = _dumps(payload)
        uid = event_id or uuid.uuid4().hex
        with self._write([f"event:{kind}"]) as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO events (profile, kind, payload, created_at, uid) VALUES (?, ?, ?, ?, ?)",
                (self.profile, kind, text, now_iso(), uid),
            )
            return int(cur.lastrowid or 0) if cur.rowcount else 0

    def events(self, kind: str | None = None) -> list[Event]:
        """Recorded events of the active profile, oldest first (unreadable ones left out and reported)."""
        query = "SELECT id, kind, payload, created_at, uid FROM events WHERE profile = ?"
        args: tuple[Any, ...] = (self.profile,)
        if kind is not None:
            query += " AND kind = ?"
            args += (kind,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        out = []
        for i, k, p, c, u in rows:
            try:
                out.append(Event(i, k, json.loads(p), c, u or ""))
            except (TypeError, ValueError, RecursionError):
                self._add_notice(f"{self.path}: attempt {i} ({k}) cannot be read (not JSON); it is left in the file.")
        return out

    def last_activity(self) -> str | None:
        """ISO time of the active profile's latest change, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT max(t) FROM (SELECT max(updated_at) AS t FROM state WHERE profile = ? "
                "UNION ALL SELECT max(updated_at) FROM list_items WHERE profile = ? "
                "UNION ALL SELECT max(created_at) FROM events WHERE profile = ?)",
                (self.profile, self.profile, self.profile),
            ).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------ export and import

    def export_data(self) -> dict[str, Any]:
        """The active profile as the documented export structure (see docs/progress-format.md)."""
        with self._lock:
            state_rows = self._db.execute(
                "SELECT namespace, key, value, updated_at, kind, doc FROM state WHERE profile = ? "
                "ORDER BY namespace, key",
                (self.profile,),
            ).fetchall()
            event_rows = self._db.execute(
                "SELECT uid, kind, payload, created_at FROM events WHERE profile = ? ORDER BY id", (self.profile,)
            ).fetchall()
            in_state = {(namespace, key) for namespace, key, *_ in state_rows}
            lists = [
                (namespace, key, self._list_doc(self._db, self.profile, namespace, key), updated_at)
                for namespace, key, updated_at in self._db.execute(
                    "SELECT namespace, key, max(updated_at) FROM list_items WHERE profile = ? GROUP BY namespace, key",
                    (self.profile,),
                )
                if (namespace, key) not in in_state
            ]
        entries: list[tuple[str, str, str, str, Any]] = [
            (namespace, key, kind, updated_at, (doc, value))
            for namespace, key, value, updated_at, kind, doc in state_rows
        ]
        entries += [
            (namespace, key, vocab.LIST, max_stamp(vocab.LIST, doc) or normal_stamp(updated_at) or now_iso(), doc)
            for namespace, key, doc, updated_at in lists
        ]
        state: dict[str, dict[str, Any]] = {}
        updated: dict[str, dict[str, str]] = {}
        changes: dict[str, dict[str, Any]] = {}
        for namespace, key, kind, updated_at, saved in sorted(entries, key=lambda e: (e[0], e[1])):
            try:
                if isinstance(saved, dict):  # a list, read from its rows
                    parsed_doc = saved
                else:
                    doc, value = saved
                    parsed_doc = json.loads(doc) if doc else doc_from_value(kind, json.loads(value), updated_at)
                materialized = materialize(kind, parsed_doc)
            except (TypeError, ValueError, RecursionError, KeyError):
                continue  # an unreadable entry is reported by the store, not exported
            changes.setdefault(namespace, {})[key] = {"kind": kind, "doc": parsed_doc}
            if materialized is not None:
                state.setdefault(namespace, {})[key] = materialized
                updated.setdefault(namespace, {})[key] = updated_at
        events = []
        for uid, kind, payload, created_at in event_rows:
            try:
                events.append({"id": uid, "kind": kind, "payload": json.loads(payload), "created_at": created_at})
            except (TypeError, ValueError, RecursionError):
                continue
        body = {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_FORMAT_VERSION,
            "coderpath_version": __version__,
            "profile": self.profile,
            "exported_at": now_iso(),
            "state": state,
            "updated_at": updated,
            "changes": changes,
            "events": events,
        }
        if self.student_id():  # the roster id an instructor joins on (docs/progress-format.md)
            body["student_id"] = self.student_id()
        body["checksum"] = export_checksum(body)
        return body

    def export_bytes(self) -> bytes:
        """The export as the bytes of a JSON file (what the page's download link holds)."""
        return json.dumps(self.export_data(), ensure_ascii=False, indent=1).encode("utf-8")

    def export_json(self, path: str | os.PathLike[str]) -> Path:
        """Write the active profile to a JSON file (atomically) and return its path.

        Raises :class:`StoreError` with a plain sentence for a missing folder, a folder given as the file, or a
        place that cannot be written.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path} is a folder; give a file name, e.g. {path / 'my-progress.json'}")
        if not path.parent.is_dir():
            raise StoreError(
                f"{path}: the folder {path.parent} does not exist; create it first or choose another place"
            )
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_bytes(self.export_bytes())
            tmp.replace(path)
        except OSError as exc:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise StoreError(f"{path} cannot be written ({exc.strerror or exc}); choose another place") from None
        return path

    def import_data(
        self,
        data: Any,
        source: str = "the file",
        into_profile: str | None = None,
        now: str | None = None,
        checked: bool = False,
    ) -> ImportSummary:
        """Merge an export into the active profile (or ``into_profile``), by the rules in docs/progress-format.md.

        Per field the newer change wins, by a time clamped to ``now`` (the time of the import); list items merge by
        id and removals stay removed; attempts count once by id. Importing the same file twice changes nothing.
        An export of another profile raises :class:`OtherProfileError` unless ``into_profile`` names the target.
        """
        events_text = None if checked else _check_export(data, source)  # read_export and parse_export have checked
        return self._import(data, source, into_profile, now, events_text)

    def _import(
        self, data: Any, source: str, into_profile: str | None, now: str | None, events_text: str | None
    ) -> ImportSummary:
        target = check_profile_name(into_profile) if into_profile is not None else self.profile
        if data["profile"] != target and into_profile is None:
            raise OtherProfileError(
                f"{source} is the progress of profile '{data['profile']}', but you are working as '{target}'. "
                f"Importing it merges {data['profile']}'s progress into yours: confirm that you want this.",
                data["profile"],
                target,
            )
        # No change in an export is later than the export itself, nor than this import; the same file imported
        # again uses the limit of its first import, so a file stamped in the future cannot win a second time.
        limit: str = min(
            (normal_stamp(now) or now_iso()) if now else now_iso(), normal_stamp(data["exported_at"]) or ""
        )
        summary = ImportSummary(source, data["profile"], target)
        entries = _export_entries(data)
        namespaces: set[str] = set()
        with self._write(namespaces) as db:
            remembered = f"import-limit:{target}:{data['checksum']}"
            row = db.execute("SELECT value FROM meta WHERE key = ?", (remembered,)).fetchone()
            limit = min(limit, row[0]) if row else limit
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (remembered, limit))
            db.execute("INSERT OR IGNORE INTO profiles (name, created_at) VALUES (?, ?)", (target, now_iso()))
            for (namespace, key), (kind, incoming) in sorted(entries.items()):
                counts = self._merge_entry(db, (target, namespace, key), kind, _clamp_doc(kind, incoming, limit))
                if counts is not None:
                    fields, added, removed = counts
                    summary.fields_changed += fields
                    summary.items_added += added
                    summary.items_removed += removed
                    summary.changed[namespace] = summary.changed.get(namespace, 0) + fields + added + removed
                    namespaces.add(namespace)
            summary.events_added = self._insert_events(db, target, data["events"], events_text, limit)
            summary.events_known = len(data["events"]) - summary.events_added
            if summary.events_added:
                namespaces.update(f"event:{k}" for k in vocab.EVENT_KINDS)
        return summary

    def _merge_entry(
        self, db: sqlite3.Connection, where: tuple[str, str, str], kind: str, incoming: dict
    ) -> tuple[int, int, int] | None:
        """Merge one entry of an export into the store; (fields changed, items added, items removed), or None if
        nothing changed. A list writes only the rows of the items that changed."""
        profile, namespace, key = where
        local_kind = self._local_kind(db, where) or kind
        if local_kind == kind == vocab.LIST:
            self._list_ready(db, where)
            local = self._list_doc(db, profile, namespace, key)
            merged = merge_docs(kind, local, incoming)
            rows = _item_rows(profile, namespace, key, local, merged)
            if not rows:  # also a tombstone of an item never seen here counts as a change
                return None
            db.executemany(_UPSERT_ITEM, rows)
            return _count_changes(kind, local, merged)
        if local_kind != kind:  # one side kept a plain value where the other has fields: compare as values
            if kind != vocab.VALUE:
                incoming = doc_from_value(vocab.VALUE, materialize(kind, incoming), max_stamp(kind, incoming))
            kind = vocab.VALUE
        if local_kind == vocab.LIST:
            listed = self._list_doc(db, profile, namespace, key)
            local = doc_from_value(kind, materialize(local_kind, listed), max_stamp(local_kind, listed))
        else:
            local = self._load_doc(db, profile, namespace, key, kind)
            if local_kind != kind:
                local = doc_from_value(kind, materialize(local_kind, local), max_stamp(local_kind, local))
        merged = merge_docs(kind, local, incoming)
        if _dumps(merged) == _dumps(local):
            return None
        self._save_doc(db, profile, namespace, key, kind, merged)
        if local_kind == vocab.LIST:  # the entry is a plain value now: its item rows go
            db.execute(f"DELETE FROM list_items {_WHERE_LIST}", where)
        return _count_changes(kind, local, merged)

    def _insert_events(
        self, db: sqlite3.Connection, profile: str, events: list[dict], events_text: str | None, limit: str
    ) -> int:
        """Add an import's attempts not already here (by id): one statement, each attempt read from the export's JSON
        by SQLite (no Python per attempt); returns how many were added."""
        before = db.total_changes
        if events_text is None:
            events_text = _events_json(events)
        if events_text is not None:
            db.execute(
                "INSERT OR IGNORE INTO events (profile, kind, payload, created_at, uid) "
                "SELECT :profile, kind, payload, "
                "min(coalesce(CASE WHEN length(at) = 32 AND substr(at, 27) = '+00:00' AND substr(at, 20, 1) = '.' "
                "THEN at ELSE coderpath_stamp(at) END, :limit), :limit), "
                "coalesce(uid, coderpath_legacy_uid(kind, at, payload)) "
                "FROM (SELECT json_extract(value, '$.kind') AS kind, json_extract(value, '$.payload') AS payload, "
                "json_extract(value, '$.created_at') AS at, json_extract(value, '$.id') AS uid "
                "FROM json_each(:events) ORDER BY key)",
                {"profile": profile, "limit": limit, "events": events_text},
            )
        else:  # a number JSON cannot hold (NaN, infinity) in some payload: one attempt at a time, in Python
            db.executemany(
                "INSERT OR IGNORE INTO events (profile, kind, payload, created_at, uid) VALUES (?, ?, ?, ?, ?)",
                (
                    (
                        profile,
                        e["kind"],
                        _dumps(e["payload"]),
                        min(normal_stamp(e["created_at"]) or limit, limit),
                        e.get("id") or legacy_event_uid(e["kind"], e["created_at"], e["payload"]),
                    )
                    for e in events
                ),
            )
        return db.total_changes - before

    def _local_kind(self, db: sqlite3.Connection, where: tuple[str, str, str]) -> str | None:
        """How an entry is saved here: its ``state`` row's kind, else ``list`` if it has item rows, else None."""
        row = db.execute(f"SELECT kind FROM state {_WHERE_LIST}", where).fetchone()
        if row is not None:
            return row[0] if row[0] in vocab.KINDS else None
        return vocab.LIST if _has_list_rows(db, where) else None

    def import_json(self, path: str | os.PathLike[str], into_profile: str | None = None) -> ImportSummary:
        """Read an export file and merge it (see :meth:`import_data`)."""
        data, events_text = _read_export(path)
        return self._import(data, str(path), into_profile, None, events_text)

    def import_bytes(self, content: bytes, name: str, into_profile: str | None = None) -> ImportSummary:
        """Merge an uploaded export (see :meth:`import_data`)."""
        data, events_text = _parse_export(content, name)
        return self._import(data, name, into_profile, None, events_text)

    @contextmanager
    def reported(self) -> Iterator[None]:
        """Around a widget's save: a failure has been shown to the learner already (see :class:`Change`), so go on."""
        with suppress(StoreError):
            yield


def check_profile_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
        raise StoreError("A profile name needs 1 to 100 characters.")
    return name.strip()


# ------------------------------------------------------------------ export files


def export_checksum(body: dict[str, Any]) -> str:
    """SHA-256 over the export without its checksum: detects damaged or hand-edited files.

    It is a consistency check, not a signature: it cannot stop someone who recomputes it.
    """
    content = {k: v for k, v in body.items() if k != "checksum"}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _events_json(events: list) -> str | None:
    """An export's attempts as one JSON text, in the canonical form of its checksum; None if a number in them is
    one JSON cannot hold (NaN, infinity)."""
    try:
        return json.dumps(events, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return None


def _checksum_with_events(body: dict[str, Any], events_text: str | None) -> str:
    """:func:`export_checksum`, reusing the canonical text of the attempts (most of a large export) made already."""
    if events_text is None:
        return export_checksum(body)
    marker = uuid.uuid4().hex
    content = {k: v for k, v in body.items() if k != "checksum"}
    content["events"] = marker
    head, found, tail = _dumps(content).partition(f'"events":"{marker}"')
    if not found:
        return export_checksum(body)
    digest = hashlib.sha256(head.encode("utf-8"))
    digest.update(b'"events":')
    digest.update(events_text.encode("utf-8"))
    digest.update(tail.encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def read_export(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check a progress export; raise :class:`StoreError` naming the file and the problem."""
    return _read_export(path)[0]


def _read_export(path: str | os.PathLike[str]) -> tuple[dict[str, Any], str | None]:
    path = Path(path)
    try:
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a progress export file")
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise StoreError(
                f"{path}: {size // 2**20} MB is larger than the {MAX_IMPORT_BYTES // 2**20} MB an export "
                "may have; is it a progress export?"
            )
        content = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return _parse_export(content, str(path))


def parse_export(content: bytes, source: str) -> dict[str, Any]:
    """Parse and check the bytes of an export; raise :class:`StoreError` as ``source: field: problem``."""
    return _parse_export(content, source)[0]


def _parse_export(content: bytes, source: str) -> tuple[dict[str, Any], str | None]:
    """The checked export, and its attempts as canonical JSON text (for the import), from the bytes of a file."""
    if len(content) > MAX_IMPORT_BYTES:
        raise StoreError(f"{source}: larger than the {MAX_IMPORT_BYTES // 2**20} MB an export may have")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StoreError(f"{source}: not a UTF-8 text file (byte {exc.start + 1}); is it a progress export?") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError(f"{source}:{exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise StoreError(f"{source}: nested more than {MAX_DEPTH} levels deep; not a progress export") from None
    return data, _check_export(data, source)


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "number": (int, float),
    "integer": (int,),
    "object": (dict,),
    "array": (list,),
}
_VALUE_TYPES: dict[tuple[str, str | None], str] = {
    (vocab.TARGET_NAMESPACE, vocab.TARGET_KEY): "string?",
    (vocab.TARGET_NAMESPACE, vocab.COMPARE_KEY): "array?",
    (vocab.PLAN_NAMESPACE, vocab.SCHEDULE_KEY): "object?",
    (vocab.FLASHCARDS_NAMESPACE, None): "object?",
    (vocab.PRACTICE_NAMESPACE, vocab.CURRENT_CASE_KEY): "string?",
}
_PLAN_FIELDS = {
    "program": "string",
    "credential": "string",
    "hours_per_week": "number",
    "start": "string?",
    "exam_prep_weeks": "integer",
    "breaks": "array",
}


def _type_problem(value: Any, spec: str) -> str | None:
    nullable = spec.endswith("?")
    spec = spec.rstrip("?")
    if value is None:
        return None if nullable else f"is empty; expected {spec}"
    kinds = _JSON_TYPES[spec]
    if isinstance(value, bool) and bool not in kinds:
        return f"is true/false; expected {spec}"
    if not isinstance(value, kinds):
        return f"is {_json_type(value)}; expected {spec}"
    return None


def _json_type(value: Any) -> str:
    for name, kinds in _JSON_TYPES.items():
        if isinstance(value, kinds) and not (isinstance(value, bool) and name != "boolean"):
            return name
    return "empty" if value is None else type(value).__name__


_NESTS = (dict, list)


def _depth_problem(value: Any, depth: int = 1) -> bool:
    """Whether ``value`` (at nesting ``depth``) nests deeper than :data:`MAX_DEPTH`: one level at a time, only
    containers are descended into."""
    level = [value]
    while level:
        if depth > MAX_DEPTH:
            return True
        below: list = []
        for c in level:
            below += [v for v in (c.values() if isinstance(c, dict) else c) if isinstance(v, _NESTS)]
        level = below
        depth += 1
    return False


class _Problems:
    def __init__(self, source: str):
        self.source = source
        self.found: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.found.append(f"{self.source}: {where}: {problem}")

    def raise_if_any(self) -> None:
        if self.found:
            lines = self.found[:MAX_PROBLEMS_LISTED]
            more = len(self.found) - len(lines)
            raise StoreError("\n".join(lines + ([f"{self.source}: … and {more} more problems"] if more else [])))


def _check_fields(problems: _Problems, where: str, fields: Any, types: dict[str, str] | None) -> None:
    if not isinstance(fields, dict):
        problems.add(where, f"is {_json_type(fields)}; expected object")
        return
    for f, v in fields.items():
        if types is not None:
            if f not in types:
                problems.add(f"{where}.{f}", "is not a field this coderpath knows")
            elif (problem := _type_problem(v, types[f])) is not None:
                problems.add(f"{where}.{f}", problem)


def _check_pair(problems: _Problems, where: str, pair: Any, spec: str | None) -> None:
    if not (isinstance(pair, list) and len(pair) == 2):
        problems.add(where, "expected [time, value]")
        return
    if normal_stamp(pair[0]) is None:
        problems.add(f"{where}[0]", "is not a date and time")
    if spec is not None and (problem := _type_problem(pair[1], spec)) is not None:
        problems.add(f"{where}[1]", problem)


def _field_types(entry: tuple[str, str | None]) -> dict[str, str] | None:
    if entry == (vocab.PLAN_NAMESPACE, vocab.PLAN_KEY):
        return _PLAN_FIELDS
    return vocab.FIELD_TYPES.get(entry)


def _check_doc(problems: _Problems, where: str, kind: str, doc: Any, entry: tuple[str, str | None]) -> None:
    if not isinstance(doc, dict):
        problems.add(where, f"is {_json_type(doc)}; expected object")
        return
    types = _field_types(entry)
    if kind == vocab.VALUE:
        if set(doc) - {""}:
            problems.add(where, 'a value has one entry, ""')
        if "" in doc:
            _check_pair(problems, f'{where}[""]', doc[""], _VALUE_TYPES.get(entry, "object?"))
        return
    if kind == vocab.RECORD:
        for f, pair in doc.items():
            spec = types.get(f) if types is not None else None
            if types is not None and f not in types:
                problems.add(f"{where}.{f}", "is not a field this coderpath knows")
            _check_pair(problems, f"{where}.{f}", pair, spec + "?" if spec else None)
        return
    items, deleted = doc.get("items"), doc.get("deleted")
    if not isinstance(items, dict) or not isinstance(deleted, dict):
        problems.add(where, "a list needs 'items' and 'deleted' objects")
        return
    for item_id, stamp in deleted.items():
        if len(item_id) > 100 or normal_stamp(stamp) is None:
            problems.add(f"{where}.deleted.{item_id[:100]}", "needs an id of up to 100 characters and a date and time")
    for item_id, item in items.items():
        at = f"{where}.items.{item_id[:100]}"
        if len(item_id) > 100 or not item_id:
            problems.add(at, "an item id needs 1 to 100 characters")
        if not isinstance(item, dict) or not isinstance(item.get("o"), str) or not isinstance(item.get("f"), dict):
            problems.add(at, "an item needs 'o' (text) and 'f' (fields)")
            continue
        for f, pair in item["f"].items():
            spec = types.get(f) if types is not None else None
            if types is not None and f not in types:
                problems.add(f"{at}.f.{f}", "is not a field this coderpath knows")
            _check_pair(problems, f"{at}.f.{f}", pair, spec)


def _check_state_value(problems: _Problems, where: str, value: Any, entry: tuple[str, str | None]) -> None:
    kind = vocab.SAVED_KINDS[entry]
    if kind == vocab.VALUE:
        if (problem := _type_problem(value, _VALUE_TYPES.get(entry, "object?"))) is not None:
            problems.add(where, problem)
    elif kind == vocab.RECORD:
        _check_fields(problems, where, value, _field_types(entry))
    else:
        if not isinstance(value, list):
            problems.add(where, f"is {_json_type(value)}; expected array")
            return
        for n, item in enumerate(value):
            if isinstance(item, dict):
                item = {k: v for k, v in item.items() if k != "id"}
            _check_fields(problems, f"{where}[{n}]", item, vocab.FIELD_TYPES.get(entry))


def _event_problems(problems: _Problems, where: str, event: Any) -> None:
    if not isinstance(event, dict):
        problems.add(where, f"is {_json_type(event)}; expected object")
        return
    if event.get("kind") not in vocab.EVENT_KINDS:
        problems.add(f"{where}.kind", f"is {event.get('kind')!r}; expected one of {', '.join(vocab.EVENT_KINDS)}")
    if not isinstance(event.get("payload"), dict):
        problems.add(f"{where}.payload", f"is {_json_type(event.get('payload'))}; expected object")
    if normal_stamp(event.get("created_at")) is None:
        problems.add(f"{where}.created_at", "is missing or not a date and time")
    if "id" in event and not (isinstance(event["id"], str) and 0 < len(event["id"]) <= 100):
        problems.add(f"{where}.id", "needs 1 to 100 characters of text")


def check_export(data: Any, source: str) -> None:
    """Raise :class:`StoreError` unless ``data`` is an intact export of a known format version.

    Every field's type is checked; the message lists each problem as ``file: field: problem``.
    """
    _check_export(data, source)


def _check_export(data: Any, source: str) -> str | None:
    """:func:`check_export`, returning the attempts as canonical JSON text (see :func:`_events_json`)."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise StoreError(f"{source}: format: not a coderpath progress export (field 'format' is not '{EXPORT_FORMAT}')")
    if data.get("format_version") not in READABLE_FORMAT_VERSIONS:
        raise StoreError(
            f"{source}: format_version: is {data.get('format_version')!r}; this coderpath reads versions "
            f"{', '.join(map(str, READABLE_FORMAT_VERSIONS))}"
        )
    problems = _Problems(source)
    if isinstance(data, dict | list) and _depth_problem(data):
        raise StoreError(f"{source}: nested more than {MAX_DEPTH} levels deep; not a progress export")
    for name, spec in (
        ("profile", "string"),
        ("exported_at", "string"),
        ("state", "object"),
        ("events", "array"),
        ("updated_at", "object?"),
        ("changes", "object?"),
        ("coderpath_version", "string?"),
        ("student_id", "string?"),
        ("checksum", "string"),
    ):
        if (problem := _type_problem(data.get(name), spec)) is not None:
            problems.add(name, "is missing" if name not in data else problem)
    problems.raise_if_any()
    if not data["profile"].strip() or len(data["profile"]) > 100:
        problems.add("profile", "needs 1 to 100 characters")
    if normal_stamp(data["exported_at"]) is None:
        problems.add("exported_at", "is not a date and time")
    for namespace, entries in data["state"].items():
        if not isinstance(entries, dict):
            problems.add(f"state.{namespace}", f"is {_json_type(entries)}; expected object")
            continue
        for key, value in entries.items():
            entry = vocab.entry_of(namespace, key)
            if entry is None:
                problems.add(f"state.{namespace}.{key}", "is not something this coderpath saves")
            else:
                _check_state_value(problems, f"state.{namespace}.{key}", value, entry)
    for namespace, entries in (data.get("updated_at") or {}).items():
        for key, stamp in entries.items() if isinstance(entries, dict) else [("", None)]:
            if normal_stamp(stamp) is None:
                problems.add(f"updated_at.{namespace}.{key}", "is not a date and time")
    for namespace, entries in (data.get("changes") or {}).items():
        if not isinstance(entries, dict):
            problems.add(f"changes.{namespace}", f"is {_json_type(entries)}; expected object")
            continue
        for key, change in entries.items():
            where = f"changes.{namespace}.{key}"
            entry = vocab.entry_of(namespace, key)
            if entry is None:
                problems.add(where, "is not something this coderpath saves")
            elif not isinstance(change, dict) or change.get("kind") not in vocab.KINDS:
                problems.add(where, f"needs 'kind' ({', '.join(vocab.KINDS)}) and 'doc'")
            elif change["kind"] != vocab.SAVED_KINDS[entry] and change["kind"] != vocab.VALUE:
                problems.add(f"{where}.kind", f"is '{change['kind']}'; expected '{vocab.SAVED_KINDS[entry]}'")
            else:
                _check_doc(problems, f"{where}.doc", change["kind"], change.get("doc"), entry)
    for n, event in enumerate(data["events"]):
        if not (  # the common case, checked cheaply; the messages are made only for an attempt with a problem
            isinstance(event, dict)
            and event.get("kind") in vocab.EVENT_KINDS
            and isinstance(event.get("payload"), dict)
            and normal_stamp(event.get("created_at")) is not None
            and ("id" not in event or (isinstance(event["id"], str) and 0 < len(event["id"]) <= 100))
        ):
            _event_problems(problems, f"events[{n}]", event)
            if len(problems.found) > MAX_PROBLEMS_LISTED:
                break
    problems.raise_if_any()
    events_text = _events_json(data["events"])
    if data["checksum"] != _checksum_with_events(data, events_text):
        raise StoreError(
            f"{source}: checksum: does not match the contents; the file was edited or damaged after export"
        )
    return events_text


def _export_entries(data: dict[str, Any]) -> dict[tuple[str, str], tuple[str, dict]]:
    """Every saved entry of a checked export as ``(kind, doc)``: from ``changes`` (format 2) or ``state`` (format 1)."""
    out: dict[tuple[str, str], tuple[str, dict]] = {}
    if data.get("changes") is not None:
        for namespace, entries in data["changes"].items():
            for key, change in entries.items():
                doc = change["doc"]
                if change["kind"] == vocab.LIST:
                    doc = {
                        "items": {
                            i: {"o": e["o"], "f": {f: [normal_stamp(p[0]), p[1]] for f, p in e["f"].items()}}
                            for i, e in doc["items"].items()
                        },
                        "deleted": {i: normal_stamp(t) for i, t in doc["deleted"].items()},
                    }
                else:
                    doc = {f: [normal_stamp(p[0]), p[1]] for f, p in doc.items()}
                out[(namespace, key)] = (change["kind"], doc)
        return out
    # check_export has refused a file whose exported_at is not a date and time.
    exported_at = cast(str, normal_stamp(data["exported_at"]))
    for namespace, entries in data["state"].items():
        for key, value in entries.items():
            stamp = normal_stamp((data.get("updated_at") or {}).get(namespace, {}).get(key)) or exported_at
            kind = vocab.kind_of(namespace, key)
            if (
                (namespace, key) == (vocab.PLAN_NAMESPACE, vocab.PLAN_KEY)
                and isinstance(value, dict)
                and "breaks" in value
            ):
                value = dict(value)
                pairs = [
                    {"first": p[0], "last": p[1]}
                    for p in value.pop("breaks") or []
                    if isinstance(p, list) and len(p) == 2
                ]
                if pairs:
                    out[(namespace, vocab.PLAN_BREAKS_KEY)] = (vocab.LIST, doc_from_value(vocab.LIST, pairs, stamp))
            out[(namespace, key)] = (kind, doc_from_value(kind, value, stamp))
    return out


# ------------------------------------------------------------------ one store per process

_stores: dict[Path, ProgressStore] = {}
_stores_lock = threading.Lock()


def get_store(path: str | os.PathLike[str] | None = None) -> ProgressStore:
    """The process-wide store for the current ``$CODERPATH_HOME`` (or ``path``).

    In a kernel Voilà pre-heated ahead of a visit, this first waits until the page is actually opened,
    so learner state is read fresh, never as old as the spare kernel (see :mod:`coderpath_widgets.progress.preheat`).
    """
    wait_for_page_request()
    resolved = (Path(path) if path is not None else home_dir() / DB_NAME).resolve()
    with _stores_lock:
        store = _stores.get(resolved)
        if store is None:
            store = _stores[resolved] = ProgressStore(resolved)
        return store


@atexit.register
def reset_stores() -> None:
    """Close cached stores (cleanly: the next opening runs the quick check); tests use it between homes."""
    from coderpath_widgets.progress.debounce import flush_all

    flush_all()
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()
