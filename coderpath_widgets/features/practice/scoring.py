"""Score a learner's codes for one practice case and explain every near miss.

The rules follow AAPC Practicode-style practice:

* exactly one **first-listed** code, which must be the expected first-listed code;
* **additional** codes in any order;
* the score is the number of expected codes the answer contains (the first-listed code counts
  only in first position, an additional code counts wherever it appears) divided by the number
  of expected codes plus every code the answer should not have: a code the case does not call
  for, an invalid code, or a code typed twice (each code is reported once for an encounter,
  ICD-10-CM Official Guidelines I.B.12);
* the answer is correct only when the first-listed code is right and the additional codes are
  exactly the expected ones (nothing missing, nothing extra, nothing repeated);
* a case may accept **alternative** answers in place of its key (each scored like the key; the
  best match counts) and **optional** codes, which are neither required nor penalised;
* when the documentation does not support coding yet, the right answer is a **query** to the
  provider: type ``query`` as the first-listed code (the practice lab does this for you).

Codes may be typed with or without the dot and in any case; additional codes may be separated
by commas, semicolons or spaces. Text that is not written like a code ("hello", "E11.9.9") is
reported as a format problem naming the field, and nothing is scored.

>>> result = score_answer("E11.9", ["I10"], first_listed="e119", additional="i10")
>>> result.correct, result.score
(True, 1.0)
>>> result = score_answer("E11.9", ["I10"], first_listed="E11", additional="")
>>> result.score
0.0
>>> [f.verdict.value for f in result.feedback]
['not_specific', 'missing']
>>> print(result.feedback[0].message)
E11 is the right category but not specific enough: it is a header. Code to the highest level of specificity (E11.9).
>>> score_answer("E11.9", [], first_listed="hello").format_errors
("First-listed code: 'hello' is not written like an ICD-10-CM code (for example E11.9 or S52.521A).",)
>>> score_answer("E11.9", [], first_listed="E11.9", additional="J45.909").summary
'1 of 1 code right, 1 code not called for (50%).'
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from coderpath_widgets.icd import CodeDetails, IcdIndex, Level, compact, dotted, is_well_formed, shared_index

FIRST_LISTED = "First-listed code"
ADDITIONAL = "Additional codes"
_SEPARATORS = re.compile(r"[,;\s]+")
#: What a learner types as the first-listed code to answer "query the provider".
QUERY_ANSWER = "query"
#: The guideline a repeated code breaks.
ONCE_PER_ENCOUNTER = "ICD-10-CM Official Guidelines I.B.12, reporting the same diagnosis code more than once"


class Verdict(enum.Enum):
    """What one code in an answer (or one expected code) turned out to be."""

    CORRECT = "correct"
    WRONG_ORDER = "wrong_order"  # an expected code, in the other field
    NOT_SPECIFIC = "not_specific"  # a header above the expected code
    MISSING_SEVENTH = "missing_seventh"  # the expected code without its 7th character
    WRONG_SEVENTH = "wrong_seventh"  # the expected code with another 7th character
    PLACEHOLDER = "placeholder"  # the 7th character typed without its placeholder X
    SAME_CATEGORY = "same_category"  # another code in the expected code's category
    HEADER = "header"  # a header (not billable), unrelated to the expected codes
    INVALID = "invalid"  # written like a code but not in the code set
    EXTRA = "extra"  # a real code the case does not call for
    DUPLICATE = "duplicate"  # the same code typed twice: an error (I.B.12)
    MISSING = "missing"  # an expected code the answer does not have
    OPTIONAL = "optional"  # a code the case allows but does not require: no penalty
    QUERY = "query"  # the learner chose to query the provider, and a query is the right answer
    QUERY_NEEDED = "query_needed"  # the learner coded documentation that needs a query first
    QUERY_NOT_NEEDED = "query_not_needed"  # the learner queried documentation that supports coding


#: Verdicts for codes the answer should not have had; each lowers the score.
ERRORS = frozenset({Verdict.EXTRA, Verdict.HEADER, Verdict.INVALID, Verdict.DUPLICATE})


#: Verdicts that mean "close": the learner found the right neighbourhood.
NEAR_MISSES = frozenset(
    {
        Verdict.WRONG_ORDER,
        Verdict.NOT_SPECIFIC,
        Verdict.MISSING_SEVENTH,
        Verdict.WRONG_SEVENTH,
        Verdict.PLACEHOLDER,
        Verdict.SAME_CATEGORY,
    }
)


@dataclass(frozen=True)
class CodeFeedback:
    """Feedback on one code: one the learner typed, or one they missed."""

    field: str  # FIRST_LISTED or ADDITIONAL: where the code was typed (or belongs, if missing)
    given: str | None  # the learner's code in dotted form; None for a missing code
    expected: str | None  # the expected code it was compared with, if any
    verdict: Verdict
    message: str


@dataclass(frozen=True)
class PracticeResult:
    """The outcome of checking one answer."""

    correct: bool
    score: float  # 0.0–1.0: expected codes matched / (expected codes + codes the answer should not have)
    matched: int
    expected_count: int
    feedback: tuple[CodeFeedback, ...]
    format_errors: tuple[str, ...] = ()
    alternative: int | None = None  # which accepted alternative answer was matched (None: the key)
    query: bool = False  # the case's right answer is a query to the provider

    @property
    def errors(self) -> int:
        """How many codes the answer should not have had (not called for, invalid, repeated)."""
        return sum(f.verdict in ERRORS for f in self.feedback)

    @property
    def summary(self) -> str:
        """One line for the learner; it reads 100% only when the answer is correct.

        >>> PracticeResult(False, 0.5, 1, 2, ()).summary
        '1 of 2 codes right (50%).'
        """
        if self.format_errors:
            return "Fix the format of your answer first: " + " ".join(self.format_errors)
        if self.query:
            return (
                "Correct: this documentation needs a query to the provider before it can be coded."
                if self.correct
                else "Not yet: this documentation needs a query to the provider before it can be coded."
            )
        if self.correct:
            also = " (an accepted alternative answer)" if self.alternative is not None else ""
            return f"Correct: all {self.expected_count} code{'s' if self.expected_count != 1 else ''} right{also}."
        if any(f.verdict is Verdict.QUERY_NOT_NEEDED for f in self.feedback):
            return "Not yet: the documentation supports coding, so no query is needed (0%)."
        noun = "code" if self.expected_count == 1 else "codes"
        parts = [f"{self.matched} of {self.expected_count} {noun} right"]
        repeated = sum(f.verdict is Verdict.DUPLICATE for f in self.feedback)
        if self.errors - repeated:
            count = self.errors - repeated
            parts.append(f"{count} code{'s' if count != 1 else ''} not called for")
        if repeated:
            parts.append(f"{repeated} code{'s' if repeated != 1 else ''} repeated")
        percent = min(math.floor(self.score * 100), 99)  # never 100% for an answer that is not right
        return f"{', '.join(parts)} ({percent}%)."


class AnswerFormatError(ValueError):
    """Text in an answer field that is not written like ICD-10-CM codes."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


