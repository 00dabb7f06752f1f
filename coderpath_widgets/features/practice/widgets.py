"""Practice cases: code a synthetic encounter note or medical record, get feedback that explains near misses."""

from __future__ import annotations

import enum

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import PracticeCase
from coderpath_widgets.features.practice.render import CHAPTER_NAMES, practice_html
from coderpath_widgets.features.practice.scoring import (
    NEAR_MISSES,
    QUERY_ANSWER,
    PracticeResult,
    Verdict,
    score_answer,
)
from coderpath_widgets.progress.readiness import case_attempts, readiness
from coderpath_widgets.progress.store import Change, ProgressStore, StoreError, get_store
from coderpath_widgets.progress.vocabulary import CASE_EVENT, CURRENT_CASE_KEY, PRACTICE_NAMESPACE
from coderpath_widgets.ui.traits import EnumTrait

POSITION = (PRACTICE_NAMESPACE, CURRENT_CASE_KEY)
VERDICT_BADGES = {
    Verdict.CORRECT: ("right", "ok"),
    Verdict.MISSING: ("missing", "bad"),
    Verdict.EXTRA: ("not needed", "bad"),
    Verdict.INVALID: ("not a code", "bad"),
    Verdict.HEADER: ("header", "bad"),
    Verdict.DUPLICATE: ("twice", "bad"),
    Verdict.OPTIONAL: ("optional", "ok"),
    Verdict.QUERY: ("query", "ok"),
    Verdict.QUERY_NEEDED: ("query first", "bad"),
    Verdict.QUERY_NOT_NEEDED: ("no query needed", "bad"),
}


class DifficultyFilter(enum.StrEnum):
    """The difficulty filter: every case, or one difficulty of practice_cases.csv."""

    ALL = "all"
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class KindFilter(enum.StrEnum):
    """The kind filter: every case, short encounter notes, or medical records."""

    ALL = "all"
    SHORT = "short"
    RECORD = "record"


KINDS = [("All cases", KindFilter.ALL), ("Short cases", KindFilter.SHORT), ("Medical records", KindFilter.RECORD)]
DOCUMENT_NAMES = {
    "progress_note": "progress note",
    "ed_note": "ED note",
    "discharge_summary": "discharge summary",
    "operative_report": "operative report",
    "pathology_report": "pathology report",
}


def case_kind(case: PracticeCase) -> str:
    """'record' for a record-based case, 'short' otherwise (the lab's Kind filter)."""
    return "record" if case.is_record else "short"


def document_html(text: str) -> str:
    """A case's note or record, escaped, with its line breaks kept."""
    return f"<div class='cp-record' style='white-space:pre-wrap'>{ui.esc(text)}</div>"


def attempts_text(correct: list[bool]) -> str:
    """What the case card says about the learner's attempts at this case, oldest first.

    >>> attempts_text([]), attempts_text([False]), attempts_text([False, False, True])
    ('not attempted yet', '1 attempt: not yet right', '3 attempts: right on attempt 3')
    """
    if not correct:
        return "not attempted yet"
    count = f"{len(correct)} attempt{'s' if len(correct) != 1 else ''}"
    if True in correct:
        first_right = correct.index(True) + 1
        return f"{count}: right on the first try" if first_right == 1 else f"{count}: right on attempt {first_right}"
    return f"{count}: not yet right"


def feedback_html(result: PracticeResult) -> str:
    """The learner's result, one line per code, near misses explained."""
    if result.format_errors:
        return "".join(ui.notice(p, "error") for p in result.format_errors)
    head = ui.notice(result.summary, "next" if result.correct else "notice")
    lines = []
    for item in result.feedback:
        label, kind = VERDICT_BADGES.get(item.verdict, ("close", "warn") if item.verdict in NEAR_MISSES else ("", ""))
        lines.append(f"<li>{ui.badge(label, kind)} <b>{ui.esc(item.field)}</b>: {ui.esc(item.message)}</li>")
    return head + (f"<ul>{''.join(lines)}</ul>" if lines else "")


def answer_html(case: PracticeCase) -> str:
    """The expected answer (codes with POA indicators, or the model query) with the rationale and guideline."""
    poa = case.poa_indicators

    def shown(code: str) -> str:
        return ui.esc(code) + (f" (POA {ui.esc(poa[code])})" if code in poa else "")

    if case.is_query:
        head = f"<b>Answer</b>: query the provider before coding. Model query:{document_html(case.query or '')}"
    else:
        more = ", ".join(shown(c) for c in case.additional) or "none"
        head = f"<b>Answer</b>: first-listed <b>{shown(case.first_listed or '')}</b>; additional: {more}"
    extras = "".join(
        f"<div>Also accepted: <b>{ui.esc(', '.join(codes))}</b>: {ui.esc(why)}</div>"
        for codes, why in case.alternatives
    ) + "".join(f"<div>Optional: <b>{ui.esc(code)}</b>: {ui.esc(why)}</div>" for code, why in case.optional.items())
    return (
        f"<div class='cp-card'>{head}{extras}"
        f"<div>{ui.esc(case.rationale)}</div><div class='cp-muted'>Guideline: {ui.esc(case.guideline)}</div>"
        f"{ui.source_line(case.source, case.as_of)}</div>"
    )


