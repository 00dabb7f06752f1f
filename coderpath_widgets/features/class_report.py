"""Class progress without infrastructure: a folder of learners' progress exports → one CSV table.

Learners export their progress (``coderpath export FILE`` or the dashboard's export button) and hand the
file in. Malformed, duplicate and tampered files are listed with the reason and skipped; nothing crashes.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset
from coderpath_widgets.progress.readiness import readiness
from coderpath_widgets.progress.store import Event, StoreError, check_export

MAX_EXPORT_BYTES = 20 * 1024 * 1024
FOLDER_ENV = "CODERPATH_CLASS_EXPORTS"


class ExportView:
    """One learner's export, read like the live store (see :class:`readiness.ProgressReader`)."""

    def __init__(self, data: dict[str, Any]):
        self.profile: str = data["profile"]
        self._state: dict[str, dict[str, Any]] = data["state"]
        self._events = [
            Event(n, e["kind"], e["payload"], str(e["created_at"])) for n, e in enumerate(data["events"], start=1)
        ]
        stamps = [str(t) for ns in data.get("updated_at", {}).values() if isinstance(ns, dict) for t in ns.values()]
        stamps += [e.created_at for e in self._events]
        self._last = max(stamps) if stamps else None

    def get(self, namespace: str, key: str, default: Any = None) -> Any:
        return self._state.get(namespace, {}).get(key, default)

    def items(self, namespace: str) -> dict[str, Any]:
        return dict(self._state.get(namespace, {}))

    def events(self, kind: str | None = None) -> list[Event]:
        return [e for e in self._events if kind is None or e.kind == kind]

    def last_activity(self) -> str | None:
        return self._last


@dataclass(frozen=True)
class Skipped:
    """A file left out of the report, and why."""

    file: str
    reason: str


def learner_row(data: dict[str, Any], file: str, dataset: Dataset) -> dict[str, Any]:
    """One row of the class table from a checked export."""
    summary = readiness(ExportView(data), dataset)
    practice = summary.practice
    row: dict[str, Any] = {"profile": summary.profile, "student_id": data.get("student_id") or "", "file": file,
                           "overall_percent": summary.overall_percent}
    for step in summary.steps:
        row[f"step{step.number}_{step.step_id}_percent"] = step.percent
    row.update(
        cases_attempted=practice.cases_attempted,
        case_accuracy_percent="" if practice.accuracy is None else round(100 * practice.accuracy),
        best_quiz_percent="" if practice.best_quiz_score is None else round(100 * practice.best_quiz_score),
        quiz_attempts=practice.quiz_attempts,
        flashcards_seen=practice.cards_seen,
        target_credential=summary.target_credential or "",
        applications=sum(summary.applications_by_status.values()),
        last_activity=summary.last_activity or "",
        exported_at=data["exported_at"],
    )
    return row


def build_report(folder: str | os.PathLike[str], dataset: Dataset | None = None) -> tuple[list[dict], list[Skipped]]:
    """Read every ``*.json`` under ``folder``; return the class rows and the skipped files with reasons."""
    folder = Path(folder)
    dataset = dataset or load_dataset()
    newest: dict[str, tuple[dict[str, Any], str]] = {}
    skipped: list[Skipped] = []
    for path in sorted(folder.rglob("*.json")):
        name = str(path.relative_to(folder))
        try:
            if path.stat().st_size > MAX_EXPORT_BYTES:
                skipped.append(Skipped(name, f"larger than {MAX_EXPORT_BYTES // 2**20} MB; not a progress export"))
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
            check_export(data, name)
            row = learner_row(data, name, dataset)
        except UnicodeDecodeError:
            skipped.append(Skipped(name, "not a UTF-8 text file"))
            continue
        except json.JSONDecodeError as exc:
            skipped.append(Skipped(name, f"line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"))
            continue
        except StoreError as exc:
            skipped.append(Skipped(name, str(exc).removeprefix(f"{name}: ")))
            continue
        except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
            skipped.append(Skipped(name, f"unexpected contents ({type(exc).__name__}: {exc})"))
            continue
        profile = row["profile"]
        if profile in newest:
            other_row, other_name = newest[profile]
            if other_row["exported_at"] >= row["exported_at"]:
                skipped.append(Skipped(name, f"duplicate of {other_name} for '{profile}' (an older or equal export)"))
                continue
            skipped.append(Skipped(other_name, f"duplicate of {name} for '{profile}' (an older export)"))
        newest[profile] = (row, name)
    rows = sorted((r for r, _ in newest.values()), key=lambda r: r["profile"])
    return rows, sorted(skipped, key=lambda s: s.file)


