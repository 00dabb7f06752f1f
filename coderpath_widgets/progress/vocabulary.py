"""Every namespace, key and event kind the workbook saves: the one vocabulary of saved progress.

``docs/progress-format.md`` documents each entry in its "What the widgets save" table; a test keeps the two equal.
Writers and readers import their names from here, never spell them as strings.
"""

from __future__ import annotations

#: checklist item id → ``{"done": bool, "note": str}``
CHECKLIST_NAMESPACE = "checklist"

#: the learner's chosen credential, the fit helper's answers, the side-by-side comparison
TARGET_NAMESPACE, TARGET_KEY = "certification", "target"
FIT_ANSWERS_KEY = "fit_answers"
COMPARE_KEY = "compare"

#: the course planner's inputs and the schedule built from them
PLAN_NAMESPACE, PLAN_KEY, SCHEDULE_KEY = "plan", "inputs", "schedule"

#: the job-search tracker's applications
JOBS_NAMESPACE, APPLICATIONS_KEY = "jobs", "applications"

#: word-part id → Leitner state
FLASHCARDS_NAMESPACE = "flashcards"

#: the practice lab's open case
PRACTICE_NAMESPACE, CURRENT_CASE_KEY = "practice", "current_case"

#: append-only events
CASE_EVENT, QUIZ_EVENT = "case_attempt", "quiz_attempt"

#: (namespace, key) pairs with a fixed key; ``None`` marks a namespace keyed by content ids.
SAVED_KEYS: tuple[tuple[str, str | None], ...] = (
    (CHECKLIST_NAMESPACE, None),
    (TARGET_NAMESPACE, TARGET_KEY),
    (TARGET_NAMESPACE, FIT_ANSWERS_KEY),
    (TARGET_NAMESPACE, COMPARE_KEY),
    (PLAN_NAMESPACE, PLAN_KEY),
    (PLAN_NAMESPACE, SCHEDULE_KEY),
    (JOBS_NAMESPACE, APPLICATIONS_KEY),
    (FLASHCARDS_NAMESPACE, None),
    (PRACTICE_NAMESPACE, CURRENT_CASE_KEY),
)
EVENT_KINDS: tuple[str, ...] = (CASE_EVENT, QUIZ_EVENT)
