"""Read one CSV into typed rows, reporting every problem at once.

Each model is a frozen dataclass (see :mod:`coderpath_widgets.content.models`). The loader checks the
header against the model's fields, converts every cell with a small typed parser, and raises a
single :class:`DataError` listing *every* problem as ``file:line column: message``.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import io
import types
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from coderpath_widgets.content.models import TABLES
from coderpath_widgets.content.values import AsOf, DataError, Problem
from coderpath_widgets.paths import data_dir

T = TypeVar("T")

#: Longest text accepted in one cell. Longer cells are almost always a broken quote or a paste accident.
MAX_CELL_CHARS = 20_000
LIST_SEPARATOR = ";"


# ---------------------------------------------------------------- cell parsers


def _parse_int(text: str) -> int:
    try:
        return int(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"'{_short(text)}' is not a whole number") from None


def _parse_float(text: str) -> float:
    try:
        value = float(text.replace(",", "").lstrip("$"))
    except ValueError:
        raise ValueError(f"'{_short(text)}' is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"'{_short(text)}' is not a finite number")
    return value


_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n"}


def _parse_bool(text: str) -> bool:
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"'{_short(text)}' is not yes or no")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{_short(text)}' is not a date; write YYYY-MM-DD") from None


def _parse_enum(kind: type[enum.Enum], text: str) -> enum.Enum:
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise ValueError(f"'{_short(text)}' is not one of: {allowed}") from None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scalar_parser(kind: Any):
    if kind is str:
        return lambda text: text
    if kind is int:
        return _parse_int
    if kind is float:
        return _parse_float
    if kind is bool:
        return _parse_bool
    if kind is date:
        return _parse_date
    if kind is AsOf:
        return AsOf.parse
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return lambda text: _parse_enum(kind, text)
    raise TypeError(f"no parser for {kind!r}")


@dataclass(frozen=True)
class _Column:
    name: str
    optional: bool
    many: bool
    parse: Any
    minimum: float | None


def _columns(model: type) -> list[_Column]:
    hints = typing.get_type_hints(model)
    columns = []
    for field in dataclasses.fields(model):
        kind = hints[field.name]
        optional = False
        if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
            args = [a for a in typing.get_args(kind) if a is not type(None)]
            optional = len(args) < len(typing.get_args(kind))
            kind = args[0]
        many = typing.get_origin(kind) is tuple
        if many:
            kind = typing.get_args(kind)[0]
            optional = True  # an empty list is an empty cell
        columns.append(
            _Column(field.name, optional, many, _scalar_parser(kind), field.metadata.get("min"))
        )
    return columns


def column_names(model: type) -> list[str]:
    """The CSV header a model expects, in order."""
    return [f.name for f in dataclasses.fields(model)]


# ---------------------------------------------------------------- reading


def _decode(raw: bytes, name: str, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        for number, line in enumerate(raw.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(
                    Problem(
                        name,
                        number,
                        "",
                        f"byte 0x{line[exc.start]:02x} at position {exc.start + 1} is not UTF-8; "
                        "save the file as 'CSV UTF-8' in your spreadsheet",
                    )
                )
        return None


def read_rows(model: type[T], path: Path, display_name: str | None = None) -> tuple[list[tuple[int, T]], list[Problem]]:
    """Parse one CSV into ``(line, row)`` pairs and the problems found; never raises on bad data."""
    name = display_name or path.name
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [Problem(name, 0, "", f"cannot be read ({exc.strerror or exc})")]
    text = _decode(raw, name, problems)
    if text is None:
        return [], problems
    if not text.strip():
        return [], [Problem(name, 1, "", "the file is empty; it needs a header line and at least one row")]

    expected = column_names(model)
    columns = {c.name: c for c in _columns(model)}
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, len(text) + 1))
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip() for h in next(reader)]
        except csv.Error as exc:
            return [], [Problem(name, 1, "", f"the header line cannot be read ({exc})")]
        missing = [c for c in expected if c not in header]
        extra = [h for h in header if h not in columns]
        for col in missing:
            problems.append(Problem(name, 1, col, "column is missing from the header"))
        for col in extra:
            problems.append(
                Problem(name, 1, col or "(blank)", f"unexpected column; expected only: {', '.join(expected)}")
            )
        duplicates = {h for h in header if header.count(h) > 1}
        for col in sorted(duplicates):
            problems.append(Problem(name, 1, col, "column appears more than once in the header"))
        if problems:
            return [], problems

        rows: list[tuple[int, T]] = []
        line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(Problem(name, reader.line_num, "", f"line cannot be read ({exc})"))
                break
            line = reader.line_num - _newlines_inside(cells)
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(name, line, "", f"has {len(cells)} cells but the header has {len(header)} columns")
                )
                continue
            row_problems: list[Problem] = []
            values: dict[str, Any] = {}
            for col_name, cell in zip(header, cells, strict=True):
                column = columns[col_name]
                values[col_name] = _convert(column, cell.strip(), name, line, row_problems)
            problems.extend(row_problems)
            if not row_problems:
                rows.append((line, model(**values)))
        if not rows and not problems:
            problems.append(Problem(name, 1, "", "has a header but no rows"))
        return rows, problems
    finally:
        csv.field_size_limit(old_limit)


def _newlines_inside(cells: list[str]) -> int:
    return sum(c.count("\n") for c in cells)


def _convert(column: _Column, cell: str, name: str, line: int, problems: list[Problem]) -> Any:
    if len(cell) > MAX_CELL_CHARS:
        problems.append(
            Problem(name, line, column.name, f"is {len(cell):,} characters long; the limit is {MAX_CELL_CHARS:,}")
        )
        return None
    if column.many:
        items = [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]
        out = []
        for item in items:
            try:
                out.append(column.parse(item))
            except ValueError as exc:
                problems.append(Problem(name, line, column.name, str(exc)))
        return tuple(out)
    if cell == "":
        if not column.optional:
            problems.append(Problem(name, line, column.name, "is empty but a value is required"))
        return None
    try:
        value = column.parse(cell)
    except ValueError as exc:
        problems.append(Problem(name, line, column.name, str(exc)))
        return None
    if column.minimum is not None and value < column.minimum:
        problems.append(Problem(name, line, column.name, f"{cell} is below the minimum of {column.minimum:g}"))
    return value


def load_table(model: type[T], path: str | Path) -> list[T]:
    """Load one CSV file as a list of ``model`` rows, or raise :class:`DataError` with every problem."""
    rows, problems = read_rows(model, Path(path))
    if problems:
        raise DataError(problems)
    return [row for _, row in rows]


def load(table: str, directory: str | Path | None = None) -> list[Any]:
    """Load a shipped table by name (``"certifications"``), validated on its own.

    Cross-file checks live in :func:`coderpath_widgets.validation.validate_dir`.
    """
    return load_table(TABLES[table], data_dir(directory) / f"{table}.csv")
