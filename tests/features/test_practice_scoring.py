"""Scoring a learner's codes for a practice case: near misses, errors, alternatives, optional codes, queries."""

from __future__ import annotations

import pytest

from coderpath_widgets.features.practice import scoring as practice_scoring
from coderpath_widgets.features.practice.scoring import (
    ADDITIONAL,
    FIRST_LISTED,
    AnswerFormatError,
    PracticeResult,
    Verdict,
    parse_codes,
    score_answer,
)

pytestmark = pytest.mark.usefixtures("icd_home_env")


def verdicts(result: PracticeResult) -> list[tuple[str | None, Verdict]]:
    return [(f.given or f.expected, f.verdict) for f in result.feedback]


# ---------------------------------------------------------------- right answers


@pytest.mark.parametrize(
    ("first", "more"),
    [("E11.9", "I10, Z79.84"), ("e119", "z7984;i10"), ("E119", "I10 Z79.84"), (" e11.9 ", ["Z79.84", "I10"])],
)
def test_right_answer_in_any_format_and_order(first: str, more: str | list[str]) -> None:
    result = score_answer("E11.9", ["I10", "Z79.84"], first, more)
    assert result.correct and result.score == 1.0 and result.matched == 3
    assert {f.verdict for f in result.feedback} == {Verdict.CORRECT}
    assert result.summary == "Correct: all 3 codes right."


def test_no_additional_codes_expected_or_given() -> None:
    result = score_answer("J02.0", [], "J02.0", "")
    assert result.correct and result.score == 1.0 and result.expected_count == 1


# ---------------------------------------------------------------- near misses


def test_right_category_not_specific_enough() -> None:
    result = score_answer("E11.9", ["I10"], "E11", "I10")
    assert not result.correct and result.score == 0.5
    assert verdicts(result) == [("E11", Verdict.NOT_SPECIFIC), ("I10", Verdict.CORRECT)]
    assert "not specific enough" in result.feedback[0].message
    assert result.feedback[0].expected == "E11.9"


def test_other_code_in_the_right_category() -> None:
    result = score_answer("E11.9", [], "E11.8", "")
    assert verdicts(result) == [("E11.8", Verdict.SAME_CATEGORY)]
    assert "right category (E11)" in result.feedback[0].message


def test_unrelated_header() -> None:
    result = score_answer("E11.9", [], "E11.9", "J45")
    assert not result.correct and result.score == 0.5  # every expected code is there, plus a wrong one
    assert verdicts(result)[1] == ("J45", Verdict.HEADER)
    assert "header (not billable)" in result.feedback[1].message


def test_invalid_code() -> None:
    result = score_answer("E11.9", [], "E11.99", "")
    assert verdicts(result) == [("E11.99", Verdict.INVALID), ("E11.9", Verdict.MISSING)]
    assert "not a code in ICD-10-CM" in result.feedback[0].message


def test_missing_seventh_character() -> None:
    result = score_answer("S52.521A", [], "S52.521", "")
    assert verdicts(result) == [("S52.521", Verdict.MISSING_SEVENTH)]
    assert "needs a 7th character" in result.feedback[0].message
    assert "initial encounter for closed fracture" in result.feedback[0].message


def test_wrong_seventh_character() -> None:
    result = score_answer("S52.521A", [], "S52.521D", "")
    assert verdicts(result) == [("S52.521D", Verdict.WRONG_SEVENTH)]
    assert "subsequent encounter" in result.feedback[0].message


def test_seventh_character_that_does_not_exist_for_the_code() -> None:
    result = score_answer("S52.521A", [], "S52.521B", "")
    assert verdicts(result) == [("S52.521B", Verdict.WRONG_SEVENTH)]
    assert "valid: A, D, G, K, P, S" in result.feedback[0].message


