"""The practice-case widget driven without a browser: scoring feedback, saved attempts, position."""

from __future__ import annotations

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.features.practice.widgets import practice_cases, show_practice_progress
from coderpath_widgets.progress.readiness import readiness
from coderpath_widgets.progress.store import get_store, reset_stores


def test_right_answer_is_saved_and_explained():
    widget = practice_cases()
    case = load_dataset().by_id("practice_cases")[widget.case_id]
    widget.first_input.value = case.first_listed.replace(".", "").lower()
    widget.additional_input.value = ", ".join(reversed(case.additional))
    widget.check_button.click()
    assert widget.result["correct"] is True
    assert case.rationale[:15] in widget.answer.value.replace("&#x27;", "'").replace("&quot;", '"')
    (event,) = get_store().events("case_attempt")
    assert event.payload["case_id"] == case.id and event.payload["correct"] is True


def test_near_miss_and_wrong_format():
    dataset = load_dataset()
    widget = practice_cases()
    case = next(c for c in dataset.practice_cases if len(c.first_listed.replace(".", "")) >= 5 and not c.additional)
    widget.chapter_filter.value = case.chapter
    widget.case_id = case.id
    widget.first_input.value = case.first_listed[:3]  # the category: a header
    widget.check_button.click()
    assert widget.result["correct"] is False and widget.result["verdicts"][0] == "not_specific"
    assert "not specific enough" in widget.feedback.value
    widget.first_input.value = "hello"
    widget.check_button.click()
    assert widget.result["format_errors"] and "First-listed code" in widget.feedback.value
    assert len(get_store().events("case_attempt")) == 1, "a format error is not an attempt"


def test_filters_position_and_progress_survive_restart():
    widget = practice_cases()
    widget.difficulty_filter.value = "hard"
    hard = [c.id for c in load_dataset().practice_cases if c.difficulty.value == "hard"]
    assert widget.visible_ids == hard
    widget.next_button.click()
    current = widget.case_id
    widget.first_input.value = "I10"
    widget.check_button.click()
    reset_stores()
    again = practice_cases()
    assert again.case_id == current
    assert "1 attempt: " in again.case_html.value
    assert readiness().practice.cases_attempted == 1
    assert "Coding cases: <b>1 case, 1 attempt</b>" in show_practice_progress().value


def test_reveal_shows_answer_without_recording():
    widget = practice_cases()
    widget.reveal_button.click()
    assert "Answer" in widget.answer.value and get_store().events("case_attempt") == []


def test_the_case_card_counts_each_check_at_once(tmp_home):
    """The card's attempt line changes with the check, without moving to another case and back."""
    from coderpath_widgets import practice_cases

    widget = practice_cases()
    assert "not attempted yet" in widget.case_html.value
    widget.first_input.value = "Z00.00"
    widget.check()
    assert "1 attempt: " in widget.case_html.value
    widget.check()
    assert "2 attempts: " in widget.case_html.value
