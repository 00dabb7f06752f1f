"""The message a page shows about the learner's progress file: moved aside, unreadable, or not being saved."""

from __future__ import annotations

import ipywidgets as widgets

from coderpath_widgets import ui
from coderpath_widgets.progress.store import Change, ProgressStore, get_store


class StoreNotice(widgets.HTML):
    """Empty while all is well; the store's plain message otherwise, and at once when a save fails."""

    def __init__(self, store: ProgressStore):
        super().__init__()
        self._store = store
        self._failed: str | None = None
        self._show()
        store.subscribe(self._on_store_change)

    def _show(self) -> None:
        messages = [m for m in (self._failed, self._store.notice) if m]
        self.value = "".join(ui.notice(m, "error") for m in dict.fromkeys(messages))

    def _on_store_change(self, change: Change) -> None:
        if change.error is not None:
            self._failed = change.error
        elif self._failed is not None and change.namespaces is not None:
            self._failed = None  # a later save worked
        self._show()


def store_notice_widget() -> StoreNotice:
    """A message when the progress store had to be moved aside or cannot save; empty otherwise."""
    return StoreNotice(get_store())
