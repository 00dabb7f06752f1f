"""Pages agree while open: a change reaches every widget in this kernel at once and other kernels within ~2 s."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

from coderpath_widgets.progress.debounce import Debouncer
from coderpath_widgets.progress.store import Change, ProgressStore


def test_subscribers_hear_a_change_in_the_same_process_at_once(store):
    heard: list[Change] = []
    store.subscribe(heard.append)
    store.set_field("checklist", "a", "done", True)
    assert heard and heard[-1].touches("checklist", "a") and not heard[-1].touches("jobs")


def test_a_widget_that_is_gone_is_not_called(store):
    class Panel:
        calls = 0

        def on_change(self, change):
            Panel.calls += 1

    panel = Panel()
    store.subscribe(panel.on_change)
    store.set("certification", "target", "cpc")
    del panel
    store.set("certification", "target", "ccs")
    assert Panel.calls == 1


def test_a_change_made_by_another_process_is_heard_within_two_seconds(tmp_path):
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, profile="learner")
    heard = threading.Event()
    store.subscribe(lambda change: heard.set() if change.touches("checklist") else None)
    script = textwrap.dedent(f"""
        from coderpath_widgets.progress.store import ProgressStore
        ProgressStore({str(path)!r}, profile="learner").set_field("checklist", "a", "done", True)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    written = time.monotonic()
    assert heard.wait(2.0), "no change signal within 2 s"
    assert time.monotonic() - written < 2.0
    assert store.get("checklist", "a") == {"done": True}


def test_two_checklists_in_one_kernel_show_each_others_ticks_and_notes(store):
    from types import SimpleNamespace

    from coderpath_widgets.features.checklist import Checklist

    step = SimpleNamespace(id="jobs", number=4, title="Jobs", subtitle="")
    item = SimpleNamespace(id="jobs-resume", section="Résumé", title="Write it", detail="", evidence_hint=None)
    first, second = Checklist(step, [item], store), Checklist(step, [item], store)
    first.checkboxes[item.id].value = True
    assert second.checkboxes[item.id].value is True and second.completed == 1
    second.note_inputs[item.id].value = "sent to Valley Clinic"
    second.flush()
    assert first.note_inputs[item.id].value == "sent to Valley Clinic"
    assert store.get("checklist", item.id) == {"done": True, "note": "sent to Valley Clinic"}


def test_a_note_being_typed_is_not_overwritten_by_a_refresh(store):
    from types import SimpleNamespace

    from coderpath_widgets.features.checklist import Checklist

    step = SimpleNamespace(id="skills", number=1, title="Skills", subtitle="")
    item = SimpleNamespace(id="skills-typing", section="Basics", title="Type", detail="", evidence_hint=None)
    widget = Checklist(step, [item], store)
    widget.note_inputs[item.id].value = "half a sent"  # typing, not yet saved
    store.set_field("checklist", item.id, "done", True)  # a tick on another page
    assert widget.checkboxes[item.id].value is True
    assert widget.note_inputs[item.id].value == "half a sent"
    widget.flush()
    assert store.get("checklist", item.id) == {"done": True, "note": "half a sent"}


def test_debounced_save_runs_by_itself_after_the_pause():
    saved = threading.Event()
    typing = Debouncer(delay=0.05)
    for _ in range(5):
        typing.schedule("note", saved.set)
    assert typing.pending("note") and not saved.is_set()
    assert saved.wait(2.0)
    assert not typing.pending("note")


def test_a_note_typed_without_enter_is_on_disk_within_a_second(store):
    from types import SimpleNamespace

    from coderpath_widgets.features.checklist import Checklist

    step = SimpleNamespace(id="skills", number=1, title="Skills", subtitle="")
    item = SimpleNamespace(id="skills-typing", section="Basics", title="Type", detail="", evidence_hint=None)
    widget = Checklist(step, [item], store)
    assert widget.note_inputs[item.id].continuous_update is True
    for n in range(1, 8):
        widget.note_inputs[item.id].value = "45 wpm!"[:n]
    fresh = ProgressStore(store.path)  # another kernel reading the file
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline and (fresh.get("checklist", item.id) or {}).get("note") != "45 wpm!":
        time.sleep(0.05)
    assert fresh.get("checklist", item.id) == {"note": "45 wpm!"}
