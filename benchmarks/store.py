"""Progress-store speed: writes per second for each learner action, a full-profile restore, a 100,000-attempt import.

Baselines measured in the same run: raw sqlite3 in WAL mode, (a) autocommit INSERT OR REPLACE of a whole JSON
value, the old snapshot write, and (b) the same read-modify-write the store does (BEGIN IMMEDIATE, SELECT, UPDATE,
COMMIT) without its bookkeeping; reading the profile's JSON export (for restore).
Each list item is a row of its own, so list operations are measured with as many writes as the others, on a list
growing from 50 items to thousands: their rate should not fall with the list's length.
Run: .venv/bin/python benchmarks/store.py   (a shorter run: --writes 300 --attempts 20000)
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.progress.readiness import readiness
from coderpath_widgets.progress.store import EXPORT_FORMAT, EXPORT_FORMAT_VERSION, ProgressStore, export_checksum

WRITES = 2000
ATTEMPTS = 100_000


def _raw(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    return db


def raw_snapshot_writes(path: Path, writes: int) -> float:
    db = _raw(path)
    start = time.perf_counter()
    for n in range(writes):
        db.execute("INSERT OR REPLACE INTO t VALUES (?, ?)", (f"k{n % 50}", json.dumps({"done": True, "note": str(n)})))
    elapsed = time.perf_counter() - start
    db.close()
    return writes / elapsed


def raw_read_modify_writes(path: Path, writes: int) -> float:
    db = _raw(path)
    db.execute("INSERT INTO t VALUES ('k', '{}')")
    start = time.perf_counter()
    for n in range(writes):
        db.execute("BEGIN IMMEDIATE")
        value = json.loads(db.execute("SELECT v FROM t WHERE k = 'k'").fetchone()[0])
        value["note"] = str(n)
        db.execute("UPDATE t SET v = ? WHERE k = 'k'", (json.dumps(value),))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return writes / elapsed


def store_rate(path: Path, action: Callable[..., object], setup=None, writes: int = WRITES) -> float:
    store = ProgressStore(path, profile="bench")
    state = setup(store, writes) if setup else None
    start = time.perf_counter()
    for n in range(writes):
        action(store, n) if state is None else action(store, n, state)
    elapsed = time.perf_counter() - start
    store.close()
    return writes / elapsed


def _jobs(store: ProgressStore, writes: int, count: int = 50) -> list[str]:
    return [store.list_add("jobs", "applications", {"employer": f"E{n}", "role": "Coder"}) for n in range(count)]


def _jobs_to_remove(store: ProgressStore, writes: int) -> list[str]:
    return _jobs(store, writes, count=writes + 50)


OPERATIONS: dict[str, tuple[Callable, Callable | None]] = {
    "set_field (one checklist note)": (
        lambda s, n: s.set_field("checklist", f"item-{n % 50}", "note", f"note {n}"),
        None,
    ),
    "increment (one counter)": (lambda s, n: s.increment("plan", "inputs", "exam_prep_weeks"), None),
    "list_add (one application, to a list growing from 50)": (
        lambda s, n, ids: s.list_add("jobs", "applications", {"employer": f"E{n}", "role": "Coder"}),
        _jobs,
    ),
    "list_edit (one field of one of 50 applications)": (
        lambda s, n, ids: s.list_edit("jobs", "applications", ids[n % 50], {"status": f"s{n}"}),
        _jobs,
    ),
    "list_remove (one application, of a list of 50 more than the removals)": (
        lambda s, n, ids: s.list_remove("jobs", "applications", ids[n]),
        _jobs_to_remove,
    ),
    "review_card (one flashcard)": (lambda s, n: s.review_card(f"card-{n % 300}", n % 3 != 0, date(2026, 1, 1)), None),
    "add_event (one attempt)": (lambda s, n: s.add_event("case_attempt", {"case_id": f"c{n}", "correct": True}), None),
}


def full_profile(path: Path, dataset) -> None:
    store = ProgressStore(path, profile="bench")
    for item in dataset.checklist_items:
        store.set_field("checklist", item.id, "done", True)
        store.set_field("checklist", item.id, "note", "evidence " * 5)
    for card in dataset.word_parts:
        store.review_card(card.id, True, date(2026, 11, 1))
    for case in dataset.practice_cases:
        store.add_event("case_attempt", {"case_id": case.id, "chapter": case.chapter, "correct": True, "score": 1.0})
    for n in range(20):
        store.add_event("quiz_attempt", {"score": n / 20, "by_domain": {}})
    for n in range(50):
        store.list_add("jobs", "applications", {"employer": f"E{n}", "role": "Coder", "status": "applied"})
    store.set("certification", "target", "cpc")
    store.close()


def restore(path: Path, dataset) -> float:
    start = time.perf_counter()
    store = ProgressStore(path, profile="bench")
    readiness(store, dataset)
    for namespace in ("checklist", "flashcards", "jobs", "plan", "certification"):
        store.items(namespace)
    store.close()
    return time.perf_counter() - start


def attempts_export(path: Path, attempts: int = ATTEMPTS) -> Path:
    events = [
        {
            "id": f"e{n}",
            "kind": "case_attempt",
            "created_at": f"2026-05-01T10:{n // 6000 % 60:02d}:{n // 100 % 60:02d}.{n % 100:06d}+00:00",
            "payload": {"case_id": f"case-{n % 191}", "chapter": 9, "correct": n % 3 != 0, "score": 1.0},
        }
        for n in range(attempts)
    ]
    body = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "profile": "bench",
        "exported_at": "2026-06-01T00:00:00.000000+00:00",
        "state": {},
        "updated_at": {},
        "changes": {},
        "events": events,
    }
    body["checksum"] = export_checksum(body)
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=WRITES, help=f"writes per operation and run (default {WRITES})")
    parser.add_argument("--attempts", type=int, default=ATTEMPTS, help=f"attempts to import (default {ATTEMPTS:,})")
    args = parser.parse_args()
    writes = args.writes
    dataset = load_dataset()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        snapshot = statistics.median(raw_snapshot_writes(folder / f"raw{n}.db", writes) for n in range(3))
        rmw = statistics.median(raw_read_modify_writes(folder / f"rmw{n}.db", writes) for n in range(3))
        print(
            f"raw sqlite3, autocommit snapshot writes: {snapshot:,.0f}/s; "
            f"raw read-modify-write transactions: {rmw:,.0f}/s ({writes:,} writes each, median of 3 runs)"
        )
        for name, (action, setup) in OPERATIONS.items():
            rates = [store_rate(folder / f"{name[:8]}{n}.db", action, setup, writes) for n in range(3)]
            rate = statistics.median(rates)
            print(
                f"  {name}: {rate:,.0f}/s (ratio to raw read-modify-write {rate / rmw:.2f}, "
                f"to raw snapshot writes {rate / snapshot:.2f})"
            )

        path = folder / "profile.sqlite3"
        full_profile(path, dataset)
        export = folder / "profile.json"
        ProgressStore(path, profile="bench").export_json(export)
        restores = [restore(path, dataset) for _ in range(7)]
        baseline = []
        for _ in range(7):
            start = time.perf_counter()
            json.loads(export.read_text(encoding="utf-8"))
            baseline.append(time.perf_counter() - start)
        r, b = statistics.median(restores), statistics.median(baseline)
        print(
            f"restore a full profile ({len(dataset.checklist_items)} ticks and notes, {len(dataset.word_parts)} cards, "
            f"{len(dataset.practice_cases)} case attempts, 20 quizzes, 50 applications): {r * 1000:.1f} ms "
            f"(parse its JSON export only: {b * 1000:.1f} ms; ratio {r / b:.1f})"
        )

        big = attempts_export(folder / "attempts.json", args.attempts)
        target = ProgressStore(folder / "import.sqlite3", profile="bench")
        start = time.perf_counter()
        summary = target.import_json(big)
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = target.import_json(big)
        second = time.perf_counter() - start
        target.close()
        start = time.perf_counter()
        json.loads(big.read_text(encoding="utf-8"))
        parse = time.perf_counter() - start
        print(
            f"import {args.attempts:,} attempts ({big.stat().st_size / 2**20:.1f} MB): {first:.2f} s, "
            f"{summary.events_added:,} added; again: {second:.2f} s, {again.events_added} added "
            f"(parse the file only: {parse:.2f} s; goal: under 10 s)"
        )


if __name__ == "__main__":
    main()
