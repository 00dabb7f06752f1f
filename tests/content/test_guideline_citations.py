"""Every guideline section the shipped data cites is listed in docs/guideline-citations.md.

The table there records, for each section number cited in data/practice_cases.csv and
data/quiz_questions.csv, the page it was checked against and a verdict. A section cited in the data
but missing from the table, or listed there as wrong, fails here with the ids that cite it.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "guideline-citations.md"
_SECTION = re.compile(r"\b(?:I|II|III|IV)\.[A-Z0-9](?:\.[A-Za-z0-9]+)*")
#: Which columns of which file may cite a section.
CITING_COLUMNS = {
    "practice_cases.csv": ("guideline", "rationale"),
    "quiz_questions.csv": ("question", "rationale", "source"),
}
VERDICTS = {"confirmed", "undated copy", "partial", "not checked"}


def cited_sections() -> dict[str, list[str]]:
    """Section number -> ids of the rows that cite it."""
    cites: dict[str, list[str]] = defaultdict(list)
    for name, columns in CITING_COLUMNS.items():
        with (ROOT / "data" / name).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = " ".join(row[column] for column in columns)
                for section in sorted(set(_SECTION.findall(text))):
                    cites[section].append(row["id"])
    return cites


def table_verdicts(text: str) -> dict[str, str]:
    """Section -> verdict, from the markdown table's rows (header and rule rows skipped)."""
    verdicts: dict[str, str] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and _SECTION.fullmatch(cells[0]):
            assert cells[0] not in verdicts, f"{cells[0]} is listed twice"
            verdicts[cells[0]] = cells[4]
    return verdicts


@pytest.fixture(scope="module")
def verdicts() -> dict[str, str]:
    return table_verdicts(TABLE.read_text(encoding="utf-8"))


def test_table_parser_reads_rows_and_skips_the_rest():
    text = "intro I.B.2\n| section | a | b | c | verdict |\n|---|---|---|---|---|\n| I.B.2 | x | y | z | confirmed |\n"
    assert table_verdicts(text) == {"I.B.2": "confirmed"}


def test_every_cited_section_is_in_the_table(verdicts):
    missing = [f"{s}: cited by {', '.join(ids)}" for s, ids in cited_sections().items() if s not in verdicts]
    assert not missing, "sections cited in data/ but not in docs/guideline-citations.md:\n" + "\n".join(missing)


def test_no_cited_section_is_marked_wrong(verdicts):
    wrong = [
        f"{s} ({verdicts[s]}): cited by {', '.join(ids)}"
        for s, ids in cited_sections().items()
        if verdicts.get(s, "").startswith("wrong")
    ]
    assert not wrong, "\n".join(wrong)


def test_every_verdict_is_a_known_one(verdicts):
    unknown = {s: v for s, v in verdicts.items() if v not in VERDICTS and not v.startswith("wrong")}
    assert not unknown, unknown


def test_confirmed_rows_name_a_page(verdicts):
    rows = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if line.endswith("| confirmed |")]
    assert rows
    assert all("https://" in row or "http://" in row for row in rows)
