"""The practice figures (cases, attempts, first-try and recent accuracy), driven through the practice cases widget
and read back from the practice panel and the dashboard."""

from __future__ import annotations

import re

from widget_text import html_of

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import PracticeCase
from coderpath_widgets.dashboard.page import show_dashboard
from coderpath_widgets.features.practice.widgets import PracticeCases, practice_coding_cases, show_practice_progress
from coderpath_widgets.progress.store import get_store

WRONG = "Z00.00"  # a real code that none of the chosen cases calls for


def coded_cases(count: int) -> list[PracticeCase]:
    """``count`` coded (not query) cases from different chapters, none of which calls for :data:`WRONG`."""
    chosen: list[PracticeCase] = []
    for case in load_dataset().practice_cases:
        if case.is_query or WRONG in (case.first_listed, *case.additional):
            continue
        if case.chapter not in {c.chapter for c in chosen}:
            chosen.append(case)
        if len(chosen) == count:
            return chosen
    raise AssertionError(f"the practice data has fewer than {count} coded cases in different chapters")


def answer(widget: PracticeCases, case: PracticeCase, right: bool) -> None:
    """Open ``case`` and check a right or a wrong answer, as the learner would."""
    widget.case_id = case.id
    widget.first_input.value = case.first_listed if right else WRONG
    widget.additional_input.value = ", ".join(case.additional) if right else ""
    widget.check_button.click()
    assert widget.result["correct"] is right and not widget.result["format_errors"]


def panel_text(html: str) -> str:
    """The practice card's words, tags and entities removed (the chart's <desc> kept apart)."""
    card = html[html.index("Practice lab") :]
    card = re.sub(r"<svg.*?</svg>", "", card, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)).replace("&#x27;", "'")


def test_before_any_attempt_no_percentage_is_shown():
    panel = panel_text(show_practice_progress().value)
    assert "Coding cases: not attempted yet" in panel
    assert "first try" not in panel and "Last " not in panel
    assert "%" not in panel.split("Flashcards")[0], "no case percentage before the first attempt"
    page = panel_text(html_of(show_dashboard()))
    assert "Coding cases: not attempted yet" in page and "first try" not in page


def test_retries_do_not_count_as_right_first_time():
    """Three wrong tries then right on one case, right first time on another: 50% first try, not 100%."""
    widget = practice_coding_cases()
    progress = show_practice_progress()  # made before the attempts: it must follow them at once
    retried, first_time = coded_cases(2)
    for _ in range(3):
        answer(widget, retried, right=False)
    answer(widget, retried, right=True)
    assert "4 attempts: right on attempt 4" in widget.case_html.value
    answer(widget, first_time, right=True)

    for html in (progress.value, html_of(show_dashboard())):
        text = panel_text(html)
        assert "Coding cases: 2 cases, 5 attempts" in text
        assert "Right on the first try: 1 of 2 cases (50%)" in text
        assert "Last 5 attempts: 2 right (40%)" in text
        assert "100%" not in text, "the old figure counted the latest attempt of each case"
    chart = re.search(r"<desc[^>]*>(.*?)</desc>", progress.value).group(1)
    assert f"Ch. {retried.chapter} " in chart and f"Ch. {first_time.chapter} " in chart
    by_chapter = dict(part.rsplit(": ", 1) for part in chart.split("; "))
    assert by_chapter[next(k for k in by_chapter if k.startswith(f"Ch. {retried.chapter} "))] == "0%"
    assert by_chapter[next(k for k in by_chapter if k.startswith(f"Ch. {first_time.chapter} "))] == "100%"
    summary = show_dashboard().summary
    assert (summary["cases_attempted"], summary["case_attempts"], summary["cases_right_first_try"]) == (2, 5, 1)


def test_recent_accuracy_covers_only_the_last_ten_attempts():
    widget = practice_coding_cases()
    slow, quick = coded_cases(2)
    answer(widget, slow, right=False)
    answer(widget, slow, right=False)
    answer(widget, quick, right=True)
    for _ in range(9):
        answer(widget, slow, right=True)
    text = panel_text(show_practice_progress().value)
    assert "Coding cases: 2 cases, 12 attempts" in text
    assert "Right on the first try: 1 of 2 cases (50%)" in text
    assert "Last 10 attempts: 10 right (100%)" in text, "10 of 12 overall, but the last 10 were all right"


def test_one_attempt_reads_in_the_singular_and_format_errors_do_not_count():
    widget = practice_coding_cases()
    (case,) = coded_cases(1)
    answer(widget, case, right=False)
    widget.first_input.value = "hello"
    widget.check_button.click()
    assert widget.result["format_errors"]
    text = panel_text(show_practice_progress().value)
    assert "Coding cases: 1 case, 1 attempt " in text
    assert "Right on the first try: 0 of 1 case (0%)" in text
    assert "Last attempt: not right" in text
    assert len(get_store().events("case_attempt")) == 1


def test_quiz_attempts_read_in_the_singular():
    get_store().add_event("quiz_attempt", {"score": 0.65})
    assert "65% (of 1 attempt)" in show_practice_progress().value
