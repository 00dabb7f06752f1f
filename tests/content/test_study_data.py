"""The shipped study data (word parts and quiz questions) loads and is internally consistent."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from coderpath_widgets.content.loaders import load
from coderpath_widgets.content.models import QuizDomain, QuizQuestion, WordPart, WordPartKind

MIN_WORD_PARTS = 150
MIN_QUESTIONS = 80
MIN_PER_DOMAIN = 10
CHOICE_FIELDS = {"A": "choice_a", "B": "choice_b", "C": "choice_c", "D": "choice_d"}


@pytest.fixture(scope="module")
def word_parts() -> list[WordPart]:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CODERPATH_DATA", raising=False)  # test the shipped data, not an override
        return load("word_parts")


@pytest.fixture(scope="module")
def questions() -> list[QuizQuestion]:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CODERPATH_DATA", raising=False)
        return load("quiz_questions")


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _duplicates(values) -> list:
    return sorted(value for value, count in Counter(values).items() if count > 1)


# ---------------------------------------------------------------- word parts


def test_word_parts_count_and_kinds(word_parts):
    assert len(word_parts) >= MIN_WORD_PARTS
    kinds = Counter(p.kind for p in word_parts)
    needed = {WordPartKind.PREFIX, WordPartKind.COMBINING_FORM, WordPartKind.SUFFIX}
    assert needed <= set(kinds), f"missing kinds: {needed - set(kinds)}"


def test_word_part_ids_are_unique_and_well_formed(word_parts):
    assert _duplicates(p.id for p in word_parts) == []
    bad = [p.id for p in word_parts if not re.fullmatch(r"wp-[a-z0-9]+(-[a-z0-9]+)*", p.id)]
    assert bad == []


def test_word_part_and_kind_are_unique(word_parts):
    assert _duplicates((p.part, p.kind) for p in word_parts) == []


def test_word_parts_are_written_the_way_their_kind_says(word_parts):
    """Prefixes end with a hyphen, suffixes start with one, combining forms show a vowel (cardi/o), roots are bare."""
    looks_right = {
        WordPartKind.PREFIX: lambda part: part.endswith("-") and not part.startswith("-"),
        WordPartKind.SUFFIX: lambda part: part.startswith("-") and not part.endswith("-"),
        WordPartKind.COMBINING_FORM: lambda part: re.fullmatch(r"[a-z]+/[aeiou]", part) is not None,
        WordPartKind.ROOT: lambda part: re.fullmatch(r"[a-z]+", part) is not None,
    }
    wrong = [p.part for p in word_parts if not looks_right[p.kind](p.part)]
    assert wrong == []


def test_combining_forms_name_their_root_and_presby_is_one(word_parts):
    """angi/o is the combining form of the root angi; presby/o (old age) is a combining form, not a prefix."""
    forms = [p for p in word_parts if p.kind is WordPartKind.COMBINING_FORM]
    assert forms and all(p.root == p.part.split("/")[0] for p in forms)
    assert all(p.root is None for p in word_parts if p.kind is not WordPartKind.COMBINING_FORM)
    by_part = {p.part: p for p in word_parts}
    assert by_part["angi/o"].root == "angi"
    presby = by_part["presby/o"]
    assert presby.kind is WordPartKind.COMBINING_FORM and presby.root == "presby" and presby.meaning == "old age"
    assert "presby-" not in by_part


def test_word_parts_have_every_text_cell(word_parts):
    empty = [
        (p.id, name)
        for p in word_parts
        for name in ("part", "meaning", "example_term", "example_meaning", "body_system", "source")
        if not getattr(p, name).strip()
    ]
    assert empty == []


# ---------------------------------------------------------------- quiz questions


def test_question_count_and_domains(questions):
    assert len(questions) >= MIN_QUESTIONS
    per_domain = Counter(q.domain for q in questions)
    short = {d.value: per_domain.get(d, 0) for d in QuizDomain if per_domain.get(d, 0) < MIN_PER_DOMAIN}
    assert short == {}


def test_question_ids_are_unique_and_well_formed(questions):
    assert _duplicates(q.id for q in questions) == []
    bad = [q.id for q in questions if not re.fullmatch(r"q-[a-z]+-\d{3}", q.id)]
    assert bad == []


def test_no_duplicate_questions(questions):
    assert _duplicates(_normalise(q.question) for q in questions) == []


def test_answer_points_at_a_non_empty_choice(questions):
    bad = [
        (q.id, q.answer)
        for q in questions
        if q.answer not in CHOICE_FIELDS or not (getattr(q, CHOICE_FIELDS[q.answer]) or "").strip()
    ]
    assert bad == []


def test_choices_are_filled_in_order_and_distinct(questions):
    """A and B are always given; D only with C; no two choices of one question say the same thing."""
    bad = []
    for q in questions:
        choices = [q.choice_a, q.choice_b, q.choice_c, q.choice_d]
        filled = [c for c in choices if c]
        if choices[: len(filled)] != filled or len(filled) < 2:
            bad.append((q.id, "gap or fewer than two choices"))
        if len({_normalise(c) for c in filled}) != len(filled):
            bad.append((q.id, "repeated choice"))
    assert bad == []


def test_questions_have_rationale_and_source(questions):
    missing = [q.id for q in questions if not (q.rationale.strip() and q.source.strip())]
    assert missing == []
