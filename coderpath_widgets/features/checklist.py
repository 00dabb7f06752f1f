"""Checklists: the items of a step, each with a tick and an optional note, saved in the progress store."""

from __future__ import annotations

import threading
from itertools import groupby

import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import ChecklistItem, Step
from coderpath_widgets.features.progress_notice import store_notice_widget
from coderpath_widgets.progress.debounce import Debouncer
from coderpath_widgets.progress.readiness import next_items
from coderpath_widgets.progress.store import Change, ProgressStore, get_store
from coderpath_widgets.progress.vocabulary import CHECKLIST_NAMESPACE
from coderpath_widgets.ui.panel import Panel

NAMESPACE = CHECKLIST_NAMESPACE


def item_state(store: ProgressStore, item_id: str) -> dict:
    """The saved ``{"done": bool, "note": str}`` of an item (defaults when never touched)."""
    saved = store.get(NAMESPACE, item_id, None)
    if not isinstance(saved, dict):
        return {"done": False, "note": ""}
    return {"done": bool(saved.get("done", False)), "note": str(saved.get("note", ""))}


def next_html(items: list[ChecklistItem], done: dict[str, bool]) -> str:
    """The "what to do next" box."""
    todo = next_items(items, done)
    if not todo:
        return '<div class="cp-next"><b>All done in this step.</b> Move on to the next step when you are ready.</div>'
    lines = "".join(f"<li><b>{ui.esc(i.title)}</b> — {ui.esc(i.detail)}</li>" for i in todo)
    return f'<div class="cp-next"><b>What to do next</b><ol>{lines}</ol></div>'


