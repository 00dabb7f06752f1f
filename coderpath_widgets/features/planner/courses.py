"""Which courses a plan holds and in which order: a program's courses for a credential, prerequisites first."""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heapify, heappop, heappush

from coderpath_widgets.content.dataset import Dataset
from coderpath_widgets.content.models import Course
from coderpath_widgets.content.validation import find_cycle


class PlanError(ValueError):
    """A plan cannot be made; the message says why in plain words and what to change."""


# ---------------------------------------------------------------- which courses, in which order


def courses_for(program_id: str, credential_id: str | None, dataset: Dataset) -> list[Course]:
    """The courses of a program type needed for a credential, plus all their prerequisites, in CSV order.

    A course belongs to the program types listed in its ``programs``; an empty ``credentials`` means it is
    needed for every credential. ``credential_id`` None or "" takes every course of the program type.
    """
    programs = {p.id for p in dataset.programs}
    if program_id not in programs:
        raise PlanError(f"'{program_id}' is not a program type in programs.csv.")
    if credential_id and credential_id not in {c.id for c in dataset.certifications}:
        raise PlanError(f"'{credential_id}' is not a credential in certifications.csv.")
    by_id = {c.id: c for c in dataset.courses}
    wanted = {
        c.id
        for c in dataset.courses
        if program_id in c.programs and (not credential_id or not c.credentials or credential_id in c.credentials)
    }
    todo = list(wanted)
    while todo:
        course = by_id[todo.pop()]
        for prerequisite in course.prerequisites:
            if prerequisite not in by_id:
                raise PlanError(
                    f"'{course.name}' lists the prerequisite '{prerequisite}', which is not a course in courses.csv."
                )
            if prerequisite not in wanted:
                wanted.add(prerequisite)
                todo.append(prerequisite)
    return [c for c in dataset.courses if c.id in wanted]


def order_courses(courses: Sequence[Course]) -> list[Course]:
    """The courses in prerequisite order (Kahn's algorithm); ties keep the given (CSV) order.

    Prerequisites that are not among ``courses`` count as already done. A cycle raises :class:`PlanError`
    naming it, e.g. "Medical Coding I → ICD-10-CM → Medical Coding I".
    """
    position: dict[str, int] = {}
    for index, course in enumerate(courses):
        if course.id in position:
            raise PlanError(f"The course '{course.id}' is listed twice; each course can be planned once.")
        position[course.id] = index
    waiting = {c.id: {p for p in c.prerequisites if p in position} for c in courses}
    unlocks: dict[str, list[str]] = {c.id: [] for c in courses}
    for course_id, prerequisites in waiting.items():
        for prerequisite in prerequisites:
            unlocks[prerequisite].append(course_id)
    ready = [position[c.id] for c in courses if not waiting[c.id]]
    heapify(ready)
    ordered: list[Course] = []
    while ready:
        course = courses[heappop(ready)]
        ordered.append(course)
        for follower in unlocks[course.id]:
            waiting[follower].discard(course.id)
            if not waiting[follower]:
                heappush(ready, position[follower])
    if len(ordered) < len(courses):
        stuck = {c.id: tuple(sorted(waiting[c.id])) for c in courses if waiting[c.id]}
        loop = (find_cycle(stuck) or [*sorted(stuck), min(stuck)])[:-1]
        first = min(range(len(loop)), key=lambda n: position[loop[n]])  # start where the CSV lists it first
        loop = loop[first:] + loop[:first]
        names = {c.id: c.name for c in courses}
        path = " → ".join(names[i] for i in [*loop, loop[0]])
        raise PlanError(
            f"These courses are each other's prerequisites, so no order can work: {path} "
            "(each one needs the next). Fix the prerequisites column of courses.csv."
        )
    return ordered
