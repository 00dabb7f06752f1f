"""The message a page shows when the learner's progress file had to be moved aside."""

from __future__ import annotations

import ipywidgets as widgets

from coderpath_widgets import ui
from coderpath_widgets.progress.store import get_store


def store_notice_widget() -> widgets.HTML:
    """A message when the progress store had to be moved aside; empty otherwise."""
    message = get_store().notice
    return widgets.HTML(value=ui.notice(message, "error") if message else "")
