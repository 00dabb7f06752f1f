"""Medical coding and its related careers side by side: pay, outlook, entry education, jobs.

The careers are those the seed article names (medical billing specialists, medical records technicians,
medical transcriptionists, health information management professionals) plus medical coding itself.
Figures come from the ``shown`` row of ``career_figures.csv``; other editions are listed in a disclosure.
An unknown figure is "not found", never 0, and is left out of the charts rather than drawn as a zero bar.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset, stale_facts
from coderpath_widgets.content.models import Career, CareerFigure
from coderpath_widgets.features.certifications import EDUCATION_LABELS
from coderpath_widgets.ui import STALE_AFTER_DAYS, panel_header, stale_badge
from coderpath_widgets.ui.charts import bar_chart_svg, responsive_chart
from coderpath_widgets.ui.panel import Panel
from coderpath_widgets.ui.traits import EnumTrait


class SortBy(enum.StrEnum):
    """How the careers table and charts are ordered."""

    ARTICLE = "article"
    PAY = "pay"
    GROWTH = "growth"


SORTS = {
    SortBy.ARTICLE: "Coding first, then related careers",
    SortBy.PAY: "Median pay, highest first",
    SortBy.GROWTH: "Growth, highest first",
}


@dataclass(frozen=True)
class CareerRow:
    """A career with the figure we show (None when no figure was found) and the other editions."""

    career: Career
    shown: CareerFigure | None
    others: tuple[CareerFigure, ...]

    @property
    def annual_pay(self) -> float | None:
        """The median pay when it is a yearly figure (hourly figures are not mixed into the chart)."""
        figure = self.shown
        if figure is None or figure.median_pay_usd is None or is_hourly(figure.pay_period):
            return None
        return figure.median_pay_usd

    @property
    def growth(self) -> float | None:
        return self.shown.growth_pct if self.shown is not None else None


def is_hourly(pay_period: str | None) -> bool:
    """Whether a pay period is per hour (anything else, or blank, is read as per year).

    >>> is_hourly("hourly"), is_hourly("per hour"), is_hourly("annual"), is_hourly(None)
    (True, True, False, False)
    """
    return pay_period is not None and "hour" in pay_period.lower()


def career_rows(dataset: Dataset) -> list[CareerRow]:
    """Every career in data order, each with its shown figure and other editions."""
    rows = []
    for career in dataset.careers:
        figures = dataset.figures_for(career.id)
        shown = next((f for f in figures if f.shown), None)
        rows.append(CareerRow(career, shown, tuple(f for f in figures if not f.shown)))
    return rows


def sort_rows(rows: Sequence[CareerRow], sort_by: str) -> list[CareerRow]:
    """Rows in article (data) order, or by pay or growth with unknown figures last."""
    if sort_by == "pay":
        return sorted(rows, key=lambda r: (r.annual_pay is None, -(r.annual_pay or 0)))
    if sort_by == "growth":
        return sorted(rows, key=lambda r: (r.growth is None, -(r.growth or 0)))
    return list(rows)


def pay_chart_svg(rows: Sequence[CareerRow], narrow: bool = False) -> str:
    """Median yearly pay as an SVG bar chart, one bar per career whose pay is known (``narrow``: for a phone)."""
    known = [r for r in rows if r.annual_pay is not None]
    return bar_chart_svg(
        [r.career.name for r in known],
        [r.annual_pay or 0.0 for r in known],
        "$",
        "Median yearly pay (US)",
        narrow=narrow,
    )


def growth_chart_svg(rows: Sequence[CareerRow], narrow: bool = False) -> str:
    """Projected employment growth (%) as an SVG bar chart; declines are drawn left of zero.

    Editions differ between careers, so each bar's label names its projection period.
    """
    known = [r for r in rows if r.growth is not None]
    labels = [
        f"{r.career.name} ({r.shown.projection_period})" if r.shown and r.shown.projection_period else r.career.name
        for r in known
    ]
    return bar_chart_svg(
        labels, [r.growth or 0.0 for r in known], "%", "Projected employment growth (%) over ten years", narrow=narrow
    )


def pay_text(figure: CareerFigure | None) -> str:
    """ "$50,250 a year", or "not found"."""
    if figure is None or figure.median_pay_usd is None:
        return "not found"
    period = "an hour" if is_hourly(figure.pay_period) else "a year"
    return f"{ui.money(figure.median_pay_usd)} {period}"


def growth_text(figure: CareerFigure | None) -> str:
    """ "+7% (2024-2034)", or "not found"."""
    if figure is None or figure.growth_pct is None:
        return "not found"
    period = f" ({figure.projection_period})" if figure.projection_period else " (period not found)"
    return f"{figure.growth_pct:+g}%{period}"


def jobs_text(figure: CareerFigure | None) -> str:
    if figure is None or figure.jobs is None:
        return "not found"
    return f"{figure.jobs:,}" + (f" in {figure.jobs_year}" if figure.jobs_year else "")


def education_text(figure: CareerFigure | None) -> str:
    if figure is None or figure.entry_education is None:
        return "not found"
    label = EDUCATION_LABELS[figure.entry_education]
    return label.split(" ", 1)[1] if label.startswith(("a ", "an ")) else label


def _stale_keys(dataset: Dataset, today: date | None) -> set[tuple[str, str]]:
    return {
        (s.row_id, s.as_of)
        for s in stale_facts(STALE_AFTER_DAYS, dataset=dataset, today=today, shown_only=False)
        if s.table == "career_figures"
    }


def careers_table_html(rows: Sequence[CareerRow], dataset: Dataset, stale: set[tuple[str, str]]) -> str:
    """The table: career, pay, growth, entry education, jobs, openings, source and as-of."""
    credentials = dataset.by_id("certifications")
    body = []
    for row in rows:
        career, figure = row.career, row.shown
        extra = ""
        if career.seed_article_name:
            extra += f"<div class='cp-small'>Also called: “{ui.esc(career.seed_article_name)}”</div>"
        extra += f"<div class='cp-small'>{ui.esc(career.what_they_do)}</div>"
        if career.certifications:
            names = ", ".join(credentials[c].credential if c in credentials else c for c in career.certifications)
            extra += f"<div class='cp-small'>Credentials: {ui.esc(names)}</div>"
        if figure is None:
            source = "<span class='cp-small'>No figures found.</span>"
        else:
            badge = stale_badge(figure.as_of) if (figure.career_id, str(figure.as_of)) in stale else ""
            source = ui.source_line(figure.source, figure.as_of) + badge
        openings = "not found" if figure is None or figure.annual_openings is None else f"{figure.annual_openings:,}"
        body.append(
            [
                f"<b>{ui.esc(career.name)}</b>{extra}",
                ui.esc(pay_text(figure)),
                ui.esc(growth_text(figure)),
                ui.esc(education_text(figure)),
                ui.esc(jobs_text(figure)),
                ui.esc(openings),
                source,
            ]
        )
    headers = ["Career", "Median pay", "Growth", "Typical entry education", "Jobs", "Openings a year", "Source"]
    return ui.table(headers, body, raw_columns=range(len(headers)))


def other_editions_html(rows: Sequence[CareerRow], stale: set[tuple[str, str]]) -> str:
    """A ``<details>`` with every figure not shown, its source, and why the shown one was chosen."""
    with_others = [r for r in rows if r.others]
    if not with_others:
        return ""
    items = []
    for row in with_others:
        shown = row.shown
        why = f" <i>Why this one: {ui.esc(shown.why_shown)}</i>" if shown is not None and shown.why_shown else ""
        head = f"we show the figures as of {ui.esc(shown.as_of)}.{why}" if shown is not None else "no figure is shown."
        lines = []
        for figure in row.others:
            badge = stale_badge(figure.as_of) if (figure.career_id, str(figure.as_of)) in stale else ""
            lines.append(
                f"<li>{ui.esc(pay_text(figure))}; growth {ui.esc(growth_text(figure))}; "
                f"jobs {ui.esc(jobs_text(figure))}. "
                f"{'<i>' + ui.esc(figure.why_shown) + '</i> ' if figure.why_shown else ''}"
                f"<span class='cp-source'>({ui.esc(figure.source_kind.value.replace('_', '-'))} source: "
                f"{ui.esc(figure.source)}, as of {ui.esc(figure.as_of)})</span> {badge}</li>"
            )
        items.append(f"<li><b>{ui.esc(row.career.name)}</b>: {head}<ul>{''.join(lines)}</ul></li>")
    count = sum(len(r.others) for r in with_others)
    return (
        f"<details><summary class='cp-small'>Other editions and sources ({count})</summary>"
        f"<ul class='cp-small'>{''.join(items)}</ul></details>"
    )


def chart_note_html(rows: Sequence[CareerRow]) -> str:
    """Which careers the charts leave out, and why (unknown is not zero; hourly is not yearly)."""
    notes = []
    hourly = [r.career.name for r in rows if r.shown and r.shown.median_pay_usd is not None and r.annual_pay is None]
    no_pay = [r.career.name for r in rows if r.shown is None or r.shown.median_pay_usd is None]
    no_growth = [r.career.name for r in rows if r.growth is None]
    if no_pay:
        notes.append(
            f"Not in the pay chart because no median pay was found (which is not the same as $0): {', '.join(no_pay)}."
        )
    if hourly:
        notes.append(
            f"Not in the pay chart because only an hourly figure was found (see the table): {', '.join(hourly)}."
        )
    if no_growth:
        notes.append(f"Not in the growth chart because no projection was found: {', '.join(no_growth)}.")
    return "".join(f"<div class='cp-small'>{ui.esc(n)}</div>" for n in notes)


class CareerComparison(Panel):
    """A table and two charts of medical coding and its related careers; ``sort_by`` orders both."""

    sort_by = EnumTrait(SortBy, SortBy.ARTICLE)
    career_ids = traitlets.List(traitlets.Unicode())

    def __init__(self, dataset: Dataset, today: date | None = None):
        self._dataset = dataset
        self._rows = career_rows(dataset)
        self._stale = _stale_keys(dataset, today)
        self.sort_input = widgets.Dropdown(
            options=[(label, key) for key, label in SORTS.items()],
            description="Sort by",
            layout=widgets.Layout(width="330px"),
        )
        self.table = widgets.HTML()
        self.charts = widgets.HTML()
        super().__init__(
            [
                panel_header(
                    "Medical coding and related careers",
                    "Pay and outlook in the US. Each figure names its source and date; re-check before relying on it.",
                ),
                self.sort_input,
                self.table,
                widgets.HTML(other_editions_html(self._rows, self._stale)),
                self.charts,
            ],
            layout=widgets.Layout(max_width="980px"),
        )
        with self.applying():  # drawn once, below
            widgets.link((self.sort_input, "value"), (self, "sort_by"))
        self._render()

    @traitlets.observe("sort_by")
    def _sort_changed(self, change: dict[str, Any]) -> None:
        if not self.is_applying:
            self._render()

    def _render(self) -> None:
        rows = sort_rows(self._rows, self.sort_by)
        self.career_ids = [r.career.id for r in rows]
        self.table.value = careers_table_html(rows, self._dataset, self._stale)
        pay = responsive_chart(pay_chart_svg(rows), pay_chart_svg(rows, narrow=True))
        growth = responsive_chart(growth_chart_svg(rows), growth_chart_svg(rows, narrow=True))
        self.charts.value = (
            f"<div class='cp-card'>{pay}</div><div class='cp-card'>{growth}</div>{chart_note_html(rows)}"
        )


def compare_careers(directory: str | None = None) -> CareerComparison:
    """Medical coding and the related careers of the seed article: a table and pay and growth charts."""
    return CareerComparison(load_dataset(directory))
