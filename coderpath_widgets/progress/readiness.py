"""The learner's whole path in numbers: completion per step and the next actions, read from the store.

This is the one place that knows every namespace the widgets save into (documented in
``docs/progress-format.md``); the dashboard and the class report both build on it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from coderpath_widgets.content.dataset import Dataset, load_dataset
from coderpath_widgets.content.models import ChecklistItem
from coderpath_widgets.progress.leitner import due_today
from coderpath_widgets.progress.store import Event, get_store
from coderpath_widgets.progress.vocabulary import (
    APPLICATIONS_KEY,
    CASE_EVENT,
    CHECKLIST_NAMESPACE,
    FLASHCARDS_NAMESPACE,
    JOBS_NAMESPACE,
    PLAN_NAMESPACE,
    QUIZ_EVENT,
    SCHEDULE_KEY,
    TARGET_KEY,
    TARGET_NAMESPACE,
)


def next_items(items: list[ChecklistItem], done: dict[str, bool], count: int = 3) -> list[ChecklistItem]:
    """The first ``count`` items not yet done, in checklist order."""
    return [i for i in items if not done.get(i.id)][:count]


class ProgressReader(Protocol):
    """What readiness needs to read: the live store, or one learner's export (see class_report)."""

    profile: str

    def get(self, namespace: str, key: str, default: Any = None) -> Any: ...

    def items(self, namespace: str) -> dict[str, Any]: ...

    def events(self, kind: str | None = None) -> list[Event]: ...

    def last_activity(self) -> str | None: ...


@dataclass(frozen=True)
class StepProgress:
    """Checklist completion of one step."""

    step_id: str
    number: int
    title: str
    notebook: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


#: How many of the latest case attempts the recent accuracy covers.
RECENT_ATTEMPTS = 10


@dataclass(frozen=True)
class PracticeSummary:
    """What the practice lab has recorded.

    Case figures count every saved attempt (an answer with a format error is never saved): ``cases_attempted``
    distinct cases in ``case_attempts`` attempts; ``cases_right_first_try`` of those cases were right on their
    first attempt; ``recent_correct`` of the latest ``recent_attempts`` attempts (at most :data:`RECENT_ATTEMPTS`)
    were right. ``cases_correct`` counts the cases whose latest attempt is right.
    """

    cases_attempted: int = 0
    cases_correct: int = 0
    accuracy_by_chapter: dict[int, float] = field(default_factory=dict)  # first-try accuracy per ICD-10-CM chapter
    cards_due: int = 0
    cards_seen: int = 0
    best_quiz_score: float | None = None
    quiz_attempts: int = 0
    case_attempts: int = 0
    cases_right_first_try: int = 0
    recent_attempts: int = 0
    recent_correct: int = 0

    @property
    def accuracy(self) -> float | None:
        """Share of attempted cases whose latest attempt is right (None before any attempt)."""
        return self.cases_correct / self.cases_attempted if self.cases_attempted else None

    @property
    def first_try_accuracy(self) -> float | None:
        """Share of attempted cases that were right on their first attempt (None before any attempt)."""
        return self.cases_right_first_try / self.cases_attempted if self.cases_attempted else None

    @property
    def recent_accuracy(self) -> float | None:
        """Share of the latest ``recent_attempts`` attempts that were right (None before any attempt)."""
        return self.recent_correct / self.recent_attempts if self.recent_attempts else None


def case_attempts(store: ProgressReader) -> list[dict[str, Any]]:
    """Every saved case attempt's payload, oldest first (by time saved; attempts merged from another copy of the
    progress file fall into place), leaving out any without a ``case_id``."""
    events = sorted(store.events(CASE_EVENT), key=lambda e: str(e.created_at or ""))
    return [e.payload for e in events if isinstance(e.payload, dict) and "case_id" in e.payload]


@dataclass(frozen=True)
class Readiness:
    """Everything the dashboard shows about a learner's progress."""

    profile: str
    steps: tuple[StepProgress, ...]
    next_actions: tuple[str, ...]
    target_credential: str | None
    schedule: dict[str, Any] | None
    applications_by_status: dict[str, int]
    practice: PracticeSummary
    last_activity: str | None

    @property
    def overall_percent(self) -> int:
        done = sum(s.done for s in self.steps)
        total = sum(s.total for s in self.steps)
        return round(100 * done / total) if total else 0


