"""Every CSV the workbook writes is safe to open in a spreadsheet (issue 15): one helper, one test per file type."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date

import pytest

from coderpath_widgets.ui import spreadsheet
from coderpath_widgets.ui.spreadsheet import OutputError, csv_text, safe_cell, write_csv

#: Text a learner or a student could type, each of which a spreadsheet would run or reinterpret.
HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"]


@pytest.mark.parametrize("text", HOSTILE)
def test_cells_that_would_run_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Zoë", "a=b", "Coder, remote", "", "'quoted"])
def test_other_text_is_kept(text):
    assert safe_cell(text) == text


def test_numbers_stay_numbers():
    assert [safe_cell(v) for v in (-3, 2.5, 0, None)] == ["-3", "2.5", "0", ""]
    assert safe_cell("-3") == "'-3"  # text that looks like a number is text


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix(spreadsheet.BOM))))


def no_cell_runs(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(spreadsheet.FORMULA_STARTS), f"{cell!r} would run in a spreadsheet"


def test_csv_text_has_a_bom_and_safe_cells():
    text = csv_text([HOSTILE], header=["a"] * len(HOSTILE))
    assert text.startswith(spreadsheet.BOM) and text.endswith("\r\n")
    no_cell_runs(cells(text))
    assert cells(text)[1][0] == "'" + HOSTILE[0]


def test_class_report_csv(tmp_path):
    from coderpath_widgets.features.class_report import build_report, report_csv
    from coderpath_widgets.progress.store import ProgressStore

    folder = tmp_path / "exports"
    folder.mkdir()
    for n, profile in enumerate(HOSTILE):
        store = ProgressStore(tmp_path / f"{n}.sqlite3", profile=profile)
        data = store.export_data()
        store.close()
        (folder / f"=HYPERLINK(learner-{n}).json").write_text(json.dumps(data), encoding="utf-8")
    rows, skipped = build_report(folder)
    assert len(rows) == len(HOSTILE), skipped
    text = report_csv(rows)
    assert text.startswith(spreadsheet.BOM)
    table = cells(text)
    no_cell_runs(table)
    assert sorted(r[0] for r in table[1:]) == sorted("'" + p for p in HOSTILE)
    assert all(r[table[0].index("file")].startswith("'=HYPERLINK(") for r in table[1:])


def test_planner_csv():
    from coderpath_widgets.features.planner import CSV_ENCODING, schedule_to_csv
    from coderpath_widgets.features.planner.schedule import Block, Schedule

    blocks = tuple(
        Block(f"c{n}", text, date(2026, 1, 5), date(2026, 2, 5), 10.0, text) for n, text in enumerate(HOSTILE)
    )
    plan = Schedule(blocks, date(2026, 1, 5), 10.0, (), 0, 60.0, date(2026, 2, 5), date(2026, 2, 5))
    text = schedule_to_csv(plan)
    assert CSV_ENCODING == "utf-8-sig"  # the file and the download carry the byte-order mark
    table = cells(text)
    no_cell_runs(table)
    assert [r[2] for r in table[1:]] == ["'" + t for t in HOSTILE]


def test_job_tracker_csv():
    from coderpath_widgets.features.jobs import FIELDS, applications_csv

    rows = [{f: text for f in FIELDS} for text in HOSTILE]
    table = cells(applications_csv(rows))
    no_cell_runs(table)
    assert [r[0] for r in table[1:]] == ["'" + t for t in HOSTILE]


def test_job_tracker_download_has_a_bom():
    import base64
    import re

    from coderpath_widgets.features.jobs import track_job_search

    app = track_job_search().tracker
    app.chooser.value = -1
    app.employer.value, app.role.value, app.status.value = "=1+1 Clinic", "@Coder", "applied"
    app.add_button.click()
    payload = re.search(r"base64,([^\"]+)", app.export_link.value).group(1)
    text = base64.b64decode(payload).decode("utf-8")
    assert text.startswith(spreadsheet.BOM)
    assert cells(text)[1][:2] == ["'=1+1 Clinic", "'@Coder"]


def test_grades_csv():
    from coderpath_widgets.features.grades import Gradesheet, StudentGrades, grades_csv

    students = [StudentGrades(text, text, text, text, text, {"a1": 3.0}) for text in HOSTILE[:4]]
    sheet = Gradesheet(["a1"], {"a1": 4.0}, students)
    for fmt in ("canvas", "moodle", "wide"):
        text = grades_csv(sheet, fmt)
        assert text.startswith(spreadsheet.BOM)
        no_cell_runs(cells(text))


def test_write_csv_creates_a_new_file_and_replaces_only_with_force(tmp_path):
    target = tmp_path / "out.csv"
    write_csv(target, "a\r\n")
    assert target.read_bytes() == b"a\r\n"
    with pytest.raises(OutputError, match="already exists; use --force"):
        write_csv(target, "b\r\n")
    assert target.read_bytes() == b"a\r\n"
    write_csv(target, "b\r\n", force=True)
    assert target.read_bytes() == b"b\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary file left


@pytest.mark.parametrize("force", [False, True])
def test_write_csv_never_writes_through_a_symlink(tmp_path, force):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "not-yet")
    for path in (link, dangling):
        with pytest.raises(OutputError, match="symbolic link"):
            write_csv(path, "x", force=force)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "not-yet").exists()


def test_write_csv_refuses_a_folder_or_a_pipe(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    os.mkfifo(tmp_path / "pipe.csv")
    for name in ("dir.csv", "pipe.csv"):
        with pytest.raises(OutputError, match="not a regular file"):
            write_csv(tmp_path / name, "x", force=True)
