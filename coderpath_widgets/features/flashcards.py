"""Medical terminology flashcards with Leitner-box spaced repetition, saved in the progress store."""

from __future__ import annotations

import enum
from datetime import date

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import WordPart, WordPartKind
from coderpath_widgets.features.progress_notice import store_notice_widget
from coderpath_widgets.progress.leitner import due_today
from coderpath_widgets.progress.store import Change, ProgressStore, StoreError, get_store
from coderpath_widgets.progress.vocabulary import FLASHCARDS_NAMESPACE
from coderpath_widgets.ui.traits import EnumTrait

#: The kind filter's buttons, in order; only kinds the cards have are offered (root "angi", combining form "angi/o").
KIND_LABELS: dict[WordPartKind, str] = {
    WordPartKind.PREFIX: "Prefixes",
    WordPartKind.ROOT: "Roots",
    WordPartKind.COMBINING_FORM: "Combining forms",
    WordPartKind.SUFFIX: "Suffixes",
}


class KindFilter(enum.StrEnum):
    """The kind filter: every card, or the word parts of one kind (the values of :class:`WordPartKind`)."""

    ALL = "all"
    PREFIX = WordPartKind.PREFIX.value
    ROOT = WordPartKind.ROOT.value
    COMBINING_FORM = WordPartKind.COMBINING_FORM.value
    SUFFIX = WordPartKind.SUFFIX.value


class Flashcards(widgets.VBox):
    """One card at a time: see the word part, reveal its meaning, say whether you knew it."""

    due_ids = traitlets.List()
    current_id = traitlets.Unicode("")
    revealed = traitlets.Bool(False)
    reviewed = traitlets.Int(0)
    kind = EnumTrait(KindFilter, KindFilter.ALL)

    def __init__(self, cards: list[WordPart], store: ProgressStore, today: date | None = None):
        self._cards = {c.id: c for c in cards}
        self._store = store
        self._today = today or date.today()
        present = {c.kind for c in cards}
        self.kind_filter = widgets.ToggleButtons(
            options=[("All", "all"), *((label, kind.value) for kind, label in KIND_LABELS.items() if kind in present)],
            value="all",
        )
        self.card = widgets.HTML()
        self.status = widgets.HTML()
        self.reveal_button = widgets.Button(description="Show meaning", button_style="info")
        self.knew_button = widgets.Button(description="I knew it", button_style="success", disabled=True)
        self.missed_button = widgets.Button(description="Not yet", button_style="warning", disabled=True)
        self.reveal_button.on_click(lambda _: setattr(self, "revealed", True))
        self.knew_button.on_click(lambda _: self.answer(True))
        self.missed_button.on_click(lambda _: self.answer(False))
        self.kind_filter.observe(lambda change: setattr(self, "kind", change["new"]), names="value")
        super().__init__(
            [
                ui.header(
                    "Terminology flashcards",
                    "Word parts you know come back less often (Leitner boxes: 1, 2, 4, 8, then 16 days).",
                ),
                store_notice_widget(),
                self.kind_filter,
                self.status,
                self.card,
                widgets.HBox([self.reveal_button, self.knew_button, self.missed_button]),
            ]
        )
        self._load_due()
        store.subscribe(self._on_store_change)

    def _on_store_change(self, change: Change) -> None:
        if change.touches(FLASHCARDS_NAMESPACE):
            self._render()  # the card's box may have moved on another page; the card shown stays

    def _states(self) -> dict[str, dict]:
        return self._store.items(FLASHCARDS_NAMESPACE)

    def _load_due(self) -> None:
        cards = [c for c in self._cards.values() if self.kind in ("all", c.kind.value)]
        self.due_ids = due_today(cards, self._states(), self._today)
        self.current_id = self.due_ids[0] if self.due_ids else ""
        self.revealed = False
        self._render()

    @traitlets.observe("kind")
    def _kind_changed(self, change) -> None:
        self._load_due()

    @traitlets.observe("revealed")
    def _reveal(self, change) -> None:
        self.knew_button.disabled = self.missed_button.disabled = not (change["new"] and self.current_id)
        self.reveal_button.disabled = bool(change["new"]) or not self.current_id
        self._render()

    def answer(self, knew_it: bool) -> None:
        """Record the review of the current card and move to the next due card."""
        if not self.current_id or not self.revealed:
            return
        try:  # read the card's state and write its review in one transaction: a review on another page counts too
            self._store.review_card(self.current_id, knew_it, self._today)
        except StoreError:
            return  # the notice above the card says why
        self.reviewed += 1
        self._load_due()

    def _render(self) -> None:
        left = len(self.due_ids)
        self.status.value = (
            f"<span class='cp-muted'>{left} card{'s' if left != 1 else ''} due today"
            f" · {self.reviewed} reviewed in this session</span>"
        )
        if not self.current_id:
            if self.reviewed:
                cards = f"{self.reviewed} card{'s' if self.reviewed != 1 else ''}"
                self.card.value = (
                    f"<div class='cp-success'><b>Done for today.</b> {cards} reviewed. Come back tomorrow: "
                    "spacing reviews is what makes them stick.</div>"
                )
            else:
                self.card.value = ui.notice(
                    "No cards due today. Come back tomorrow: spacing reviews is what makes them stick.", "next"
                )
            self.reveal_button.disabled = True
            return
        self.reveal_button.disabled = self.revealed
        card = self._cards[self.current_id]
        back = (
            f"<div style='font-size:1.1em;margin-top:8px'><b>{ui.esc(card.meaning)}</b></div>"
            f"<div class='cp-muted'>Example: <i>{ui.esc(card.example_term)}</i> — {ui.esc(card.example_meaning)}</div>"
            if self.revealed
            else "<div class='cp-muted' style='margin-top:8px'>What does it mean?</div>"
        )
        box = int(self._states().get(card.id, {}).get("box", 0) or 0)
        self.card.value = (
            "<div class='cp-card' style='min-height:110px'>"
            f"<div>{ui.badge(kind_text(card))}{ui.badge(card.body_system)}"
            f"{ui.badge('new' if not box else f'box {box}')}</div>"
            f"<div style='font-size:1.8em;font-weight:600;margin-top:6px'>{ui.esc(card.part)}</div>{back}</div>"
        )


def kind_text(card: WordPart) -> str:
    """What sort of word part a card shows, for its badge.

    >>> kind_text(WordPart("w", "angi/o", WordPartKind.COMBINING_FORM, "angi", "vessel", "angiogram", "x", "cv", "src"))
    'combining form of the root angi'
    """
    if card.kind is WordPartKind.COMBINING_FORM and card.root:
        return f"combining form of the root {card.root}"
    return card.kind.value.replace("_", " ")


def drill_terminology(directory: str | None = None, today: date | None = None) -> Flashcards:
    """Flashcards of medical word parts (prefixes, roots and combining forms, suffixes) due today."""
    return Flashcards(list(load_dataset(directory).word_parts), get_store(), today)
