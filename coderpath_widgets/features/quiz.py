"""A timed knowledge quiz with an optional forward-only rule, a score report by domain, and rationales."""

from __future__ import annotations

import enum
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import QuizDomain, QuizQuestion
from coderpath_widgets.progress.store import ProgressStore, StoreError, get_store
from coderpath_widgets.progress.vocabulary import QUIZ_EVENT
from coderpath_widgets.ui.panel import Panel
from coderpath_widgets.ui.traits import EnumTrait

DOMAIN_LABELS = {
    QuizDomain.CODE_SET_CONVENTIONS: "Code-set conventions",
    QuizDomain.GUIDELINES: "Official guidelines",
    QuizDomain.COMPLIANCE_HIPAA: "Compliance and HIPAA",
    QuizDomain.ANATOMY_TERMINOLOGY: "Anatomy and terminology",
    QuizDomain.CERTIFICATION_FACTS: "Certification facts",
}


class QuizPhase(enum.StrEnum):
    """Where an attempt is: the setup form, the questions, or the report."""

    SETUP = "setup"
    RUNNING = "running"
    DONE = "done"


def choices(question: QuizQuestion) -> list[tuple[str, str]]:
    """The filled ``(letter, text)`` choices of a question."""
    pairs = [("A", question.choice_a), ("B", question.choice_b), ("C", question.choice_c), ("D", question.choice_d)]
    return [(letter, text) for letter, text in pairs if text]


def pick_questions(questions: Sequence[QuizQuestion], count: int, seed: int | None = None) -> list[QuizQuestion]:
    """``count`` questions spread over the domains (round robin over shuffled domains), in random order."""
    rng = random.Random(seed)
    by_domain: dict[QuizDomain, list[QuizQuestion]] = defaultdict(list)
    for q in questions:
        by_domain[q.domain].append(q)
    for pool in by_domain.values():
        rng.shuffle(pool)
    picked: list[QuizQuestion] = []
    domains = list(by_domain)
    while len(picked) < min(count, len(questions)):
        for domain in domains:
            if by_domain[domain] and len(picked) < count:
                picked.append(by_domain[domain].pop())
    rng.shuffle(picked)
    return picked


@dataclass(frozen=True)
class QuizResult:
    """Score of one attempt, overall and by domain (unanswered counts as wrong)."""

    correct: int
    total: int
    by_domain: dict[str, tuple[int, int]]

    @property
    def score(self) -> float:
        return self.correct / self.total if self.total else 0.0


def score_quiz(questions: Sequence[QuizQuestion], answers: dict[str, str]) -> QuizResult:
    """Score answers (question id → letter).

    >>> q = QuizQuestion("q1", QuizDomain.GUIDELINES, "?", "yes", "no", None, None, "A", "because", "s", None)
    >>> score_quiz([q], {"q1": "A"}).score
    1.0
    """
    by_domain: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    correct = 0
    for q in questions:
        right = answers.get(q.id) == q.answer
        correct += right
        by_domain[q.domain.value][0] += right
        by_domain[q.domain.value][1] += 1
    return QuizResult(correct, len(questions), {d: (c, t) for d, (c, t) in by_domain.items()})