def practice_summary(store: ProgressReader, dataset: Dataset, today: date | None = None) -> PracticeSummary:
    """Case attempts, first-try and recent accuracy (overall and by chapter), cards due today, best quiz score."""
    today = today or date.today()
    attempts = case_attempts(store)
    first: dict[str, dict] = {}
    latest: dict[str, dict] = {}
    for payload in attempts:
        first.setdefault(str(payload["case_id"]), payload)
        latest[str(payload["case_id"])] = payload
    by_chapter: dict[int, list[bool]] = defaultdict(list)
    for payload in first.values():
        try:
            by_chapter[int(payload.get("chapter", 0))].append(payload.get("correct") is True)
        except (TypeError, ValueError):
            continue
    recent = attempts[-RECENT_ATTEMPTS:]
    cards = store.items(FLASHCARDS_NAMESPACE)
    due = due_today(dataset.word_parts, cards, today)
    quiz_scores = [
        float(e.payload["score"])
        for e in store.events(QUIZ_EVENT)
        if isinstance(e.payload, dict) and isinstance(e.payload.get("score"), (int, float))
    ]
    return PracticeSummary(
        cases_attempted=len(latest),
        cases_correct=sum(1 for p in latest.values() if p.get("correct") is True),
        accuracy_by_chapter={ch: sum(v) / len(v) for ch, v in sorted(by_chapter.items())},
        cards_due=len(due),
        cards_seen=len(cards),
        best_quiz_score=max(quiz_scores) if quiz_scores else None,
        quiz_attempts=len(quiz_scores),
        case_attempts=len(attempts),
        cases_right_first_try=sum(1 for p in first.values() if p.get("correct") is True),
        recent_attempts=len(recent),
        recent_correct=sum(1 for p in recent if p.get("correct") is True),
    )


#: Application statuses that need no follow-up (the job tracker's closed statuses).
CLOSED_STATUSES = frozenset({"accepted", "rejected", "withdrawn"})


def ordered_actions(
    steps: list[StepProgress],
    actions_by_step: dict[int, list[str]],
    has_target: bool,
    has_plan: bool,
    applications: list,
    today: date,
    count: int = 3,
) -> list[str]:
    """The next ``count`` actions: overdue job follow-ups first (oldest first), then by step, in checklist order.

    A missing choice belongs to its step: the course plan to Step 2, the target credential to Step 3, each
    before that step's open checklist items.

    >>> s = [StepProgress("a", 1, "A", "a", 0, 1), StepProgress("b", 2, "B", "b", 0, 1)]
    >>> ordered_actions(s, {1: ["Step 1: x"], 2: ["Step 2: y"]}, True, False,
    ...                 [{"employer": "Acme", "status": "applied", "follow_up_on": "2026-01-02"}], date(2026, 1, 5))
    ['Step 4: follow up with Acme (due 2026-01-02)', 'Step 1: x', 'Step 2: make a course plan with a finish date']
    """
    due = sorted(
        (
            a
            for a in applications
            if isinstance(a, dict)
            and a.get("follow_up_on")
            and str(a.get("status", "")) not in CLOSED_STATUSES
            and str(a["follow_up_on"]) <= today.isoformat()
        ),
        key=lambda a: str(a["follow_up_on"]),
    )
    out = [f"Step 4: follow up with {a.get('employer') or 'an employer'} (due {a['follow_up_on']})" for a in due]
    for step in sorted(steps, key=lambda s: s.number):
        if step.number == 2 and not has_plan:
            out.append("Step 2: make a course plan with a finish date")
        if step.number == 3 and not has_target:
            out.append("Step 3: choose a target credential with the fit helper")
        out.extend(actions_by_step.get(step.number, []))
    return out[:count]


def readiness(
    store: ProgressReader | None = None, dataset: Dataset | None = None, today: date | None = None
) -> Readiness:
    """Compute the learner's completion per step and next three actions from the store."""
    store = store or get_store()
    dataset = dataset or load_dataset()
    saved = store.items(CHECKLIST_NAMESPACE)
    done = {k: bool(v.get("done")) for k, v in saved.items() if isinstance(v, dict)}
    steps = []
    actions_by_step: dict[int, list[str]] = {}
    for step in sorted(dataset.steps, key=lambda s: s.number):
        items = dataset.checklist(step.id)
        steps.append(
            StepProgress(
                step.id, step.number, step.title, step.notebook, sum(1 for i in items if done.get(i.id)), len(items)
            )
        )
        actions_by_step[step.number] = [f"Step {step.number}: {i.title}" for i in next_items(items, done, 3)]
    target = store.get(TARGET_NAMESPACE, TARGET_KEY)
    if target not in dataset.by_id("certifications"):
        target = None
    schedule = store.get(PLAN_NAMESPACE, SCHEDULE_KEY)
    applications = store.get(JOBS_NAMESPACE, APPLICATIONS_KEY) or []
    ordered = ordered_actions(
        steps, actions_by_step, target is not None, isinstance(schedule, dict), applications, today or date.today()
    )
    statuses = Counter(str(a.get("status", "")) or "unknown" for a in applications if isinstance(a, dict))
    return Readiness(
        profile=store.profile,
        steps=tuple(steps),
        next_actions=tuple(ordered),
        target_credential=target,
        schedule=schedule if isinstance(schedule, dict) else None,
        applications_by_status=dict(statuses),
        practice=practice_summary(store, dataset),
        last_activity=store.last_activity(),
    )
