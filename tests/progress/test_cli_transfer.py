"""`coderpath export` and `coderpath import`: plain sentences, exit code 2 for bad paths, a summary, a profile check."""

from __future__ import annotations

import json

from coderpath_widgets.app.cli import main
from coderpath_widgets.progress.store import ProgressStore


def test_export_into_a_missing_folder_or_onto_a_folder_is_a_plain_sentence(store, tmp_path, capsys):
    assert main(["export", str(tmp_path / "no-such-folder" / "me.json")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
    assert main(["export", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_export_onto_an_unwritable_place_is_a_plain_sentence(store, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["export", str(blocker / "me.json")]) == 2  # its "folder" is a file
    err = capsys.readouterr().err
    assert str(blocker) in err and "Traceback" not in err
    assert main(["export", "/proc/coderpath-progress.json"]) == 2  # a place nobody may write, root included
    err = capsys.readouterr().err
    assert "cannot be written" in err and "Traceback" not in err


def test_import_prints_a_summary_and_is_idempotent(store, tmp_path, capsys):
    other = ProgressStore(tmp_path / "laptop.sqlite3", profile=store.profile)
    other.set_field("checklist", "skills-typing", "note", "45 wpm")
    other.add_event("quiz_attempt", {"score": 0.9})
    path = other.export_json(tmp_path / "laptop.json")
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 saved fields changed" in out and "1 attempts added" in out
    assert main(["import", str(path)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert store.get("checklist", "skills-typing") == {"note": "45 wpm"}


def test_import_of_another_profile_needs_into_profile(store, tmp_path, capsys):
    other = ProgressStore(tmp_path / "ben.sqlite3", profile="ben")
    other.set("certification", "target", "ccs")
    path = other.export_json(tmp_path / "ben.json")
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "profile 'ben'" in err and f"--into-profile {store.profile}" in err
    assert store.get("certification", "target") is None
    assert main(["import", str(path), "--into-profile", store.profile]) == 0
    assert store.get("certification", "target") == "ccs"


def test_import_of_a_missing_file_a_folder_or_a_bad_file_is_plain(store, tmp_path, capsys):
    assert main(["import", str(tmp_path / "missing.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["import", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "coderpath-progress", "format_version": 2, "profile": 3}), encoding="utf-8")
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.json: profile: is number; expected string" in err and "Traceback" not in err
