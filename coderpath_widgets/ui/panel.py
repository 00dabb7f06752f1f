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
The guard nests (a counter), so a helper that applies inside another application works.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets


class Panel(widgets.VBox):
    """A vertical box with the ``cp-panel`` look and the re-entrancy guard :meth:`applying`."""

    #: how many ``applying()`` blocks are open; a class default, so observers that fire before
    #: ``__init__`` has run (traits set while the panel is built) see "not applying"
    _applying_depth = 0

    def __init__(self, children: Sequence[widgets.Widget] = (), **kwargs: Any) -> None:
        super().__init__(list(children), **kwargs)
        self.add_class("cp-panel")  # the shared font and colours for everything inside

    @property
    def is_applying(self) -> bool:
        """True while the panel writes its own state (restoring, syncing a control, building itself)."""
        return self._applying_depth > 0

    @contextmanager
    def applying(self) -> Iterator[None]:
        """Mark writes made inside the block as the panel's own; observers check :attr:`is_applying`."""
        self._applying_depth += 1
        try:
            yield
        finally:
            self._applying_depth -= 1