@pytest.mark.parametrize(("expected", "typed"), [("S32.9XXA", "S32.9A"), ("T36.0X1A", "T36.01A")])
def test_missing_placeholder_x(expected: str, typed: str) -> None:
    result = score_answer(expected, [], typed, "")
    assert verdicts(result) == [(typed, Verdict.PLACEHOLDER)]
    assert "placeholder X" in result.feedback[0].message


def test_first_listed_swapped_with_an_additional_code() -> None:
    result = score_answer("E11.9", ["I10"], "I10", "E11.9")
    assert not result.correct
    assert result.score == 0.5  # the additional code counts anywhere; the first-listed only first
    assert verdicts(result) == [("I10", Verdict.WRONG_ORDER), ("E11.9", Verdict.WRONG_ORDER)]
    assert "not the first-listed" in result.feedback[0].message


def test_extra_and_missing_codes() -> None:
    result = score_answer("E11.9", ["I10", "Z79.84"], "E11.9", "J45.909, I10")
    assert not result.correct and result.score == pytest.approx(2 / 4)  # 2 matched of 3 expected + 1 extra
    assert verdicts(result) == [
        ("E11.9", Verdict.CORRECT),
        ("J45.909", Verdict.EXTRA),
        ("I10", Verdict.CORRECT),
        ("Z79.84", Verdict.MISSING),
    ]
    assert result.feedback[1].field == ADDITIONAL and result.feedback[3].field == ADDITIONAL
    assert result.summary == "2 of 3 codes right, 1 code not called for (50%)."


def test_wrong_first_listed_code() -> None:
    result = score_answer("E11.9", [], "J45.909", "")
    assert verdicts(result) == [("J45.909", Verdict.EXTRA), ("E11.9", Verdict.MISSING)]
    assert "not the first-listed code" in result.feedback[0].message
    assert result.feedback[1].field == FIRST_LISTED


def test_code_typed_twice_is_an_error_citing_the_guideline() -> None:
    """I.B.12: each unique code is reported only once for an encounter."""
    result = score_answer("E11.9", ["I10"], "E11.9", "I10, i10, E119")
    assert not result.correct
    duplicates = [f for f in result.feedback if f.verdict is Verdict.DUPLICATE]
    assert [f.given for f in duplicates] == ["I10", "E11.9"]
    assert all("I.B.12" in f.message for f in duplicates)
    assert result.score == pytest.approx(2 / 4) and result.errors == 2
    assert result.summary == "2 of 2 codes right, 2 codes repeated (50%)."


def test_extra_code_lowers_the_score_and_the_summary_is_not_100_percent() -> None:
    result = score_answer("J02.0", [], "J02.0", "J45.909")
    assert not result.correct and result.score == 0.5
    assert result.summary == "1 of 1 code right, 1 code not called for (50%)."


def test_summary_never_reads_100_percent_unless_correct() -> None:
    assert PracticeResult(False, 0.999, 999, 1000, ()).summary == "999 of 1000 codes right (99%)."
    assert PracticeResult(True, 1.0, 2, 2, ()).summary == "Correct: all 2 codes right."


# ---------------------------------------------------------------- alternatives and optional codes


def test_an_accepted_alternative_scores_full_marks() -> None:
    result = score_answer("A41.9", ["R65.21", "J18.9"], "J18.9", "A41.9", alternatives=[["J18.9", "A41.9"]])
    assert result.correct and result.score == 1.0 and result.alternative == 0
    assert result.summary == "Correct: all 2 codes right (an accepted alternative answer)."
    key = score_answer("A41.9", ["R65.21", "J18.9"], "A41.9", "R65.21 J18.9", alternatives=[["J18.9", "A41.9"]])
    assert key.correct and key.alternative is None


def test_the_closest_key_scores_a_partial_answer() -> None:
    alternatives = [["W19.XXXA", "Y92.009"]]
    result = score_answer("W19.XXXA", ["Y92.019"], "W19.XXXA", "Y92.009, I10", alternatives=alternatives)
    assert not result.correct and result.alternative == 0 and result.matched == 2
    assert result.score == pytest.approx(2 / 3)
    without = score_answer("W19.XXXA", ["Y92.019"], "W19.XXXA", "Y92.009, I10")
    assert without.score < result.score


