"""Every broken file in tests/data/ loads correctly or fails with the message a person needs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_hostile_values import HOSTILE_CASES  # issue 15's cases: listed in tests/data/README.md, checked there
from widget_text import html_of

from coderpath_widgets.app import cli
from coderpath_widgets.content.dataset import validate_dir
from coderpath_widgets.content.loaders import DataError
from coderpath_widgets.paths import data_dir

CASES = Path(__file__).resolve().parents[1] / "data"

#: case → lines that must appear in the report (None: the file must load).
EXPECTED: dict[str, list[str] | None] = {
    "missing-column": ["courses.csv:1 planning_hours: column is missing from the header"],
    "extra-column": ["courses.csv:1 cost_usd: unexpected column"],
    "non-numeric-number": ["courses.csv:3 planning_hours: 'forty' is not a whole number"],
    "negative-fee": ["certification_fees.csv:2 member_usd: -425 is below the minimum of 0"],
    "duplicate-id": ["courses.csv:4 id: 'mt' is used by another row; each must be unique"],
    "unknown-category": ["word_parts.csv:3 kind: 'infix' is not one of: prefix, root, combining_form, suffix"],
    "dangling-reference": ["courses.csv:4 prerequisites: 'no-such-course' is not an id in courses.csv"],
    "prerequisite-cycle": ["courses.csv:2 prerequisites: prerequisite cycle: a → c → b → a"],
    "empty": ["courses.csv:1: the file is empty; it needs a header line and at least one row"],
    "header-only": ["courses.csv:1: has a header but no rows"],
    "non-utf8": ["courses.csv:3: byte 0xe9 at position", "is not UTF-8"],
    "huge-cell": ["courses.csv:2 description: is 1,048,576 characters long; the limit is 20,000"],
    "bom": None,
    "crlf": None,
    "html-in-text": None,
}


def case_files() -> list[Path]:
    return sorted(p for p in CASES.glob("*.csv") if p.name.split(".")[0] not in HOSTILE_CASES)


def test_every_case_file_has_an_expectation():
    assert sorted(p.name.split(".")[0] for p in CASES.glob("*.csv")) == sorted([*EXPECTED, *HOSTILE_CASES])


def data_with(tmp_path: Path, case: Path) -> Path:
    """A copy of the shipped data with one table replaced by the broken file."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    table = case.name.split(".")[1]
    shutil.copyfile(case, target / f"{table}.csv")
    return target


@pytest.mark.parametrize("case", case_files(), ids=lambda p: p.name)
def test_case_loads_or_reports_what_a_person_needs(case, tmp_path, capsys):
    directory = data_with(tmp_path, case)
    expected = EXPECTED[case.name.split(".")[0]]
    status = cli.main(["validate", str(directory)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if expected is None:
        assert status == 0, err
        assert "all files are valid" in out
    else:
        assert status == 1
        for line in expected:
            assert line in err, f"expected {line!r} in:\n{err}"


def test_bom_and_crlf_load_the_same_rows_as_a_clean_file(tmp_path):
    courses = {}
    for name in ("bom", "crlf"):
        directory = data_with(tmp_path / name, CASES / f"{name}.courses.csv")
        courses[name] = validate_dir(directory).courses
    assert courses["bom"] == courses["crlf"]
    assert [c.id for c in courses["bom"]] == ["mt", "ap", "cf"]
    assert courses["bom"][2].prerequisites == ("mt", "ap")


def test_error_lists_every_problem_at_once(tmp_path):
    directory = data_with(tmp_path, CASES / "non-numeric-number.courses.csv")
    shutil.copyfile(CASES / "unknown-category.word_parts.csv", directory / "word_parts.csv")
    with pytest.raises(DataError) as info:
        validate_dir(directory)
    text = str(info.value)
    assert "courses.csv:3 planning_hours" in text and "word_parts.csv:3 kind" in text
    assert text.startswith("2 problems found")


def test_html_in_text_is_kept_as_text_and_escaped_when_shown(tmp_path, monkeypatch):
    from coderpath_widgets.features.checklist import show_checklist

    directory = data_with(tmp_path, CASES / "html-in-text.checklist_items.csv")
    item = validate_dir(directory).checklist_items[0]
    assert item.title == "Type <script>alert('x')</script> fast"  # kept verbatim
    widget = show_checklist("skills", directory=str(directory))
    page = html_of(widget)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert widget.checkboxes["skills-typing"].description == item.title  # a Checkbox label is plain text


def test_validate_command_passes_on_shipped_data(capsys):
    assert cli.main(["validate"]) == 0
    assert "all files are valid" in capsys.readouterr().out


def test_validate_command_on_missing_folder(capsys, tmp_path):
    assert cli.main(["validate", str(tmp_path / "nope")]) == 2
    assert "not a folder" in capsys.readouterr().err
