"""The start page asks the learner's name once and greets them by it; the profile panel follows and checks names."""

from __future__ import annotations

import pytest

from coderpath_widgets.features.overview import ProfilePanel, show_path_overview
from coderpath_widgets.progress import profiles
from coderpath_widgets.progress.store import get_store, reset_stores


@pytest.mark.usefixtures("desktop_learner")
def test_the_start_page_asks_once_and_then_greets_by_name():
    page = show_path_overview()
    learner = page.learner
    assert learner.asking and learner.ask_box.layout.display != "none"
    assert "What should we call you?" in learner.greeting.value and "root" not in learner.greeting.value
    assert "Start Step 1" in page.steps.value  # the steps are still there, below

    learner.name_input.value = "Ana & <Bo>"
    learner.save_button.click()
    assert "cannot contain &lt;" in learner.feedback.value and "cp-error" in learner.feedback.value
    assert learner.asking and get_store().profile == profiles.UNNAMED  # nothing saved
    assert learner.name_input.value == "Ana & <Bo>"  # left to correct

    learner.name_input.value = "Ana & Bo"
    learner.save_button.click()
    assert not learner.asking and learner.ask_box.layout.display == "none"
    assert learner.name == "Ana & Bo" and get_store().profile == "Ana & Bo"
    assert "Your progress, Ana &amp; Bo" in learner.greeting.value
    assert "Thank you, Ana &amp; Bo" in learner.feedback.value
    assert learner.name_input.value == ""

    reset_stores()  # another visit, another kernel
    again = show_path_overview().learner
    assert not again.asking and again.ask_box.layout.display == "none"
    assert "Your progress, Ana &amp; Bo" in again.greeting.value


@pytest.mark.usefixtures("desktop_learner")
def test_progress_made_before_the_name_is_kept_under_it():
    get_store().set_field("checklist", "skills-typing", "done", True)
    learner = show_path_overview().learner
    learner.name_input.value = "Maria"
    learner.save_button.click()
    assert "What you had done so far is kept under it." in learner.feedback.value
    assert get_store().get("checklist", "skills-typing") == {"done": True}


@pytest.mark.usefixtures("desktop_learner")
def test_the_profile_panel_on_the_same_page_follows_the_name_given():
    page = show_path_overview()
    panel = ProfilePanel()
    assert panel.profile == profiles.UNNAMED
    page.learner.name_input.value = "Maria"
    page.learner.save_button.click()
    assert panel.profile == "Maria" and panel.name_input.value == "Maria"
    assert list(panel.name_input.options) == ["Maria"]  # the empty unnamed profile is not offered
    assert "coderpath-progress-Maria.json" in panel.export_link.value


@pytest.mark.usefixtures("desktop_learner")
def test_the_name_can_be_changed_on_the_profile_panel_and_the_greeting_follows():
    learner = show_path_overview().learner
    learner.save("Maria")
    panel = ProfilePanel()
    panel.name_input.value = "maria/../x"
    panel.switch_button.click()
    assert "cannot contain /" in panel.feedback.value and get_store().profile == "Maria"
    panel.name_input.value = "Mariana"
    panel.switch_button.click()
    assert get_store().profile == "Mariana" and "Now working as &#x27;Mariana&#x27;" in panel.feedback.value
    assert "Your progress, Mariana" in learner.greeting.value and not learner.asking
    reset_stores()
    assert get_store().profile == "Mariana"


@pytest.mark.usefixtures("desktop_learner")
def test_a_name_typed_on_the_profile_panel_first_counts_as_the_name_given():
    get_store().set("certification", "target", "cpc")
    panel = ProfilePanel()
    panel.name_input.value = "Maria"
    panel.switch_button.click()
    assert get_store().profile == "Maria" and get_store().get("certification", "target") == "cpc"
    assert not show_path_overview().learner.asking


def test_with_a_profile_set_for_the_machine_nothing_is_asked(store):
    learner = show_path_overview().learner
    assert not learner.asking and learner.ask_box.layout.display == "none"
    assert "Your progress, test-learner" in learner.greeting.value


def test_on_a_hub_the_greeting_uses_the_hub_user(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.delenv("CODERPATH_PROFILE", raising=False)
    reset_stores()
    learner = show_path_overview().learner
    assert not learner.asking and "Your progress, ana" in learner.greeting.value
