"""The base class of every workbook panel: one box, the shared look, and one guard against reacting to itself.

A panel keeps its state in traitlets and mirrors it in controls (a trait → its control, and a control → its
trait). Writing one side from the other fires the other side's observer; without a guard the panel would
answer its own writes (save a value it is still restoring, re-rank while it fills a dropdown). Every panel
uses the same guard::

    class Planner(Panel):
        def _sync_control(self):
            with self.applying():          # our own write: observers below stay quiet
                self.picker.value = self.program

        def _on_picker(self, change):
            if self.is_applying:           # the echo of our own write
                return
            self.program = change["new"]

Construction counts as applying: build the panel inside ``with self.applying():``, then draw it once.
The guard nests (a counter), so a helper that applies inside another application works, and it is kept per
thread: a refresh on the store's watcher thread is not the learner's click on the kernel's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets


class Panel(widgets.VBox):
    """A vertical box with the ``cp-panel`` look and the re-entrancy guard :meth:`applying`."""

    def __init__(self, children: Sequence[widgets.Widget] = (), **kwargs: Any) -> None:
        super().__init__(list(children), **kwargs)
        self.add_class("cp-panel")  # the shared font and colours for everything inside

    @property
    def _guard(self) -> threading.local:
        # made on first use, so observers that fire before ``__init__`` has run see "not applying"
        guard = self.__dict__.get("_applying_guard")
        if guard is None:
            guard = self.__dict__.setdefault("_applying_guard", threading.local())
        return guard

    @property
    def is_applying(self) -> bool:
        """True while the panel, on this thread, writes its own state (restoring, syncing a control, building)."""
        return getattr(self._guard, "depth", 0) > 0

    @contextmanager
    def applying(self) -> Iterator[None]:
        """Mark writes made inside the block as the panel's own; observers check :attr:`is_applying`."""
        guard = self._guard
        guard.depth = getattr(guard, "depth", 0) + 1
        try:
            yield
        finally:
            guard.depth -= 1
