"""The practice lab's summary: what the learner has practised, as HTML the lab and the dashboard share.

Case figures: cases attempted and attempts, the share of cases right on the first try, and the share right
among the latest attempts (at most ``RECENT_ATTEMPTS``, ten). Nothing reads as a percentage before an attempt.
"""

from __future__ import annotations

from coderpath_widgets.progress.readiness import PracticeSummary, Readiness
from coderpath_widgets.ui import esc, plural
from coderpath_widgets.ui.charts import bar_chart_html

#: ICD-10-CM chapter number → a short name for charts and filters.
CHAPTER_NAMES = {
    1: "Infectious diseases",
    2: "Neoplasms",
    3: "Blood and immune",
    4: "Endocrine and metabolic",
    5: "Mental and behavioural",
    6: "Nervous system",
    7: "Eye",
    8: "Ear",
    9: "Circulatory",
    10: "Respiratory",
    11: "Digestive",
    12: "Skin",
    13: "Musculoskeletal",
    14: "Genitourinary",
    15: "Pregnancy",
    16: "Perinatal",
    17: "Congenital",
    18: "Symptoms and signs",
    19: "Injury and poisoning",
    20: "External causes",
    21: "Health status and services",
    22: "Special purposes",
}


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage that reads 100% only when every one is right, 0% only when none is.

    >>> percent(1, 2), percent(199, 200), percent(1, 300), percent(3, 3), percent(0, 3)
    ('50%', '99%', '1%', '100%', '0%')
    """
    value = round(100 * part / whole)
    if part < whole:
        value = min(value, 99)
    if part > 0:
        value = max(value, 1)
    return f"{value}%"


def attempted_text(p: PracticeSummary) -> str:
    """How many cases the learner has coded and in how many attempts.

    >>> attempted_text(PracticeSummary()), attempted_text(PracticeSummary(cases_attempted=1, case_attempts=3))
    ('not attempted yet', '1 case, 3 attempts')
    """
    if not p.case_attempts:
        return "not attempted yet"
    return f"{plural(p.cases_attempted, 'case')}, {plural(p.case_attempts, 'attempt')}"


def first_try_text(p: PracticeSummary) -> str:
    """How many attempted cases were right on their first attempt.

    >>> first_try_text(PracticeSummary(cases_attempted=2, case_attempts=4, cases_right_first_try=1))
    '1 of 2 cases (50%)'
    """
    return f"{p.cases_right_first_try} of {plural(p.cases_attempted, 'case')} " + (
        f"({percent(p.cases_right_first_try, p.cases_attempted)})"
    )


def recent_label(p: PracticeSummary) -> str:
    """What the recent figure covers: the last ten attempts, or every attempt so far when there are fewer.

    >>> recent_label(PracticeSummary(recent_attempts=10)), recent_label(PracticeSummary(recent_attempts=1))
    ('Last 10 attempts', 'Last attempt')
    """
    return "Last attempt" if p.recent_attempts == 1 else f"Last {p.recent_attempts} attempts"


def recent_text(p: PracticeSummary) -> str:
    """How many of the latest attempts (at most :data:`RECENT_ATTEMPTS`) were right.

    >>> recent_text(PracticeSummary(recent_attempts=4, recent_correct=2))
    '2 right (50%)'
    >>> recent_text(PracticeSummary(recent_attempts=1, recent_correct=0))
    'not right'
    """
    if p.recent_attempts == 1:
        return "right" if p.recent_correct else "not right"
    return f"{p.recent_correct} right ({percent(p.recent_correct, p.recent_attempts)})"


def practice_html(summary: Readiness) -> str:
    """The practice panel: case attempts, first-try and recent accuracy, flashcards due, best quiz score."""
    p = summary.practice
    quiz = (
        f"{p.best_quiz_score:.0%} (of {plural(p.quiz_attempts, 'attempt')})"
        if p.best_quiz_score is not None
        else "no attempt yet"
    )
    cases = f"<p>Coding cases: <b>{esc(attempted_text(p))}</b></p>"
    chart = ""
    if p.case_attempts:
        cases += (
            f"<p>Right on the first try: <b>{esc(first_try_text(p))}</b>"
            f" · {esc(recent_label(p))}: <b>{esc(recent_text(p))}</b></p>"
        )
    if p.accuracy_by_chapter:
        labels = [f"Ch. {ch} {CHAPTER_NAMES.get(ch, '')}" for ch in p.accuracy_by_chapter]
        chart = bar_chart_html(
            labels,
            [round(100 * v) for v in p.accuracy_by_chapter.values()],
            "%",
            "Right on the first try, by chapter",
        )
    return (
        "<div class='cp-card'><div class='cp-title'>Practice lab</div>"
        f"{cases}<p>Flashcards due today: <b>{p.cards_due}</b> · Best quiz score: <b>{quiz}</b></p>"
        f"{chart}<p><a href='06-practice-lab.ipynb'>Open the practice lab</a></p></div>"
    )
