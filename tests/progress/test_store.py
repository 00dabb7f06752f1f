"""The progress store: changes applied one learner action at a time, migration, export and import as a merge."""

import json
import sqlite3
from datetime import date

import pytest

from coderpath_widgets.progress.store import (
    EXPORT_FORMAT,
    SCHEMA_VERSION,
    OtherProfileError,
    ProgressStore,
    StoreError,
    export_checksum,
    get_store,
    read_export,
    reset_stores,
)


def test_values_survive_a_new_process_view(store, tmp_home):
    store.set_field("checklist", "skills-typing", "done", True)
    store.set_field("checklist", "skills-typing", "note", "45 wpm")
    store.add_event("case_attempt", {"case": "c1", "correct": False})
    reset_stores()  # as if the kernel restarted
    again = get_store()
    assert again.get("checklist", "skills-typing") == {"done": True, "note": "45 wpm"}
    assert [e.payload for e in again.events("case_attempt")] == [{"case": "c1", "correct": False}]


def test_profiles_are_separate_and_switch_is_remembered(store):
    store.set("certification", "target", "cpc")
    store.use_profile("second")
    assert store.get("certification", "target") is None
    store.set("certification", "target", "ccs")
    reset_stores()
    reopened = get_store()
    assert reopened.profile == "second"
    assert reopened.get("certification", "target") == "ccs"
    assert set(reopened.profiles()) >= {"test-learner", "second"}


def test_profile_name_is_checked(store):
    with pytest.raises(StoreError, match="1 to 100 characters"):
        store.use_profile("   ")


def test_one_field_changes_without_touching_the_others(store):
    store.set_field("checklist", "a", "note", "typed on page one")
    store.set_field("checklist", "a", "done", True)  # a tick on page two, knowing nothing of the note
    assert store.get("checklist", "a") == {"done": True, "note": "typed on page one"}


def test_increment_counts_inside_the_transaction(store):
    assert [store.increment("plan", "inputs", "exam_prep_weeks") for _ in range(3)] == [1, 2, 3]


def test_list_items_are_added_edited_and_removed_by_id(store):
    first = store.list_add("jobs", "applications", {"employer": "Valley Clinic", "role": "Coder I"})
    second = store.list_add("jobs", "applications", {"employer": "City Hospital", "role": "Clerk"})
    assert store.list_edit("jobs", "applications", second, {"status": "interviewing"})
    assert store.list_remove("jobs", "applications", first)
    assert not store.list_remove("jobs", "applications", first)  # already gone
    assert not store.list_edit("jobs", "applications", first, {"status": "offer"})  # a removed item stays removed
    assert store.get("jobs", "applications") == [
        {"id": second, "employer": "City Hospital", "role": "Clerk", "status": "interviewing"}
    ]


def test_review_card_reads_the_current_state_in_the_transaction(store):
    for _ in range(3):
        store.review_card("cardio", True, date(2026, 1, 1))
    assert store.get("flashcards", "cardio")["reviews"] == 3
    assert store.get("flashcards", "cardio")["box"] == 4


def test_event_ids_de_duplicate(store):
    store.add_event("quiz_attempt", {"score": 1.0}, event_id="same")
    store.add_event("quiz_attempt", {"score": 1.0}, event_id="same")
    assert len(store.events("quiz_attempt")) == 1


def test_delete_leaves_a_tombstone_that_a_merge_keeps(store, tmp_path):
    store.set("plan", "schedule", {"finish": "2027-01-01"})
    old_export = store.export_data()
    store.delete("plan", "schedule")
    assert store.get("plan", "schedule") is None
    summary = store.import_data(old_export, "old.json")
    assert store.get("plan", "schedule") is None and summary.nothing_changed


def _write_v2_store(path):
    """A schema-2 progress file exactly as coderpath wrote it before per-field times."""
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', '2');"
        "INSERT INTO meta VALUES ('active_profile', 'ana');"
        "CREATE TABLE profiles (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);"
        "INSERT INTO profiles VALUES ('ana', '2026-01-01T00:00:00+00:00');"
        "CREATE TABLE state (profile TEXT NOT NULL, namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
        " updated_at TEXT NOT NULL, PRIMARY KEY (profile, namespace, key));"
        "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, kind TEXT NOT NULL,"
        " payload TEXT NOT NULL, created_at TEXT NOT NULL);"
        "CREATE INDEX events_by_kind ON events (profile, kind, id);"
    )
    rows = [
        ("checklist", "skills-typing", {"done": True, "note": "45 wpm"}),
        (
            "jobs",
            "applications",
            [
                {"employer": "Valley Clinic", "role": "Coder I", "status": "applied"},
                {"employer": "City Hospital", "role": "Clerk", "status": "offer"},
            ],
        ),
        ("plan", "inputs", {"program": "certificate", "hours_per_week": 10, "breaks": [["2026-07-01", "2026-07-14"]]}),
        ("flashcards", "cardio", {"box": 3, "due": "2026-02-01", "reviews": 4, "lapses": 1}),
        ("certification", "target", "cpc"),
    ]
    for namespace, key, value in rows:
        db.execute(
            "INSERT INTO state VALUES ('ana', ?, ?, ?, '2026-01-02T00:00:00.000000+00:00')",
            (namespace, key, json.dumps(value)),
        )
    db.execute(
        "INSERT INTO events (profile, kind, payload, created_at) VALUES ('ana', 'quiz_attempt', ?, ?)",
        (json.dumps({"score": 0.8}), "2026-01-03T00:00:00.000000+00:00"),
    )
    db.commit()
    db.close()


