"""Leitner-box spaced repetition: a card's next state after a review, and the cards due today."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from coderpath_widgets.content.models import WordPart

#: Leitner box → days until the next review. A card you know moves up a box; one you miss goes back to box 1.
INTERVAL_DAYS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}
NEW_CARDS_PER_DAY = 10


def review(state: dict | None, knew_it: bool, today: date) -> dict:
    """The card's new state after one review.

    >>> review(None, True, date(2026, 1, 1))
    {'box': 2, 'due': '2026-01-03', 'reviews': 1, 'lapses': 0, 'last': '2026-01-01', 'first': '2026-01-01'}
    >>> review({'box': 4, 'due': '2026-01-01', 'reviews': 5, 'lapses': 0}, False, date(2026, 1, 1))['box']
    1
    """
    state = state or {}
    box = int(state.get("box", 1))
    box = min(box + 1, max(INTERVAL_DAYS)) if knew_it else 1
    return {
        "box": box,
        "due": (today + timedelta(days=INTERVAL_DAYS[box])).isoformat(),
        "reviews": int(state.get("reviews", 0)) + 1,
        "lapses": int(state.get("lapses", 0)) + (0 if knew_it else 1),
        "last": today.isoformat(),
        "first": str(state.get("first") or today.isoformat()),  # the day the card was first seen
    }


def _due_date(state: dict) -> date:
    try:
        return date.fromisoformat(str(state.get("due")))
    except ValueError:
        return date.min  # an unreadable date makes the card due, never lost


def introduced_on(state: object, day: date) -> bool:
    """Whether a card was first seen on ``day`` (states saved before "first" existed: one review, that day)."""
    if not isinstance(state, dict):
        return False
    first = state.get("first")
    if first is not None:
        return str(first) == day.isoformat()
    return state.get("reviews") == 1 and str(state.get("last")) == day.isoformat()


def due_today(
    cards: Sequence[WordPart], states: dict[str, dict], today: date, new_limit: int = NEW_CARDS_PER_DAY
) -> list[str]:
    """Ids to review today: cards already seen that are due (most overdue first), then new ones.

    At most ``new_limit`` new cards a day, counting those already begun today: the list gets shorter as the
    learner reviews, and ends ("done for today") instead of offering ten more new cards after each ten.
    """
    seen = [c for c in cards if isinstance(states.get(c.id), dict)]
    due = sorted((c for c in seen if _due_date(states[c.id]) <= today), key=lambda c: (_due_date(states[c.id]), c.id))
    begun = sum(1 for c in seen if introduced_on(states[c.id], today))
    fresh = [c for c in cards if c.id not in states][: max(0, new_limit - begun)]
    return [c.id for c in due] + [c.id for c in fresh]
