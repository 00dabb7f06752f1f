"""Damaged and hostile input: one fault-injection test per case, each a plain message naming the file, file kept."""

from __future__ import annotations

import contextlib
import gc
import json
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from coderpath_widgets.progress.store import (
    EXPORT_FORMAT,
    MAX_DEPTH,
    Change,
    ProgressStore,
    StoreError,
    export_checksum,
    parse_export,
    read_export,
)


def _store_with_data(path: Path) -> None:
    store = ProgressStore(path, profile="learner")
    for n in range(200):
        store.set_field("checklist", f"item-{n:03d}", "note", "evidence " * 20)
    store.close()


# ------------------------------------------------------------------ the store file


def test_a_value_that_is_not_json_is_reported_and_the_rest_of_its_namespace_reads(tmp_path):
    path = tmp_path / "progress.sqlite3"
    _store_with_data(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE state SET value = '{broken', doc = 'also broken' WHERE key = 'item-007'")
    db.commit()
    db.close()
    store = ProgressStore(path, profile="learner")
    items = store.items("checklist")
    assert len(items) == 199 and "item-007" not in items
    assert store.get("checklist", "item-007", "default") == "default"
    assert str(path) in store.notice and "item-007" in store.notice and "not JSON" in store.notice
    assert path.exists() and not list(tmp_path.glob("*.damaged-*"))  # the file is kept, in place
    store.set_field("checklist", "item-007", "note", "typed again")  # a change starts the entry afresh…
    kept = sqlite3.connect(path).execute("SELECT value FROM damaged_values").fetchall()
    assert kept == [("{broken",)]  # …and the unreadable text is kept in the file


def test_a_missing_table_is_reported_and_the_file_kept(tmp_path):
    path = tmp_path / "progress.sqlite3"
    _store_with_data(path)
    db = sqlite3.connect(path)
    db.execute("DROP TABLE events")
    db.commit()
    db.close()
    original = path.read_bytes()
    store = ProgressStore(path, profile="learner")
    assert "table 'events' is missing" in store.notice and str(path) in store.notice
    kept = list(tmp_path.glob("progress.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == original
    store.add_event("quiz_attempt", {"score": 1.0})  # the fresh file works


def test_a_flipped_byte_in_a_b_tree_page_is_noticed_on_opening(tmp_path):
    path = tmp_path / "progress.sqlite3"
    _store_with_data(path)
    db = sqlite3.connect(path)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'state'").fetchone()[0]
    db.close()
    data = bytearray(path.read_bytes())
    header = (root - 1) * page_size  # the b-tree page header of the state table's root page
    data[header + 3] ^= 0xFF  # the number of cells on the page
    path.write_bytes(bytes(data))
    store = ProgressStore(path, profile="learner")
    assert store.notice and "could not be read" in store.notice and str(path) in store.notice
    kept = list(tmp_path.glob("progress.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data)


def test_after_an_unclean_shutdown_the_full_integrity_check_runs(tmp_path):
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, profile="learner")
    store.set_field("checklist", "a", "done", True)
    store.close()
    assert ProgressStore(path, profile="learner").opening_check == "quick_check"  # closed cleanly before…
    # …this one was never closed (a killed kernel): the next opening checks everything
    again = ProgressStore(path, profile="learner")
    assert again.opening_check == "integrity_check"
    assert again.get("checklist", "a") == {"done": True}


def test_a_locked_file_refuses_the_save_in_plain_words(tmp_path):
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, profile="learner", busy_timeout_ms=300)
    heard: list[Change] = []
    store.subscribe(heard.append)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        start = time.monotonic()
        with pytest.raises(StoreError) as info:
            store.set_field("checklist", "a", "done", True)
        assert time.monotonic() - start < 5
    finally:
        other.execute("ROLLBACK")
        other.close()
    message = str(info.value)
    assert str(path) in message and "locked by another program" in message and "not saved" in message
    assert heard and heard[-1].error == message  # every page's notice hears it
    store.set_field("checklist", "a", "done", True)  # once free, saving works again
    assert store.get("checklist", "a") == {"done": True}


def test_a_failed_save_is_shown_on_the_page(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from coderpath_widgets.features.checklist import Checklist

    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, profile="learner", busy_timeout_ms=200)
    step = SimpleNamespace(id="skills", number=1, title="Skills", subtitle="")
    item = SimpleNamespace(id="skills-typing", section="Basics", title="Type", detail="", evidence_hint=None)
    monkeypatch.setattr("coderpath_widgets.features.progress_notice.get_store", lambda: store)
    widget = Checklist(step, [item], store)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        widget.checkboxes[item.id].value = True  # no traceback: the page says it
    finally:
        other.execute("ROLLBACK")
        other.close()
    notice = widget.children[1]
    assert "was not saved" in notice.value and "locked" in notice.value


@contextlib.contextmanager
def _read_only_copy_of(folder: Path):
    """``folder`` bind-mounted read-only (root ignores file permissions, so chmod would prove nothing)."""
    target = folder.parent / (folder.name + "-ro")
    target.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command to make a read-only folder")
    done = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(target)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount a read-only folder here: {done.stderr.decode().strip()}")
    try:
        yield target
    finally:
        gc.collect()  # no connection left open on the mount
        subprocess.run(["umount", "--lazy", str(target)], check=True)


def test_a_read_only_folder_shows_progress_and_refuses_saves_in_plain_words(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    _store_with_data(folder / "progress.sqlite3")
    before = (folder / "progress.sqlite3").read_bytes()
    with _read_only_copy_of(folder) as read_only:
        path = read_only / "progress.sqlite3"
        store = ProgressStore(path, profile="learner")
        assert store.unwritable and str(path) in store.notice and "not being saved" in store.notice
        assert len(store.items("checklist")) == 200  # the progress is still shown
        with pytest.raises(StoreError, match="not being saved"):
            store.set_field("checklist", "item-000", "done", True)
        store.close()
        empty = ProgressStore(read_only / "new-learner.sqlite3", profile="learner")  # nothing there yet
        assert empty.unwritable and empty.items("checklist") == {}
    assert (folder / "progress.sqlite3").read_bytes() == before


# ------------------------------------------------------------------ import files


def _export(tmp_path: Path, **changes) -> dict:
    store = ProgressStore(tmp_path / "source.sqlite3", profile="learner")
    store.set_field("checklist", "a", "note", "45 wpm")
    store.add_event("quiz_attempt", {"score": 0.5})
    body = store.export_data()
    body.update(changes)
    body["checksum"] = export_checksum(body)
    return body


def test_an_import_larger_than_50_mb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.truncate(51 * 1024 * 1024)
    with pytest.raises(StoreError, match="larger than the 50 MB") as info:
        read_export(path)
    assert "huge.json" in str(info.value)


def test_deep_nesting_is_refused_without_a_recursion_error(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(StoreError, match="nested more than"):
        parse_export(deep.encode(), "deep.json")
    body = _export(tmp_path)
    payload: dict = {}
    for _ in range(MAX_DEPTH + 5):
        payload = {"x": payload}
    body["events"][0]["payload"] = payload
    body["checksum"] = export_checksum(body)
    with pytest.raises(StoreError, match="deep.json: nested more than"):
        parse_export(json.dumps(body).encode(), "deep.json")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda b: b.update(profile=7), "bad.json: profile: is number; expected string"),
        (lambda b: b.update(events="many"), "bad.json: events: is string; expected array"),
        (
            lambda b: b["events"][0].update(created_at="yesterday"),
            "bad.json: events[0].created_at: is missing or not a date and time",
        ),
        (lambda b: b["events"][0].update(kind="hack"), "bad.json: events[0].kind: is 'hack'"),
        (lambda b: b["events"][0].update(payload=[1]), "bad.json: events[0].payload: is array; expected object"),
        (
            lambda b: b["state"]["checklist"]["a"].update(note=5),
            "bad.json: state.checklist.a.note: is number; expected string",
        ),
        (
            lambda b: b["changes"]["checklist"]["a"]["doc"].update(note=["2026-01-01T00:00:00+00:00", {"x": 1}]),
            "bad.json: changes.checklist.a.doc.note[1]: is object; expected string",
        ),
        (
            lambda b: b["changes"]["checklist"]["a"]["doc"].update(note="plain"),
            "bad.json: changes.checklist.a.doc.note: expected [time, value]",
        ),
        (
            lambda b: b["changes"].update(secrets={"k": {"kind": "value", "doc": {}}}),
            "bad.json: changes.secrets.k: is not something this coderpath saves",
        ),
        (lambda b: b["state"].update(checklist=[]), "bad.json: state.checklist: is array; expected object"),
    ],
)
def test_every_field_type_is_checked_and_reported_as_file_field_problem(tmp_path, change, expected):
    body = _export(tmp_path)
    change(body)
    body["checksum"] = export_checksum(body)
    target = ProgressStore(tmp_path / "target.sqlite3", profile="learner")
    with pytest.raises(StoreError) as info:
        target.import_bytes(json.dumps(body).encode(), "bad.json")
    assert expected in str(info.value)
    assert target.items("checklist") == {} and target.events() == []  # nothing half-imported


@pytest.mark.slow
def test_a_hundred_thousand_attempts_import_once_and_only_once(tmp_path):
    events = [
        {
            "id": f"e{n}",
            "kind": "case_attempt",
            "created_at": "2026-05-01T10:00:00.000000+00:00",
            "payload": {"case_id": f"case-{n % 191}", "chapter": 9, "correct": n % 3 != 0, "score": 1.0},
        }
        for n in range(100_000)
    ]
    body = {
        "format": EXPORT_FORMAT,
        "format_version": 2,
        "profile": "learner",
        "exported_at": "2026-06-01T00:00:00+00:00",
        "state": {},
        "updated_at": {},
        "changes": {},
        "events": events,
    }
    body["checksum"] = export_checksum(body)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    store = ProgressStore(tmp_path / "target.sqlite3", profile="learner")
    summary = store.import_json(path)  # its speed is measured by benchmarks/store.py, not asserted here
    assert summary.events_added == 100_000
    assert store.import_json(path).events_added == 0


def test_a_page_opening_while_another_kernel_holds_the_write_lock_waits_and_can_save(tmp_path):
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path, profile="learner").close()
    other_kernel = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other_kernel.execute("BEGIN IMMEDIATE")  # a write in progress elsewhere, as in a burst of ticks on another page
    release = threading.Timer(0.5, lambda: other_kernel.execute("COMMIT"))
    release.start()
    try:
        store = ProgressStore(path, profile="learner")  # opening writes its "clean" flag: it must wait, not give up
        assert not store.unwritable, store.notice
        store.set_field("checklist", "item-1", "done", True)
        assert store.get("checklist", "item-1") == {"done": True}
        store.close()
    finally:
        release.join()
        other_kernel.close()
