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
import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from coderpath_widgets.content.models import TABLES
from coderpath_widgets.content.values import AsOf, DataError, Problem
from coderpath_widgets.paths import data_dir

T = TypeVar("T")

#: Longest text accepted in one cell. Longer cells are almost always a broken quote or a paste accident.
MAX_CELL_CHARS = 20_000
LIST_SEPARATOR = ";"


# ---------------------------------------------------------------- cell parsers


#: The number forms the data dictionary documents: digits, a leading minus, one decimal point for numbers.
WHOLE_NUMBER = re.compile(r"-?[0-9]+")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]+")
_CURRENCY = "$€£¥¢"


def _parse_int(text: str) -> int:
    if not WHOLE_NUMBER.fullmatch(text):
        raise ValueError(_number_message(text, whole=True))
    return int(text)


def _parse_float(text: str) -> float:
    if not NUMBER.fullmatch(text):
        raise ValueError(_number_message(text, whole=False))
    return float(text)


def _number_message(text: str, whole: bool) -> str:
    """Why ``text`` is not a number of the documented form, with the form to write instead.

    >>> _number_message("2,5", whole=False)
    "'2,5' has a decimal comma; write a decimal point: 2.5"
    >>> _number_message("1,0,0", whole=True)
    "'1,0,0' has thousands separators; write digits only: 100"
    """
    value = f"'{_short(text)}'"
    kind = "a whole number" if whole else "a number"
    form = "digits only, e.g. 1200" if whole else "digits and at most one decimal point, e.g. 1200 or 2.5"
    bare = text.strip(_CURRENCY + " ")
    if any(c in _CURRENCY for c in text):
        hint = f": {bare}" if NUMBER.fullmatch(bare) else f" ({form})"
        return f"{value} has a currency symbol; write the amount in US dollars without it{hint}"
    if "%" in text:
        return f"{value} has a percent sign; write the number without it ({form})"
    if "," in text:
        if _THOUSANDS.fullmatch(text) or text.count(",") > 1:
            plain = text.replace(",", "")
            hint = f": {plain}" if (WHOLE_NUMBER if whole else NUMBER).fullmatch(plain) else f" ({form})"
            return f"{value} has thousands separators; write digits only{hint}"
        if _DECIMAL_COMMA.fullmatch(text):
            if whole:
                return f"{value} has a decimal comma, and this column takes {kind} ({form})"
            return f"{value} has a decimal comma; write a decimal point: {text.replace(',', '.')}"
    if any(c.isspace() for c in text) and re.fullmatch(r"-?[0-9][0-9\s]*(\.[0-9]+)?", text):
        return f"{value} has spaces between the digits; write digits only: {''.join(text.split())}"
    if not whole and re.fullmatch(r"-?[0-9]*\.[0-9]+|-?[0-9]+\.", text):
        return f"{value} is not written as the data dictionary asks; write {form}"
    return f"{value} is not {kind}; write {form}"


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


#: What every ``id`` cell must look like (data/README.md, Conventions). Ids are also unique ignoring case
#: (checked across rows by :func:`coderpath_widgets.content.validation.check_id_case`).
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
#: A step's notebook: a file name in ``notebooks/`` (``NN-name.ipynb``), never a path or a scheme.
NOTEBOOK_PATTERN = re.compile(r"[0-9]{2}-[a-z0-9][a-z0-9-]*\.ipynb")
#: Citations in one ``source`` cell are separated by `` | `` (or ``;``: see content/sources.py).
SOURCE_SEPARATORS = re.compile(r"[|;]")
#: Schemes that run code or embed content when a link is followed; refused anywhere in a source cell.
_DANGEROUS_SCHEME = re.compile(r"(?<![A-Za-z0-9+.-])(javascript|vbscript|data|file|blob)\s*:", re.IGNORECASE)
#: A scheme as a browser reads one: letters, then ``:`` not followed by a space ("MedlinePlus: …" is text).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?=\S)|//")
#: Invisible characters that reorder text (Trojan-source style); refused like control characters.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F: one search finds a clean cell at C speed
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]")
_INVISIBLE_NOT_BREAK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]")


def _parse_id(text: str) -> str:
    """An ``id`` cell: lower-case letters, digits and hyphens.

    >>> _parse_id("CPC")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 'CPC' is not a valid id; ids are lower-case letters, digits and hyphens (...): write 'cpc'
    """
    if ID_PATTERN.fullmatch(text):
        return text
    rule = "ids are lower-case letters, digits and hyphens (pattern ^[a-z0-9][a-z0-9-]*$)"
    suggestion = "-".join(text.lower().replace("_", " ").split())
    hint = f": write '{suggestion}'" if ID_PATTERN.fullmatch(suggestion) else ", starting with a letter or digit"
    raise ValueError(f"'{_short(text)}' is not a valid id; {rule}{hint}")


def _https_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() or c in "<>\"'`" for c in text)


def _parse_notebook(text: str) -> str:
    """``steps.notebook``: a notebook file name, or an ``https://`` address.

    >>> _parse_notebook("javascript:alert(1)")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 'javascript:alert(1)' is not a notebook file name or a web address; write a file name ... https://
    """
    if NOTEBOOK_PATTERN.fullmatch(text) or _https_url(text):
        return text
    raise ValueError(
        f"'{_short(text, 80)}' is not a notebook file name or a web address; write a file name in notebooks/ "
        "such as 01-develop-your-skills.ipynb, or an address that starts with https://"
    )