def test_optional_codes_are_neither_required_nor_penalised() -> None:
    with_it = score_answer("J44.1", [], "J44.1", "Z87.891", optional=["Z87.891"])
    without = score_answer("J44.1", [], "J44.1", "", optional=["Z87.891"])
    assert with_it.correct and with_it.score == 1.0 and without.correct and without.score == 1.0
    assert verdicts(with_it) == [("J44.1", Verdict.CORRECT), ("Z87.891", Verdict.OPTIONAL)]
    assert "not required" in with_it.feedback[1].message
    assert with_it.summary == "Correct: all 1 code right."
    assert not score_answer("J44.1", [], "Z87.891", "", optional=["Z87.891"]).correct  # not as first-listed


# ---------------------------------------------------------------- queries


def test_a_query_is_the_right_answer_when_the_case_needs_one() -> None:
    result = score_answer(None, [], "Query", "", query_expected=True)
    assert result.correct and result.score == 1.0 and result.query
    assert verdicts(result) == [(None, Verdict.QUERY)]
    assert result.summary.startswith("Correct: this documentation needs a query")


def test_codes_for_a_case_that_needs_a_query_are_wrong() -> None:
    result = score_answer(None, [], "I50.9", "", query_expected=True)
    assert not result.correct and result.score == 0.0
    assert verdicts(result) == [(None, Verdict.QUERY_NEEDED)]
    assert result.summary.startswith("Not yet: this documentation needs a query")


def test_a_query_when_the_documentation_supports_coding_is_wrong() -> None:
    result = score_answer("E11.9", ["I10"], "query", "")
    assert not result.correct and result.score == 0.0
    assert [v for _, v in verdicts(result)] == [Verdict.QUERY_NOT_NEEDED, Verdict.MISSING, Verdict.MISSING]
    assert "no query is needed" in result.summary


def test_a_case_without_codes_must_be_a_query_case() -> None:
    with pytest.raises(ValueError, match="must be a query case"):
        score_answer(None, [], "E11.9", "")


def test_near_misses_are_marked_as_such() -> None:
    assert Verdict.NOT_SPECIFIC in practice_scoring.NEAR_MISSES
    assert Verdict.EXTRA not in practice_scoring.NEAR_MISSES


# ---------------------------------------------------------------- format errors


@pytest.mark.parametrize(
    ("first", "more", "message"),
    [
        ("hello", "", "First-listed code: 'hello' is not written like an ICD-10-CM code"),
        ("E11.9.9", "", "First-listed code: 'E11.9.9' is not written like an ICD-10-CM code"),
        ("E11.9", "I10, hello", "Additional codes: 'hello' is not written like an ICD-10-CM code"),
        ("", "I10", "First-listed code: enter exactly one code."),
        ("E11.9 I10", "", "First-listed code: enter exactly one code; put the others under Additional codes."),
    ],
)
def test_format_errors_name_the_field(first: str, more: str, message: str) -> None:
    result = score_answer("E11.9", ["I10"], first, more)
    assert not result.correct and result.score == 0.0 and result.feedback == ()
    assert any(error.startswith(message) for error in result.format_errors), result.format_errors
    assert result.summary.startswith("Fix the format of your answer first")


def test_parse_codes() -> None:
    assert parse_codes(" e11.9;; I10 ,z79.84\n") == ["E11.9", "I10", "Z79.84"]
    with pytest.raises(AnswerFormatError, match="Additional codes: '12' is not written"):
        parse_codes("E11.9, 12")


def test_expected_code_must_exist() -> None:
    with pytest.raises(ValueError, match="the expected code 'E11.99' is not in the code set"):
        score_answer("E11.99", [], "E11.9", "")