def report_csv(rows: list[dict]) -> str:
    """The class table as CSV text."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def run_class_report(folder: Path, output: Path | None = None, gradebook: Path | None = None) -> int:
    """``coderpath class-report FOLDER [--gradebook COURSE]``: write the CSV (joined to the roster when a gradebook
    is given) and list what was skipped. Exit 0 unless nothing was read."""
    if not folder.is_dir():
        print(f"{folder}: not a folder")
        return 2
    rows, skipped = build_report(folder)
    if gradebook is not None:
        from coderpath_widgets.features.roster import RosterError, join_roster, read_roster

        try:
            rows = join_roster(rows, read_roster(gradebook))
        except RosterError as error:
            print(error)
            return 2
    output = output or folder / "class-report.csv"
    output.write_text(report_csv(rows), encoding="utf-8")
    print(f"{len(rows)} learners in {output}")
    if skipped:
        print(f"{len(skipped)} files skipped:")
        for item in skipped:
            print(f"  {item.file}: {item.reason}")
    return 0 if rows else 1


class ClassReport(widgets.VBox):
    """The class table for instructors, under Voilà or in JupyterLab."""

    folder = traitlets.Unicode()
    rows = traitlets.List()
    skipped = traitlets.List()

    def __init__(self, folder: str):
        self.folder_input = widgets.Text(
            value=folder, description="Exports folder", style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="560px"),
        )
        self.build_button = widgets.Button(description="Build report", button_style="primary")
        self.output = widgets.HTML()
        self.build_button.on_click(lambda _: self.build())
        super().__init__(
            [ui.header("Class progress", "From the progress files your learners exported. Nothing leaves this machine."),
             widgets.HBox([self.folder_input, self.build_button], layout=widgets.Layout(flex_flow="row wrap")),
             self.output]
        )
        self.folder = folder
        if folder and Path(folder).is_dir():
            self.build()

    def build(self) -> None:
        """Read the folder named in the text box and show the table."""
        self.folder = self.folder_input.value.strip()
        if not Path(self.folder).is_dir():
            self.rows, self.skipped = [], []
            self.output.value = ui.notice(f"{self.folder or '(empty)'} is not a folder on this server.", "error")
            return
        rows, skipped = build_report(self.folder)
        self.rows, self.skipped = rows, [s.__dict__ for s in skipped]
        parts = [f"<p><b>{len(rows)}</b> learners; {len(skipped)} files skipped.</p>"]
        if rows:
            table = ui.table(list(rows[0]), [[r[k] for k in rows[0]] for r in rows])
            parts.append(f'<div style="overflow-x:auto;max-width:100%">{table}</div>')
            payload = base64.b64encode(report_csv(rows).encode("utf-8")).decode("ascii")
            parts.append(f'<p><a download="class-report.csv" href="data:text/csv;base64,{payload}">Download as CSV</a></p>')
        if skipped:
            parts.append("<h4>Skipped files</h4>" + ui.table(["File", "Why"], [[s.file, s.reason] for s in skipped]))
        self.output.value = "".join(parts)


def show_class_report(folder: str | None = None) -> ClassReport:
    """The class report widget; the folder defaults to ``$CODERPATH_CLASS_EXPORTS`` or ``exports``."""
    return ClassReport(folder if folder is not None else os.environ.get(FOLDER_ENV, "exports"))
