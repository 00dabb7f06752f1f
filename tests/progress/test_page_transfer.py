"""On the pages, export is a browser download and import a browser upload: no page takes a server path."""

from __future__ import annotations

import base64
import json
import re

import ipywidgets as widgets

from coderpath_widgets.features.overview import ProfilePanel
from coderpath_widgets.progress.store import ProgressStore


def _all_widgets(root):
    yield root
    for child in getattr(root, "children", ()):
        yield from _all_widgets(child)


def test_the_profile_panel_has_no_path_box_and_exports_as_a_download(store):
    store.set_field("checklist", "skills-typing", "note", "45 wpm")
    panel = ProfilePanel()
    assert not [w for w in _all_widgets(panel) if isinstance(w, widgets.Text) and not isinstance(w, widgets.Combobox)]
    assert any(isinstance(w, widgets.FileUpload) for w in _all_widgets(panel))
    link = re.search(r"href='data:application/json;base64,([^']+)'", panel.export_link.value)
    assert link and "download=" in panel.export_link.value
    data = json.loads(base64.b64decode(link.group(1)))
    assert data["state"]["checklist"]["skills-typing"] == {"note": "45 wpm"}


def test_an_upload_is_merged_with_a_summary_and_another_profile_needs_confirmation(store, tmp_path):
    panel = ProfilePanel()
    mine = ProgressStore(tmp_path / "mine.sqlite3", profile=store.profile)
    mine.add_event("quiz_attempt", {"score": 0.7})
    panel.import_bytes(mine.export_bytes(), "my-laptop.json")
    assert "1 attempts added" in panel.feedback.value
    assert panel.confirm_button.layout.display == "none"

    ben = ProgressStore(tmp_path / "ben.sqlite3", profile="ben")
    ben.set("certification", "target", "ccs")
    panel.import_bytes(ben.export_bytes(), "ben.json")
    assert "profile &#x27;ben&#x27;" in panel.feedback.value and "confirm" in panel.feedback.value
    assert store.get("certification", "target") is None  # nothing merged before the learner confirms
    assert panel.confirm_button.layout.display != "none"
    panel.confirm_button.click()
    assert store.get("certification", "target") == "ccs"
    assert "1 saved fields changed" in panel.feedback.value


def test_a_bad_upload_is_explained_not_raised(store):
    panel = ProfilePanel()
    panel.import_bytes(b'{"format": "coderpath-progress", "format_version": 2, "profile": []}', "odd.json")
    assert "odd.json: profile: is array; expected string" in panel.feedback.value


def test_the_dashboard_has_no_path_box_and_refreshes_by_itself(store):
    from coderpath_widgets.dashboard.page import show_dashboard

    board = show_dashboard()
    assert not [w for w in _all_widgets(board) if isinstance(w, widgets.Text)]
    before = board.summary["applications"]
    store.list_add("jobs", "applications", {"employer": "Valley", "role": "Coder", "status": "applied"})
    assert board.summary["applications"] != before  # no Refresh click, no reload
