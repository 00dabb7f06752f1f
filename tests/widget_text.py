"""Read what a widget tree shows, for assertions."""

from __future__ import annotations

import ipywidgets as widgets


def html_of(widget: widgets.Widget) -> str:
    """Every HTML fragment a widget tree shows, joined by newlines."""
    parts = []

    def walk(node):
        if isinstance(node, widgets.HTML):
            parts.append(node.value)
        for child in getattr(node, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(parts)
