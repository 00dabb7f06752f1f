"""The shipped practice cases (data/practice_cases.csv) agree with the ICD-10-CM code set.

Every code (key, accepted alternatives, optional codes) must be a valid, billable (leaf) code in the
simple-icd-10-cm release the project pins, and each case's chapter is the chapter of its first-listed
code. Record-based cases carry a document type and a setting, inpatient ones a POA indicator for
every code, query cases a model query and no codes, and their guideline citations come from the
sections checked against the FY2026 guideline text. Each test reports every offending case at once,
so one run shows the whole list to fix.
"""

from __future__ import annotations

import re

import pytest
import simple_icd_10_cm as cm  # slow to import (~2 s): import once, here

from coderpath_widgets.content.loaders import load
from coderpath_widgets.content.models import POA_INDICATORS, EncounterSetting, PracticeCase

MIN_CASES = 120
MIN_CHAPTERS = 18
MIN_RECORD_CASES = 40
MIN_QUERY_CASES = 5
#: FY2026 guideline sections a record-based case may cite by number: each was checked against text
#: quoting the FY2026 guidelines (see the issue-12 report). Anything else is cited by its title.
VERIFIED_SECTIONS = {
    "I.B",
    "I.C",
    "I.B.2",
    "I.B.4",
    "I.B.5",
    "I.B.6",
    "I.B.16",
    "I.C.1.a.2.b",
    "I.C.1.a.2.e",
    "I.C.1.d.4",
    "I.C.2",
    "I.C.4",
    "I.C.5",
    "I.C.9.a.1",
    "I.C.9.a.2",
    "I.C.19",
    "I.C.20",
    "I.C.21",
    "II.H",
    "III.C",
    "IV.H",
}
_SECTION = re.compile(r"\b(?:I|II|III|IV)\.[A-Z0-9](?:\.[A-Za-z0-9]+)*")


@pytest.fixture(scope="module")
def cases() -> list[PracticeCase]:
    return load("practice_cases")


def chapter_of(code: str) -> int:
    """The ICD-10-CM chapter number (1-22) that contains ``code``."""
    return int(next(item for item in cm.get_ancestors(code) if cm.is_chapter(item)))


def all_codes(case: PracticeCase) -> list[str]:
    """The key's codes, then every alternative's and optional code (a query case has none of its own)."""
    return [*case.codes, *(c for codes, _ in case.alternatives for c in codes), *case.optional]


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
        if case.first_listed and cm.is_valid_item(case.first_listed) and chapter_of(case.first_listed) != case.chapter
    ]
    assert not problems, "\n".join(problems)


def test_no_code_is_repeated_within_a_case(cases):
    problems = []
    for case in cases:
        codes = list(case.codes)
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            problems.append(f"{case.id}: {', '.join(repeated)} listed more than once")
    assert not problems, "\n".join(problems)


def test_there_are_enough_record_based_and_query_cases(cases):
    records = [c for c in cases if c.is_record]
    assert len(records) >= MIN_RECORD_CASES, f"only {len(records)} record-based cases"
    assert len([c for c in records if c.is_query]) >= MIN_QUERY_CASES
    assert {c.setting for c in records} == set(EncounterSetting), "both settings are practised"
    assert len({c.document_type for c in records}) == 5, "every document type is practised"


def test_record_cases_have_a_setting_and_inpatient_codes_a_poa_indicator(cases):
    problems = []
    for case in cases:
        if case.is_record and case.setting is None:
            problems.append(f"{case.id}: a record-based case needs a setting")
        poa = case.poa_indicators
        for code, indicator in poa.items():
            if indicator not in POA_INDICATORS:
                problems.append(f"{case.id}: POA '{indicator}' for {code} is not one of {', '.join(POA_INDICATORS)}")
        if case.setting is EncounterSetting.INPATIENT and not case.is_query:
            needed = set(case.codes) | {c for codes, _ in case.alternatives for c in codes}
            missing = sorted(needed - set(poa))
            if missing:
                problems.append(f"{case.id}: inpatient codes without a POA indicator: {', '.join(missing)}")
        if poa and case.setting is not EncounterSetting.INPATIENT:
            problems.append(f"{case.id}: POA indicators are for inpatient cases only")
        if set(poa) - set(case.codes) - {c for codes, _ in case.alternatives for c in codes}:
            problems.append(f"{case.id}: POA given for a code the case does not expect")
    assert not problems, "\n".join(problems)


def test_query_cases_have_a_model_query_and_no_codes(cases):
    problems = []
    for case in cases:
        if case.first_listed is None and not case.is_query:
            problems.append(f"{case.id}: no first-listed code and no query")
        if case.is_query and (case.codes or case.alternatives or case.optional):
            problems.append(f"{case.id}: a query case expects no codes")
        if case.is_query and len(case.query) < 80:
            problems.append(f"{case.id}: the model query is too short to be a compliant query")
    assert not problems, "\n".join(problems)


def test_alternatives_and_optional_codes_have_a_rationale(cases):
    problems = []
    for case in cases:
        for codes, why in case.alternatives:
            if len(why) < 20:
                problems.append(f"{case.id}: alternative {' '.join(codes)} needs a rationale after ': '")
            if tuple(codes) == tuple(case.codes):
                problems.append(f"{case.id}: alternative {' '.join(codes)} repeats the key")
        for code, why in case.optional.items():
            if len(why) < 20:
                problems.append(f"{case.id}: optional {code} needs a rationale after ': '")
            if code in case.codes:
                problems.append(f"{case.id}: optional {code} is also in the key")
    assert not problems, "\n".join(problems)


def test_record_cases_cite_only_verified_guideline_sections(cases):
    problems = [
        f"{case.id}: cites {section}, which was not checked against the FY2026 text; cite it by title"
        for case in cases
        if case.is_record
        for section in _SECTION.findall(f"{case.guideline} {case.rationale}")
        if section not in VERIFIED_SECTIONS
    ]
    assert not problems, "\n".join(problems)
