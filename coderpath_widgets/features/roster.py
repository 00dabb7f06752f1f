"""Class progress joined to the roster: the students in nbgrader's gradebook.

Each progress export carries ``student_id`` (the hub user, or the id the learner set once; see
docs/progress-format.md). :func:`join_roster` puts the roster's names next to each learner's progress, adds a
row for every student who sent no progress, and marks exports whose id is not on the roster.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


class RosterError(Exception):
    """A plain message for the instructor."""


def read_roster(gradebook: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The students of an nbgrader gradebook (the course folder or its gradebook.db), sorted by id."""
    from nbgrader.api import Gradebook

    path = Path(gradebook)
    if path.is_dir():
        path = path / "gradebook.db"
    if not path.is_file():
        raise RosterError(f"{path}: no nbgrader gradebook here (give the course folder or its gradebook.db)")
    with Gradebook(f"sqlite:///{path}") as book:
        return sorted(
            (
                {"id": s.id, "first_name": s.first_name or "", "last_name": s.last_name or "", "email": s.email or ""}
                for s in book.students
            ),
            key=lambda s: s["id"],
        )


def join_roster(rows: list[dict[str, Any]], roster: list[dict[str, str]]) -> list[dict[str, Any]]:
    """One row per roster student (progress blank when none came in), then exports that match nobody.

    An export matches a student by its ``student_id``, else by its profile name (a hub profile is the hub user).

    >>> rows = [{"profile": "ada", "student_id": "ada", "overall_percent": 40},
    ...         {"profile": "zed", "student_id": "", "overall_percent": 5}]
    >>> roster = [{"id": "ada", "first_name": "Ada", "last_name": "L", "email": ""},
    ...           {"id": "ben", "first_name": "Ben", "last_name": "B", "email": ""}]
    >>> [(r["student_id"], r["in_roster"], r["overall_percent"]) for r in join_roster(rows, roster)]
    [('ada', 'yes', 40), ('ben', 'yes', ''), ('', 'no', 5)]
    """
    columns = [key for row in rows[:1] for key in row if key not in ("student_id",)]
    by_id: dict[str, dict[str, Any]] = {}
    for row in rows:
        for key in (row.get("student_id") or "", row.get("profile") or ""):
            if key and key not in by_id:
                by_id[key] = row
    joined, used = [], set()
    for student in roster:
        match: dict[str, Any] | None = by_id.get(student["id"])
        if match is not None and id(match) in used:
            match = None
        if match is not None:
            used.add(id(match))
        progress = (
            {key: "" for key in columns} if match is None else {k: v for k, v in match.items() if k != "student_id"}
        )
        joined.append(
            {
                "student_id": student["id"],
                "first_name": student["first_name"],
                "last_name": student["last_name"],
                "in_roster": "yes",
                **progress,
            }
        )
    for match in rows:
        if id(match) not in used:
            joined.append(
                {
                    "student_id": match.get("student_id") or "",
                    "first_name": "",
                    "last_name": "",
                    "in_roster": "no",
                    **{k: v for k, v in match.items() if k != "student_id"},
                }
            )
    return joined
