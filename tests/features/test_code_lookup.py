"""The code lookup widget, driven without a browser."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from coderpath_widgets.features.code_lookup import CodeLookup, details_html, show_code_lookup
from coderpath_widgets.icd import index as icd_index

pytestmark = pytest.mark.usefixtures("icd_home_env")


def test_factory_returns_a_box_with_labelled_controls() -> None:
    lookup = show_code_lookup()
    assert isinstance(lookup, CodeLookup) and isinstance(lookup, widgets.VBox)
    assert lookup.search_box.description == "Search codes" and lookup.search_box.placeholder
    assert lookup.results.description == "Matches"
    assert lookup.search_button.description == "Search"
    assert lookup.selected_code == "" and lookup.results.options == ()
    assert 'role="status"' in lookup.status.value


def test_initial_query_searches_and_shows_the_first_match() -> None:
    lookup = show_code_lookup("lumbago")
    assert lookup.query == lookup.search_box.value == "lumbago"
    assert lookup.selected_code == "M54.50" == lookup.results.value
    assert lookup.results.options[0] == ("M54.50 — Low back pain, unspecified [matches: Lumbago NOS]", "M54.50")
    assert "<h3><code>M54.50</code> Low back pain, unspecified</h3>" in lookup.details.value
    assert "Lumbago NOS" in lookup.details.value


def test_typing_in_the_box_sets_the_query() -> None:
    lookup = show_code_lookup()
    lookup.search_box.value = "high blood pressure"  # what Enter does with continuous_update=False
    assert lookup.query == "high blood pressure"
    assert lookup.selected_code == "I10"
    assert "Essential (primary) hypertension" in lookup.details.value


def test_setting_query_updates_the_box_and_results() -> None:
    lookup = show_code_lookup()
    lookup.query = "e11"
    assert lookup.search_box.value == "e11"
    assert [code for _, code in lookup.results.options][:3] == ["E11", "E11.0", "E11.00"]
    assert "(header)" in lookup.results.options[0][0]
    assert "Header (not billable)" in lookup.details.value


def test_search_button_runs_the_search_again() -> None:
    lookup = show_code_lookup("asthma")
    lookup.results.value = lookup.results.options[2][1]
    lookup.search_button.click()  # same text: searched again, first match selected
    assert lookup.selected_code == lookup.results.options[0][1]
    lookup.search_box.value = "copd"
    lookup.search_button.click()
    assert lookup.selected_code == "J44.9"


def test_picking_a_result_shows_its_details() -> None:
    lookup = show_code_lookup("torus fracture of lower end of right radius")
    assert lookup.selected_code == "S52.521"
    assert "add a 7th character" in lookup.results.options[0][0]
    html_before = lookup.details.value
    assert '<th scope="col">Character</th>' in html_before
    assert "initial encounter for closed fracture" in html_before
    lookup.results.value = "S52.521A"
    assert lookup.selected_code == "S52.521A"
    assert "<h4>7th character</h4>" in lookup.details.value


def test_selected_code_can_be_set_directly() -> None:
    lookup = show_code_lookup()
    lookup.selected_code = "s52521a"
    assert "Torus fracture of lower end of right radius, initial encounter" in lookup.details.value
    lookup.selected_code = "E11.99"
    assert 'role="alert"' in lookup.details.value and "E11.99 is not a code" in lookup.details.value
    lookup.selected_code = ""
    assert lookup.details.value == ""


def test_no_match_and_empty_query() -> None:
    lookup = show_code_lookup("qwzx plorf")
    assert lookup.results.options == () and lookup.selected_code == ""
    assert "No code matches" in lookup.status.value
    lookup.query = ""
    assert "Type a code" in lookup.status.value


def test_script_in_the_query_comes_out_escaped() -> None:
    lookup = show_code_lookup()
    lookup.search_box.value = "<script>alert('x')</script> fracture"
    for html_widget in (lookup.status, lookup.details):
        assert "<script>" not in html_widget.value
    assert "&lt;script&gt;" in lookup.status.value


def test_details_html_escapes_every_string() -> None:
    details = icd_index.details("H66.9")
    html = details_html(details, release="<b>release</b>")
    assert "&lt;b&gt;release&lt;/b&gt;" in html and "<b>" not in html
