"""Every namespace, key and event kind the workbook saves: the one vocabulary of saved progress.

``docs/progress-format.md`` documents each entry in its "What the widgets save" table; a test keeps the two equal
(namespace, key, kind and fields). Writers and readers import their names from here, never spell them as strings.

Each saved entry has a *kind*, which says how a change is applied and how two copies merge
(see ``docs/progress-format.md``, "Changes, not snapshots"):

- ``value``: one value replaced as a whole by a learner's choice (newest wins);
- ``record``: an object whose fields change one at a time (newest wins per field);
- ``list``: items with their own stable ids, added, edited and removed one at a time (per item and field;
  removals leave tombstones).
"""

from __future__ import annotations

VALUE, RECORD, LIST = "value", "record", "list"
KINDS: tuple[str, ...] = (VALUE, RECORD, LIST)

#: checklist item id → ``{"done": bool, "note": str}``
CHECKLIST_NAMESPACE = "checklist"

#: the learner's chosen credential, the fit helper's answers, the side-by-side comparison
TARGET_NAMESPACE, TARGET_KEY = "certification", "target"
FIT_ANSWERS_KEY = "fit_answers"
COMPARE_KEY = "compare"

#: the course planner's inputs, its breaks and the schedule built from them
PLAN_NAMESPACE, PLAN_KEY, SCHEDULE_KEY = "plan", "inputs", "schedule"
PLAN_BREAKS_KEY = "breaks"

#: the job-search tracker's applications, and the new application being typed (kept until it is added)
JOBS_NAMESPACE, APPLICATIONS_KEY, JOBS_DRAFT_KEY = "jobs", "applications", "draft"

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
    (PLAN_NAMESPACE, PLAN_BREAKS_KEY),
    (PLAN_NAMESPACE, SCHEDULE_KEY),
    (JOBS_NAMESPACE, APPLICATIONS_KEY),
    (JOBS_NAMESPACE, JOBS_DRAFT_KEY),
    (FLASHCARDS_NAMESPACE, None),
    (PRACTICE_NAMESPACE, CURRENT_CASE_KEY),
)

#: the kind of each saved entry (same keys as :data:`SAVED_KEYS`)
SAVED_KINDS: dict[tuple[str, str | None], str] = {
    (CHECKLIST_NAMESPACE, None): RECORD,
    (TARGET_NAMESPACE, TARGET_KEY): VALUE,
    (TARGET_NAMESPACE, FIT_ANSWERS_KEY): RECORD,
    (TARGET_NAMESPACE, COMPARE_KEY): VALUE,
    (PLAN_NAMESPACE, PLAN_KEY): RECORD,
    (PLAN_NAMESPACE, PLAN_BREAKS_KEY): LIST,
    (PLAN_NAMESPACE, SCHEDULE_KEY): VALUE,
    (JOBS_NAMESPACE, APPLICATIONS_KEY): LIST,
    (JOBS_NAMESPACE, JOBS_DRAFT_KEY): RECORD,
    (FLASHCARDS_NAMESPACE, None): VALUE,
    (PRACTICE_NAMESPACE, CURRENT_CASE_KEY): VALUE,
}

_APPLICATION_FIELDS = {
    "employer": "string",
    "role": "string",
    "applied_on": "string",
    "status": "string",
    "next_step": "string",
    "follow_up_on": "string",
}
#: field → JSON type name, for records and list items whose fields are fixed (checked on import)
FIELD_TYPES: dict[tuple[str, str | None], dict[str, str]] = {
    (CHECKLIST_NAMESPACE, None): {"done": "boolean", "note": "string"},
    (PLAN_NAMESPACE, PLAN_BREAKS_KEY): {"first": "string", "last": "string"},
    (JOBS_NAMESPACE, APPLICATIONS_KEY): _APPLICATION_FIELDS,
    (JOBS_NAMESPACE, JOBS_DRAFT_KEY): _APPLICATION_FIELDS,
}

EVENT_KINDS: tuple[str, ...] = (CASE_EVENT, QUIZ_EVENT)


def entry_of(namespace: str, key: str) -> tuple[str, str | None] | None:
    """The :data:`SAVED_KEYS` entry a saved ``(namespace, key)`` belongs to, or None if it is not in the vocabulary."""
    if (namespace, key) in SAVED_KINDS:
        return namespace, key
    if (namespace, None) in SAVED_KINDS:
        return namespace, None
    return None


def kind_of(namespace: str, key: str) -> str:
    """How ``(namespace, key)`` is changed and merged; entries outside the vocabulary are plain values."""
    entry = entry_of(namespace, key)
    return SAVED_KINDS[entry] if entry else VALUE
