"""Look up ICD-10-CM codes: a search box, a list of matches and what the tabular list says.

Three layers, as everywhere in coderpath: pure functions that turn search results and code
details into text and HTML (every string escaped), the :class:`CodeLookup` widget holding its
state in traitlets, and the :func:`show_code_lookup` factory a notebook calls.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import traitlets

from coderpath_widgets.icd import CodeDetails, CodeMatch, IcdIndex, Note, UnknownCodeError, shared_index

#: How many matches the results list shows.
RESULTS_SHOWN = 30
#: How many codes below a header the details panel lists.
CHILDREN_SHOWN = 40

_NOTE_SECTIONS = (
    ("includes", "Includes", "conditions this code or category covers"),
    ("excludes1", "Excludes1", "NOT coded here: never report together with this code"),
    ("excludes2", "Excludes2", "not included here, but the patient may have both: both may be reported"),
    ("code_first", "Code first", "report the underlying condition before this code"),
    ("use_additional_code", "Use additional code", "add a code for the detail named"),
    ("code_also", "Code also", "two codes may be needed; sequencing depends on the encounter"),
    ("notes", "Notes", ""),
)


# ---------------------------------------------------------------- pure functions


def result_label(match: CodeMatch) -> str:
    """The plain-text line for one match in the results list.

    >>> result_label(CodeMatch("E11", "Type 2 diabetes mellitus", False, 4))
    'E11 — Type 2 diabetes mellitus (header)'
    >>> result_label(CodeMatch("I10", "Essential (primary) hypertension", True, 9, "high blood pressure"))
    'I10 — Essential (primary) hypertension [matches: high blood pressure]'
    """
    label = f"{match.code} — {match.description}"
    if match.needs_seventh_character:
        label += " (add a 7th character)"
    elif not match.billable:
        label += " (header)"
    if match.matched_term:
        label += f" [matches: {match.matched_term}]"
    return label


def status_html(query: str, matches: Sequence[CodeMatch]) -> str:
    """A one-line, screen-reader-announced summary of a search.

    >>> print(status_html("<b>", []).replace(". ", ".\\n"))
    <p role="status" aria-live="polite">No code matches “&lt;b&gt;”.
    Try fewer words, another word for the condition, or the start of a code (E11).</p>
    """
    shown = html.escape(query.strip())
    if not query.strip():
        text = "Type a code (E11.9, e119, E11) or words (type 2 diabetes, lumbago), then press Enter or Search."
    elif not matches:
        text = (
            f"No code matches “{shown}”. Try fewer words, another word for the condition, or the start of a code (E11)."
        )
    elif matches[0].found_by == "nearest code":
        text = f"There is no code “{shown}”; these are the codes under the closest existing code."
    else:
        count = len(matches)
        text = f"{count}{'+' if count >= RESULTS_SHOWN else ''} code{'s' if count != 1 else ''} for “{shown}”."
    return f'<p role="status" aria-live="polite">{text}</p>'


def _notes_html(notes: Sequence[Note], code: str) -> str:
    items = []
    for note in notes:
        source = "" if note.source == code else f" <small>(from {html.escape(note.source)})</small>"
        items.append(f"<li>{html.escape(note.text)}{source}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def details_html(details: CodeDetails, release: str = "") -> str:
    """Everything :func:`~coderpath_widgets.icd.details` returns, as escaped HTML."""
    code = details.code
    e = html.escape
    parts = [
        f'<section aria-label="Details for {e(code)}">',
        f"<h3><code>{e(code)}</code> {e(details.description)}</h3>",
        f"<p><strong>{e(details.status)}</strong></p>",
        "<h4>Where it sits</h4><ol>",
    ]
    for level in details.hierarchy:
        parts.append(f"<li><code>{e(level.label)}</code> {e(level.description)}</li>")
    parts.append("</ol>")
    if details.inclusion_terms:
        parts.append("<h4>Inclusion terms</h4><ul>")
        parts += [f"<li>{e(term)}</li>" for term in details.inclusion_terms]
        parts.append("</ul>")
    if details.seventh_character is not None:
        parts.append(
            f"<h4>7th character</h4><p><code>{e(details.seventh_character.character)}</code> "
            f"{e(details.seventh_character.meaning)}</p>"
        )
    elif details.seventh_characters:
        parts.append("<h4>7th characters</h4>")
        if details.seventh_character_note is not None:
            parts.append(f"<p>{e(details.seventh_character_note.text)}</p>")
        parts.append('<table><thead><tr><th scope="col">Character</th><th scope="col">Meaning</th></tr></thead><tbody>')
        parts += [
            f"<tr><td><code>{e(v.character)}</code></td><td>{e(v.meaning)}</td></tr>"
            for v in details.seventh_characters
        ]
        parts.append("</tbody></table>")
    for field_name, title, explanation in _NOTE_SECTIONS:
        notes = getattr(details, field_name)
        if notes:
            hint = f" <small>— {e(explanation)}</small>" if explanation else ""
            parts.append(f"<h4>{e(title)}{hint}</h4>{_notes_html(notes, code)}")
    if details.children:
        parts.append("<h4>Codes below this one</h4><ul>")
        for child in details.children[:CHILDREN_SHOWN]:
            tag = "billable" if child.billable else "header"
            parts.append(f"<li><code>{e(child.code)}</code> {e(child.description)} <small>({tag})</small></li>")
        if len(details.children) > CHILDREN_SHOWN:
            parts.append(f"<li>… and {len(details.children) - CHILDREN_SHOWN} more</li>")
        parts.append("</ul>")
    if release:
        parts.append(f"<p><small>{e(release)}</small></p>")
    parts.append("</section>")
    return "".join(parts)


def unknown_code_html(error: UnknownCodeError) -> str:
    """The details panel for a code that is not in the code set.

    >>> unknown_code_html(UnknownCodeError("<x>", "'<x>' is not a code"))
    '<p role="alert">&#x27;&lt;x&gt;&#x27; is not a code</p>'
    """
    return f'<p role="alert">{html.escape(str(error))}</p>'


# ---------------------------------------------------------------- the widget


class CodeLookup(widgets.VBox):
    """Search box, results list and details panel. ``query`` and ``selected_code`` hold the state.

    Set ``query`` (or type in the box and press Enter or Search) to search; pick a result (or set
    ``selected_code``) to see its details.
    """

    query = traitlets.Unicode("", help="The text searched for.")
    selected_code = traitlets.Unicode("", help="The code whose details are shown ('' for none).")

    def __init__(self, index: IcdIndex | None = None, limit: int = RESULTS_SHOWN, **kwargs):
        self._index = index
        self._limit = limit
        self.matches: list[CodeMatch] = []
        self.search_box = widgets.Text(
            placeholder="A code (E11.9) or words (type 2 diabetes)",
            description="Search codes",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(flex="1 1 auto", width="auto"),
        )
        self.search_button = widgets.Button(
            description="Search", icon="search", tooltip="Search the ICD-10-CM code set"
        )
        self.status = widgets.HTML(status_html("", []))
        self.results = widgets.Select(options=[], rows=10, description="Matches", layout=widgets.Layout(width="100%"))
        self.details = widgets.HTML("")
        super().__init__(
            children=[
                widgets.HBox([self.search_box, self.search_button]),
                self.status,
                self.results,
                self.details,
            ],
            **kwargs,
        )
        traitlets.link((self, "query"), (self.search_box, "value"))
        self.search_button.on_click(self._search_clicked)
        self.results.observe(self._result_picked, names="value")

    @property
    def index(self) -> IcdIndex:
        """The index searched (the shared one unless one was given)."""
        if self._index is None:
            self._index = shared_index()
        return self._index

    def _search_clicked(self, _button: widgets.Button) -> None:
        if self.query == self.search_box.value:
            self.search()
        else:
            self.query = self.search_box.value

    @traitlets.observe("query")
    def _query_changed(self, _change: dict) -> None:
        self.search()

    def search(self) -> None:
        """Run the current query and show its matches, the first one selected."""
        self.matches = self.index.search(self.query, self._limit) if self.query.strip() else []
        self.status.value = status_html(self.query, self.matches)
        self.results.options = [(result_label(m), m.code) for m in self.matches]
        self.selected_code = self.matches[0].code if self.matches else ""
        self.results.value = self.selected_code or None

    def _result_picked(self, change: dict) -> None:
        self.selected_code = change["new"] or ""

    @traitlets.observe("selected_code")
    def _selected_code_changed(self, change: dict) -> None:
        code = change["new"].strip()
        if not code:
            self.details.value = ""
            return
        try:
            self.details.value = details_html(self.index.details(code), str(self.index.release))
        except UnknownCodeError as error:
            self.details.value = unknown_code_html(error)
        if self.results.value != code and any(m.code == code for m in self.matches):
            self.results.value = code


def show_code_lookup(initial_query: str = "") -> CodeLookup:
    """A code lookup over the ICD-10-CM release, searching ``initial_query`` if given.

    The search index is built the first time (a few seconds) and reused afterwards.
    """
    lookup = CodeLookup(index=shared_index())
    if initial_query:
        lookup.query = initial_query
    return lookup
