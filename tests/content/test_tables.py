"""load_table and class_report give typed DataFrames; pandas stays out of a plain import and a search."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from widget_text import export_for

import coderpath_widgets
from coderpath_widgets.content import loaders
from coderpath_widgets.content.models import TABLES, Body
from coderpath_widgets.content.values import DataError
from coderpath_widgets.paths import data_dir

pd = pytest.importorskip("pandas")


def test_every_table_loads_with_one_row_per_csv_row_and_dtypes_from_the_model():
    for name in TABLES:
        frame = coderpath_widgets.load_table(name)
        rows = loaders.load(name)
        assert len(frame) == len(rows), name
        assert list(frame.columns) == loaders.column_names(TABLES[name]), name


def test_certifications_dtypes_follow_the_model_fields():
    frame = coderpath_widgets.load_table("certifications")
    dtypes = frame.dtypes.astype(str).to_dict()
    assert dtypes["id"] == "string" and dtypes["credential"] == "string"
    assert dtypes["exam_questions"] == "Int64" and dtypes["renewal_years"] == "Int64"
    assert dtypes["exam_hours"] == "Float64"
    assert dtypes["membership_required"] == "boolean"
    assert dtypes["issuing_body"] == "category"
    assert list(frame["issuing_body"].cat.categories) == [body.value for body in Body]
    assert dtypes["as_of"] == "string"
    rows = {row.id: row for row in loaders.load("certifications")}
    ccs = frame.set_index("id").loc["ccs"]
    assert ccs["issuing_body"] == "AHIMA" == rows["ccs"].issuing_body.value  # CCS is AHIMA's, not AAPC's
    assert ccs["code_sets"] == rows["ccs"].code_sets and isinstance(ccs["code_sets"], tuple)
    for field in ("exam_questions", "exam_hours", "membership_required"):
        expected = getattr(rows["ccs"], field)
        assert (pd.isna(ccs[field]) and expected is None) or ccs[field] == expected


def test_empty_cells_are_missing_values_not_zero(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    path = folder / "certification_fees.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("member_usd")] = ""
    cells[header.index("attempts")] = ""
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    frame = coderpath_widgets.load_table("certification_fees", folder)
    assert pd.isna(frame.loc[0, "member_usd"]) and pd.isna(frame.loc[0, "attempts"])
    assert frame["member_usd"].dtype == "Float64" and frame["attempts"].dtype == "Int64"
    assert frame["kind"].dtype == "category" and frame["shown"].dtype == "boolean"


def test_a_broken_file_raises_the_loaders_error_naming_file_line_and_column(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    path = folder / "steps.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("number")] = "one"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        coderpath_widgets.load_table("steps", folder)
    assert "steps.csv:2 number" in str(caught.value)


def test_an_unknown_table_names_the_tables_there_are():
    with pytest.raises(KeyError, match="certifications"):
        coderpath_widgets.load_table("certificates")


def test_class_report_frame_matches_the_csv_report_with_types(tmp_path):
    from coderpath_widgets.features.class_report import build_report

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "ana.json").write_text(
        json.dumps(export_for(tmp_path, "ana", 3, [True, False], quiz=0.5)), encoding="utf-8"
    )
    (folder / "ben.json").write_text(json.dumps(export_for(tmp_path, "ben", 0, [])), encoding="utf-8")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    frame = coderpath_widgets.load_class_report(folder)
    rows, _ = build_report(folder)
    assert list(frame.columns) == list(rows[0])
    assert list(frame["profile"]) == ["ana", "ben"]
    assert frame["profile"].dtype == "string"
    assert frame["cases_attempted"].dtype == "Int64" and list(frame["cases_attempted"]) == [2, 0]
    assert frame.loc[0, "case_first_try_percent"] == 50 and pd.isna(frame.loc[1, "case_first_try_percent"])
    assert frame.loc[0, "best_quiz_percent"] == 50 and pd.isna(frame.loc[1, "best_quiz_percent"])
    assert str(frame["exported_at"].dtype) == "datetime64[ns, UTC]"
    assert frame.loc[0, "exported_at"] == pd.Timestamp(rows[0]["exported_at"])
    assert [file for file, _ in frame.attrs["skipped"]] == ["broken.json"]


def test_class_report_of_an_empty_folder_has_the_columns_and_no_rows(tmp_path):
    frame = coderpath_widgets.load_class_report(tmp_path)
    assert len(frame) == 0
    assert frame.columns[0] == "profile" and "step1_skills_percent" in frame.columns
    assert frame["overall_percent"].dtype == "Int64"


@pytest.mark.slow  # a fresh interpreter builds its own ICD-10-CM index
def test_importing_the_package_and_searching_codes_does_not_import_pandas(tmp_path):
    code = (
        "import sys, coderpath_widgets\n"
        "from coderpath_widgets import icd\n"
        "assert icd.search('diabetes'), 'no result'\n"
        "widget = coderpath_widgets.show_code_lookup()\n"
        "print('pandas' in sys.modules, 'numpy' in sys.modules)\n"
    )
    env = {"CODERPATH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]
