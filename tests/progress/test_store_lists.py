"""Lists are kept one row per item: a change to one item writes that row only, and schema-3 files keep every item."""

from __future__ import annotations

import json
import sqlite3

from coderpath_widgets.progress.store import SCHEMA_VERSION, ProgressStore

T1, T2, T3, T4 = (f"2026-03-0{n}T10:00:00.000000+00:00" for n in range(1, 5))

#: a job-applications list as schema 3 kept it: one doc with each field's time, order "o" and a tombstone
ANA_APPLICATIONS = {
    "items": {
        "zz-first": {"o": f"{T1}/zz-first", "f": {"employer": [T1, "Valley Clinic"], "status": [T3, "interviewing"]}},
        "aa-second": {"o": f"{T2}/aa-second", "f": {"employer": [T2, "City Hospital"], "role": [T2, "Clerk"]}},
        "mm-third": {"o": f"{T3}/mm-third", "f": {"employer": [T3, "Lakeside"], "next_step": [T4, "call"]}},
    },
    "deleted": {"gone": T4},
}
ANA_BREAKS = {"items": {"b1": {"o": f"{T1}/b1", "f": {"first": [T1, "2026-07-01"], "last": [T1, "2026-07-14"]}}}}
ANA_BREAKS["deleted"] = {}
BEN_APPLICATIONS = {"items": {"x": {"o": f"{T1}/x", "f": {"employer": [T1, "Ben's Clinic"]}}}, "deleted": {}}


def _materialized(doc: dict) -> list[dict]:
    live = sorted((e["o"], i) for i, e in doc["items"].items())
    return [{**{f: p[1] for f, p in sorted(doc["items"][i]["f"].items())}, "id": i} for _, i in live]


def _write_v3_store(path) -> None:
    """A schema-3 progress file as coderpath wrote it: each list one row of ``state`` holding its whole doc."""
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', '3'), ('active_profile', 'ana'), ('clean', '1');"
        "CREATE TABLE profiles (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);"
        "INSERT INTO profiles VALUES ('ana', '2026-01-01T00:00:00+00:00'), ('ben', '2026-01-01T00:00:00+00:00');"
        "CREATE TABLE state (profile TEXT NOT NULL, namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
        " updated_at TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'value', doc TEXT,"
        " PRIMARY KEY (profile, namespace, key));"
        "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, kind TEXT NOT NULL,"
        " payload TEXT NOT NULL, created_at TEXT NOT NULL, uid TEXT);"
        "CREATE INDEX events_by_kind ON events (profile, kind, id);"
        "CREATE UNIQUE INDEX events_by_uid ON events (profile, uid);"
        "CREATE TABLE damaged_values (profile TEXT, namespace TEXT, key TEXT, value TEXT, found_at TEXT);"
    )
    lists = [
        ("ana", "jobs", "applications", ANA_APPLICATIONS),
        ("ana", "plan", "breaks", ANA_BREAKS),
        ("ben", "jobs", "applications", BEN_APPLICATIONS),
    ]
    for profile, namespace, key, doc in lists:
        db.execute(
            "INSERT INTO state VALUES (?, ?, ?, ?, ?, 'list', ?)",
            (profile, namespace, key, json.dumps(_materialized(doc)), T4, json.dumps(doc)),
        )
    # a list whose doc was damaged but whose value reads, and one that cannot be read at all
    db.execute(
        "INSERT INTO state VALUES ('ben', 'plan', 'breaks', ?, ?, 'list', '{not json')",
        (json.dumps([{"id": "kept", "first": "2026-08-01", "last": "2026-08-02"}]), T2),
    )
    db.execute("INSERT INTO state VALUES ('ben', 'jobs', 'other', '[broken', ?, 'list', 'also broken')", (T2,))
    db.execute(
        "INSERT INTO state VALUES ('ana', 'checklist', 'skills-typing', ?, ?, 'record', ?)",
        (json.dumps({"done": True}), T1, json.dumps({"done": [T1, True]})),
    )
    db.execute(
        "INSERT INTO events (profile, kind, payload, created_at, uid) VALUES ('ana', 'quiz_attempt', ?, ?, 'q1')",
        (json.dumps({"score": 0.8}), T1),
    )
    db.commit()
    db.close()


def test_a_schema_3_store_migrates_keeping_every_item_its_times_order_and_tombstones(tmp_path):
    path = tmp_path / "progress.sqlite3"
    _write_v3_store(path)
    store = ProgressStore(path)
    assert store.schema_version == SCHEMA_VERSION == 4 and store.profile == "ana"
    apps = store.get("jobs", "applications")
    assert [a["id"] for a in apps] == ["zz-first", "aa-second", "mm-third"]  # added order, not id order
    assert apps == _materialized(ANA_APPLICATIONS)
    assert store.get("plan", "breaks") == _materialized(ANA_BREAKS)
    assert store.get("checklist", "skills-typing") == {"done": True}
    assert [e.payload for e in store.events()] == [{"score": 0.8}]
    changes = store.export_data()["changes"]
    assert changes["jobs"]["applications"] == {"kind": "list", "doc": ANA_APPLICATIONS}  # field times, tombstone
    assert changes["plan"]["breaks"] == {"kind": "list", "doc": ANA_BREAKS}
    assert store.list_remove("jobs", "applications", "gone") is False  # the tombstone still holds
    store.use_profile("ben")
    assert store.get("jobs", "applications") == _materialized(BEN_APPLICATIONS)
    assert store.get("plan", "breaks") == [{"id": "kept", "first": "2026-08-01", "last": "2026-08-02"}]
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM list_items").fetchone() == (3 + 1 + 1 + 1 + 1,)
    # the one that could not be read at all is left as it was
    assert db.execute("SELECT key, value FROM state WHERE kind = 'list'").fetchall() == [("other", "[broken")]


