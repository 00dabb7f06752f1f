"""Progress-store speed: writes per second, and the time to restore a full learner profile.

Baselines measured in the same run: raw sqlite3 autocommit INSERTs in WAL mode (for writes), and reading the
same profile from its JSON export (for restore).   Run: .venv/bin/python benchmarks/store.py
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.progress.readiness import readiness
from coderpath_widgets.progress.store import ProgressStore

WRITES = 2000


def raw_writes(path: Path) -> float:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    start = time.perf_counter()
    for n in range(WRITES):
        db.execute("INSERT OR REPLACE INTO t VALUES (?, ?)", (f"k{n}", json.dumps({"done": True, "note": ""})))
    elapsed = time.perf_counter() - start
    db.close()
    return WRITES / elapsed


def store_writes(path: Path) -> float:
    store = ProgressStore(path, profile="bench")
    start = time.perf_counter()
    for n in range(WRITES):
        store.set("checklist", f"k{n}", {"done": True, "note": ""})
    elapsed = time.perf_counter() - start
    store.close()
    return WRITES / elapsed


def full_profile(path: Path, dataset) -> None:
    store = ProgressStore(path, profile="bench")
    for item in dataset.checklist_items:
        store.set("checklist", item.id, {"done": True, "note": "evidence " * 5})
    for card in dataset.word_parts:
        store.set("flashcards", card.id, {"box": 3, "due": "2026-12-01", "reviews": 4, "lapses": 1})
    for case in dataset.practice_cases:
        store.add_event("case_attempt", {"case_id": case.id, "chapter": case.chapter, "correct": True, "score": 1.0})
    for n in range(20):
        store.add_event("quiz_attempt", {"score": n / 20, "by_domain": {}})
    store.set("jobs", "applications", [{"employer": f"E{n}", "role": "Coder", "status": "applied"} for n in range(50)])
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


def main() -> None:
    dataset = load_dataset()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw = statistics.median(raw_writes(folder / f"raw{n}.db") for n in range(3))
        ours = statistics.median(store_writes(folder / f"store{n}.db") for n in range(3))
        print(f"writes, each its own transaction: {ours:,.0f}/s (raw sqlite3 autocommit: {raw:,.0f}/s; ratio {ours / raw:.2f})")

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
        print(f"restore a full profile ({len(dataset.checklist_items)} ticks, {len(dataset.word_parts)} cards, "
              f"{len(dataset.practice_cases)} case attempts, 20 quizzes, 50 applications): {r * 1000:.1f} ms "
              f"(parse its JSON export only: {b * 1000:.1f} ms; ratio {r / b:.1f})")


if __name__ == "__main__":
    main()
