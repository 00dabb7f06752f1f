"""coderpath class-report on a folder of exports, broken ones included."""

from __future__ import annotations

import csv
import io
import json

import pytest
from widget_text import export_for

from coderpath_widgets.app import cli
from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.features.class_report import build_report, show_class_report


def test_report_counts_learners_and_skips_broken_files_with_reasons(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    skills_total = len(load_dataset().checklist("skills"))
    ana = export_for(tmp_path, "ana", skills_total, [True, True, False, True], quiz=0.8)
    ben = export_for(tmp_path, "ben", 1, [])
    (folder / "ana.json").write_text(json.dumps(ana), encoding="utf-8")
    (folder / "ben.json").write_text(json.dumps(ben), encoding="utf-8")
    older_ana = dict(ana, exported_at="2000-01-01T00:00:00+00:00")
    from coderpath_widgets.progress.store import export_checksum

    older_ana["checksum"] = export_checksum(older_ana)
    (folder / "ana-old.json").write_text(json.dumps(older_ana), encoding="utf-8")
    tampered = json.loads(json.dumps(ben))
    tampered["profile"] = "carl"
    (folder / "carl.json").write_text(json.dumps(tampered), encoding="utf-8")
    (folder / "broken.json").write_text('{"format": "coderpath-progress", ', encoding="utf-8")
    (folder / "latin1.json").write_bytes(b'{"profile": "d\xe9"}')
    (folder / "other.json").write_text('{"hello": "world"}', encoding="utf-8")

    rows, skipped = build_report(folder)
    assert [r["profile"] for r in rows] == ["ana", "ben"]
    ana_row = rows[0]
    assert ana_row["step1_skills_percent"] == 100
    assert ana_row["cases_attempted"] == 4 and ana_row["case_first_try_percent"] == 75
    assert ana_row["best_quiz_percent"] == 80
    assert rows[1]["case_first_try_percent"] == "" and rows[1]["best_quiz_percent"] == ""
    reasons = {s.file: s.reason for s in skipped}
    assert set(reasons) == {"ana-old.json", "carl.json", "broken.json", "latin1.json", "other.json"}
    assert "duplicate of ana.json" in reasons["ana-old.json"]
    assert "checksum" in reasons["carl.json"]
    assert "not valid JSON" in reasons["broken.json"]
    assert "UTF-8" in reasons["latin1.json"]
    assert "not a coderpath progress export" in reasons["other.json"]

    out = tmp_path / "report.csv"
    assert cli.main(["class-report", str(folder), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 learners" in printed and "5 files skipped" in printed and "carl.json" in printed
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a byte-order mark, for spreadsheets
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["profile"] for r in table] == ["ana", "ben"]


def test_widget_builds_and_escapes(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    data = export_for(tmp_path, "<b>eve</b>", 2, [True])
    (folder / "eve.json").write_text(json.dumps(data), encoding="utf-8")
    widget = show_class_report(str(folder))
    assert [r["profile"] for r in widget.rows] == ["<b>eve</b>"]
    assert "&lt;b&gt;eve&lt;/b&gt;" in widget.output.value and "<b>eve</b>" not in widget.output.value
    widget.folder_input.value = str(tmp_path / "missing")
    widget.build_button.click()
    assert widget.rows == [] and "is not a folder" in widget.output.value


def test_empty_folder_exits_non_zero(tmp_path, capsys):
    assert cli.main(["class-report", str(tmp_path)]) == 1
    assert "0 learners" in capsys.readouterr().out


@pytest.mark.notebooks
@pytest.mark.slow  # starts a kernel and runs the instructors' notebook
def test_class_progress_notebook_runs_headless(tmp_path, monkeypatch):
    import json as _json
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "zoe.json").write_text(_json.dumps(export_for(tmp_path, "zoe", 3, [True, False])), encoding="utf-8")
    monkeypatch.setenv("CODERPATH_CLASS_EXPORTS", str(folder))
    path = Path(__file__).resolve().parents[2] / "instructors" / "class-progress.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    html_out = "".join(str(o.get("data", {})) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "ClassReport" in html_out or "application/vnd.jupyter.widget-view+json" in html_out
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