def test_the_migrated_lists_take_changes_and_merge_with_an_export_made_before_the_migration(tmp_path):
    old = tmp_path / "progress.sqlite3"
    _write_v3_store(old)
    laptop = tmp_path / "laptop.sqlite3"
    _write_v3_store(laptop)
    store, other = ProgressStore(old), ProgressStore(laptop)
    store.list_edit("jobs", "applications", "aa-second", {"status": "offer"})
    store.list_remove("jobs", "applications", "zz-first")
    new_id = other.list_add("jobs", "applications", {"employer": "North Clinic"})
    summary = store.import_data(other.export_data(), "laptop.json")
    assert (summary.items_added, summary.items_removed) == (1, 0)
    assert [(a["employer"], a.get("status")) for a in store.get("jobs", "applications")] == [
        ("City Hospital", "offer"),
        ("Lakeside", None),
        ("North Clinic", None),
    ]
    other.import_data(store.export_data(), "desktop.json")
    assert other.get("jobs", "applications") == store.get("jobs", "applications")
    assert store.get("jobs", "applications")[-1]["id"] == new_id
    assert store.import_data(other.export_data(), "laptop.json").nothing_changed


def _written(store: ProgressStore, change) -> tuple[int, list[str]]:
    """(rows SQLite changed, the writing statements with their values) while ``change`` runs."""
    statements: list[str] = []
    before = store._db.total_changes
    store._db.set_trace_callback(statements.append)
    try:
        change()
    finally:
        store._db.set_trace_callback(None)
    writes = [s for s in statements if s.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE")]
    return store._db.total_changes - before, writes


def test_adding_editing_and_removing_one_item_writes_one_row_not_the_list(store):
    ids = [store.list_add("jobs", "applications", {"employer": f"Employer-{n:03d}"}) for n in range(200)]
    others = [f"Employer-{n:03d}" for n in range(1, 200)]

    def one_row_only(change, expected_text):
        changed, writes = _written(store, change)
        assert changed == 1, writes
        assert len(writes) == 1 and expected_text in writes[0]
        assert not [name for name in others if name in writes[0]]  # no other item is written again
        assert len(writes[0]) < 1000

    one_row_only(lambda: store.list_add("jobs", "applications", {"employer": "New Clinic"}), "New Clinic")
    one_row_only(lambda: store.list_edit("jobs", "applications", ids[0], {"status": "offer"}), "offer")
    one_row_only(lambda: store.list_remove("jobs", "applications", ids[0]), ids[0])
    apps = store.get("jobs", "applications")
    assert [a["employer"] for a in apps] == [*others, "New Clinic"]  # still in the order added


def test_taking_an_item_returns_the_fields_it_had_when_removed_and_leaves_a_tombstone(store):
    kept = store.list_add("jobs", "applications", {"employer": "Valley Clinic", "role": "Coder"})
    store.list_edit("jobs", "applications", kept, {"status": "offer"})  # a change after any page read the list
    assert store.list_take("jobs", "applications", kept) == {
        "employer": "Valley Clinic",
        "role": "Coder",
        "status": "offer",
    }
    assert store.get("jobs", "applications") == []
    assert store.list_take("jobs", "applications", kept) is None  # gone already
    assert store.list_take("jobs", "applications", "never-there") is None
    assert store.list_remove("jobs", "applications", kept) is False


def test_list_order_is_the_order_added_after_edits_and_across_processes(store, tmp_path):
    ids = [store.list_add("plan", "breaks", {"first": f"2026-0{n}-01", "last": f"2026-0{n}-09"}) for n in range(1, 6)]
    store.list_edit("plan", "breaks", ids[0], {"last": "2026-01-20"})
    store.list_remove("plan", "breaks", ids[2])
    again = ProgressStore(store.path)
    assert [b["id"] for b in again.get("plan", "breaks")] == [ids[0], ids[1], ids[3], ids[4]]
    assert again.items("plan") == {"breaks": again.get("plan", "breaks")}
    assert again.last_activity() is not None


def test_an_unreadable_item_is_reported_and_the_rest_of_the_list_reads(store):
    keep = store.list_add("jobs", "applications", {"employer": "Valley Clinic"})
    broken = store.list_add("jobs", "applications", {"employer": "City Hospital"})
    store._db.execute("UPDATE list_items SET fields = '{oops' WHERE item_id = ?", (broken,))
    assert [a["id"] for a in store.get("jobs", "applications")] == [keep]
    assert broken in store.notice and "cannot be read" in store.notice
    assert store.list_edit("jobs", "applications", broken, {"employer": "City Hospital again"})  # starts afresh…
    kept = store._db.execute("SELECT value FROM damaged_values").fetchall()
    assert kept == [("{oops",)]  # …and the unreadable text is kept in the file


def test_an_older_file_in_a_read_only_folder_shows_its_progress_from_an_upgraded_copy(tmp_path):
    from test_faults import _read_only_copy_of as read_only_copy_of

    folder = tmp_path / "home"
    folder.mkdir()
    _write_v3_store(folder / "progress.sqlite3")
    before = (folder / "progress.sqlite3").read_bytes()
    with read_only_copy_of(folder) as read_only:
        store = ProgressStore(read_only / "progress.sqlite3")
        assert store.unwritable and "not being saved" in store.notice
        assert store.get("jobs", "applications") == _materialized(ANA_APPLICATIONS)  # shown, not an empty store
        assert store.get("checklist", "skills-typing") == {"done": True}
        store.close()
    assert (folder / "progress.sqlite3").read_bytes() == before  # the file itself is left as it was
