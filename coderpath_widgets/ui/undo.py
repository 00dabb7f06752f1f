"""One Undo button for the last removal: what was removed, whose it was, and how long the offer stands."""

from __future__ import annotations

import threading

import ipywidgets as widgets
import traitlets

from coderpath_widgets.progress.debounce import Debouncer


class UndoOffer(traitlets.HasTraits):
    """Holds the saved fields of the last item removed, and the learner they belonged to, until :meth:`forget`
    or ``seconds`` later. :attr:`button` shows while :attr:`active`; a new :meth:`offer` replaces the old one.

    >>> offer = UndoOffer("Put it back", seconds=60)
    >>> offer.offer({"first": "2026-07-01"}, "ana")
    >>> offer.active, offer.pending_for("ben"), offer.pending_for("ana")
    (True, None, {'first': '2026-07-01'})
    >>> offer.forget()
    >>> offer.active, offer.button.layout.display
    (False, 'none')
    """

    active = traitlets.Bool(False, read_only=True)

    def __init__(self, tooltip: str, seconds: float):
        super().__init__()
        self._lock = threading.RLock()
        self._expiry = Debouncer(seconds)
        self._pending: tuple[dict, str] | None = None
        self.button = widgets.Button(
            description="Undo", tooltip=tooltip, layout=widgets.Layout(width="auto", display="none"), disabled=True
        )

    def offer(self, fields: dict, profile: str) -> None:
        """Offer to put back ``fields`` (removed from ``profile``'s progress) until forgotten or expired."""
        with self._lock:
            self._pending = (fields, profile)
            self.set_trait("active", True)
        self._expiry.schedule("undo", self.forget)

    def forget(self) -> None:
        """Nothing to undo any more (the learner moved on, or the time is up)."""
        with self._lock:
            self._pending = None  # a pending expiry finds nothing to forget; the next offer restarts it
            self.set_trait("active", False)

    def pending_for(self, profile: str) -> dict | None:
        """The fields to put back, if the offer stands and they belong to ``profile``."""
        with self._lock:
            if self._pending is None or self._pending[1] != profile:
                return None
            return self._pending[0]

    def belongs_to_another(self, profile: str) -> bool:
        """Whether an offer stands for a learner other than ``profile`` (another page switched learner)."""
        with self._lock:
            return self._pending is not None and self._pending[1] != profile

    @traitlets.observe("active")
    def _show(self, change) -> None:
        self.button.disabled = not change["new"]
        self.button.layout.display = None if change["new"] else "none"
