"""Class progress without infrastructure: a folder of learners' progress exports → one CSV table.

Learners export their progress (``coderpath export FILE`` or the dashboard's export button) and hand the
file in. Malformed, duplicate and tampered files are listed with the reason and skipped; nothing crashes.

A hand-in folder is written by others, so it is read defensively (:func:`read_export`):

- only regular files are opened, never through a symbolic link (``lstat``, then ``O_NOFOLLOW``), and with
  ``O_NONBLOCK``, so a named pipe called ``pipe.json`` is listed instead of hanging the report;
- at most :data:`MAX_EXPORT_BYTES` are read, whatever the file claims (a link to ``/dev/zero`` is never followed,
  and a device is not a regular file anyway);
- nesting deeper than :data:`MAX_NESTING` is refused before the JSON is parsed (a file nested 200,000 levels deep
  would otherwise end in ``RecursionError``);
- every file that is not used is listed with the reason: wrong-case extensions (``UPPER.JSON``), other encodings
  (Latin-1, UTF-16), other files, sub-folders reached through links;
- the CSV is written with :func:`coderpath_widgets.ui.spreadsheet.write_csv`: a new file, replaced only with
  ``--force``, never through a symbolic link, and with every cell safe to open in a spreadsheet.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset
from coderpath_widgets.progress.readiness import readiness
from coderpath_widgets.progress.store import Event, StoreError, check_export
from coderpath_widgets.ui.folder_report import FolderReport
from coderpath_widgets.ui.format import plural
from coderpath_widgets.ui.spreadsheet import OutputError, csv_download_link, csv_text, write_csv

MAX_EXPORT_BYTES = 20 * 1024 * 1024
#: Deepest nesting of ``[`` and ``{`` accepted; a real export is about 6 levels deep.
MAX_NESTING = 64
FOLDER_ENV = "CODERPATH_CLASS_EXPORTS"
OUTPUT_NAME = "class-report.csv"


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
    row: dict[str, Any] = {
        "profile": summary.profile,
        "student_id": data.get("student_id") or "",
        "file": file,
        "overall_percent": summary.overall_percent,
    }
    for step in summary.steps:
        row[f"step{step.number}_{step.step_id}_percent"] = step.percent
    row.update(
        cases_attempted=practice.cases_attempted,
        case_first_try_percent="" if practice.first_try_accuracy is None else round(100 * practice.first_try_accuracy),
        best_quiz_percent="" if practice.best_quiz_score is None else round(100 * practice.best_quiz_score),
        quiz_attempts=practice.quiz_attempts,
        flashcards_seen=practice.cards_seen,
        target_credential=summary.target_credential or "",
        applications=sum(summary.applications_by_status.values()),
        last_activity=summary.last_activity or "",
        exported_at=data["exported_at"],
    )
    return row


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class Unreadable(Exception):
    """A file of the hand-in folder that is not read; the message is the reason shown to the instructor."""


def nesting_depth(text: str) -> int:
    """How deep ``[`` and ``{`` nest in JSON text (outside strings): the most brackets open at once.

    Linear, and in C: strings and everything but brackets are removed, then the count of open brackets is
    run once over what is left. For text that is not JSON it is an upper bound of how deep a parser goes.

    >>> nesting_depth('{"a": [1, {"b": "[[["}]}')
    3
    >>> nesting_depth("[" * 100_000 + "]" * 100_000)
    100000
    """
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_BRACKET_STEP.__getitem__, brackets.encode("ascii"))), default=0)


def _read_regular_file(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file, read without following a link and without blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable("a symbolic link; links are not followed (copy the file itself into the folder)") from None
        raise Unreadable(f"cannot be opened ({exc.strerror or exc})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"not a regular file ({_file_kind(info.st_mode)}); only files are read")
        if info.st_size > MAX_EXPORT_BYTES:
            raise Unreadable(_too_large())
        chunks, total = [], 0
        while total <= MAX_EXPORT_BYTES:
            chunk = os.read(descriptor, min(1 << 20, MAX_EXPORT_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_EXPORT_BYTES:
            raise Unreadable(_too_large())
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(descriptor)


def _too_large() -> str:
    return f"larger than {MAX_EXPORT_BYTES // 2**20} MB; not a progress export"


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def _decode(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or raw[:2].count(0) == 1:
        raise Unreadable("UTF-16 text, not UTF-8; export the progress again from coderpath (it writes UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        guess = f" (in Latin-1 that byte is '{bytes([byte]).decode('latin-1')}')" if byte >= 0xA0 else ""
        raise Unreadable(
            f"not UTF-8 text: byte 0x{byte:02x} at position {exc.start + 1}{guess}, so the file was saved in another "
            "encoding such as Latin-1; export the progress again from coderpath, or save the file as UTF-8"
        ) from None


def read_export(path: Path, name: str) -> dict[str, Any]:
    """One checked export from the hand-in folder, or :class:`Unreadable` / ``StoreError`` saying why not."""
    text = _decode(_read_regular_file(path))
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise Unreadable(f"nested more than {MAX_NESTING} levels deep; a progress export is about 6 levels deep")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})") from None
    except RecursionError:  # the depth check makes this unreachable for JSON; kept so nothing can crash the report
        raise Unreadable("nested too deeply to read") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise Unreadable(f"not valid JSON ({exc})") from None
    check_export(data, name)
    return data


def _walk(folder: Path, skip: set[Path]) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """Every ``*.json`` file under ``folder`` (links not followed), and every other entry with why it is left out."""
    found: list[tuple[Path, str]] = []
    skipped: list[Skipped] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(str(current.relative_to(folder)) or ".", f"folder cannot be read ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            name = str(path.relative_to(folder))
            if path in skip:
                skipped.append(Skipped(name, "the report's own output file"))
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                skipped.append(Skipped(name, f"cannot be examined ({exc.strerror})"))
                continue
            if is_dir:
                pending.append(path)
            elif entry.name.endswith(".json"):
                found.append((path, name))  # links and pipes too: read_export says why they are not read
            elif entry.name.lower().endswith(".json"):
                suffix = entry.name[-5:]
                skipped.append(
                    Skipped(
                        name,
                        f"the extension is '{suffix}', not '.json'; rename the file to "
                        f"{entry.name[:-5]}.json to include it",
                    )
                )
            elif is_link:
                skipped.append(Skipped(name, "a symbolic link; links are not followed"))
            else:
                skipped.append(Skipped(name, "not a progress export (only .json files are read)"))
    return sorted(found), skipped


def build_report(
    folder: str | os.PathLike[str], dataset: Dataset | None = None, *, output: str | os.PathLike[str] | None = None
) -> tuple[list[dict], list[Skipped]]:
    """Read every ``*.json`` under ``folder``; return the class rows and every file not used, with the reason.

    ``output`` (the report's own CSV, when it is inside the folder) is listed as such rather than as a stray file.
    """
    folder = Path(folder)
    dataset = dataset or load_dataset()
    newest: dict[str, tuple[dict[str, Any], str]] = {}
    skip = {Path(os.path.abspath(output))} if output is not None else set()
    files, skipped = _walk(Path(os.path.abspath(folder)), skip)
    for path, name in files:
        try:
            data = read_export(path, name)
            row = learner_row(data, name, dataset)
        except Unreadable as exc:
            skipped.append(Skipped(name, str(exc)))
            continue
        except StoreError as exc:
            skipped.append(Skipped(name, str(exc).removeprefix(f"{name}: ")))
            continue
        except RecursionError:
            skipped.append(Skipped(name, "nested too deeply to read"))
            continue
        except Exception as exc:  # noqa: BLE001 - a learner's file must never stop the class report
            skipped.append(Skipped(name, f"unexpected contents ({type(exc).__name__}: {exc})"))
            continue
        profile = row.get("student_id") or row["profile"]  # one learner: the roster id, else the profile
        if profile in newest:
            other_row, other_name = newest[profile]
            if other_row["exported_at"] >= row["exported_at"]:
                skipped.append(Skipped(name, f"duplicate of {other_name} for '{profile}' (an older or equal export)"))
                continue
            skipped.append(Skipped(other_name, f"duplicate of {name} for '{profile}' (an older export)"))
        newest[profile] = (row, name)
    rows = sorted((r for r, _ in newest.values()), key=lambda r: (r["profile"], r.get("student_id") or ""))
    return rows, sorted(skipped, key=lambda s: s.file)


def report_csv(rows: list[dict]) -> str:
    """The class table as CSV text for a spreadsheet: UTF-8 with a byte-order mark, every cell formula-safe."""
    if not rows:
        return csv_text([])
    columns = list(rows[0])
    return csv_text(([row.get(c, "") for c in columns] for row in rows), header=columns)


def run_class_report(
    folder: Path, output: Path | None = None, gradebook: Path | None = None, *, force: bool = False
) -> int:
    """``coderpath class-report FOLDER [--gradebook COURSE] [-o FILE] [--force]``: write the CSV (joined to the
    roster when a gradebook is given) and list what was skipped. Exit 0 unless nothing was read; 2 when the folder
    or the output cannot be used. An existing output file is replaced only with ``force``; a link never is."""
    if not folder.is_dir():
        print(f"{folder}: not a folder")
        return 2
    output = output or folder / OUTPUT_NAME
    rows, skipped = build_report(folder, output=output)
    if gradebook is not None:
        from coderpath_widgets.features.roster import RosterError, join_roster, read_roster

        try:
            rows = join_roster(rows, read_roster(gradebook))
        except RosterError as error:
            print(error)
            return 2
    try:
        write_csv(output, report_csv(rows), force=force)
    except OutputError as error:
        print(error)
        return 2
    print(f"{plural(len(rows), 'learner')} in {output}")
    if skipped:
        print(f"{plural(len(skipped), 'file')} skipped:")
        for item in skipped:
            print(f"  {item.file}: {item.reason}")
    return 0 if rows else 1


class ClassReport(FolderReport):
    """The class table for instructors, under Voilà or in JupyterLab."""

    TITLE = "Class progress"
    SUBTITLE = "From the progress files your learners exported. Nothing leaves this machine."
    FOLDER_LABEL = "Exports folder"
    BUTTON_LABEL = "Build report"

    rows = traitlets.List()
    skipped = traitlets.List()

    def ready(self, folder: Path) -> bool:
        return folder.is_dir()

    def report(self, folder: str) -> str:
        """The table of the exports in ``folder``, with every file skipped and why."""
        if not Path(folder).is_dir():
            self.rows, self.skipped = [], []
            return ui.notice(f"{folder or '(empty)'} is not a folder on this server.", "error")
        rows, skipped = build_report(folder)
        self.rows, self.skipped = rows, [s.__dict__ for s in skipped]
        parts = [f"<p><b>{plural(len(rows), 'learner')}</b>; {plural(len(skipped), 'file')} skipped.</p>"]
        if rows:
            table = ui.table(list(rows[0]), [[r[k] for k in rows[0]] for r in rows])
            parts.append(f'<div style="overflow-x:auto;max-width:100%">{table}</div>')
            parts.append(f"<p>{csv_download_link(report_csv(rows), OUTPUT_NAME, 'Download as CSV')}</p>")
        if skipped:
            parts.append("<h4>Skipped files</h4>" + ui.table(["File", "Why"], [[s.file, s.reason] for s in skipped]))
        return "".join(parts)


def show_class_report(folder: str | None = None) -> ClassReport:
    """The class report widget; the folder defaults to ``$CODERPATH_CLASS_EXPORTS`` or ``exports``."""
    return ClassReport(folder if folder is not None else os.environ.get(FOLDER_ENV, "exports"))
