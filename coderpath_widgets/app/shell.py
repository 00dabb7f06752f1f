"""The app shell around every page: navigation with the learner's progress, and the footer.

Voilà's ``coderpath`` template calls these as Jinja filters (registered in ``jupyter-config/voila.json``
under ``VoilaExporter.filters``). They run in the Voilà server process, once per page view, *after* the
page's cells (the template calls them below the cell loop): in a pre-heated kernel the cells wait for the
visit before reading progress, so the figures here are read at the same moment as the widgets' own.

Both functions return HTML and never raise: if progress cannot be read, the navigation is shown
without figures rather than breaking the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from coderpath_widgets import __version__
from coderpath_widgets.ui import esc

WORKBOOK_NAME = "coderpath"
START_PAGE = "00-start-here.ipynb"


@dataclass(frozen=True)
class NavItem:
    """One page in the navigation."""

    notebook: str
    label: str
    step_number: int | None = None


#: The workbook's pages in reading order. Step pages take their number from ``data/steps.csv``.
PAGES = (
    NavItem(START_PAGE, "Start"),
    NavItem("01-develop-your-skills.ipynb", "Skills", 1),
    NavItem("02-complete-your-education.ipynb", "Education", 2),
    NavItem("03-get-certified.ipynb", "Certification", 3),
    NavItem("04-apply-for-jobs.ipynb", "Jobs", 4),
    NavItem("05-related-careers.ipynb", "Related careers"),
    NavItem("06-practice-lab.ipynb", "Practice lab"),
    NavItem("07-dashboard.ipynb", "Dashboard"),
)


def step_percents() -> dict[int, int]:
    """Checklist completion (percent) per step number, read fresh from the learner's store; {} if unreadable."""
    try:
        from coderpath_widgets.content.dataset import load_dataset
        from coderpath_widgets.progress.readiness import readiness
        from coderpath_widgets.progress.store import ProgressStore

        store = ProgressStore()  # a fresh handle: the active profile may have changed in a kernel
        try:
            summary = readiness(store, load_dataset())
        finally:
            store.close()
        return {s.number: s.percent for s in summary.steps}
    except Exception:  # noqa: BLE001 - the shell must never break a page; the figures are a courtesy
        return {}


def nav_html(page_name: object, percents: dict[int, int] | None = None) -> Markup:
    """The ``<nav>`` of a page: every page, the current one marked with ``aria-current``.

    ``page_name`` is the notebook's name without ``.ipynb`` (Voilà's ``resources.metadata.name``).

    >>> html = nav_html("01-develop-your-skills", {1: 40})
    >>> 'aria-current="page"' in html and "40%" in html
    True
    """
    percents = step_percents() if percents is None else percents
    current = f"{page_name}.ipynb"
    items = []
    for page in PAGES:
        label = esc(page.label)
        if page.step_number is not None:
            label = f'<span class="cp-nav-step">Step {page.step_number}</span> {label}'
            if page.step_number in percents:
                share = percents[page.step_number]
                label += (
                    f' <span class="cp-nav-progress">{share}%<span class="cp-visually-hidden">'
                    " of its checklist done</span></span>"
                )
        mark = ' aria-current="page"' if page.notebook == current else ""
        items.append(f'<li><a href="{esc(page.notebook)}"{mark}>{label}</a></li>')
    return Markup('<nav id="cp-nav" class="cp-nav" aria-label="Workbook pages"><ul>' + "".join(items) + "</ul></nav>")


def data_date() -> str:
    """The newest "as of" date among the workbook's sourced figures, e.g. "2026"; "" if unreadable."""
    try:
        from coderpath_widgets.content.dataset import load_dataset

        dataset = load_dataset()
        dates = [
            row.as_of
            for table in ("code_sets", "certifications", "certification_fees", "career_figures", "programs")
            for row in getattr(dataset, table)
            if getattr(row, "as_of", None) is not None
        ]
        return str(max(dates, key=lambda a: a.latest)) if dates else ""
    except Exception:  # noqa: BLE001 - see step_percents
        return ""


def footer_html(_: object = None) -> Markup:
    """The page footer: version, data date and where progress is kept.

    >>> "Your progress stays on this computer" in footer_html()
    True
    """
    when = data_date()
    figures = f" · Figures as of {esc(when)}" if when else ""
    return Markup(
        '<footer class="cp-footer"><p>'
        f"{WORKBOOK_NAME} {esc(__version__)}{figures} · Your progress stays on this computer.</p></footer>"
    )


def page_label(page_name: object) -> str:
    """The navigation label of a page, for the loading message.

    >>> page_label("03-get-certified")
    'Step 3: Certification'
    """
    for page in PAGES:
        if page.notebook == f"{page_name}.ipynb":
            return f"Step {page.step_number}: {page.label}" if page.step_number else page.label
    return WORKBOOK_NAME
