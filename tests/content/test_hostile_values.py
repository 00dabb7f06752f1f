"""Hostile values (issue 15): every file in tests/data/README.md's "Hostile values" table gets exactly its messages.

The table in the README is the one list of cases and expected messages; this module reads it, so a case
cannot be documented without being checked, nor added without being documented.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from coderpath_widgets.app import cli
from coderpath_widgets.content import loaders
from coderpath_widgets.content.models import TABLES
from coderpath_widgets.paths import data_dir

CASES = Path(__file__).resolve().parents[1] / "data"
README = CASES / "README.md"


def _hostile_table() -> dict[str, list[str]]:
    """file name → expected messages, from the README's "Hostile values" table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Hostile values", 1)[1].split("\n## ", 1)[0]
    cases: dict[str, list[str]] = {}
    for line in section.splitlines():
        match = re.match(r"\| `([^`]+\.csv)` \| (.*) \|$", line)
        if match:
            cases[match.group(1)] = re.findall(r"`([^`]+)`", match.group(2))
    return cases


HOSTILE = _hostile_table()
DECIMAL_FORM = "digits and at most one decimal point, e.g. 1200 or 2.5"
#: Case names (the part before the table name), for tests/content/test_bad_input.py.
HOSTILE_CASES = frozenset(name.split(".")[0] for name in HOSTILE)


def data_with(tmp_path: Path, case: Path) -> Path:
    """A copy of the shipped data with one table replaced by the hostile file."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    shutil.copyfile(case, target / f"{case.name.split('.')[1]}.csv")
    return target


def test_the_readme_lists_every_hostile_file_and_each_exists():
    assert len(HOSTILE) >= 13
    for name, messages in HOSTILE.items():
        assert (CASES / name).is_file(), f"{name} is listed in tests/data/README.md but missing"
        assert messages, f"{name} has no expected message"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_validate_prints_exactly_the_expected_messages(name, tmp_path, capsys):
    case = CASES / name
    table_file = f"{name.split('.')[1]}.csv"
    status = cli.main(["validate", str(data_with(tmp_path, case))])
    out, err = capsys.readouterr()
    assert status == 1, f"{name} was accepted:\n{out}"
    assert "Traceback" not in out + err
    about_this_file = [line.strip() for line in err.splitlines() if line.strip().startswith(table_file)]
    assert about_this_file == HOSTILE[name]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_loader_alone_refuses_the_file(name):
    """Also without the other tables: the rule lives in the loader (cross-file rules aside)."""
    table = name.split(".")[1]
    rows, problems = loaders.read_rows(TABLES[table], CASES / name, f"{table}.csv")
    per_file = [str(p) for p in problems]
    expected_here = [m for m in HOSTILE[name] if "ignoring case" not in m]  # that one is cross-row
    assert per_file == expected_here


@pytest.mark.parametrize(
    ("text", "whole", "expected"),
    [
        ("2,5", False, "'2,5' has a decimal comma; write a decimal point: 2.5"),
        ("2,5", True, "'2,5' has a decimal comma, and this column takes a whole number (digits only, e.g. 1200)"),
        ("1,000.50", False, "'1,000.50' has thousands separators; write digits only: 1000.50"),
        ("1 000", True, "'1 000' has spaces between the digits; write digits only: 1000"),
        ("70%", True, "'70%' has a percent sign; write the number without it (digits only, e.g. 1200)"),
        ("€399", False, "'€399' has a currency symbol; write the amount in US dollars without it: 399"),
        (".5", False, f"'.5' is not written as the data dictionary asks; write {DECIMAL_FORM}"),
        ("1e3", False, f"'1e3' is not a number; write {DECIMAL_FORM}"),
        ("nan", False, f"'nan' is not a number; write {DECIMAL_FORM}"),
        ("+5", True, "'+5' is not a whole number; write digits only, e.g. 1200"),
        ("٣", True, "'٣' is not a whole number; write digits only, e.g. 1200"),  # Arabic-Indic digit: int() takes it
    ],
)
def test_numbers_accept_only_the_documented_forms(text, whole, expected):
    parse = loaders._parse_int if whole else loaders._parse_float
    with pytest.raises(ValueError) as info:
        parse(text)
    assert str(info.value) == expected


@pytest.mark.parametrize(("text", "value"), [("40", 40), ("-425", -425), ("0", 0)])
def test_documented_whole_numbers_still_load(text, value):
    assert loaders._parse_int(text) == value


@pytest.mark.parametrize(("text", "value"), [("3.5", 3.5), ("-1.25", -1.25), ("425", 425.0)])
def test_documented_numbers_still_load(text, value):
    assert loaders._parse_float(text) == value


@pytest.mark.parametrize(
    "source",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "AAPC | data:text/html;base64,PHNjcmlwdD4=",
        "see vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/a",
        "//evil.example/x",
        "https://",
    ],
)
def test_source_cells_refuse_every_address_but_https(source):
    with pytest.raises(ValueError):
        loaders._parse_source(source)


@pytest.mark.parametrize(
    "source",
    [
        "https://www.aapc.com/certifications/cpc | https://www.bls.gov/ooh/",
        "seed article (learn.org, How to Become a Medical Coder)",
        "MedlinePlus: Understanding Medical Words (medlineplus.gov/appendixa.html)",
        "ICD-10-CM Official Guidelines for Coding and Reporting FY2026, Section I.A.2",
    ],
)
def test_source_cells_keep_https_addresses_and_named_documents(source):
    assert loaders._parse_source(source) == source


@pytest.mark.parametrize("notebook", ["01-develop-your-skills.ipynb", "https://example.org/nb.ipynb"])
def test_notebook_cells_take_a_file_name_or_an_https_address(notebook):
    assert loaders._parse_notebook(notebook) == notebook


@pytest.mark.parametrize(
    "notebook",
    ["javascript:alert(1)", "01-skills.ipynb?x=1", "/etc/passwd", "notebooks/01-a.ipynb", "http://a.example/x.ipynb"],
)
def test_notebook_cells_refuse_anything_else(notebook):
    with pytest.raises(ValueError):
        loaders._parse_notebook(notebook)


def test_text_cells_keep_tabs_and_line_breaks_but_ids_do_not(tmp_path):
    path = tmp_path / "steps.csv"
    path.write_text(
        "id,number,title,subtitle,notebook,summary,time_minutes\n"
        'skills,1,Skills,Sub,01-develop-your-skills.ipynb,"Two\tparts\non two lines",45\n'
        '"jobs\t",4,Jobs,Sub,04-apply-for-jobs.ipynb,Summary,45\n',
        encoding="utf-8",
    )
    rows, problems = loaders.read_rows(TABLES["steps"], path)
    assert [row.summary for _, row in rows] == ["Two\tparts\non two lines"]
    assert [str(p) for p in problems] == [
        "steps.csv:4 id: contains a tab (U+0009) at character 5, which this column does not allow; "
        "delete it (spreadsheets do not show it)"
    ]


def test_utf16_without_a_byte_order_mark_is_named_too(tmp_path):
    path = tmp_path / "steps.csv"
    path.write_bytes("id,number\nskills,1\n".encode("utf-16-le"))
    _, problems = loaders.read_rows(TABLES["steps"], path)
    assert len(problems) == 1 and "UTF-16" in problems[0].message and "CSV UTF-8" in problems[0].message


def test_the_data_dictionary_documents_the_rules():
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    for fact in ("^[a-z0-9][a-z0-9-]*$", "ignoring case", "https://", "thousands", "decimal point", "NN-name.ipynb"):
        assert fact in text, f"data/README.md does not document {fact!r}"
