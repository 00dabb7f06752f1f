"""The Panel base class: the shared look and one re-entrancy guard, nested and per thread."""

from __future__ import annotations

import threading

import ipywidgets as widgets
import traitlets

from coderpath_widgets.ui.panel import Panel


class Mirror(Panel):
    """A trait mirrored in a text box, the way every panel mirrors its state in its controls."""

    value = traitlets.Unicode("")

    def __init__(self):
        self.box = widgets.Text()
        self.saved: list[str] = []
        with self.applying():
            self.value = "restored"  # restoring is not a change to save
        super().__init__([self.box])
        self.box.observe(self._on_box, names="value")
        self._sync_box()

    def _sync_box(self):
        with self.applying():
            self.box.value = self.value

    def _on_box(self, change):
        if not self.is_applying:
            self.value = change["new"]

    @traitlets.observe("value")
    def _save(self, change):
        if not self.is_applying:
            self.saved.append(change["new"])
            self._sync_box()


def test_own_writes_are_not_taken_for_the_learners():
    panel = Mirror()
    assert panel.value == panel.box.value == "restored" and panel.saved == []
    assert "cp-panel" in panel._dom_classes and panel.children == (panel.box,)
    panel.box.value = "typed"
    assert panel.value == "typed" and panel.saved == ["typed"]
    panel.value = "set in code"
    assert panel.box.value == "set in code" and panel.saved == ["typed", "set in code"]


def test_the_guard_nests_and_reopens():
    panel = Mirror()
    with panel.applying():
        with panel.applying():
            assert panel.is_applying
        assert panel.is_applying
    assert not panel.is_applying
    try:
        with panel.applying():
            raise ValueError("boom")
    except ValueError:
        pass
    assert not panel.is_applying


def test_the_guard_is_per_thread():
    panel = Mirror()
    seen = []
    with panel.applying():
        thread = threading.Thread(target=lambda: seen.append(panel.is_applying))
        thread.start()
        thread.join()
    assert seen == [False]