class PracticeCases(widgets.VBox):
    """One case at a time with filters; every check is saved as an attempt."""

    case_id = traitlets.Unicode("")
    chapter = traitlets.Int(0)  # 0 = every chapter
    difficulty = EnumTrait(DifficultyFilter, DifficultyFilter.ALL)
    kind = EnumTrait(KindFilter, KindFilter.ALL)  # all, short (encounter notes) or record (medical records)
    result = traitlets.Dict()
    visible_ids = traitlets.List()

    def __init__(self, cases: list[PracticeCase], store: ProgressStore):
        self._cases = {c.id: c for c in cases}
        self._order = [c.id for c in cases]
        self._store = store
        chapters = sorted({c.chapter for c in cases})
        self.chapter_filter = widgets.Dropdown(
            options=[("Every chapter", 0)] + [(f"{ch}. {CHAPTER_NAMES.get(ch, '')}", ch) for ch in chapters],
            value=0,
            description="Chapter",
        )
        self.difficulty_filter = widgets.ToggleButtons(
            options=[("All", "all"), ("Easy", "easy"), ("Medium", "medium"), ("Hard", "hard")], value="all"
        )
        self.kind_filter = widgets.ToggleButtons(options=KINDS, value="all", description="Kind")
        self.answer_mode = widgets.ToggleButtons(
            options=[("Code it", "codes"), ("Query the provider", "query")], value="codes", description="My answer"
        )
        # The answer fields sync once, on Enter or when focus leaves them (continuous_update=False): ipywidgets
        # holds back a field's later keystroke syncs while one is in flight but sends a button's click at once,
        # so with per-keystroke syncs a quick Enter or click on a busy kernel checked what was typed before.
        self.query_input = widgets.Textarea(
            continuous_update=False,
            placeholder="Write your query to the provider: the facts, then the question",
            layout=widgets.Layout(width="420px", height="90px", display="none"),
        )
        self.case_html = widgets.HTML()
        self.first_input = widgets.Text(
            description="First-listed", placeholder="one code, e.g. E11.9", continuous_update=False
        )
        self.additional_input = widgets.Text(
            continuous_update=False,
            description="Additional",
            placeholder="any order, e.g. I10, Z79.4",
            layout=widgets.Layout(width="420px"),
        )
        self.check_button = widgets.Button(
            description="Check my codes", button_style="primary", layout=widgets.Layout(width="auto")
        )
        self.reveal_button = widgets.Button(description="Show the answer", layout=widgets.Layout(width="auto"))
        self.previous_button = widgets.Button(description="← Previous case", layout=widgets.Layout(width="auto"))
        self.next_button = widgets.Button(description="Next case →", layout=widgets.Layout(width="auto"))
        self.feedback = widgets.HTML()
        self.answer = widgets.HTML()
        self.check_button.on_click(lambda _: self.check())
        self.reveal_button.on_click(lambda _: self.reveal())
        self.previous_button.on_click(lambda _: self.step(-1))
        self.next_button.on_click(lambda _: self.step(1))
        self.chapter_filter.observe(lambda c: setattr(self, "chapter", c["new"]), names="value")
        self.difficulty_filter.observe(lambda c: setattr(self, "difficulty", c["new"]), names="value")
        self.kind_filter.observe(lambda c: setattr(self, "kind", c["new"]), names="value")
        self.answer_mode.observe(lambda c: self._answer_mode_changed(c["new"]), names="value")
        super().__init__(
            [
                ui.header(
                    "Practice cases",
                    f"{len(cases)} synthetic encounter notes and medical records (never real "
                    "patients). Code each one: one first-listed code, then any additional codes in any order; "
                    "when a record cannot be coded as written, choose Query the provider.",
                ),
                widgets.HBox([self.chapter_filter, self.difficulty_filter]),
                self.kind_filter,
                self.case_html,
                self.answer_mode,
                self.first_input,
                self.additional_input,
                self.query_input,
                widgets.HBox([self.check_button, self.reveal_button, self.previous_button, self.next_button]),
                self.feedback,
                self.answer,
            ]
        )
        # Enter in either code field checks the codes (static/coderpath-shell.js clicks the form's primary button)
        self.add_class("cp-form")
        self.first_input.add_class("cp-submit-on-enter")
        self.additional_input.add_class("cp-submit-on-enter")
        self._filter()
        saved = store.get(*POSITION)
        self.case_id = saved if saved in self.visible_ids else (self.visible_ids[0] if self.visible_ids else "")

    def _filter(self) -> None:
        self.visible_ids = [
            i
            for i in self._order
            if self.chapter in (0, self._cases[i].chapter)
            and self.difficulty in ("all", self._cases[i].difficulty.value)
            and self.kind in ("all", case_kind(self._cases[i]))
        ]

    def _answer_mode_changed(self, mode: str) -> None:
        coding = mode == "codes"
        self.first_input.disabled = self.additional_input.disabled = not coding
        self.query_input.layout.display = None if not coding else "none"

    @traitlets.observe("chapter", "difficulty", "kind")
    def _filters_changed(self, change) -> None:
        self._filter()
        if self.case_id not in self.visible_ids:
            self.case_id = self.visible_ids[0] if self.visible_ids else ""

    @traitlets.observe("case_id")
    def _show_case(self, change) -> None:
        self.first_input.value = self.additional_input.value = self.query_input.value = ""
        self.answer_mode.value = "codes"
        self.feedback.value = self.answer.value = ""
        self.result = {}
        if not self.case_id:
            self.case_html.value = ui.notice("No case matches these filters.")
            return
        with self._store.reported():
            self._store.set(*POSITION, self.case_id)
        self._render_case()

    def _render_case(self) -> None:
        """The case card, with the learner's attempts at it so far (redrawn after every check)."""
        case = self._cases[self.case_id]
        tries = [t for t in case_attempts(self._store) if t["case_id"] == case.id]
        history = attempts_text([t.get("correct") is True for t in tries])
        position = self.visible_ids.index(self.case_id) + 1
        record = ""
        if case.is_record and case.document_type is not None:
            record = ui.badge(DOCUMENT_NAMES.get(case.document_type.value, case.document_type.value))
            record += ui.badge(case.setting.value) if case.setting else ""
        body = document_html(case.note) if case.is_record else f"<p>{ui.esc(case.note)}</p>"
        self.case_html.value = (
            f"<div class='cp-card'><div>{ui.badge(f'case {position} of {len(self.visible_ids)}')}"
            f"{ui.badge(f'chapter {case.chapter}')}{ui.badge(case.difficulty.value)}{record}"
            f"<span class='cp-small'>{ui.esc(history)}</span></div>"
            f"<div class='cp-title' style='margin-top:6px'>{ui.esc(case.title)}</div>{body}</div>"
        )

    def step(self, delta: int) -> None:
        """Move to the previous (-1) or next (+1) case in the filtered list."""
        if self.case_id in self.visible_ids:
            index = (self.visible_ids.index(self.case_id) + delta) % len(self.visible_ids)
            self.case_id = self.visible_ids[index]

    def check(self) -> PracticeResult | None:
        """Score what is typed; save the attempt unless the answer's format is wrong."""
        if not self.case_id:
            return None
        case = self._cases[self.case_id]
        querying = self.answer_mode.value == "query"
        first = QUERY_ANSWER if querying else self.first_input.value
        more = "" if querying else self.additional_input.value
        result = score_answer(
            case.first_listed,
            case.additional,
            first,
            more,
            alternatives=[codes for codes, _ in case.alternatives],
            optional=case.optional,
            query_expected=case.is_query,
        )
        self.feedback.value = feedback_html(result)
        self.result = {
            "correct": result.correct,
            "score": result.score,
            "verdicts": [f.verdict.value for f in result.feedback],
            "format_errors": list(result.format_errors),
        }
        if not result.format_errors:
            try:
                self._store.add_event(
                    CASE_EVENT,
                    {
                        "case_id": case.id,
                        "chapter": case.chapter,
                        "correct": result.correct,
                        "score": result.score,
                        "first_listed": first.strip(),
                        "additional": more.strip(),
                    },
                )
            except StoreError as exc:  # the learner must not think the attempt counted
                self.feedback.value += ui.notice(str(exc), "error")
            else:
                self._render_case()  # the attempt count on the card goes up at once
            if result.correct:
                self.answer.value = answer_html(case)
        return result

    def reveal(self) -> None:
        """Show the expected codes and the rationale (not recorded as an attempt)."""
        if self.case_id:
            self.answer.value = answer_html(self._cases[self.case_id])


def practice_coding_cases(directory: str | None = None) -> PracticeCases:
    """Coding practice on synthetic cases, scored against the official ICD-10-CM code set."""
    return PracticeCases(list(load_dataset(directory).practice_cases), get_store())


#: the old name, kept working for one release (0.2 removes it); notebooks call :func:`practice_coding_cases`
practice_cases = practice_coding_cases


class PracticeProgress(widgets.HTML):
    """The practice panel; it redraws itself whenever the store changes (here or on another page)."""

    def __init__(self, dataset, store: ProgressStore):
        super().__init__()
        self._dataset, self._store = dataset, store
        self.refresh()
        store.subscribe(self._on_store_change)

    def refresh(self) -> None:
        self.value = (
            ui.STYLE + "<div class='cp-panel'>" + practice_html(readiness(self._store, self._dataset)) + "</div>"
        )

    def _on_store_change(self, change: Change) -> None:
        if change.error is None:
            self.refresh()


def show_practice_progress(directory: str | None = None) -> PracticeProgress:
    """Cases attempted, first-try and recent accuracy, flashcards due and best quiz score (the dashboard's practice
    panel), kept current."""
    return PracticeProgress(load_dataset(directory), get_store())