# ---------------------------------------------------------------- reading the fields


def parse_codes(text: str | Iterable[str] | None, field: str = ADDITIONAL) -> list[str]:
    """The codes in a field as typed, in dotted upper-case form; raises :class:`AnswerFormatError`.

    >>> parse_codes("e119, i10;Z79.4  z7984")
    ['E11.9', 'I10', 'Z79.4', 'Z79.84']
    >>> parse_codes("")
    []
    >>> try:
    ...     parse_codes("E11.9.9 hello", "Additional codes")
    ... except AnswerFormatError as error:
    ...     print(str(error).replace(". ", ".\\n"))
    Additional codes: 'E11.9.9' is not written like an ICD-10-CM code (for example E11.9 or S52.521A).
    Additional codes: 'hello' is not written like an ICD-10-CM code (for example E11.9 or S52.521A).
    """
    if text is None:
        return []
    pieces = _SEPARATORS.split(text) if isinstance(text, str) else [p for t in text for p in _SEPARATORS.split(t)]
    pieces = [p for p in pieces if p]
    problems = [
        f"{field}: '{_short(p)}' is not written like an ICD-10-CM code (for example E11.9 or S52.521A)."
        for p in pieces
        if not is_well_formed(p)
    ]
    if problems:
        raise AnswerFormatError(problems)
    return [dotted(p) for p in pieces]


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- scoring


