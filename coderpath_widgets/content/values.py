"""The values every content module shares: a figure's *as of* date, and problems found in data files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one cell (or line, or file)."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class DataError(ValueError):
    """Raised with the full list of problems found in one or more files."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} found in the data:"
        super().__init__("\n".join([header, *(f"  {p}" for p in self.problems)]))


@dataclass(frozen=True, order=True)
class AsOf:
    """The date a figure refers to: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    >>> AsOf.parse("2024-05").latest
    datetime.date(2024, 5, 31)
    >>> str(AsOf.parse("2026"))
    '2026'
    """

    text: str

    @classmethod
    def parse(cls, text: str) -> AsOf:
        parts = text.split("-")
        if not (1 <= len(parts) <= 3) or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = int(parts[0]), 1, 1
        if len(parts) > 1:
            month = int(parts[1])
        if len(parts) > 2:
            day = int(parts[2])
        try:
            date(year, month, day)
        except ValueError:  # 2024-13 or 2024-02-30
            raise ValueError(f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD") from None
        return cls(text)

    @property
    def earliest(self) -> date:
        """The first day of the period the figure refers to."""
        parts = [int(p) for p in self.text.split("-")] + [1, 1]
        return date(*parts[:3])

    @property
    def latest(self) -> date:
        """The last day of the period the figure refers to."""
        parts = [int(p) for p in self.text.split("-")]
        if len(parts) == 3:
            return date(*parts)
        if len(parts) == 2:
            year, month = parts
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(parts[0], 12, 31)

    def __str__(self) -> str:
        return self.text
