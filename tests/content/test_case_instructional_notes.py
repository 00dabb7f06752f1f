"""Every practice case obeys the tabular list's instructional notes for the codes it expects.

For each case, each answer it accepts (the key and every alternative) is checked code by code
against what the ICD-10-CM tabular list says about that code (through the ``coderpath_widgets.icd``
facade, notes inherited from the category, block and chapter included):

* **use additional code**, **code first**, **code also**: each note group (the notes written at one
  level of the tabular list) is satisfied when one of the codes it names is among the case's codes;
* **Excludes1**: no two of the case's codes exclude each other;
* **7th character**: the encounter the 7th character names (initial, subsequent, sequela; open or
  closed fracture) agrees with what the note says;
* **laterality**: a code that names a side (right, left, bilateral) agrees with the side the note
  documents, and an "unspecified side" code is not used when the note documents one.

A note that does not apply is *waived in the row*: ``note_waivers`` holds ``CODE:KIND: reason``
(KIND is one of :data:`KINDS`). A waiver needs a reason, and a waiver that waives nothing fails,
so waivers cannot go stale. Each test lists every problem at once.
"""

from __future__ import annotations

import functools
import re

import pytest

from coderpath_widgets import icd
from coderpath_widgets.content.loaders import load
from coderpath_widgets.content.models import PracticeCase

pytestmark = pytest.mark.usefixtures("icd_home_env")

KINDS = ("use_additional", "code_first", "code_also", "excludes1", "seventh", "laterality")
NOTE_FIELDS = {"use_additional": "use_additional_code", "code_first": "code_first", "code_also": "code_also"}

#: A code or a code range as the tabular list writes it in notes: Z79.4, F17.-, Z91.12-, I10-I1A, O09-O60.
_CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
_REFERENCE = re.compile(rf"\b({_CODE})(?:\s*-\s*({_CODE})|-)?")
_CATEGORY = re.compile(r"\bcategor(?:y|ies)\s+([A-Z][0-9][0-9A-Z])((?:\s*(?:,|or|and)\s*[A-Z][0-9][0-9A-Z])*)")
_FOLLOW_UP = re.compile(
    r"follow-?up|subsequent|healing|recheck|\breturns\b|sutures? (?:are )?removed|cast check|weeks? after|routine care",
    re.I,
)
_SEQUELA = re.compile(r"sequela|late effect|residual|scar|years? after|months? after", re.I)
_NOT_A_SIDE = r"(?!\s+(?:ventric|bundle|atri|heart|sided heart))"  # left ventricular failure names no body side
_SIDES = {
    "right": re.compile(r"\bright\b" + _NOT_A_SIDE, re.I),
    "left": re.compile(r"\bleft\b" + _NOT_A_SIDE, re.I),
    "bilateral": re.compile(r"\bbilateral|\bboth\b", re.I),
}
_UNSPECIFIED_SIDE = re.compile(
    r"unspecified (?:side|eye|ear|arm|leg|hand|foot|kidney|lung|breast|ovary|fallopian tube|knee|hip|shoulder|"
    r"elbow|wrist|ankle|upper limb|lower limb|thigh|lower leg|forearm|upper arm|finger|toe|orbit|eyelid)",
    re.I,
)


@functools.cache
def _details(code: str) -> icd.CodeDetails:
    return icd.details(code)


@pytest.fixture(scope="module")
def cases() -> list[PracticeCase]:
    return load("practice_cases")


def references(text: str) -> list[tuple[str, str]]:
    """The codes and ranges a note names, each as (low, high) in compact form.

    >>> references("tobacco dependence (F17.-)"), references("obstetric condition (O09-O60, O80-O82)")
    ([('F17', 'F17')], [('O09', 'O60'), ('O80', 'O82')])
    >>> references("code from category T31 or T32 to identify extent")
    [('T31', 'T31'), ('T32', 'T32')]
    """
    found = [(icd.compact(low), icd.compact(high or low)) for low, high in _REFERENCE.findall(text)]
    for first, more in _CATEGORY.findall(text):
        for code in [first, *re.findall(r"[A-Z][0-9][0-9A-Z]", more)]:
            if (code, code) not in found:
                found.append((code, code))
    return found


def covers(reference: tuple[str, str], code: str) -> bool:
    """True when ``code`` falls in the referenced code or range (a prefix or between the ends)."""
    low, high = reference
    key = icd.compact(code)
    return key[: len(low)] >= low and key[: len(high)] <= high


def answers(case: PracticeCase) -> list[tuple[str, tuple[str, ...]]]:
    """Every accepted answer of a case: the key, then each alternative."""
    out = [("key", case.codes)] if case.codes else []
    return out + [(f"alternative {n + 1}", codes) for n, (codes, _) in enumerate(case.alternatives)]