class Checklist(Panel):
    """A step's checklist. ``done`` and ``notes`` mirror the store.

    A tick is saved at once and a note as it is typed (~300 ms after the last keystroke), each as one field of one
    item, so a tick here and a note on another page never overwrite each other. Changes made elsewhere (another
    widget, another page, JupyterLab) are shown without a reload.
    """

    step_id = traitlets.Unicode().tag(sync=False)
    done = traitlets.Dict()
    notes = traitlets.Dict()
    completed = traitlets.Int(0)
    total = traitlets.Int(0)

    def __init__(self, step: Step, items: list[ChecklistItem], store: ProgressStore):
        self._store = store
        self._items = items
        # Refreshes run on the store's watcher thread while the learner's changes arrive on the kernel's: the
        # "this is a refresh, not the learner" guard (Panel.applying) is per thread, and one lock keeps a refresh
        # and a save apart.
        self._lock = threading.RLock()
        self._typing = Debouncer()
        states = {i.id: item_state(store, i.id) for i in items}
        #: the note each input last showed from (or saved to) the store; a change elsewhere differs from it
        self._shown_notes = {k: v["note"] for k, v in states.items()}
        self.checkboxes: dict[str, widgets.Checkbox] = {}
        self.note_inputs: dict[str, widgets.Text] = {}
        self.progress = widgets.IntProgress(
            min=0, max=max(len(items), 1), description="Progress", layout=widgets.Layout(width="420px")
        )
        self.progress_label = widgets.HTML()
        self.next_box = widgets.HTML()
        rows: list[widgets.Widget] = [
            ui.header(f"Step {step.number} checklist: {step.title}", step.subtitle),
            store_notice_widget(),
            widgets.HBox([self.progress, self.progress_label]),
        ]
        # One layout and one style model for all items of a kind, not one each: a page of 40 items sends 120
        # fewer widget models to the browser (nothing here changes one item's layout on its own).
        box_layout, box_style = widgets.Layout(width="auto", margin="8px 0 0 0"), CheckboxStyle()
        note_layout = widgets.Layout(width="calc(100% - 22px)", max_width="440px", margin="0 0 6px 22px")
        note_style = TextStyle()
        detail_layout, detail_style = widgets.Layout(), HTMLStyle()
        for section, section_items in groupby(items, key=lambda i: i.section):
            rows.append(widgets.HTML(f"<h4 style='margin:10px 0 2px 0'>{ui.esc(section)}</h4>"))
            for item in section_items:
                box = widgets.Checkbox(
                    value=states[item.id]["done"],
                    description=item.title,
                    indent=False,
                    layout=box_layout,
                    style=box_style,
                )
                note = widgets.Text(
                    value=states[item.id]["note"],
                    placeholder=f"Evidence, e.g. {item.evidence_hint}" if item.evidence_hint else "Note (optional)",
                    continuous_update=True,
                    layout=note_layout,
                    style=note_style,
                )
                box.observe(self._on_tick(item.id), names="value")
                note.observe(self._on_note(item.id), names="value")
                self.checkboxes[item.id] = box
                self.note_inputs[item.id] = note
                # three widgets per item, straight in the page's box: every wrapper is two more models to send
                rows += [
                    box,
                    widgets.HTML(
                        f'<div class="cp-small" style="margin-left:22px">{ui.esc(item.detail)}</div>',
                        layout=detail_layout,
                        style=detail_style,
                    ),
                    note,
                ]
        rows.append(self.next_box)
        super().__init__(rows, layout=widgets.Layout(max_width="980px"))
        self.step_id = step.id
        self.total = len(items)
        self.notes = {k: v["note"] for k, v in states.items()}
        self.done = {k: v["done"] for k, v in states.items()}
        store.subscribe(self._on_store_change)

    def _on_tick(self, item_id: str):
        def handler(change):
            if self.is_applying:  # a refresh from the store, not the learner
                return
            with self._lock:
                self.done = {**self.done, item_id: bool(change["new"])}
                with self._store.reported():
                    self._store.set_field(NAMESPACE, item_id, "done", bool(change["new"]))

        return handler

    def _on_note(self, item_id: str):
        def handler(change):
            if self.is_applying:  # a refresh from the store, not the learner
                return
            text = str(change["new"])
            self.notes = {**self.notes, item_id: text}
            self._typing.schedule(item_id, lambda: self._save_note(item_id, text))

        return handler

    def _save_note(self, item_id: str, text: str) -> None:
        with self._lock:
            self._shown_notes[item_id] = text
            with self._store.reported():
                self._store.set_field(NAMESPACE, item_id, "note", text)

    def flush(self) -> None:
        """Save every note still waiting for the learner to pause typing."""
        self._typing.flush()

    def _on_store_change(self, change: Change) -> None:
        if change.touches(NAMESPACE):
            self.reload()

    def reload(self) -> None:
        """Show what the store holds now; a note being typed here is left alone."""
        with self._lock:
            states = {i.id: item_state(self._store, i.id) for i in self._items}
            with self.applying():
                for item_id, state in states.items():
                    self.checkboxes[item_id].value = state["done"]
                    if not self._typing.pending(item_id) and state["note"] != self._shown_notes.get(item_id):
                        self._shown_notes[item_id] = state["note"]
                        self.note_inputs[item_id].value = state["note"]
            self.notes = {k: self.note_inputs[k].value for k in states}
            self.done = {k: v["done"] for k, v in states.items()}

    @traitlets.observe("done")
    def _refresh(self, change) -> None:
        self.completed = sum(1 for i in self._items if self.done.get(i.id))
        self.progress.value = self.completed
        share = round(100 * self.completed / self.total) if self.total else 0
        self.progress_label.value = (
            f"<span class='cp-muted'>&nbsp;{self.completed} of {self.total} done ({share}%)</span>"
        )
        self.next_box.value = next_html(self._items, self.done)


def show_checklist(step_id: str, directory: str | None = None) -> Checklist:
    """The checklist of a step (``"skills"``, ``"education"``, ``"certification"`` or ``"jobs"``)."""
    dataset = load_dataset(directory)
    steps = dataset.by_id("steps")
    if step_id not in steps:
        raise ValueError(f"Unknown step '{step_id}'. Known steps: {', '.join(sorted(steps))}")
    return Checklist(steps[step_id], dataset.checklist(step_id), get_store())
