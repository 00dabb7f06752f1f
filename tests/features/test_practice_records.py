"""The practice lab's record-based cases, driven without a browser: the Kind filter, documents shown
escaped with their line breaks, query answers, alternatives and optional codes, POA in the answer."""

from __future__ import annotations

import pytest

from coderpath_widgets.content.loaders import load
from coderpath_widgets.content.models import AsOf, Difficulty, DocumentType, EncounterSetting, PracticeCase
from coderpath_widgets.features.practice.widgets import PracticeCases, answer_html
from coderpath_widgets.progress.store import get_store

pytestmark = pytest.mark.usefixtures("icd_home_env")


@pytest.fixture(scope="module")
def cases() -> list[PracticeCase]:
    return load("practice_cases")


def lab(cases: list[PracticeCase]) -> PracticeCases:
    return PracticeCases(cases, get_store())


def test_kind_filter_separates_short_cases_from_medical_records(cases):
    widget = lab(cases)
    widget.kind_filter.value = "record"
    records = [c.id for c in cases if c.document_type is not None]
    assert widget.visible_ids == records and len(records) >= 40
    assert widget.case_id == records[0]
    widget.kind_filter.value = "short"
    assert widget.visible_ids == [c.id for c in cases if c.document_type is None]
    widget.kind_filter.value = "all"
    assert len(widget.visible_ids) == len(cases)


def test_a_record_is_shown_escaped_with_its_line_breaks(cases):
    record = PracticeCase(
        "r1",
        18,
        Difficulty.EASY,
        "Chest pain <script>",
        "ED NOTE\nChief complaint: pain & <b>worry</b>",
        "R07.9",
        (),
        "r",
        "IV.H",
        "s",
        AsOf("2026"),
        document_type=DocumentType.ED_NOTE,
        setting=EncounterSetting.OUTPATIENT,
    )
    widget = lab([record])
    shown = widget.case_html.value
    assert "white-space:pre-wrap" in shown and "ED NOTE\nChief complaint" in shown
    assert "&lt;b&gt;worry&lt;/b&gt;" in shown and "<b>worry" not in shown and "<script>" not in shown
    assert "ED note" in shown and "outpatient" in shown


def test_a_query_case_is_answered_with_a_query(cases):
    query_case = next(c for c in cases if c.is_query)
    widget = lab(cases)
    widget.case_id = query_case.id
    widget.first_input.value = "J96.01"
    widget.check_button.click()
    assert widget.result["correct"] is False and widget.result["verdicts"] == ["query_needed"]
    widget.answer_mode.value = "query"
    assert widget.first_input.disabled and widget.query_input.layout.display is None
    widget.query_input.value = "Please clarify the diagnosis."
    widget.check_button.click()
    assert widget.result["correct"] is True and widget.result["score"] == 1.0
    assert "Model query" in widget.answer.value
    events = get_store().events("case_attempt")
    assert [e.payload["correct"] for e in events] == [False, True]
    assert events[-1].payload["first_listed"] == "query"
    widget.next_button.click()
    assert widget.answer_mode.value == "codes" and not widget.first_input.disabled


def test_a_query_where_the_record_supports_coding_is_wrong(cases):
    case = next(c for c in cases if c.is_record and not c.is_query)
    widget = lab(cases)
    widget.case_id = case.id
    widget.answer_mode.value = "query"
    widget.check_button.click()
    assert widget.result["correct"] is False and widget.result["verdicts"][0] == "query_not_needed"


def test_accepted_alternative_and_optional_code_score_full_marks(cases):
    widget = lab(cases)
    case = next(c for c in cases if c.alternatives and c.optional)
    widget.case_id = case.id
    alternative, _ = case.alternatives[0]
    widget.first_input.value = alternative[0]
    widget.additional_input.value = ", ".join([*alternative[1:], *case.optional])
    widget.check_button.click()
    assert widget.result["correct"] is True and widget.result["score"] == 1.0
    assert "accepted alternative" in widget.feedback.value and "optional" in widget.feedback.value


def test_repeated_code_is_marked_wrong_in_the_lab(cases):
    case = next(c for c in cases if c.id == "case-021")
    widget = lab(cases)
    widget.case_id = case.id
    widget.first_input.value = "D57.01"
    widget.additional_input.value = "R50.81, R50.81"
    widget.check_button.click()
    assert widget.result["correct"] is False and "duplicate" in widget.result["verdicts"]
    assert "I.B.12" in widget.feedback.value


def test_answer_shows_poa_indicators_and_alternatives(cases):
    inpatient = next(c for c in cases if c.poa_indicators and c.alternatives)
    shown = answer_html(inpatient)
    first = inpatient.first_listed
    assert f"{first} (POA {inpatient.poa_indicators[first]})" in shown
    assert "Also accepted" in shown
