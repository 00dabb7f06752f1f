"""Cross-file checks of a data folder's tables.

Per-file problems come from :mod:`coderpath_widgets.content.loaders`; :func:`check_tables` adds the checks
that need several tables: unique ids, every reference resolves, no prerequisite cycles, one shown figure per
conflict group. :func:`coderpath_widgets.content.dataset.validate_dir` reports everything at once;
``coderpath validate DIR`` prints it.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from coderpath_widgets.content import models as m
from coderpath_widgets.content import sources as src
from coderpath_widgets.content.loaders import Problem


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
                return stack[stack.index(nxt) :] + [nxt]
            if colour[nxt] == WHITE and (found := visit(nxt)):
                return found
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(graph):
        if colour[node] == WHITE and (found := visit(node)):
            return found
    return None


def check_tables(tables: dict[str, list[tuple[int, Any]]], directory: Path, today: date) -> list[Problem]:
    """Every cross-file problem of a data folder's rows: ids, references, cycles, ranges, shown figures."""
    problems: list[Problem] = []

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
    _check_refs(
        "certifications.csv", tables["certifications"], "code_sets", ids("code_sets"), "code_sets.csv", problems
    )
    certs = ids("certifications")
    _check_refs(
        "certification_fees.csv",
        tables["certification_fees"],
        "certification_id",
        certs,
        "certifications.csv",
        problems,
    )
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
        problems.append(Problem("courses.csv", line, "prerequisites", "prerequisite cycle: " + " → ".join(cycle)))

    for line, program in tables["programs"]:
        if None not in (program.months_min, program.months_max) and program.months_min > program.months_max:
            problems.append(Problem("programs.csv", line, "months_min", "is larger than months_max"))
        if None not in (program.cost_usd_min, program.cost_usd_max) and program.cost_usd_min > program.cost_usd_max:
            problems.append(Problem("programs.csv", line, "cost_usd_min", "is larger than cost_usd_max"))

    _check_shown(
        "certification_fees.csv", tables["certification_fees"], lambda f: (f.certification_id, f.kind.value), problems
    )
    _check_shown("career_figures.csv", tables["career_figures"], lambda f: f.career_id, problems)

    for line, question in tables["quiz_questions"]:
        choices = {"A": question.choice_a, "B": question.choice_b, "C": question.choice_c, "D": question.choice_d}
        if question.answer not in choices or not choices[question.answer]:
            problems.append(
                Problem("quiz_questions.csv", line, "answer", f"'{question.answer}' is not a filled choice (A–D)")
            )

    for line, part in tables["word_parts"]:
        problems.extend(_word_part_problems(line, part))

    problems.extend(check_sources(tables))
    problems.extend(check_id_case(tables, directory))
    return problems


def _word_part_problems(line: int, part: Any) -> list[Problem]:
    """A combining form is written root/vowel and names its root; a root, prefix or suffix has no slash."""
    name = "word_parts.csv"
    if part.kind is m.WordPartKind.COMBINING_FORM:
        root, slash, vowel = part.part.partition("/")
        if not slash or not root or not vowel.isalpha():
            return [
                Problem(name, line, "part", f"'{part.part}' is a combining form: write it as root/vowel, e.g. angi/o")
            ]
        if part.root != root:
            return [Problem(name, line, "root", f"'{part.root or ''}' should be '{root}', the part before the slash")]
        return []
    if "/" in part.part:
        return [Problem(name, line, "kind", f"'{part.part}' has a combining vowel, so its kind is combining_form")]
    if part.root:
        return [Problem(name, line, "root", "is only for combining forms; leave it empty")]
    return []