def test_migrates_a_version_2_store_keeping_every_value(tmp_path):
    path = tmp_path / "progress.sqlite3"
    _write_v2_store(path)
    store = ProgressStore(path)
    assert store.schema_version == SCHEMA_VERSION == 4
    assert store.profile == "ana"
    assert store.get("checklist", "skills-typing") == {"done": True, "note": "45 wpm"}
    apps = store.get("jobs", "applications")
    assert [(a["employer"], a["status"]) for a in apps] == [("Valley Clinic", "applied"), ("City Hospital", "offer")]
    assert all(a["id"].startswith("legacy-") for a in apps)
    assert store.get("plan", "inputs") == {"program": "certificate", "hours_per_week": 10}
    assert [(b["first"], b["last"]) for b in store.get("plan", "breaks")] == [("2026-07-01", "2026-07-14")]
    assert store.get("flashcards", "cardio")["reviews"] == 4
    assert store.get("certification", "target") == "cpc"
    assert [e.payload for e in store.events("quiz_attempt")] == [{"score": 0.8}]
    # the migrated store takes the new operations at once
    store.set_field("checklist", "skills-typing", "note", "50 wpm")
    store.list_remove("jobs", "applications", apps[0]["id"])
    assert store.get("checklist", "skills-typing") == {"done": True, "note": "50 wpm"}


def test_a_format_1_export_from_another_machine_merges_onto_a_migrated_store(tmp_path):
    path = tmp_path / "progress.sqlite3"
    _write_v2_store(path)
    store = ProgressStore(path)
    body = {
        "format": EXPORT_FORMAT,
        "format_version": 1,
        "coderpath_version": "0.1.0",
        "profile": "ana",
        "exported_at": "2026-01-05T00:00:00+00:00",
        "state": {
            "jobs": {
                "applications": [
                    {"employer": "Valley Clinic", "role": "Coder I", "status": "applied"},
                    {"employer": "City Hospital", "role": "Clerk", "status": "offer"},
                    {"employer": "Lakeside", "role": "Coder II", "status": "applied"},
                ]
            }
        },
        "updated_at": {"jobs": {"applications": "2026-01-04T00:00:00+00:00"}},
        "events": [
            {"kind": "quiz_attempt", "payload": {"score": 0.8}, "created_at": "2026-01-03T00:00:00.000000+00:00"}
        ],
    }
    body["checksum"] = export_checksum(body)
    summary = store.import_data(body, "laptop.json")
    employers = [a["employer"] for a in store.get("jobs", "applications")]
    assert employers == ["Valley Clinic", "City Hospital", "Lakeside"]  # the same two are not doubled
    assert summary.items_added == 1 and summary.events_added == 0


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
    store.set_field("checklist", "a", "done", True)
    store.set_field("plan", "inputs", "hours_per_week", 10)
    store.add_event("quiz_attempt", {"score": 0.8})
    exported = store.export_json(tmp_path / "me.json")
    other = ProgressStore(tmp_path / "other.sqlite3", profile="test-learner")
    other.set_field("checklist", "b", "done", True)
    summary = other.import_json(exported)
    assert (summary.fields_changed, summary.events_added) == (2, 1)
    assert "2 saved fields changed" in summary.text() and "1 attempts added" in summary.text()
    assert other.items("checklist") == {"a": {"done": True}, "b": {"done": True}}
    again = other.import_json(exported)
    assert again.nothing_changed and "nothing changed" in again.text()  # idempotent


def test_newer_local_edit_beats_an_older_export_and_vice_versa(store, tmp_path):
    store.set_field("checklist", "a", "note", "old")
    exported = store.export_data()
    store.set_field("checklist", "a", "note", "newer, typed after the export")
    store.import_data(exported, "me.json")
    assert store.get("checklist", "a")["note"] == "newer, typed after the export"


def test_an_export_stamped_in_the_future_cannot_override_later_edits(store):
    store.set_field("checklist", "a", "note", "mine")
    body = store.export_data()
    body["changes"]["checklist"]["a"]["doc"]["note"] = ["2099-01-01T00:00:00.000000+00:00", "from the future"]
    body["exported_at"] = "2099-01-01T00:00:00.000000+00:00"
    body["checksum"] = export_checksum(body)
    store.import_data(body, "future.json")
    assert store.get("checklist", "a")["note"] == "from the future"  # newer than "mine" at the time of import…
    store.set_field("checklist", "a", "note", "typed after the import")
    assert store.get("checklist", "a")["note"] == "typed after the import"  # …but not forever
    assert store.import_data(body, "future.json").nothing_changed


def test_another_profiles_export_needs_confirmation(store):
    other = ProgressStore(store.path.with_name("other.sqlite3"), profile="ben")
    other.set("certification", "target", "ccs")
    body = other.export_data()
    with pytest.raises(OtherProfileError, match="profile 'ben'"):
        store.import_data(body, "ben.json")
    assert store.get("certification", "target") is None
    summary = store.import_data(body, "ben.json", into_profile=store.profile)
    assert store.get("certification", "target") == "ccs" and summary.fields_changed == 1


def test_export_json_refuses_bad_targets_in_plain_words(store, tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        store.export_json(tmp_path / "missing" / "me.json")
    with pytest.raises(StoreError, match="is a folder"):
        store.export_json(tmp_path)


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
        data["state"]["checklist"] = {"a": {"done": True}}  # edited after export
        content = json.dumps(data)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError, match=message) as info:
        read_export(path)
    assert "bad.json" in str(info.value)
