"""The practice lab's summary: what the learner has practised, as HTML the lab and the dashboard share."""

from __future__ import annotations

from coderpath_widgets.progress.readiness import Readiness
from coderpath_widgets.ui.charts import bar_chart_svg

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


def practice_html(summary: Readiness) -> str:
    p = summary.practice
    quiz = (
        f"{p.best_quiz_score:.0%} (of {p.quiz_attempts} attempts)"
        if p.best_quiz_score is not None
        else "no attempt yet"
    )
    accuracy = f"{p.accuracy:.0%} of {p.cases_attempted} cases" if p.accuracy is not None else "no case yet"
    chart = ""
    if p.accuracy_by_chapter:
        labels = [f"Ch. {ch} {CHAPTER_NAMES.get(ch, '')}" for ch in p.accuracy_by_chapter]
        chart = bar_chart_svg(
            labels, [round(100 * v) for v in p.accuracy_by_chapter.values()], "%", "Accuracy by chapter"
        )
    return (
        "<div class='cp-card'><div class='cp-title'>Practice lab</div>"
        f"<p>Coding cases: <b>{accuracy}</b> · Flashcards due today: <b>{p.cards_due}</b>"
        f" · Best quiz score: <b>{quiz}</b></p>"
        f"{chart}<p><a href='06-practice-lab.ipynb'>Open the practice lab</a></p></div>"
    )