def note_problems(case: PracticeCase, codes: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(code, kind, what is wrong) for every instructional note the codes do not satisfy."""
    problems: list[tuple[str, str, str]] = []
    note = case.note
    for code in codes:
        details = _details(code)
        others = [c for c in codes if c != code]
        for kind, attribute in NOTE_FIELDS.items():
            groups: dict[str, list[str]] = {}
            for item in getattr(details, attribute):
                groups.setdefault(item.source, []).append(item.text)
            for source, texts in groups.items():
                named = [r for t in texts for r in references(t)]
                if not any(covers(r, other) for r in named for other in others):
                    problems.append((code, kind, f"{source}: {' '.join(texts)}"))
        for item in details.excludes1:
            clash = [other for other in others for r in references(item.text) if covers(r, other)]
            if clash:
                problems.append((code, "excludes1", f"Excludes1 {item.text} ({', '.join(sorted(set(clash)))})"))
        seventh = details.seventh_character
        if seventh is not None:
            meaning = seventh.meaning.lower()
            if "subsequent" in meaning and not _FOLLOW_UP.search(note):
                problems.append((code, "seventh", f"'{seventh.meaning}' but the note describes no follow-up"))
            if "sequela" in meaning and not _SEQUELA.search(note):
                problems.append((code, "seventh", f"'{seventh.meaning}' but the note describes no sequela"))
            if "initial" in meaning and _FOLLOW_UP.search(note):
                problems.append((code, "seventh", f"'{seventh.meaning}' but the note reads like a follow-up"))
            if "open fracture" in meaning and not re.search(r"\bopen\b", note, re.I):
                problems.append((code, "seventh", f"'{seventh.meaning}' but the note does not say open"))
            if "closed fracture" in meaning and re.search(r"\bopen fracture", note, re.I):
                problems.append((code, "seventh", f"'{seventh.meaning}' but the note documents an open fracture"))
        description = details.description
        said = {side for side, pattern in _SIDES.items() if pattern.search(note)}
        named_sides = {side for side, pattern in _SIDES.items() if pattern.search(description)}
        if named_sides - said:
            problems.append(
                (
                    code,
                    "laterality",
                    f"'{description}' names {'/'.join(sorted(named_sides))}; "
                    f"the note says {'/'.join(sorted(said)) or 'no side'}",
                )
            )
        if _UNSPECIFIED_SIDE.search(description) and said:
            problems.append((code, "laterality", f"'{description}' but the note documents {'/'.join(sorted(said))}"))
    return problems


def test_every_case_satisfies_or_waives_each_instructional_note(cases):
    problems = []
    for case in cases:
        waivers = case.waivers
        used: set[tuple[str, str]] = set()
        for label, codes in answers(case):
            for code, kind, what in note_problems(case, codes):
                if (code, kind) in waivers:
                    used.add((code, kind))
                else:
                    problems.append(f"{case.id} ({label}) {code}:{kind}: {what}")
        for key in sorted(set(waivers) - used):
            problems.append(f"{case.id}: waiver {key[0]}:{key[1]} waives nothing; remove it")
    assert not problems, f"{len(problems)} unsatisfied notes:\n" + "\n".join(problems)


def test_waivers_are_well_formed(cases):
    problems = []
    for case in cases:
        for item in case.note_waivers:
            code, _, rest = item.partition(":")
            kind, _, reason = rest.partition(":")
            if kind.strip() not in KINDS:
                problems.append(f"{case.id}: '{item[:40]}': kind must be one of {', '.join(KINDS)}")
            if len(reason.strip()) < 15:
                problems.append(f"{case.id}: '{item[:40]}': write the reason the note does not apply")
            if code.strip() not in {c for _, codes in answers(case) for c in codes}:
                problems.append(f"{case.id}: '{item[:40]}': {code.strip()} is not one of the case's codes")
    assert not problems, "\n".join(problems)


def test_the_checks_catch_what_they_are_for():
    """The checks fail on the mistakes they exist for (case-021 before its fix, among others)."""
    from coderpath_widgets.content.models import Difficulty
    from coderpath_widgets.content.values import AsOf

    def case(note: str, *codes: str) -> PracticeCase:
        return PracticeCase("t", 1, Difficulty.EASY, "t", note, codes[0], codes[1:], "r", "g", "s", AsOf("2026"))

    kinds = lambda c: {(code, kind) for code, kind, _ in note_problems(c, c.codes)}  # noqa: E731
    assert ("D57.01", "use_additional") in kinds(
        case("Sickle cell crisis with acute chest syndrome and fever.", "D57.01")
    )
    assert ("D57.01", "use_additional") not in kinds(case("Acute chest syndrome, fever.", "D57.01", "R50.81"))
    assert ("R65.21", "code_first") in kinds(case("Septic shock.", "R65.21"))
    assert ("R75", "excludes1") in kinds(case("HIV.", "B20", "R75"))
    assert ("H40.1111", "laterality") in kinds(case("Glaucoma of the left eye.", "H40.1111"))
    assert ("S52.501A", "seventh") in kinds(case("Follow-up visit for a healing radius fracture, right.", "S52.501A"))