def _parse_source(text: str) -> str:
    """A ``source`` cell: citations separated by ``|``; each one that is an address starts with ``https://``.

    Text citations ("seed article (learn.org, …)") stay text. Tabs and line breaks are removed before looking
    for a scheme, as browsers do, so ``java<tab>script:`` is caught too.

    >>> _parse_source("AAPC CPC page | https://www.aapc.com/certifications/cpc")
    'AAPC CPC page | https://www.aapc.com/certifications/cpc'
    >>> _parse_source("javascript:alert(1)")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: 'javascript:alert(1)' is not allowed as a source address; write an address that starts with https://...
    """
    squeezed = text.replace("\t", "").replace("\n", "").replace("\r", "")
    if found := _DANGEROUS_SCHEME.search(squeezed):
        start = found.start()
        raise ValueError(
            f"'{_short(squeezed[start:], 80)}' is not allowed as a source address; write an address that starts with "
            "https:// (or the source's name as text)"
        )
    for part in SOURCE_SEPARATORS.split(squeezed):
        probe = part.strip()
        if probe.lower().startswith("http://"):
            raise ValueError(f"'{_short(probe, 80)}' is an http:// address; write it with https://")
        if _SCHEME.match(probe) and not _https_url(probe):
            raise ValueError(
                f"'{_short(probe, 80)}' is not allowed as a source address; write an address that starts with https:// "
                "(or the source's name as text)"
            )
    return text


def _control_message(cell: str, allow_breaks: bool) -> str | None:
    r"""Why ``cell`` holds a character nobody can see or type, or None.

    >>> _control_message("ab\x00c", allow_breaks=True)
    'contains a NUL byte (U+0000) at character 3; delete it (spreadsheets do not show it)'
    >>> _control_message("two\nlines", allow_breaks=True) is None
    True
    """
    if not (_INVISIBLE_NOT_BREAK if allow_breaks else _INVISIBLE).search(cell):
        return None  # nearly every cell: no character-by-character walk
    for position, char in enumerate(cell, start=1):
        if allow_breaks and char in "\t\n\r":
            continue
        if unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS:
            if char == "\x00":
                what = "a NUL byte (U+0000)"
            elif char in "\t\n\r":
                what = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return"}[char] + f" (U+{ord(char):04X})"
            elif char in _BIDI_CONTROLS:
                what = f"the text-direction control U+{ord(char):04X}"
            else:
                what = f"the control character U+{ord(char):04X}"
            where = "" if allow_breaks or char not in "\t\n\r" else ", which this column does not allow"
            return f"contains {what} at character {position}{where}; delete it (spreadsheets do not show it)"
    return None


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
    text: bool = False  # free text: tabs and line breaks allowed


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
        parse = _scalar_parser(kind)
        text = kind is str and not many
        if kind is str and field.name == "id":
            parse, text = _parse_id, False
        elif kind is str and field.name == "notebook":
            parse, text = _parse_notebook, False
        elif kind is str and field.name == "source":
            parse = _parse_source
        columns.append(_Column(field.name, optional, many, parse, field.metadata.get("min"), text))
    return columns


def column_names(model: type) -> list[str]:
    """The CSV header a model expects, in order."""
    return [f.name for f in dataclasses.fields(model)]


# ---------------------------------------------------------------- reading


#: How to save a file the loader can read, in the words of the spreadsheet programs' Save As dialogs.
SAVE_AS_CSV_UTF8 = (
    'save it again from your spreadsheet with Save As and the type "CSV UTF-8 (Comma delimited) (*.csv)" '
    '(LibreOffice: "Text CSV", character set UTF-8, field delimiter ",")'
)


def _looks_utf16(raw: bytes) -> bool:
    """Excel's "Unicode Text" (UTF-16 with a byte-order mark), or UTF-16 without one (every other byte NUL)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:200]
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4)


def _decode(raw: bytes, name: str, problems: list[Problem]) -> str | None:
    if _looks_utf16(raw):
        problems.append(
            Problem(name, 0, "", f'the file is UTF-16 (Excel\'s "Unicode Text"), not CSV UTF-8; {SAVE_AS_CSV_UTF8}')
        )
        return None
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
        if len(header) == 1 and (separator := _wrong_separator(header[0])):
            return [], [
                Problem(name, 1, "", f"the columns are separated by {separator}, not commas; {SAVE_AS_CSV_UTF8}")
            ]
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
                values[col_name] = _convert(column, cell, name, line, row_problems)
            problems.extend(row_problems)
            if not row_problems:
                rows.append((line, model(**values)))
        if not rows and not problems:
            problems.append(Problem(name, 1, "", "has a header but no rows"))
        return rows, problems
    finally:
        csv.field_size_limit(old_limit)


def _wrong_separator(header: str) -> str | None:
    """The separator of a header that is one comma-less cell: semicolons (European Excel) or tabs."""
    for char, words in ((";", "semicolons (;)"), ("\t", "tabs")):
        if header.count(char) >= 1:
            return words
    return None


def _newlines_inside(cells: list[str]) -> int:
    return sum(c.count("\n") for c in cells)


def _convert(column: _Column, raw: str, name: str, line: int, problems: list[Problem]) -> Any:
    if (message := _control_message(raw, allow_breaks=column.text)) is not None:
        problems.append(Problem(name, line, column.name, message))
        return None
    cell = raw.strip()
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
