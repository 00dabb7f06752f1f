"""Load every table of a data folder and check them together.

Per-file problems come from :mod:`coderpath_widgets.loaders`; this module adds the cross-file checks:
unique ids, every reference resolves, no prerequisite cycles, one shown figure per conflict group.
:func:`validate_dir` reports everything at once; ``coderpath validate DIR`` prints it.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import models as m
from .loaders import DataError, Problem, read_rows
from .paths import data_dir


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


def _check_unique(name: str, rows: list[tuple[int, Any]], key, label: str, problems: list[Problem]) -> None:
    counts = Counter(key(row) for _, row in rows)
    seen: set[Any] = set()
    for line, row in rows:
        value = key(row)
        if counts[value] > 1:
            if value in seen:
                problems.append(Problem(name, line, label, f"'{value}' is used by another row; each must be unique"))
            seen.add(value)


def _check_refs(
    name: str, rows: list[tuple[int, Any]], column: str, targets: set[str], target_file: str, problems: list[Problem]
) -> None:
    for line, row in rows:
        value = getattr(row, column)
        for ref in value if isinstance(value, tuple) else (value,):
            if ref is not None and ref not in targets:
                problems.append(Problem(name, line, column, f"'{ref}' is not an id in {target_file}"))


def _raw_ids(path: Path) -> set[str]:
    """The ``id`` cells of a CSV read as plain text (empty when the file cannot be read at all)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            return {row["id"].strip() for row in reader if row.get("id")}
    except (OSError, UnicodeDecodeError, csv.Error, KeyError):
        return set()


def find_cycle(graph: dict[str, tuple[str, ...]]) -> list[str] | None:
    """A prerequisite cycle as a path that returns to its start, or None.

    >>> find_cycle({"a": ("b",), "b": ("a",)})
    ['a', 'b', 'a']
    >>> find_cycle({"a": (), "b": ("a",)}) is None
    True
    """
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = GREY
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in colour:
                continue
            if colour[nxt] == GREY:
                return stack[stack.index(nxt):] + [nxt]
            if colour[nxt] == WHITE and (found := visit(nxt)):
                return found
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(graph):
        if colour[node] == WHITE and (found := visit(node)):
            return found
    return None


def validate_dir(directory: str | Path | None = None, today: date | None = None) -> Dataset:
    """Load and cross-check every table; raise :class:`DataError` listing every problem."""
    directory = data_dir(directory)
    today = today or date.today()
    problems: list[Problem] = []
    tables: dict[str, list[tuple[int, Any]]] = {}
    for table, model in m.TABLES.items():
        rows, found = read_rows(model, directory / f"{table}.csv", f"{table}.csv")
        tables[table] = rows
        problems.extend(found)

    def ids(table: str) -> set[str]:
        # Rows rejected for a bad cell still exist: references to them are not reported as dangling too.
        return {row.id for _, row in tables[table]} | _raw_ids(directory / f"{table}.csv")

    for table, rows in tables.items():
        fields = {f.name for f in dataclasses.fields(m.TABLES[table])}
        if "id" in fields:
            _check_unique(f"{table}.csv", rows, lambda r: r.id, "id", problems)
        if "as_of" in fields:
            for line, row in rows:
                if row.as_of.earliest > today:
                    problems.append(Problem(f"{table}.csv", line, "as_of", f"{row.as_of} is in the future"))

    _check_refs("checklist_items.csv", tables["checklist_items"], "step_id", ids("steps"), "steps.csv", problems)
    _check_refs("certifications.csv", tables["certifications"], "code_sets", ids("code_sets"), "code_sets.csv", problems)
    certs = ids("certifications")
    _check_refs("certification_fees.csv", tables["certification_fees"], "certification_id", certs, "certifications.csv", problems)
    _check_refs("careers.csv", tables["careers"], "certifications", certs, "certifications.csv", problems)
    _check_refs("career_figures.csv", tables["career_figures"], "career_id", ids("careers"), "careers.csv", problems)
    _check_refs("programs.csv", tables["programs"], "prepares_for", certs, "certifications.csv", problems)
    _check_refs("courses.csv", tables["courses"], "prerequisites", ids("courses"), "courses.csv", problems)
    _check_refs("courses.csv", tables["courses"], "programs", ids("programs"), "programs.csv", problems)
    _check_refs("courses.csv", tables["courses"], "credentials", certs, "certifications.csv", problems)
    _check_unique("steps.csv", tables["steps"], lambda r: r.number, "number", problems)
    _check_unique("word_parts.csv", tables["word_parts"], lambda r: (r.part, r.kind.value), "part", problems)

    for line, course in tables["courses"]:
        if course.id in course.prerequisites:
            problems.append(Problem("courses.csv", line, "prerequisites", f"'{course.id}' lists itself"))
    cycle = find_cycle({c.id: c.prerequisites for _, c in tables["courses"]})
    if cycle and len(cycle) > 2:
        line = next(line for line, c in tables["courses"] if c.id == cycle[0])
        problems.append(
            Problem("courses.csv", line, "prerequisites", "prerequisite cycle: " + " → ".join(cycle))
        )

    for line, program in tables["programs"]:
        if None not in (program.months_min, program.months_max) and program.months_min > program.months_max:
            problems.append(Problem("programs.csv", line, "months_min", "is larger than months_max"))
        if None not in (program.cost_usd_min, program.cost_usd_max) and program.cost_usd_min > program.cost_usd_max:
            problems.append(Problem("programs.csv", line, "cost_usd_min", "is larger than cost_usd_max"))

    _check_shown("certification_fees.csv", tables["certification_fees"], lambda f: (f.certification_id, f.kind.value), problems)
    _check_shown("career_figures.csv", tables["career_figures"], lambda f: f.career_id, problems)

    for line, question in tables["quiz_questions"]:
        choices = {"A": question.choice_a, "B": question.choice_b, "C": question.choice_c, "D": question.choice_d}
        if question.answer not in choices or not choices[question.answer]:
            problems.append(Problem("quiz_questions.csv", line, "answer", f"'{question.answer}' is not a filled choice (A–D)"))

    if problems:
        raise DataError(problems)
    return Dataset(directory=directory, **{t: tuple(row for _, row in rows) for t, rows in tables.items()})


def _check_shown(name: str, rows: list[tuple[int, Any]], group, problems: list[Problem]) -> None:
    shown: dict[Any, list[int]] = defaultdict(list)
    lines: dict[Any, int] = {}
    for line, row in rows:
        lines.setdefault(group(row), line)
        if row.shown:
            shown[group(row)].append(line)
        if row.shown and len(rows) > 1 and not row.why_shown:
            others = [r for _, r in rows if group(r) == group(row) and r is not row]
            if others:
                problems.append(Problem(name, line, "why_shown", "is empty; say why this figure is shown over the others"))
    for key, first_line in lines.items():
        if len(shown[key]) > 1:
            problems.append(
                Problem(name, shown[key][1], "shown", f"more than one row of {key} is shown; mark exactly one 'yes'")
            )
        elif not shown[key]:
            problems.append(Problem(name, first_line, "shown", f"no row of {key} is shown; mark exactly one 'yes'"))


_cache: dict[tuple[Path, tuple[tuple[str, int], ...]], Dataset] = {}


def load_dataset(directory: str | Path | None = None) -> Dataset:
    """The validated data of a folder, cached until a file changes."""
    directory = data_dir(directory).resolve()
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns) for p in sorted(directory.glob("*.csv"))
    )
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
