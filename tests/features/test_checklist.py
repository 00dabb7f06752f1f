"""Checklists driven like a learner would, without a browser."""

from __future__ import annotations

import pytest

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.features.checklist import show_checklist
from coderpath_widgets.progress.store import get_store, reset_stores


@pytest.mark.parametrize("step_id", ["skills", "education", "certification", "jobs"])
def test_each_step_has_a_checklist(step_id):
    widget = show_checklist(step_id)
    assert widget.total == len(load_dataset().checklist(step_id)) > 3
    assert widget.completed == 0 and widget.progress.value == 0


def test_seed_article_skills_are_in_step_one():
    titles = " ".join(i.title.lower() for i in load_dataset().checklist("skills"))
    for skill in ("typing", "computer", "communication", "privacy", "detail"):
        assert skill in titles


def test_ticks_and_notes_survive_a_kernel_restart():
    widget = show_checklist("skills")
    first, second = list(widget.checkboxes)[:2]
    widget.checkboxes[first].value = True
    widget.note_inputs[first].value = "typed 45 wpm on a 5-minute test"
    assert widget.completed == 1 and widget.progress.value == 1
    widget.flush()  # the note is saved ~300 ms after the last keystroke; flush() saves it now
    assert get_store().get("checklist", first) == {"done": True, "note": "typed 45 wpm on a 5-minute test"}
    reset_stores()  # a new kernel, or a Voilà page reload
    again = show_checklist("skills")
    assert again.checkboxes[first].value is True
    assert again.checkboxes[second].value is False
    assert again.note_inputs[first].value == "typed 45 wpm on a 5-minute test"
    assert again.completed == 1


def test_next_actions_follow_the_ticks():
    widget = show_checklist("skills")
    first = list(widget.checkboxes)[0]
    title = load_dataset().by_id("checklist_items")[first].title
    assert "What to do next" in widget.next_box.value
    widget.checkboxes[first].value = True
    assert title not in widget.next_box.value.split("<ol>")[1]
    for box in widget.checkboxes.values():
        box.value = True
    assert "All done in this step" in widget.next_box.value


def test_unknown_step_is_explained():
    with pytest.raises(ValueError, match="Unknown step 'typing'. Known steps: certification, education, jobs, skills"):
        show_checklist("typing")


def test_a_damaged_store_is_reported_on_the_checklist(tmp_home):
    (tmp_home / "progress.sqlite3").write_bytes(b"garbage" * 500)
    widget = show_checklist("skills")
    notice = widget.children[1].value
    assert "kept, not deleted" in notice
    assert list(tmp_home.glob("progress.sqlite3.damaged-*"))