def score_answer(
    expected_first: str | None,
    expected_additional: Iterable[str],
    first_listed: str | None,
    additional: str | Iterable[str] | None = "",
    index: IcdIndex | None = None,
    *,
    alternatives: Iterable[Sequence[str]] = (),
    optional: Iterable[str] = (),
    query_expected: bool = False,
) -> PracticeResult:
    """Check a learner's first-listed and additional codes against a case's expected codes.

    ``expected_*`` come from the case data and must be codes in the code set (``ValueError``
    otherwise). ``first_listed`` and ``additional`` are the learner's fields as typed; format
    problems come back in ``format_errors`` rather than raising. ``alternatives`` are other
    complete answers (first-listed code first) accepted in place of the key; ``optional`` codes may
    be added without penalty. With ``query_expected`` the right answer is :data:`QUERY_ANSWER`.
    """
    codes = index if index is not None else shared_index()
    if (first_listed or "").strip().lower() == QUERY_ANSWER or query_expected:
        return _score_query(expected_first, expected_additional, first_listed, additional, codes, query_expected)
    if expected_first is None:
        raise ValueError("a case without a first-listed code must be a query case")
    keys = [(_expected(expected_first, codes), list(expected_additional))]
    for alternative in alternatives:
        if not alternative:
            raise ValueError("an alternative answer needs at least one code")
        keys.append((_expected(alternative[0], codes), list(alternative[1:])))
    allowed = {_expected(c, codes) for c in (optional.keys() if isinstance(optional, Mapping) else optional)}
    expected_first_code, expected_more = _key(*keys[0], codes)
    expected_count = 1 + len(expected_more)

    problems: list[str] = []
    try:
        given_first = parse_codes(first_listed, FIRST_LISTED)
        if len(given_first) != 1:
            problems.append(
                f"{FIRST_LISTED}: enter exactly one code"
                + ("; put the others under Additional codes." if given_first else ".")
            )
    except AnswerFormatError as exc:
        problems.extend(exc.problems)
    try:
        given_more = parse_codes(additional, ADDITIONAL)
    except AnswerFormatError as exc:
        problems.extend(exc.problems)
    if problems:
        return PracticeResult(False, 0.0, 0, expected_count, (), tuple(problems))
    best: PracticeResult | None = None
    for number, key in enumerate(keys):
        first, more = _key(*key, codes)
        result = _score(first, more, given_first[0], given_more, codes, allowed - {first, *more})
        if number:
            result = PracticeResult(
                result.correct,
                result.score,
                result.matched,
                result.expected_count,
                result.feedback,
                alternative=number - 1,
            )
        if best is None or (result.correct, result.score) > (best.correct, best.score):
            best = result
    assert best is not None
    return best


def _key(first: str, more: Iterable[str], codes: IcdIndex) -> tuple[str, list[str]]:
    first_code = _expected(first, codes)
    return first_code, [c for c in dict.fromkeys(_expected(c, codes) for c in more) if c != first_code]


def _score_query(
    expected_first: str | None,
    expected_additional: Iterable[str],
    first_listed: str | None,
    additional: str | Iterable[str] | None,
    codes: IcdIndex,
    query_expected: bool,
) -> PracticeResult:
    """Score an answer when the case needs a query, or when the learner answered with one."""
    queried = (first_listed or "").strip().lower() == QUERY_ANSWER
    extra = additional if isinstance(additional, str) else " ".join(additional or ())
    if query_expected:
        if queried and not extra.strip():
            message = "Right: the documentation does not support a code yet, so the provider is queried first."
            return PracticeResult(
                True, 1.0, 1, 1, (CodeFeedback(FIRST_LISTED, None, None, Verdict.QUERY, message),), query=True
            )
        message = (
            "Codes cannot be assigned from this documentation yet: it is conflicting, incomplete or unclear. "
            "Query the provider first (choose 'Query the provider')."
        )
        return PracticeResult(
            False, 0.0, 0, 1, (CodeFeedback(FIRST_LISTED, None, None, Verdict.QUERY_NEEDED, message),), query=True
        )
    if expected_first is None:
        raise ValueError("a case without a first-listed code must be a query case")
    first_code, more = _key(expected_first, expected_additional, codes)
    feedback = [
        CodeFeedback(
            FIRST_LISTED,
            None,
            None,
            Verdict.QUERY_NOT_NEEDED,
            "The documentation supports coding as it stands: no query is needed. Code the case.",
        )
    ]
    feedback += [
        CodeFeedback(
            FIRST_LISTED,
            None,
            first_code,
            Verdict.MISSING,
            f"The first-listed code is missing: {first_code} ({_description(first_code, codes)}).",
        )
    ]
    feedback += [
        CodeFeedback(ADDITIONAL, None, c, Verdict.MISSING, f"Missing additional code: {c} ({_description(c, codes)}).")
        for c in more
    ]
    return PracticeResult(False, 0.0, 0, 1 + len(more), tuple(feedback))


