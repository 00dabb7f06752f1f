"""The dataset: every table of a data folder, loaded, cross-checked and cached.

:func:`load_dataset` is what features call; :func:`validate_dir` is what ``coderpath validate`` runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coderpath_widgets.content import models as m
from coderpath_widgets.content.loaders import DataError, Problem, read_rows
from coderpath_widgets.content.validation import check_tables
from coderpath_widgets.paths import data_dir


@dataclass(frozen=True)
class Dataset:
    """Every table of a data folder, validated together."""

    directory: Path
    steps: tuple[m.Step, ...]
    checklist_items: tuple[m.ChecklistItem, ...]
    code_sets: tuple[m.CodeSet, ...]
    certifications: tuple[m.Certification, ...]
    certification_fees: tuple[m.CertificationFee, ...]
    careers: tuple[m.Career, ...]
    career_figures: tuple[m.CareerFigure, ...]
    programs: tuple[m.Program, ...]
    courses: tuple[m.Course, ...]
    practice_cases: tuple[m.PracticeCase, ...]
    word_parts: tuple[m.WordPart, ...]
    quiz_questions: tuple[m.QuizQuestion, ...]

    def by_id(self, table: str) -> dict[str, Any]:
        """Rows of a table keyed by their ``id``."""
        return {row.id: row for row in getattr(self, table)}

    def step(self, step_id: str) -> m.Step:
        return self.by_id("steps")[step_id]

    def certification(self, cert_id: str) -> m.Certification:
        return self.by_id("certifications")[cert_id]

    def fees_for(self, cert_id: str, shown_only: bool = False) -> list[m.CertificationFee]:
        return [f for f in self.certification_fees if f.certification_id == cert_id and (f.shown or not shown_only)]

    def figures_for(self, career_id: str) -> list[m.CareerFigure]:
        return [f for f in self.career_figures if f.career_id == career_id]

    def checklist(self, step_id: str) -> list[m.ChecklistItem]:
        return sorted((i for i in self.checklist_items if i.step_id == step_id), key=lambda i: i.order)


def validate_dir(directory: str | Path | None = None, today: date | None = None) -> Dataset:
    """Load and cross-check every table; raise :class:`DataError` listing every problem."""
    directory = data_dir(directory)
    today = today or date.today()
    problems: list[Problem] = []
    tables: dict[str, list[tuple[int, Any]]] = {}
    for table, model in m.TABLES.items():
        rows: list[tuple[int, Any]]
        rows, found = read_rows(model, directory / f"{table}.csv", f"{table}.csv")
        tables[table] = rows
        problems.extend(found)
    problems.extend(check_tables(tables, directory, today))
    if problems:
        raise DataError(problems)
    return Dataset(directory=directory, **{t: tuple(row for _, row in rows) for t, rows in tables.items()})


_cache: dict[tuple[Path, tuple[tuple[str, int], ...]], Dataset] = {}


def load_dataset(directory: str | Path | None = None) -> Dataset:
    """The validated data of a folder, cached until a file changes."""
    directory = data_dir(directory).resolve()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.csv")))
    key = (directory, stamp)
    if key not in _cache:
        _cache.clear()
        _cache[key] = validate_dir(directory)
    return _cache[key]


@dataclass(frozen=True)
class StaleFact:
    """A row whose figure is older than the age asked for."""

    table: str
    row_id: str
    label: str
    as_of: str
    age_days: int
    source: str


def _row_label(table: str, row: Any) -> tuple[str, str]:
    if table == "certification_fees":
        return f"{row.certification_id}:{row.kind.value}", f"{row.certification_id.upper()} {row.kind.value} fee"
    if table == "career_figures":
        return row.career_id, f"{row.career_id} pay and outlook"
    name = getattr(row, "credential", None) or getattr(row, "name", None) or getattr(row, "title", row.id)
    return row.id, str(name)


def stale_facts(
    max_age_days: int = 730,
    dataset: Dataset | None = None,
    today: date | None = None,
    shown_only: bool = True,
) -> list[StaleFact]:
    """Fact rows whose ``as_of`` period ended more than ``max_age_days`` ago, oldest first.

    Only tables that carry figures are considered (fees, exam formats, pay, code-set counts, programs).
    """
    dataset = dataset or load_dataset()
    today = today or date.today()
    out = []
    for table in ("certifications", "certification_fees", "career_figures", "code_sets", "programs"):
        for row in getattr(dataset, table):
            if shown_only and hasattr(row, "shown") and not row.shown:
                continue
            age = (today - row.as_of.latest).days
            if age > max_age_days:
                row_id, label = _row_label(table, row)
                out.append(StaleFact(table, row_id, label, str(row.as_of), age, row.source))
    return sorted(out, key=lambda s: -s.age_days)
