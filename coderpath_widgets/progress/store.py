"""The progress store: every tick, note, plan and answer a learner makes.

SQLite from the standard library, in the per-user folder (``$CODERPATH_HOME`` or the platform's data
dir). Each change is its own short transaction in WAL mode with a busy timeout, so a JupyterLab kernel and
a Voilà kernel open at once never lose each other's updates. A damaged database is never deleted: it is
moved aside with a timestamp, the learner is told in plain words, and a fresh store starts.

State is JSON values keyed by ``(profile, namespace, key)``; things that accumulate (practice attempts,
quiz attempts) are append-only events.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coderpath_widgets import __version__
from coderpath_widgets.paths import home_dir
from coderpath_widgets.progress.preheat import wait_for_page_request

DB_NAME = "progress.sqlite3"
SCHEMA_VERSION = 2
EXPORT_FORMAT = "coderpath-progress"
EXPORT_FORMAT_VERSION = 1
BUSY_TIMEOUT_MS = 30_000
PROFILE_ENV = "CODERPATH_PROFILE"


class StoreError(RuntimeError):
    """A problem with the progress store or a progress file, in plain words."""


@dataclass(frozen=True)
class Event:
    """One recorded attempt or action."""

    id: int
    kind: str
    payload: Any
    created_at: str


def now_iso() -> str:
    """Current UTC time, ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def default_profile() -> str:
    """The JupyterHub user, else ``$CODERPATH_PROFILE``, else the OS user."""
    for var in ("JUPYTERHUB_USER", PROFILE_ENV):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except Exception:  # no user name on some containers
        return "learner"


def _create_v1(db: sqlite3.Connection) -> None:
    # One execute per statement: executescript() would commit the migration's transaction early.
    for statement in ["\n        CREATE TABLE IF NOT EXISTS profiles (\n            name TEXT PRIMARY KEY,\n            created_at TEXT NOT NULL\n        )", "\n        CREATE TABLE IF NOT EXISTS state (\n            profile TEXT NOT NULL,\n            namespace TEXT NOT NULL,\n            key TEXT NOT NULL,\n            value TEXT NOT NULL,\n            updated_at TEXT NOT NULL,\n            PRIMARY KEY (profile, namespace, key)\n        )", "\n        CREATE TABLE IF NOT EXISTS events (\n            id INTEGER PRIMARY KEY AUTOINCREMENT,\n            profile TEXT NOT NULL,\n            kind TEXT NOT NULL,\n            payload TEXT NOT NULL,\n            created_at TEXT NOT NULL\n        )", "\n        "]:
        if statement.strip():
            db.execute(statement)


def _migrate_v2(db: sqlite3.Connection) -> None:
    """v2: index events by profile and kind; remember the chosen profile."""
    db.execute("CREATE INDEX IF NOT EXISTS events_by_kind ON events (profile, kind, id)")


#: version reached → function that brings a database from the previous version to it.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _create_v1, 2: _migrate_v2}


