"""Save as the learner types: a pending save per field, run ~300 ms after the last keystroke.

A text widget calls :meth:`Debouncer.schedule` on every change of its value (``continuous_update=True``).
The save runs on a timer thread once the learner pauses, so a note typed without pressing Enter is on disk
well under a second later. Pending saves are also run when the process exits normally (a kernel shut
down by Voilà or JupyterLab), so nothing typed is dropped on the way out.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Callable, Hashable

DELAY_SECONDS = 0.3

_log = logging.getLogger(__name__)
_all: weakref.WeakSet[Debouncer] = weakref.WeakSet()


class Debouncer:
    """One pending action per key; a new one for the same key replaces it and restarts the delay."""

    def __init__(self, delay: float = DELAY_SECONDS):
        self.delay = delay
        self._lock = threading.Lock()
        self._pending: dict[Hashable, tuple[Callable[[], object], threading.Timer]] = {}
        _all.add(self)

    def schedule(self, key: Hashable, action: Callable[[], object]) -> None:
        """Run ``action`` after the delay, unless another action for ``key`` comes first."""
        timer = threading.Timer(self.delay, self._fire, args=(key,))
        timer.daemon = True
        with self._lock:
            old = self._pending.get(key)
            if old is not None:
                old[1].cancel()
            self._pending[key] = (action, timer)
        timer.start()

    def pending(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._pending

    def _fire(self, key: Hashable) -> None:
        with self._lock:
            entry = self._pending.pop(key, None)
        if entry is not None:
            self._run(entry[0])

    def flush(self, key: Hashable | None = None) -> None:
        """Run the pending action of ``key`` (or every pending action) now."""
        with self._lock:
            keys = [key] if key is not None else list(self._pending)
            entries = [self._pending.pop(k) for k in keys if k in self._pending]
        for action, timer in entries:
            timer.cancel()
            self._run(action)

    @staticmethod
    def _run(action: Callable[[], object]) -> None:
        try:
            action()
        except Exception:  # the store has already told the learner; a timer thread has no one to raise to
            _log.exception("a delayed save failed")


@atexit.register
def flush_all() -> None:
    """Run every pending save of this process (at exit, and in tests)."""
    for debouncer in list(_all):
        debouncer.flush()
