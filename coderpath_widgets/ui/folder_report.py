"""The shape of an instructor's report panel: a folder on this server, a button that reads it, the report below.

The class report (a folder of progress exports) and the item analysis (an nbgrader course folder) are both this
panel; each subclass says only what its report is (:meth:`FolderReport.report`) and when a folder given at the
start is read straight away (:meth:`FolderReport.ready`).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.ui.panel import Panel


class FolderReport(Panel):
    """A title, a folder box with a button, and the report of that folder below it (:attr:`output`).

    A subclass names its parts in :attr:`TITLE`, :attr:`SUBTITLE`, :attr:`FOLDER_LABEL` and :attr:`BUTTON_LABEL`.
    """

    TITLE: ClassVar[str]
    SUBTITLE: ClassVar[str]
    FOLDER_LABEL: ClassVar[str]
    BUTTON_LABEL: ClassVar[str]

    folder = traitlets.Unicode()

    def __init__(self, folder: str) -> None:
        self.folder_input = widgets.Text(
            value=folder,
            description=self.FOLDER_LABEL,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="560px"),
        )
        self.build_button = widgets.Button(description=self.BUTTON_LABEL, button_style="primary")
        self.output = widgets.HTML()
        self.build_button.on_click(lambda _: self.build())
        super().__init__(
            [
                ui.header(self.TITLE, self.SUBTITLE),
                widgets.HBox([self.folder_input, self.build_button], layout=widgets.Layout(flex_flow="row wrap")),
                self.output,
            ],
            layout=widgets.Layout(max_width="100%"),
        )
        self.folder = folder
        if folder and self.ready(Path(folder)):
            self.build()

    def build(self) -> None:
        """Read the folder named in the box and show its report."""
        self.folder = self.folder_input.value.strip()
        self.output.value = self.report(self.folder)

    def ready(self, folder: Path) -> bool:
        """Whether ``folder``, given when the panel is made, is read at once (before any click)."""
        raise NotImplementedError

    def report(self, folder: str) -> str:
        """Read ``folder``, keep what was read in the panel's traits, and return the report's HTML."""
        raise NotImplementedError
