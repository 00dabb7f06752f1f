import json
import multiprocessing
import sqlite3

import pytest

from coderpath_widgets.progress.store import (
    SCHEMA_VERSION,
    ProgressStore,
    StoreError,
    get_store,
    read_export,
    reset_stores,
)


def test_values_survive_a_new_process_view(store, tmp_home):
    store.set("checklist", "skills-typing", {"done": True, "note": "45 wpm"})
    store.add_event("case_attempt", {"case": "c1", "correct": False})
    reset_stores()  # as if the kernel restarted
    again = get_store()
    assert again.get("checklist", "skills-typing") == {"done": True, "note": "45 wpm"}
    assert [e.payload for e in again.events("case_attempt")] == [{"case": "c1", "correct": False}]


def test_profiles_are_separate_and_switch_is_remembered(store):
    store.set("checklist", "a", True)
    store.use_profile("second")
    assert store.get("checklist", "a") is None
    store.set("checklist", "a", False)
    reset_stores()
    reopened = get_store()
    assert reopened.profile == "second"
    assert reopened.get("checklist", "a") is False
    assert set(reopened.profiles()) >= {"test-learner", "second"}


def test_profile_name_is_checked(store):
    with pytest.raises(StoreError, match="1 to 100 characters"):
        store.use_profile("   ")


def _writer(path, worker, count):
    store = ProgressStore(path, profile="learner")
    for n in range(count):
        store.set("checklist", f"w{worker}-{n}", n)
    store.close()


def test_two_processes_writing_500_changes_each_lose_none(tmp_path):
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path, profile="learner").close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 500)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    items = ProgressStore(path, profile="learner").items("checklist")
    assert len(items) == 1000
    assert items["w1-499"] == 499 and items["w2-0"] == 0


def test_corrupted_store_is_moved_aside_and_reported(tmp_path):
    path = tmp_path / "progress.sqlite3"
    garbage = b"this is not a database, it is a damaged file" * 100
    path.write_bytes(garbage)
    store = ProgressStore(path, profile="learner")
    assert store.notice and "kept, not deleted" in store.notice
    kept = list(tmp_path.glob("progress.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == garbage
    store.set("checklist", "a", True)
    assert store.get("checklist", "a") is True


def test_migrates_a_version_1_database(tmp_path):
    path = tmp_path / "progress.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', '1');"
        "CREATE TABLE profiles (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);"
        "CREATE TABLE state (profile TEXT, namespace TEXT, key TEXT, value TEXT, updated_at TEXT,"
        " PRIMARY KEY (profile, namespace, key));"
        "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT, kind TEXT, payload TEXT,"
        " created_at TEXT);"
        "INSERT INTO state VALUES ('learner', 'checklist', 'x', 'true', '2026-01-01T00:00:00+00:00');"
    )
    db.commit()
    db.close()
    store = ProgressStore(path, profile="learner")
    assert store.schema_version == SCHEMA_VERSION
    assert store.get("checklist", "x") is True
    index = sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE name = 'events_by_kind'").fetchone()
    assert index is not None


def test_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path, profile="learner").close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer coderpath"):
        ProgressStore(path, profile="learner")
    assert path.read_bytes() == before


def test_export_import_round_trip_merges_without_losing(store, tmp_path):
    store.set("checklist", "a", True)
    store.set("plan", "inputs", {"hours_per_week": 10})
    store.add_event("quiz_attempt", {"score": 0.8})
    exported = store.export_json(tmp_path / "me.json")
    other = ProgressStore(tmp_path / "other.sqlite3", profile="me-on-new-laptop")
    other.set("checklist", "b", True)
    changed = other.import_json(exported)
    assert changed == {"values": 2, "events": 1}
    assert other.items("checklist") == {"a": True, "b": True}
    assert other.import_json(exported) == {"values": 0, "events": 0}  # idempotent


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "something-else"}', "not a coderpath progress export"),
        (None, "checksum"),
    ],
)
def test_bad_exports_are_refused_with_reason(store, tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content is None:
        data = store.export_data()
        data["state"]["checklist"] = {"a": True}  # edited after export
        content = json.dumps(data)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError, match=message) as info:
        read_export(path)
    assert "bad.json" in str(info.value)