class Quiz(Panel):
    """Set up an attempt, answer one question at a time, submit, read the report and rationales."""

    phase = EnumTrait(QuizPhase, QuizPhase.SETUP)  # setup → running → done
    index = traitlets.Int(0)
    answers = traitlets.Dict()
    seconds_left = traitlets.Float(0.0)
    forward_only = traitlets.Bool(False)
    result = traitlets.Dict()

    def __init__(
        self, questions: list[QuizQuestion], store: ProgressStore, clock: Callable[[], float] = time.monotonic
    ):
        self._all = questions
        self._store = store
        self._clock = clock
        self._deadline: float | None = None
        self._started = 0.0
        self.questions: list[QuizQuestion] = []
        self.count_input = widgets.BoundedIntText(
            value=min(20, len(questions)), min=1, max=len(questions), description="Questions"
        )
        self.timed_input = widgets.Checkbox(value=True, description="Time limit", indent=False)
        self.minutes_input = widgets.BoundedIntText(value=30, min=1, max=240, description="Minutes")
        self.timed_input.observe(lambda change: setattr(self.minutes_input, "disabled", not change["new"]), "value")
        self.forward_only_input = widgets.Checkbox(
            value=False,
            description="Forward only (no going back to earlier questions)",
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.start_button = widgets.Button(
            description="Start the quiz", button_style="primary", layout=widgets.Layout(width="auto")
        )
        self.history = widgets.HTML(self._history_html())
        self.setup_box = widgets.VBox(
            [
                widgets.HBox([self.count_input, self.timed_input, self.minutes_input]),
                self.forward_only_input,
                self.start_button,
                self.history,
            ]
        )
        self.timer_label = widgets.HTML()
        self.question_html = widgets.HTML()
        self.options = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="auto"))
        self.previous_button = widgets.Button(description="Previous")
        self.next_button = widgets.Button(description="Next")
        self.submit_button = widgets.Button(
            description="Submit answers", button_style="danger", layout=widgets.Layout(width="auto")
        )
        self.ticker = widgets.Play(
            interval=1000, min=0, max=10**6, show_repeat=False, layout=widgets.Layout(display="none")
        )
        self.run_box = widgets.VBox(
            [
                self.timer_label,
                self.question_html,
                self.options,
                widgets.HBox([self.previous_button, self.next_button, self.submit_button]),
                self.ticker,
            ]
        )
        self.report = widgets.HTML()
        self.again_button = widgets.Button(description="Set up another attempt", layout=widgets.Layout(width="auto"))
        self.done_box = widgets.VBox([self.report, self.again_button])
        self.start_button.on_click(lambda _: self.start())
        self.previous_button.on_click(lambda _: self.go(self.index - 1))
        self.next_button.on_click(lambda _: self.go(self.index + 1))
        self.submit_button.on_click(lambda _: self.submit())
        self.again_button.on_click(lambda _: setattr(self, "phase", QuizPhase.SETUP))
        self.options.observe(self._on_choice, names="value")
        self.ticker.observe(lambda _: self.tick(), names="value")
        self.body = widgets.VBox([self.setup_box])
        super().__init__(
            [
                ui.header(
                    "Timed knowledge quiz", "Code sets, guidelines, compliance, anatomy and certification facts."
                ),
                self.body,
            ]
        )

    def _history_html(self) -> str:
        saved = [e.payload.get("score") for e in self._store.events(QUIZ_EVENT) if isinstance(e.payload, dict)]
        scores = [float(s) for s in saved if isinstance(s, (int, float))]
        if not scores:
            return "<p class='cp-muted'>No attempts yet.</p>"
        return f"<p class='cp-muted'>{len(scores)} earlier attempts; best {max(scores):.0%}, last {scores[-1]:.0%}.</p>"

    @property
    def time_limit_minutes(self) -> int:
        """The minutes the setup form asks for; 0 when "Time limit" is unticked."""
        return self.minutes_input.value if self.timed_input.value else 0

    def start(self, seed: int | None = None) -> None:
        """Begin an attempt with the settings in the setup form."""
        self.questions = pick_questions(self._all, self.count_input.value, seed)
        self.forward_only = self.forward_only_input.value
        self.answers = {}
        self._started = self._clock()
        minutes = self.time_limit_minutes
        self._deadline = self._started + 60 * minutes if minutes else None
        self.seconds_left = 60.0 * minutes if minutes else 0.0
        self.index = 0
        self.phase = QuizPhase.RUNNING
        self._show_question()
        if self._deadline is not None:
            self.ticker.value = 0
            self.ticker.playing = True

    def tick(self) -> None:
        """Update the time left; submit automatically when it runs out."""
        if self.phase is not QuizPhase.RUNNING or self._deadline is None:
            return
        self.seconds_left = max(0.0, self._deadline - self._clock())
        minutes, seconds = divmod(int(self.seconds_left), 60)
        self.timer_label.value = f"<b>Time left: {minutes}:{seconds:02d}</b>"
        if self.seconds_left <= 0:
            self.submit(timed_out=True)

    def go(self, index: int) -> None:
        """Move to question ``index``; going back is refused in forward-only mode."""
        if self.phase is not QuizPhase.RUNNING or not 0 <= index < len(self.questions):
            return
        if self.forward_only and index < self.index:
            return
        self.tick()
        if self.phase is QuizPhase.RUNNING:
            self.index = index
            self._show_question()

    def _on_choice(self, change) -> None:
        if self.is_applying or self.phase is not QuizPhase.RUNNING or change["new"] is None:
            return
        self.tick()
        if self.phase is QuizPhase.RUNNING:
            self.answers = {**self.answers, self.questions[self.index].id: change["new"]}

    def _show_question(self) -> None:
        q = self.questions[self.index]
        self.question_html.value = (
            f"<div class='cp-muted'>Question {self.index + 1} of {len(self.questions)}"
            f" · {ui.esc(DOMAIN_LABELS[q.domain])}</div>"
            f"<div class='cp-card'><b>{ui.esc(q.question)}</b></div>"
        )
        with self.applying():  # showing the saved answer is not a new answer
            self.options.options = [(f"{letter}. {text}", letter) for letter, text in choices(q)]
            self.options.value = self.answers.get(q.id)
        self.previous_button.disabled = self.index == 0 or self.forward_only
        self.next_button.disabled = self.index == len(self.questions) - 1
        if self._deadline is None:
            self.timer_label.value = "<span class='cp-muted'>No time limit.</span>"
        else:
            self.tick()

    def submit(self, timed_out: bool = False) -> None:
        """Score the attempt, save it, and show the report with rationales."""
        if self.phase is not QuizPhase.RUNNING:
            return
        self.ticker.playing = False
        result = score_quiz(self.questions, self.answers)
        used = self._clock() - self._started
        self.result = {
            "score": result.score,
            "correct": result.correct,
            "total": result.total,
            "by_domain": {d: list(v) for d, v in result.by_domain.items()},
            "timed_minutes": self.time_limit_minutes,
            "forward_only": self.forward_only,
            "seconds_used": round(used, 1),
            "timed_out": timed_out,
            "answers": dict(self.answers),
        }
        self.report.value = self._report_html(result, timed_out)
        try:
            self._store.add_event(QUIZ_EVENT, self.result)
        except StoreError as exc:  # say so: the learner must not think the attempt counted
            self.report.value = ui.notice(str(exc), "error") + self.report.value
        self.phase = QuizPhase.DONE

    def _report_html(self, result: QuizResult, timed_out: bool) -> str:
        head = ui.notice("Time is up: your answers so far were submitted.", "notice") if timed_out else ""
        rows = [
            [DOMAIN_LABELS[QuizDomain(d)], f"{c} of {t}", f"{c / t:.0%}"]
            for d, (c, t) in sorted(result.by_domain.items())
        ]
        review = []
        for n, q in enumerate(self.questions, start=1):
            given = self.answers.get(q.id)
            mark = (
                ui.badge("right", "ok") if given == q.answer else ui.badge("wrong" if given else "not answered", "bad")
            )
            texts = dict(choices(q))
            review.append(
                f"<div class='cp-card'><div>{mark} <b>{n}. {ui.esc(q.question)}</b></div>"
                f"<div>Your answer: {ui.esc(f'{given}. {texts[given]}' if given else None)} · "
                f"Correct: {ui.esc(f'{q.answer}. {texts[q.answer]}')}</div>"
                f"<div class='cp-muted'>{ui.esc(q.rationale)}</div>{ui.source_line(q.source, q.as_of)}</div>"
            )
        return (
            f"{head}<h3>Score: {result.correct} of {result.total} ({result.score:.0%})</h3>"
            + ui.table(["Domain", "Right", "Share"], rows)
            + "<h4>Answers and rationales</h4>"
            + "".join(review)
        )

    @traitlets.observe("phase")
    def _switch(self, change) -> None:
        if change["new"] is QuizPhase.SETUP:
            self.history.value = self._history_html()
        boxes = {QuizPhase.SETUP: self.setup_box, QuizPhase.RUNNING: self.run_box, QuizPhase.DONE: self.done_box}
        self.body.children = [boxes[change["new"]]]


def take_quiz(directory: str | None = None, clock: Callable[[], float] = time.monotonic) -> Quiz:
    """The timed knowledge quiz over the question bank."""
    return Quiz(list(load_dataset(directory).quiz_questions), get_store(), clock)
