"""The shipped practice cases (data/practice_cases.csv) agree with the ICD-10-CM code set.

Every code must be a valid, billable (leaf) code in the simple-icd-10-cm release the project pins,
and each case's chapter is the chapter of its first-listed code. Each test reports every offending
case at once, so one run shows the whole list to fix.
"""

from __future__ import annotations

import pytest
import simple_icd_10_cm as cm  # slow to import (~2 s): import once, here

from coderpath_widgets.content.loaders import load
from coderpath_widgets.content.models import PracticeCase

MIN_CASES = 120
MIN_CHAPTERS = 18


@pytest.fixture(scope="module")
def cases() -> list[PracticeCase]:
    return load("practice_cases")


def chapter_of(code: str) -> int:
    """The ICD-10-CM chapter number (1-22) that contains ``code``."""
    return int(next(item for item in cm.get_ancestors(code) if cm.is_chapter(item)))


def all_codes(case: PracticeCase) -> list[str]:
    return [case.first_listed, *case.additional]


def test_there_are_enough_cases(cases):
    assert len(cases) >= MIN_CASES


def test_cases_span_enough_chapters(cases):
    chapters = {case.chapter for case in cases}
    assert len(chapters) >= MIN_CHAPTERS, f"only chapters {sorted(chapters)}"


def test_ids_are_unique(cases):
    ids = [case.id for case in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"


def test_every_code_is_valid_and_billable(cases):
    problems = []
    for case in cases:
        for code in all_codes(case):
            if not cm.is_valid_item(code):
                problems.append(f"{case.id}: {code} is not an ICD-10-CM code")
            elif not cm.is_leaf(code):
                problems.append(f"{case.id}: {code} is not billable (it has subdivisions)")
    assert not problems, "\n".join(problems)


def test_codes_are_written_with_the_dot(cases):
    problems = [
        f"{case.id}: write {code} as {cm.add_dot(code)}"
        for case in cases
        for code in all_codes(case)
        if cm.is_valid_item(code) and cm.add_dot(code) != code
    ]
    assert not problems, "\n".join(problems)


def test_chapter_is_the_chapter_of_the_first_listed_code(cases):
    problems = [
        f"{case.id}: chapter is {case.chapter} but {case.first_listed} is in chapter {chapter_of(case.first_listed)}"
        for case in cases
        if cm.is_valid_item(case.first_listed) and chapter_of(case.first_listed) != case.chapter
    ]
    assert not problems, "\n".join(problems)


def test_no_code_is_repeated_within_a_case(cases):
    problems = []
    for case in cases:
        codes = all_codes(case)
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            problems.append(f"{case.id}: {', '.join(repeated)} listed more than once")
    assert not problems, "\n".join(problems)