def check_id_case(tables: dict[str, list[tuple[int, Any]]], directory: Path) -> list[Problem]:
    """Ids that differ only in capital letters (``cpc`` and ``CPC``): ids are compared ignoring case.

    Read from the files as text, so a row rejected for its id (``CPC`` is not lower-case) still counts.
    Exact duplicates are left to the unique-id check.
    """
    problems: list[Problem] = []
    for table in tables:
        if "id" not in {f.name for f in dataclasses.fields(m.TABLES[table])}:
            continue
        first: dict[str, tuple[int, str]] = {}
        for line, value in _raw_id_cells(directory / f"{table}.csv"):
            key = value.casefold()
            if key not in first:
                first[key] = (line, value)
            elif first[key][1] != value:
                other_line, other = first[key]
                problems.append(
                    Problem(
                        f"{table}.csv",
                        line,
                        "id",
                        f"'{value}' is the same id as '{other}' on line "
                        f"{other_line} (ids are compared ignoring case); each must be unique",
                    )
                )
    return problems


def _raw_id_cells(path: Path) -> list[tuple[int, str]]:
    """``(line, id)`` for every row of a CSV read as plain text (empty when the file cannot be read)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader)]
            column = header.index("id")
            cells = []
            for row in reader:
                if len(row) > column and row[column].strip():
                    line = reader.line_num - sum(c.count("\n") for c in row)
                    cells.append((line, row[column].strip()))
            return cells
    except (OSError, UnicodeError, csv.Error, ValueError, StopIteration):
        return []


def check_sources(tables: dict[str, list[tuple[int, Any]]]) -> list[Problem]:
    """Every source that breaks the rules in :mod:`coderpath_widgets.content.sources`.

    A refused host (test, QA, development, staging, or a known unrelated site) is reported wherever it
    appears. Any other page that is not an owner's official page needs the row's ``source_kind`` to be
    ``third_party`` and a ``source_reason``; in tables without those columns it must be official, or one of
    the named third parties in ``sources.NAMED_THIRD_PARTIES``. A third-party row always needs its reason.
    """
    problems: list[Problem] = []
    for table, rows in tables.items():
        fields = {f.name for f in dataclasses.fields(m.TABLES[table])}
        if "source" not in fields:
            continue
        name = f"{table}.csv"
        has_kind = "source_kind" in fields
        for line, row in rows:
            kind = getattr(row, "source_kind", None)
            reason = (getattr(row, "source_reason", None) or "").strip()
            unofficial: list[src.Verdict] = []
            for item in src.split_source(row.source):
                verdict = src.classify(item, table)
                if verdict.kind == "refused":
                    problems.append(
                        Problem(
                            name,
                            line,
                            "source",
                            f"'{_short(item)}' is refused: {verdict.reason}; "
                            "cite the owner's official page, or leave the figure empty",
                        )
                    )
                elif verdict.kind == "third_party" and not (not has_kind and src.named_third_party(item)):
                    unofficial.append(verdict)
            if has_kind and kind is m.SourceKind.THIRD_PARTY and not reason:
                problems.append(
                    Problem(name, line, "source_reason", "is empty; say who the third party is and why it is used")
                )
            if not unofficial:
                continue
            first = unofficial[0]
            if not has_kind:
                problems.append(
                    Problem(
                        name,
                        line,
                        "source",
                        f"'{_short(first.item)}' is not accepted: {first.reason}; "
                        f"this table takes official sources only ({src.official_owner_names()})",
                    )
                )
            elif kind is not m.SourceKind.THIRD_PARTY:
                problems.append(
                    Problem(
                        name,
                        line,
                        "source_kind",
                        f"is '{kind.value if kind else ''}' but "
                        f"'{_short(first.item)}' is not official ({first.reason}); mark the row "
                        "third_party with a source_reason, or cite the owner's page",
                    )
                )
    return problems


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
                problems.append(
                    Problem(name, line, "why_shown", "is empty; say why this figure is shown over the others")
                )
    for key, first_line in lines.items():
        if len(shown[key]) > 1:
            problems.append(
                Problem(name, shown[key][1], "shown", f"more than one row of {key} is shown; mark exactly one 'yes'")
            )
        elif not shown[key]:
            problems.append(Problem(name, first_line, "shown", f"no row of {key} is shown; mark exactly one 'yes'"))
