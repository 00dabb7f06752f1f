"""The class report on a hand-in folder built to hurt it (issue 15): nothing hangs, crashes, or is written elsewhere.

The hostile files cannot all live in git (a named pipe, links), so each test builds them in ``tmp_path``.
"""

from __future__ import annotations

import json
import os
import threading

import pytest

from coderpath_widgets.app import cli
from coderpath_widgets.features import class_report
from coderpath_widgets.features.class_report import build_report, nesting_depth
from coderpath_widgets.progress.store import ProgressStore


def export(tmp_path, profile: str) -> dict:
    store = ProgressStore(tmp_path / f"{profile}.sqlite3", profile=profile)
    data = store.export_data()
    store.close()
    return data


@pytest.fixture
def hostile_folder(tmp_path):
    """One good export and one file per hostile case; also a file outside the folder that must stay untouched."""
    folder = tmp_path / "hand-in"
    folder.mkdir()
    (folder / "ana.json").write_text(json.dumps(export(tmp_path, "ana")), encoding="utf-8")
    os.mkfifo(folder / "pipe.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "deep.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    (folder / "UPPER.JSON").write_text(json.dumps(export(tmp_path, "upper")), encoding="utf-8")
    (folder / "latin1.json").write_bytes('{"profile": "Zoé"}'.encode("latin-1"))
    (folder / "utf16.json").write_bytes(json.dumps(export(tmp_path, "wide")).encode("utf-16"))
    with open(folder / "huge.json", "wb") as handle:  # sparse: 30 MB that takes no disk
        handle.truncate(30 * 2**20)
    (folder / "big-number.json").write_text('{"profile": ' + "9" * 5000 + "}", encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "notes.txt").write_text("not an export", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("the instructor's own file", encoding="utf-8")
    (folder / "class-report.csv").symlink_to(victim)
    return folder


def build_within(folder, seconds: float = 30):
    """``build_report(folder)``, failing (instead of hanging the suite) if it takes longer than ``seconds``."""
    result: dict = {}

    def run() -> None:
        try:
            result["value"] = build_report(folder, output=folder / "class-report.csv")
        except BaseException as exc:  # noqa: BLE001 - reported below
            result["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"the class report was still running after {seconds} s"
    assert "error" not in result, f"the class report crashed: {result.get('error')!r}"
    return result["value"]


@pytest.mark.timeout(120)
def test_every_hostile_file_is_listed_with_its_reason_and_the_good_one_is_used(hostile_folder):
    rows, skipped = build_within(hostile_folder)
    assert [r["profile"] for r in rows] == ["ana"]
    reasons = {s.file: s.reason for s in skipped}
    assert "named pipe" in reasons["pipe.json"]
    assert "symbolic link" in reasons["zero.json"] and "not followed" in reasons["zero.json"]
    assert "nested more than 64 levels" in reasons["deep.json"]
    assert "'.JSON', not '.json'" in reasons["UPPER.JSON"] and "UPPER.json" in reasons["UPPER.JSON"]
    assert "not UTF-8" in reasons["latin1.json"] and "Latin-1" in reasons["latin1.json"]
    assert "0xe9" in reasons["latin1.json"]
    assert "UTF-16" in reasons["utf16.json"]
    assert "larger than 20 MB" in reasons["huge.json"]
    assert "not valid JSON" in reasons["big-number.json"]
    assert "symbolic link" in reasons["loop"]
    assert "only .json files" in reasons["notes.txt"]
    assert reasons["class-report.csv"] == "the report's own output file"
    assert set(reasons) == {
        "pipe.json",
        "zero.json",
        "deep.json",
        "UPPER.JSON",
        "latin1.json",
        "utf16.json",
        "huge.json",
        "big-number.json",
        "loop",
        "notes.txt",
        "class-report.csv",
    }


@pytest.mark.timeout(120)
def test_the_command_refuses_the_planted_output_link_and_writes_nothing(hostile_folder, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    for extra in ([], ["--force"]):
        assert cli.main(["class-report", str(hostile_folder), *extra]) == 2
        out = capsys.readouterr().out
        assert "is a symbolic link; refusing to write through it" in out
        assert "Traceback" not in out
    assert victim.read_text(encoding="utf-8") == "the instructor's own file"
    assert (hostile_folder / "class-report.csv").is_symlink()


@pytest.mark.timeout(120)
def test_the_command_lists_every_skipped_file_and_replaces_a_report_only_with_force(hostile_folder, tmp_path, capsys):
    (hostile_folder / "class-report.csv").unlink()
    output = tmp_path / "report.csv"
    assert cli.main(["class-report", str(hostile_folder), "-o", str(output)]) == 0
    out = capsys.readouterr().out
    assert "1 learner in" in out and "10 files skipped:" in out
    for name in ("pipe.json", "zero.json", "deep.json", "UPPER.JSON", "latin1.json", "huge.json"):
        assert f"  {name}: " in out
    assert cli.main(["class-report", str(hostile_folder), "-o", str(output)]) == 2
    assert "already exists; use --force" in capsys.readouterr().out
    assert cli.main(["class-report", str(hostile_folder), "-o", str(output), "--force"]) == 0
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_file_that_grows_past_the_limit_while_read_is_still_refused(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(export(tmp_path, "a")), encoding="utf-8")
    monkeypatch.setattr(class_report, "MAX_EXPORT_BYTES", 100)
    rows, skipped = build_report(folder)
    assert rows == [] and "larger than" in skipped[0].reason


def test_recursion_in_a_later_step_is_a_reason_not_a_crash(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(export(tmp_path, "a")), encoding="utf-8")

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(class_report, "learner_row", explode)
    rows, skipped = build_report(folder)
    assert rows == [] and skipped[0].reason == "nested too deeply to read"


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("{}", 1),
        ('{"a": "[[[{{{"}', 1),
        ('[["\\"[", [1]]]', 3),
        ('"just a string"', 0),
        ("[" * 10 + "]" * 10, 10),
        ("[" * 70, 70),
    ],
)
def test_nesting_depth_counts_brackets_outside_strings(text, depth):
    assert nesting_depth(text) == depth


def test_the_widget_shows_the_reasons_too(hostile_folder):
    widget = class_report.show_class_report(str(hostile_folder))
    assert [r["profile"] for r in widget.rows] == ["ana"]
    files = {s["file"] for s in widget.skipped}
    assert {"pipe.json", "zero.json", "deep.json", "UPPER.JSON", "latin1.json"} <= files
