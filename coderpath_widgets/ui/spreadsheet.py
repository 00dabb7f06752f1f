"""CSV files that are safe to open in a spreadsheet: the one helper every export of the workbook uses.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and some treat a leading
tab or carriage return the same way), so a learner's text such as ``=HYPERLINK("http://…")`` in a CSV would
become a live link or worse when an instructor opens it ("CSV injection", OWASP). Every text cell is
therefore written through :func:`safe_cell`, which puts an apostrophe in front: the spreadsheet shows the text as
typed and runs nothing. Numbers stay numbers (``-3`` from a number column is written as ``-3``).

Files start with a UTF-8 byte-order mark so Excel reads accents correctly, and use CRLF line ends (RFC 4180).

- :func:`safe_cell`, :func:`safe_row`: one value, one row.
- :func:`csv_text`: rows → CSV text (with the byte-order mark).
- :func:`csv_download_link`: an ``<a download>`` link carrying that text, for widgets.
- :func:`write_csv`: write the text to a file that is created new (``O_EXCL``), or replaced only when asked
  (``force``); a symbolic link at the path is refused, never followed.

Used by the class report, the planner export, the job-tracker export and ``coderpath grades``.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

BOM = "\ufeff"
#: First characters that make a spreadsheet treat a cell as a formula (or strip them and then do so).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\r\n"


class OutputError(Exception):
    """The file cannot be written where asked; the message says why in plain words."""


def safe_cell(value: object) -> str:
    """A cell no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a leading ``'``.

    >>> safe_cell('=HYPERLINK("http://x.example","click")')
    '\\'=HYPERLINK("http://x.example","click")'
    >>> safe_cell("-2+3"), safe_cell("@SUM(A1)"), safe_cell("\\tcmd")
    ("'-2+3", "'@SUM(A1)", "'\\tcmd")
    >>> safe_cell(-3), safe_cell(2.5), safe_cell(None), safe_cell("Zoë")
    ('-3', '2.5', '', 'Zoë')
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    """:func:`safe_cell` of every value of a row."""
    return [safe_cell(value) for value in values]


def csv_text(rows: Iterable[Iterable[object]], header: Sequence[str] | None = None, *, bom: bool = True) -> str:
    """Rows (and a header) as CSV text with every cell made safe; starts with a byte-order mark unless ``bom=False``.

    >>> csv_text([["=1+1", 4]], header=["name", "n"])
    "\\ufeffname,n\\r\\n'=1+1,4\\r\\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    if header is not None:
        writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return (BOM if bom else "") + buffer.getvalue()


def csv_download_link(text: str, filename: str, label: str) -> str:
    """An HTML link that downloads ``text`` (already CSV, e.g. from :func:`csv_text`) as ``filename``."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:text/csv;charset=utf-8;base64,{payload}">'
        f"{html.escape(label)}</a>"
    )


def write_csv(path: str | os.PathLike[str], text: str, *, force: bool = False) -> Path:
    """Write CSV ``text`` to ``path`` without ever writing anywhere else.

    The file is created new; an existing file is replaced only with ``force`` (atomically: a new file next to
    it, then a rename, so a reader never sees half a file). A symbolic link, or anything that is not a regular
    file, at ``path`` is refused even with ``force``: writing through it would change the file it points to.
    Raises :class:`OutputError` with a plain message.
    """
    target = Path(path)
    data = text.encode("utf-8")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{target}: cannot be checked ({exc.strerror or exc})") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputError(
                f"{target} is a symbolic link; refusing to write through it. Remove it or choose another output file."
            )
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{target} exists and is not a regular file; choose another output file.")
        if not force:
            raise OutputError(f"{target} already exists; use --force to replace it, or choose another output file.")
        _replace(target, data)
        return target
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(target, flags, 0o644)
    except FileExistsError:
        raise OutputError(f"{target} appeared while the report was written; run the command again.") from None
    except OSError as exc:
        raise OutputError(f"{target}: cannot be created ({exc.strerror or exc})") from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return target


def _replace(target: Path, data: bytes) -> None:
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot be replaced ({exc.strerror or exc})") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)  # rename never follows a link at the target: it replaces the entry itself
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot be replaced ({exc.strerror or exc})") from None
