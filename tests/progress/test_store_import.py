"""The import's fast path for attempts (read by SQLite from the export's JSON) keeps every rule of the slow one."""

from __future__ import annotations

import copy
import json
import math

import pytest

from coderpath_widgets.progress.store import (
    EXPORT_FORMAT,
    MAX_DEPTH,
    ProgressStore,
    StoreError,
    _checksum_with_events,
    _depth_problem,
    _dumps,
    _events_json,
    export_checksum,
    legacy_event_uid,
    parse_export,
)

PAYLOADS = [
    {"case_id": "c1", "correct": True, "score": 1.0},
    {"note": 'quote " backslash \\ newline \n tab \t nul \u0000 é ü 中文 😀', "z": None, "a": [1, 2.5, -0.0]},
    {"big": 10**30, "small": 1e-7, "neg": -12345678901234567890, "nested": {"b": {"c": [{"d": False}]}}},
    {"by_domain": {"Z": 0.5, "A": 1}, "score": 0.1 + 0.2},
]


def _body(events: list[dict], exported_at: str = "2026-06-01T00:00:00.000000+00:00", **extra) -> dict:
    body = {
        "format": EXPORT_FORMAT,
        "format_version": 2,
        "profile": "ana",
        "exported_at": exported_at,
        "state": {},
        "updated_at": {},
        "changes": {},
        "events": events,
        **extra,
    }
    body["checksum"] = export_checksum(body)
    return body


def test_each_attempt_is_stored_as_the_same_json_text_in_the_order_of_the_file(tmp_path):
    events = [
        {"id": f"e{n}", "kind": "case_attempt", "created_at": "2026-05-01T10:00:00.000000+00:00", "payload": p}
        for n, p in enumerate(PAYLOADS)
    ]
    store = ProgressStore(tmp_path / "p.sqlite3", profile="ana")
    summary = store.import_bytes(json.dumps(_body(events)).encode(), "me.json")
    assert (summary.events_added, summary.events_known) == (4, 0)
    rows = store._db.execute("SELECT uid, payload FROM events ORDER BY id").fetchall()
    assert rows == [(f"e{n}", _dumps(p)) for n, p in enumerate(PAYLOADS)]
    assert [e.payload for e in store.events()] == PAYLOADS


def test_attempts_without_ids_get_the_derived_ids_and_times_are_made_uniform_and_clamped(tmp_path):
    times = [
        "2026-01-03T00:00:00+00:00",  # no microseconds
        "2026-01-03T00:00:00",  # no zone: UTC
        "2026-01-03T05:00:00.5+05:00",  # another zone
        "2099-01-01T00:00:00.000000+00:00",  # later than the export: counts as the export's time
    ]
    events = [{"kind": "quiz_attempt", "created_at": t, "payload": {"score": n}} for n, t in enumerate(times)]
    body = _body(events)
    body["format_version"] = 1
    body["checksum"] = export_checksum(body)
    store = ProgressStore(tmp_path / "p.sqlite3", profile="ana")
    assert store.import_data(body, "old.json").events_added == 4
    stored = [(e.uid, e.created_at) for e in store.events()]
    assert stored == [
        (legacy_event_uid("quiz_attempt", times[0], {"score": 0}), "2026-01-03T00:00:00.000000+00:00"),
        (legacy_event_uid("quiz_attempt", times[1], {"score": 1}), "2026-01-03T00:00:00.000000+00:00"),
        (legacy_event_uid("quiz_attempt", times[2], {"score": 2}), "2026-01-03T00:00:00.500000+00:00"),
        (legacy_event_uid("quiz_attempt", times[3], {"score": 3}), "2026-06-01T00:00:00.000000+00:00"),
    ]
    again = store.import_data(body, "old.json")
    assert (again.events_added, again.events_known) == (0, 4) and again.nothing_changed


def test_an_attempt_json_cannot_hold_as_text_still_imports_once(tmp_path):
    source = ProgressStore(tmp_path / "a.sqlite3", profile="ana")
    source.add_event("quiz_attempt", {"score": math.nan}, event_id="odd")  # Python's json writes it as NaN
    source.add_event("quiz_attempt", {"score": 1.0}, event_id="plain")
    body = source.export_data()
    assert _events_json(body["events"]) is None  # so the attempts go one at a time
    target = ProgressStore(tmp_path / "b.sqlite3", profile="ana")
    assert target.import_data(body, "a.json").events_added == 2
    assert [e.uid for e in target.events()] == ["odd", "plain"]
    assert math.isnan(target.events()[0].payload["score"])
    assert target.import_data(body, "a.json").events_added == 0


@pytest.mark.parametrize(
    "extra",
    [{}, {"student_id": "ana-42", "coderpath_version": "0.1.0"}, {"state": {"events": {"events": "x"}}}],
)
def test_the_checksum_reusing_the_attempts_text_is_the_checksum(extra):
    payload = copy.deepcopy(PAYLOADS[1])
    events = [{"id": "e1", "kind": "case_attempt", "created_at": "2026-05-01T10:00:00+00:00", "payload": payload}]
    body = _body(events, **extra)
    assert _checksum_with_events(body, _events_json(body["events"])) == export_checksum(body) == body["checksum"]
    body["events"][0]["payload"]["note"] = "edited"
    assert _checksum_with_events(body, _events_json(body["events"])) != body["checksum"]


def test_an_edited_attempt_is_refused_by_its_checksum():
    events = [{"id": "e1", "kind": "case_attempt", "created_at": "2026-05-01T10:00:00+00:00", "payload": {"a": 1}}]
    body = _body(events)
    body["events"][0]["payload"]["a"] = 2
    with pytest.raises(StoreError, match="me.json: checksum: does not match"):
        parse_export(json.dumps(body).encode(), "me.json")


def test_nesting_is_refused_just_past_the_limit():
    def nested(depth: int):
        value: dict | list = {}
        for n in range(depth - 1):
            value = [value] if n % 2 else {"x": value}
        return value

    assert not _depth_problem(nested(MAX_DEPTH))
    assert _depth_problem(nested(MAX_DEPTH + 1))
    assert _depth_problem({"a": [1, 2, {"b": nested(MAX_DEPTH - 1)}]})  # 3 levels + MAX_DEPTH - 1
    assert not _depth_problem({"a": nested(MAX_DEPTH - 1)})