def _expected(code: str, codes: IcdIndex) -> str:
    canonical = codes.normalize(code)
    if canonical is None:
        raise ValueError(f"the expected code '{code}' is not in the code set; check the case data")
    return canonical


def _score(
    expected_first: str,
    expected_more: list[str],
    given_first: str,
    given_more: list[str],
    codes: IcdIndex,
    optional: frozenset[str] | set[str] = frozenset(),
) -> PracticeResult:
    slots: list[tuple[str, str]] = [(FIRST_LISTED, given_first)]
    duplicates: list[CodeFeedback] = []
    allowed: list[CodeFeedback] = []
    seen = {compact(given_first)}
    for code in given_more:
        if compact(code) in seen:
            duplicates.append(
                CodeFeedback(
                    ADDITIONAL,
                    code,
                    None,
                    Verdict.DUPLICATE,
                    f"{code} is listed more than once: each code is reported only once for an encounter "
                    f"({ONCE_PER_ENCOUNTER}). Remove the repeat.",
                )
            )
            continue
        seen.add(compact(code))
        canonical = codes.normalize(code)
        if canonical is not None and canonical in optional:
            allowed.append(
                CodeFeedback(
                    ADDITIONAL,
                    canonical,
                    None,
                    Verdict.OPTIONAL,
                    f"{canonical} ({_description(canonical, codes)}) may be reported here but is not required: "
                    "no points either way.",
                )
            )
            continue
        slots.append((ADDITIONAL, code))

    feedback: dict[int, CodeFeedback] = {}  # slot number → feedback
    unmatched = {expected_first: FIRST_LISTED, **{c: ADDITIONAL for c in expected_more}}
    matched = 0

    # 1. Exact codes, then expected codes typed in the other field.
    for number, (field, code) in enumerate(slots):
        target = codes.normalize(code)
        if target is None or target not in unmatched:
            continue
        if unmatched[target] == field:
            feedback[number] = CodeFeedback(field, target, target, Verdict.CORRECT, _correct_message(field, target))
            matched += 1
        elif field == FIRST_LISTED:  # an additional code typed as first-listed: it still counts
            feedback[number] = CodeFeedback(
                field,
                target,
                target,
                Verdict.WRONG_ORDER,
                f"{target} is one of the codes, but it is an additional code here, not the first-listed "
                f"code. The first-listed code is the main reason for the encounter ({expected_first}).",
            )
            matched += 1
        else:
            feedback[number] = CodeFeedback(
                field,
                target,
                target,
                Verdict.WRONG_ORDER,
                f"{target} is the first-listed code for this case: put it in the first-listed field, "
                "not among the additional codes.",
            )
        del unmatched[target]

    # 2. Near misses: each remaining code against the closest remaining expected code.
    for number, (field, code) in enumerate(slots):
        if number in feedback:
            continue
        targets = sorted(unmatched, key=lambda t: (unmatched[t] != field, t))
        best: tuple[str, tuple[Verdict, str]] | None = None
        for target in targets:
            miss = _near_miss(code, target, codes)
            if miss is not None and (best is None or _STRENGTH[miss[0]] < _STRENGTH[best[1][0]]):
                best = (target, miss)
        if best is not None:
            target, (kind, message) = best
            feedback[number] = CodeFeedback(field, code, target, kind, message)
            del unmatched[target]
        else:
            feedback[number] = _unrelated(field, code, codes)

    # 3. Expected codes nobody came close to.
    missing = [
        CodeFeedback(
            field,
            None,
            target,
            Verdict.MISSING,
            (
                f"The first-listed code is missing: {target} ({_description(target, codes)})."
                if field == FIRST_LISTED
                else f"Missing additional code: {target} ({_description(target, codes)})."
            ),
        )
        for target, field in unmatched.items()
    ]

    ordered = [feedback[n] for n in sorted(feedback)] + allowed + duplicates + missing
    given_codes = {codes.normalize(code) or code for _, code in slots}
    correct = (
        codes.normalize(given_first) == expected_first
        and given_codes - {expected_first} == set(expected_more)
        and not duplicates
    )
    expected_count = 1 + len(expected_more)
    errors = sum(f.verdict in ERRORS for f in ordered)
    return PracticeResult(correct, matched / (expected_count + errors), matched, expected_count, tuple(ordered))


