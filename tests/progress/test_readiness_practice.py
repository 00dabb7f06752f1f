"""The practice part of the readiness summary: case attempts, first-try and recent accuracy, from saved events."""

from __future__ import annotations

from typing import Any

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.progress.readiness import RECENT_ATTEMPTS, case_attempts, practice_summary
from coderpath_widgets.progress.store import Event


class Export:
    """A learner's saved progress as readiness reads it (the store's interface), events in the order given."""

    profile = "reader"

    def __init__(self, attempts: list[tuple[str, str, bool]]):
        # (created_at, case_id, correct): ids follow the list, as after a merge of another copy's attempts
        self._events = [
            Event(n, "case_attempt", {"case_id": case, "chapter": 9, "correct": right}, stamp)
            for n, (stamp, case, right) in enumerate(attempts, 1)
        ]

    def get(self, namespace: str, key: str, default: Any = None) -> Any:
        return default

    def items(self, namespace: str) -> dict[str, Any]:
        return {}

    def events(self, kind: str | None = None) -> list[Event]:
        return [e for e in self._events if kind in (None, e.kind)]

    def last_activity(self) -> str | None:
        return None


def test_first_try_is_the_earliest_attempt_even_when_saved_later():
    """A case's first attempt is the oldest by time, even when a merge gave it a later id."""
    reader = Export(
        [
            ("2026-03-02T10:00:00+00:00", "a", True),  # the retry, merged in first
            ("2026-03-01T10:00:00+00:00", "a", False),  # the first try, from another machine
            ("2026-03-01T11:00:00+00:00", "b", True),
        ]
    )
    assert [p["correct"] for p in case_attempts(reader)] == [False, True, True]
    summary = practice_summary(reader, load_dataset())
    assert (summary.cases_attempted, summary.case_attempts, summary.cases_right_first_try) == (2, 3, 1)
    assert summary.first_try_accuracy == 0.5
    assert summary.accuracy == 1.0, "the latest attempt at each case is right"
    assert summary.accuracy_by_chapter == {9: 0.5}


def test_recent_accuracy_counts_only_the_latest_attempts():
    wrong_first = [(f"2026-03-01T10:{m:02d}:00+00:00", "a", False) for m in range(5)]
    right_later = [(f"2026-03-01T11:{m:02d}:00+00:00", f"c{m}", True) for m in range(RECENT_ATTEMPTS)]
    summary = practice_summary(Export(wrong_first + right_later), load_dataset())
    assert summary.case_attempts == 5 + RECENT_ATTEMPTS
    assert (summary.recent_attempts, summary.recent_correct, summary.recent_accuracy) == (RECENT_ATTEMPTS,) * 2 + (1.0,)
    assert summary.cases_right_first_try == RECENT_ATTEMPTS and summary.cases_attempted == RECENT_ATTEMPTS + 1


def test_nothing_attempted_has_no_accuracy():
    summary = practice_summary(Export([]), load_dataset())
    assert summary.case_attempts == summary.cases_attempted == summary.recent_attempts == 0
    assert summary.first_try_accuracy is None and summary.recent_accuracy is None and summary.accuracy is None
