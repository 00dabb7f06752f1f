"""Spaced repetition: the scheduler's intervals and the flashcard widget driven without a browser."""

from __future__ import annotations

from datetime import date, timedelta

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.features.flashcards import drill_terminology
from coderpath_widgets.progress.leitner import INTERVAL_DAYS, NEW_CARDS_PER_DAY, due_today, review
from coderpath_widgets.progress.store import get_store, reset_stores

DAY = date(2026, 3, 2)


def test_intervals_grow_with_each_right_answer_and_reset_on_a_miss():
    state, dues = None, []
    for _ in range(6):
        state = review(state, True, DAY)
        dues.append((date.fromisoformat(state["due"]) - DAY).days)
    assert dues == [INTERVAL_DAYS[b] for b in (2, 3, 4, 5, 5, 5)] == [2, 4, 8, 16, 16, 16]
    missed = review(state, False, DAY)
    assert missed["box"] == 1 and missed["due"] == (DAY + timedelta(days=1)).isoformat()
    assert missed["reviews"] == 7 and missed["lapses"] == 1


def test_due_today_puts_overdue_first_then_a_few_new_cards():
    cards = list(load_dataset().word_parts)
    states = {
        cards[0].id: {"box": 2, "due": "2026-03-01"},
        cards[1].id: {"box": 3, "due": "2026-02-20"},
        cards[2].id: {"box": 3, "due": "2026-03-09"},
        cards[3].id: {"box": 1, "due": "not a date"},
    }
    due = due_today(cards, states, DAY)
    assert due[:3] == [cards[3].id, cards[1].id, cards[0].id]
    assert cards[2].id not in due
    assert len(due) == 3 + NEW_CARDS_PER_DAY


def test_widget_reveal_then_answer_moves_on_and_saves():
    widget = drill_terminology(today=DAY)
    first = widget.current_id
    assert widget.knew_button.disabled
    widget.knew_button.click()  # ignored until the meaning is shown
    assert widget.current_id == first and widget.reviewed == 0
    widget.reveal_button.click()
    assert widget.revealed and not widget.knew_button.disabled
    widget.knew_button.click()
    assert widget.reviewed == 1 and widget.current_id != first and not widget.revealed
    assert get_store().get("flashcards", first)["box"] == 2
    reset_stores()
    again = drill_terminology(today=DAY)
    assert first not in again.due_ids  # due in two days, not today
    later = drill_terminology(today=DAY + timedelta(days=2))
    assert later.due_ids[0] == first


def test_filter_by_kind():
    widget = drill_terminology(today=DAY)
    widget.kind_filter.value = "suffix"
    kinds = {c.id: c.kind.value for c in load_dataset().word_parts}
    assert widget.due_ids and all(kinds[i] == "suffix" for i in widget.due_ids)


def test_the_due_count_goes_down_to_done_for_today(tmp_home):
    """Ten new cards a day in all: each review takes one off the list, and the last one ends the day."""
    from datetime import date

    from coderpath_widgets import drill_terminology

    day = date(2026, 3, 2)
    cards = drill_terminology(today=day)
    counts = [len(cards.due_ids)]
    while cards.current_id:
        cards.revealed = True
        cards.answer(len(counts) % 2 == 0)  # knew some, missed some: a missed card comes back tomorrow
        counts.append(len(cards.due_ids))
    assert counts == list(range(counts[0], -1, -1)), counts
    assert "Done for today" in cards.card.value and f"{counts[0]} cards reviewed" in cards.card.value
    assert len(drill_terminology(today=day).due_ids) == 0  # a new page the same day does not start over