_STRENGTH = {
    Verdict.MISSING_SEVENTH: 0,
    Verdict.WRONG_SEVENTH: 0,
    Verdict.PLACEHOLDER: 0,
    Verdict.NOT_SPECIFIC: 1,
    Verdict.SAME_CATEGORY: 2,
}


def _correct_message(field: str, code: str) -> str:
    return f"{code} is the right first-listed code." if field == FIRST_LISTED else f"{code} is right."


def _description(code: str, codes: IcdIndex) -> str:
    return codes.details(code).description


def _near_miss(given: str, target: str, codes: IcdIndex) -> tuple[Verdict, str] | None:
    """How ``given`` relates to the expected ``target``, if it is close; ``None`` otherwise."""
    given_key, target_key = compact(given), compact(target)
    canonical = codes.normalize(given)
    target_details = codes.details(target)
    base = _seventh_base(target_details)

    if canonical is None:
        if (
            len(given_key) < len(target_key) == 7
            and given_key[:3] == target_key[:3]
            and given_key[3:].replace("X", "") == target_key[3:].replace("X", "")
        ):
            return Verdict.PLACEHOLDER, (
                f"{given} is not a code: a 7th character must sit in the 7th place, so fill the empty "
                f"places with the placeholder X ({target})."
            )
        if base is not None and len(given_key) == 7 and given_key[:6] == target_key[:6]:
            valid = ", ".join(v.character for v in codes.details(base.code).seventh_characters)
            return Verdict.WRONG_SEVENTH, (
                f"{given} is not a code: {given_key[-1]} is not a 7th character for {base.code} "
                f"(valid: {valid}). The right 7th character here is {target[-1]} "
                f"({target_details.seventh_character.meaning if target_details.seventh_character else ''})."
            )
        return None

    canonical_key = compact(canonical)
    if base is not None and canonical == base.code:
        meaning = target_details.seventh_character.meaning if target_details.seventh_character else ""
        return Verdict.MISSING_SEVENTH, (
            f"{canonical} needs a 7th character to be billable. This encounter calls for "
            f"{target[-1]} ({meaning}): {target}."
        )
    if base is not None and codes.details(canonical).kind == "extension" and canonical_key[:-1] == target_key[:-1]:
        given_meaning = codes.details(canonical).seventh_character
        return Verdict.WRONG_SEVENTH, (
            f"{canonical} has the right code but the wrong 7th character: "
            f"{canonical[-1]} means '{given_meaning.meaning if given_meaning else '?'}', this encounter calls for "
            f"{target[-1]} ('{target_details.seventh_character.meaning if target_details.seventh_character else ''}')."
        )
    if target_key.startswith(canonical_key) and canonical_key != target_key:
        return Verdict.NOT_SPECIFIC, (
            f"{canonical} is the right category but not specific enough: it is a header. "
            f"Code to the highest level of specificity ({target})."
        )
    if canonical_key[:3] == target_key[:3]:
        header = "" if codes.is_billable(canonical) else " (and it is a header, not billable)"
        return Verdict.SAME_CATEGORY, (
            f"{canonical} is in the right category ({target[:3]}) but is a different code{header}: "
            f"{canonical} is '{codes.details(canonical).description}'; the case calls for {target}."
        )
    return None


def _seventh_base(details: CodeDetails) -> Level | None:
    """The base code of a code that ends in a 7th character (S52.521 for S52.521A)."""
    return details.hierarchy[-2] if details.kind == "extension" else None


def _unrelated(field: str, code: str, codes: IcdIndex) -> CodeFeedback:
    canonical = codes.normalize(code)
    if canonical is None:
        return CodeFeedback(
            field,
            code,
            None,
            Verdict.INVALID,
            f"{code} is not a code in ICD-10-CM {codes.release.name}: check it in the code lookup.",
        )
    if not codes.is_billable(canonical):
        details = codes.details(canonical)
        what = "needs a 7th character" if details.needs_seventh_character else "is a header (not billable)"
        return CodeFeedback(
            field,
            canonical,
            None,
            Verdict.HEADER,
            f"{canonical} {what}, so it cannot be reported as is; and it is not near any code this case calls for.",
        )
    if field == FIRST_LISTED:
        message = f"{canonical} ({codes.details(canonical).description}) is not the first-listed code for this case."
    else:
        message = f"{canonical} ({codes.details(canonical).description}) is not called for by this case."
    return CodeFeedback(field, canonical, None, Verdict.EXTRA, message)
