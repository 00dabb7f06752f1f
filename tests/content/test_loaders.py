"""The typed CSV loader on tiny fixture files."""

from __future__ import annotations

import dataclasses
import enum
from datetime import date

import pytest

from coderpath_widgets.content.loaders import AsOf, DataError, column_names, load_table


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass(frozen=True)
class Row:
    id: str
    count: int = dataclasses.field(metadata={"min": 0})
    price: float | None
    colour: Colour
    ok: bool
    tags: tuple[str, ...]
    note: str | None
    as_of: AsOf


HEADER = ",".join(column_names(Row))


def write(tmp_path, text: str):
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_converts_every_type(tmp_path):
    path = write(tmp_path, f"{HEADER}\nr1,1200,19.50,red,yes,a; b ;,,2024-05\n")  # documented forms only (issue 15)
    (row,) = load_table(Row, path)
    assert row == Row("r1", 1200, 19.5, Colour.RED, True, ("a", "b"), None, AsOf("2024-05"))
    assert row.as_of.latest == date(2024, 5, 31) and row.as_of.earliest == date(2024, 5, 1)


def test_reports_every_problem_with_file_line_and_column(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER}\nr1,-1,abc,green,maybe,,,2024-13\n,2,,blue,no,,,2026\nr3,1\n",
    )
    with pytest.raises(DataError) as info:
        load_table(Row, path)
    messages = [str(p) for p in info.value.problems]
    assert messages == [
        "rows.csv:2 as_of: '2024-13' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
        "rows.csv:2 colour: 'green' is not one of: red, blue",
        "rows.csv:2 count: -1 is below the minimum of 0",
        "rows.csv:2 ok: 'maybe' is not yes or no",
        "rows.csv:2 price: 'abc' is not a number; write digits and at most one decimal point, e.g. 1200 or 2.5",
        "rows.csv:3 id: is empty but a value is required",
        "rows.csv:4: has 2 cells but the header has 8 columns",
    ]


def test_quoted_newlines_keep_line_numbers_right(tmp_path):
    path = write(tmp_path, f'{HEADER}\nr1,1,,red,yes,,"two\nlines",2024\nr2,x,,red,yes,,,2024\n')
    with pytest.raises(DataError, match=r"rows.csv:4 count: 'x' is not a whole number"):
        load_table(Row, path)


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    with pytest.raises(DataError, match="cannot be read"):
        load_table(Row, tmp_path / "absent.csv")


@pytest.mark.parametrize("text", ["2024", "2024-02", "2024-02-29"])
def test_as_of_accepts_year_month_day(text):
    assert str(AsOf.parse(text)) == text


@pytest.mark.parametrize("text", ["24", "2024-02-30", "May 2024", "2024/05", ""])
def test_as_of_rejects_other_forms(text):
    with pytest.raises(ValueError):
        AsOf.parse(text)
