"""How long `coderpath class-report` takes on 500 generated exports (goal: under 5 s).

Prints the report time and, as a baseline measured in the same run, the time to only read and parse the
same 500 JSON files.   Run: .venv/bin/python benchmarks/class_report.py [COUNT]
"""

from __future__ import annotations

import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.features.class_report import build_report
from coderpath_widgets.progress.store import EXPORT_FORMAT, EXPORT_FORMAT_VERSION, export_checksum


def make_export(n: int, dataset, rng: random.Random) -> dict:
    items = [i.id for i in dataset.checklist_items]
    state = {
        "checklist": {
            i: {"done": rng.random() < 0.5, "note": ""} for i in rng.sample(items, rng.randint(0, len(items)))
        }
    }
    events = [
        {
            "kind": "case_attempt",
            "payload": {"case_id": c.id, "chapter": c.chapter, "correct": rng.random() < 0.7},
            "created_at": f"2026-05-{1 + k % 28:02d}T10:00:00+00:00",
        }
        for k, c in enumerate(rng.sample(list(dataset.practice_cases), min(60, len(dataset.practice_cases))))
    ]
    events += [{"kind": "quiz_attempt", "payload": {"score": rng.random()}, "created_at": "2026-06-01T10:00:00+00:00"}]
    body = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "coderpath_version": "0.1.0",
        "profile": f"learner-{n:03d}",
        "exported_at": "2026-06-02T10:00:00+00:00",
        "state": state,
        "updated_at": {},
        "events": events,
    }
    body["checksum"] = export_checksum(body)
    return body


def main(count: int = 500) -> None:
    dataset = load_dataset()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in range(count):
            (folder / f"learner-{n:03d}.json").write_text(json.dumps(make_export(n, dataset, rng)), encoding="utf-8")
        (folder / "broken.json").write_text("{", encoding="utf-8")
        parse, report = [], []
        for _ in range(3):
            start = time.perf_counter()
            for path in folder.glob("*.json"):
                with contextlib.suppress(json.JSONDecodeError):
                    json.loads(path.read_text(encoding="utf-8"))
            parse.append(time.perf_counter() - start)
            start = time.perf_counter()
            rows, skipped = build_report(folder, dataset)
            report.append(time.perf_counter() - start)
        assert len(rows) == count and len(skipped) == 1
        p, r = statistics.median(parse), statistics.median(report)
        print(f"exports: {count} (+1 broken)")
        print(f"baseline, read and parse JSON only: {p:.3f} s")
        print(f"class report (check, summarise):     {r:.3f} s  ({r / p:.1f}x the baseline)")
        print(f"goal under 5 s: {'met' if r < 5 else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