class ProgressStore:
    """One learner database file; many profiles may live in it."""

    def __init__(self, path: str | os.PathLike[str] | None = None, profile: str | None = None):
        self.path = Path(path) if path is not None else home_dir() / DB_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        #: Set when a damaged database was moved aside on opening; widgets show it to the learner.
        self.notice: str | None = None
        self._lock = threading.RLock()
        self._db = self._open()
        self.profile = profile or self._meta("active_profile") or default_profile()
        self._ensure_profile(self.profile)

    # ------------------------------------------------------------ opening and recovery

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _open(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = None
        try:
            db = self._connect()
            row = db.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else 'no answer'}")
            self._migrate(db)
            return db
        except StoreError:
            raise
        except (sqlite3.DatabaseError, OSError) as exc:
            if db is not None:
                db.close()
            moved = self._move_aside()
            self.notice = (
                f"Your progress file could not be read ({exc}). It was kept, not deleted: it is now "
                f"{moved}. A fresh progress file was started. If you exported your progress before, "
                "you can import that export now; otherwise ask for help and keep the old file."
            )
            db = self._connect()
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
        version = int(row[0]) if row else 0
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
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _ensure_profile(self, name: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO profiles (name, created_at) VALUES (?, ?)", (name, now_iso()))

    def close(self) -> None:
        with self._lock:
            self._db.close()

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
        name = name.strip()
        if not name or len(name) > 100:
            raise StoreError("A profile name needs 1 to 100 characters.")
        self._ensure_profile(name)
        with self._write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('active_profile', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (name,),
            )
        self.profile = name

    # ------------------------------------------------------------ state

    def get(self, namespace: str, key: str, default: Any = None) -> Any:
        """The saved value, or ``default``."""
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM state WHERE profile = ? AND namespace = ? AND key = ?",
                (self.profile, namespace, key),
            ).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, namespace: str, key: str, value: Any) -> None:
        """Save ``value`` (anything JSON can hold) in its own transaction."""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        with self._write() as db:
            db.execute(
                "INSERT INTO state (profile, namespace, key, value, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(profile, namespace, key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (self.profile, namespace, key, text, now_iso()),
            )

    def delete(self, namespace: str, key: str) -> None:
        with self._write() as db:
            db.execute(
                "DELETE FROM state WHERE profile = ? AND namespace = ? AND key = ?", (self.profile, namespace, key)
            )

    def items(self, namespace: str) -> dict[str, Any]:
        """Every saved ``key → value`` of a namespace for the active profile."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, value FROM state WHERE profile = ? AND namespace = ? ORDER BY key",
                (self.profile, namespace),
            ).fetchall()
        return {k: json.loads(v) for k, v in rows}

    # ------------------------------------------------------------ events

    def add_event(self, kind: str, payload: Any) -> int:
        """Append one attempt or action; returns its id."""
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO events (profile, kind, payload, created_at) VALUES (?, ?, ?, ?)",
                (self.profile, kind, text, now_iso()),
            )
            return int(cur.lastrowid or 0)

    def events(self, kind: str | None = None) -> list[Event]:
        """Recorded events of the active profile, oldest first."""
        query = "SELECT id, kind, payload, created_at FROM events WHERE profile = ?"
        args: tuple[Any, ...] = (self.profile,)
        if kind is not None:
            query += " AND kind = ?"
            args += (kind,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        return [Event(i, k, json.loads(p), c) for i, k, p, c in rows]

    def last_activity(self) -> str | None:
        """ISO time of the active profile's latest change, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT max(t) FROM (SELECT max(updated_at) AS t FROM state WHERE profile = ? "
                "UNION ALL SELECT max(created_at) FROM events WHERE profile = ?)",
                (self.profile, self.profile),
            ).fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------ export and import

    def export_data(self) -> dict[str, Any]:
        """The active profile as the documented export structure (see docs/progress-format.md)."""
        with self._lock:
            state_rows = self._db.execute(
                "SELECT namespace, key, value, updated_at FROM state WHERE profile = ? ORDER BY namespace, key",
                (self.profile,),
            ).fetchall()
        state: dict[str, dict[str, Any]] = {}
        updated: dict[str, dict[str, str]] = {}
        for namespace, key, value, updated_at in state_rows:
            state.setdefault(namespace, {})[key] = json.loads(value)
            updated.setdefault(namespace, {})[key] = updated_at
        body = {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_FORMAT_VERSION,
            "coderpath_version": __version__,
            "profile": self.profile,
            "exported_at": now_iso(),
            "state": state,
            "updated_at": updated,
            "events": [
                {"kind": e.kind, "payload": e.payload, "created_at": e.created_at} for e in self.events()
            ],
        }
        body["checksum"] = export_checksum(body)
        return body

    def export_json(self, path: str | os.PathLike[str]) -> Path:
        """Write the active profile to a JSON file (atomically) and return its path."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.export_data(), ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)
        return path

    def import_data(self, data: dict[str, Any], source: str = "the file") -> dict[str, int]:
        """Merge an export into the active profile; the newer value of each key wins, events are kept once.

        Nothing already saved is deleted. Returns counts of what changed.
        """
        check_export(data, source)
        changed = {"values": 0, "events": 0}
        with self._write() as db:
            for namespace, entries in data["state"].items():
                for key, value in entries.items():
                    stamp = data.get("updated_at", {}).get(namespace, {}).get(key) or data["exported_at"]
                    row = db.execute(
                        "SELECT updated_at FROM state WHERE profile = ? AND namespace = ? AND key = ?",
                        (self.profile, namespace, key),
                    ).fetchone()
                    if row is None or row[0] < stamp:
                        db.execute(
                            "INSERT INTO state (profile, namespace, key, value, updated_at) VALUES (?, ?, ?, ?, ?) "
                            "ON CONFLICT(profile, namespace, key) DO UPDATE SET value = excluded.value, "
                            "updated_at = excluded.updated_at",
                            (self.profile, namespace, key, json.dumps(value, ensure_ascii=False, sort_keys=True), stamp),
                        )
                        changed["values"] += 1
            for event in data["events"]:
                payload = json.dumps(event["payload"], ensure_ascii=False, sort_keys=True)
                exists = db.execute(
                    "SELECT 1 FROM events WHERE profile = ? AND kind = ? AND created_at = ? AND payload = ?",
                    (self.profile, event["kind"], event["created_at"], payload),
                ).fetchone()
                if not exists:
                    db.execute(
                        "INSERT INTO events (profile, kind, payload, created_at) VALUES (?, ?, ?, ?)",
                        (self.profile, event["kind"], payload, event["created_at"]),
                    )
                    changed["events"] += 1
        return changed

    def import_json(self, path: str | os.PathLike[str]) -> dict[str, int]:
        """Read an export file and merge it (see :meth:`import_data`)."""
        return self.import_data(read_export(path), source=str(path))


def export_checksum(body: dict[str, Any]) -> str:
    """SHA-256 over the export without its checksum: detects damaged or hand-edited files.

    It is a consistency check, not a signature: it cannot stop someone who recomputes it.
    """
    content = {k: v for k, v in body.items() if k != "checksum"}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_export(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check a progress export; raise :class:`StoreError` naming the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(f"{path}: not a UTF-8 text file (byte {exc.start + 1}); is it a progress export?") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError(f"{path}:{exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})") from None
    check_export(data, str(path))
    return data


def check_export(data: Any, source: str) -> None:
    """Raise :class:`StoreError` unless ``data`` is an intact export of a known format version."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise StoreError(f"{source}: not a coderpath progress export (field 'format' is not '{EXPORT_FORMAT}')")
    if data.get("format_version") != EXPORT_FORMAT_VERSION:
        raise StoreError(
            f"{source}: field 'format_version' is {data.get('format_version')!r}; this coderpath reads version "
            f"{EXPORT_FORMAT_VERSION}"
        )
    for name, kind in (("profile", str), ("exported_at", str), ("state", dict), ("events", list)):
        if not isinstance(data.get(name), kind):
            raise StoreError(f"{source}: field '{name}' is missing or not a {kind.__name__}")
    if not all(isinstance(v, dict) for v in data["state"].values()):
        raise StoreError(f"{source}: field 'state' must map each namespace to an object")
    for n, event in enumerate(data["events"]):
        if not isinstance(event, dict) or not {"kind", "payload", "created_at"} <= event.keys():
            raise StoreError(f"{source}: events[{n}] needs 'kind', 'payload' and 'created_at'")
    if data.get("checksum") != export_checksum(data):
        raise StoreError(
            f"{source}: field 'checksum' does not match the contents; the file was edited or damaged after export"
        )


_stores: dict[tuple[Path, str | None], ProgressStore] = {}
_stores_lock = threading.Lock()


def get_store(path: str | os.PathLike[str] | None = None) -> ProgressStore:
    """The process-wide store for the current ``$CODERPATH_HOME`` (or ``path``).

    In a kernel Voilà pre-heated ahead of a visit, this first waits until the page is actually opened,
    so learner state is read fresh, never as old as the spare kernel (see :mod:`coderpath_widgets.progress.preheat`).
    """
    wait_for_page_request()
    resolved = (Path(path) if path is not None else home_dir() / DB_NAME).resolve()
    with _stores_lock:
        store = _stores.get((resolved, None))
        if store is None:
            store = _stores[(resolved, None)] = ProgressStore(resolved)
        return store


def reset_stores() -> None:
    """Forget cached stores (tests use it between temporary homes)."""
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()
