"""The timed quiz: timer, forward-only rule, scoring by domain, saved attempts — all without a browser."""

from __future__ import annotations

import html

import pytest
import traitlets

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import QuizDomain
from coderpath_widgets.features.quiz import QuizPhase, pick_questions, score_quiz, take_quiz
from coderpath_widgets.progress.store import get_store


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pick_spreads_over_every_domain():
    picked = pick_questions(load_dataset().quiz_questions, 10, seed=1)
    assert len(picked) == 10 == len({q.id for q in picked})
    assert {q.domain for q in picked} == set(QuizDomain)


def test_score_by_domain():
    qs = pick_questions(load_dataset().quiz_questions, 10, seed=2)
    answers = {q.id: q.answer for q in qs[:6]}
    result = score_quiz(qs, answers)
    assert (result.correct, result.total) == (6, 10)
    assert sum(t for _, t in result.by_domain.values()) == 10


def test_forward_only_blocks_going_back_and_answers_are_scored_and_saved():
    clock = FakeClock()
    quiz = take_quiz(clock=clock)
    quiz.count_input.value, quiz.minutes_input.value, quiz.forward_only_input.value = 5, 10, True
    quiz.start(seed=3)
    assert quiz.phase == "running" and quiz.previous_button.disabled
    first = quiz.questions[0]
    quiz.options.value = first.answer
    quiz.next_button.click()
    assert quiz.index == 1
    quiz.previous_button.click()
    quiz.go(0)
    assert quiz.index == 1, "forward-only: no going back"
    wrong = next(letter for letter, _ in [("A", 0), ("B", 0)] if letter != quiz.questions[1].answer)
    quiz.options.value = wrong
    clock.now += 95
    quiz.submit_button.click()
    assert quiz.phase == "done"
    assert quiz.result["correct"] == 1 and quiz.result["total"] == 5 and quiz.result["seconds_used"] == 95
    assert "Score: 1 of 5" in quiz.report.value and html.escape(first.rationale[:20]) in quiz.report.value
    (event,) = get_store().events("quiz_attempt")
    assert event.payload["score"] == 0.2 and event.payload["forward_only"] is True


def test_timer_submits_when_time_runs_out():
    clock = FakeClock()
    quiz = take_quiz(clock=clock)
    quiz.count_input.value, quiz.minutes_input.value = 3, 1
    quiz.start(seed=4)
    quiz.options.value = quiz.questions[0].answer
    clock.now += 30
    quiz.tick()
    assert quiz.phase == "running" and "0:30" in quiz.timer_label.value
    clock.now += 31
    quiz.ticker.value = 5  # the browser's one-second tick
    assert quiz.phase == "done" and quiz.result["timed_out"] is True
    assert quiz.result["correct"] == 1 and "Time is up" in quiz.report.value


def test_answer_after_time_is_up_is_not_counted():
    clock = FakeClock()
    quiz = take_quiz(clock=clock)
    quiz.count_input.value, quiz.minutes_input.value = 2, 1
    quiz.start(seed=5)
    clock.now += 61
    quiz.options.value = quiz.questions[0].answer  # too late: submits what was there
    assert quiz.phase == "done" and quiz.result["correct"] == 0


def test_going_back_allowed_without_forward_only_and_history_shown():
    quiz = take_quiz(clock=FakeClock())
    quiz.count_input.value, quiz.timed_input.value = 3, False
    assert quiz.minutes_input.disabled
    quiz.start(seed=6)
    quiz.next_button.click()
    quiz.previous_button.click()
    assert quiz.index == 0 and "No time limit" in quiz.timer_label.value
    quiz.submit()
    quiz.again_button.click()
    assert quiz.phase == "setup" and "1 earlier attempts" in quiz.history.value


def test_a_phase_outside_the_vocabulary_is_refused_by_name():
    quiz = take_quiz(clock=FakeClock())
    allowed = "Quiz.phase must be one of 'setup', 'running', 'done'; got 'finished'"
    with pytest.raises(traitlets.TraitError, match=allowed):
        quiz.phase = "finished"
    assert quiz.phase is QuizPhase.SETUP and quiz.body.children == (quiz.setup_box,)
    quiz.phase = "done"  # a value of the vocabulary is taken as its member
    assert quiz.phase is QuizPhase.DONE and quiz.body.children == (quiz.done_box,)
