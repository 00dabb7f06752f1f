"""Read-only overviews from data: the path's steps, the code sets, the program types; and the profile panel."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset
from coderpath_widgets.progress import profiles
from coderpath_widgets.progress.readiness import Readiness, next_items, readiness
from coderpath_widgets.progress.store import Change, OtherProfileError, StoreError, get_store
from coderpath_widgets.progress.vocabulary import CHECKLIST_NAMESPACE
from coderpath_widgets.ui.panel import Panel
from coderpath_widgets.ui.traits import EnumTrait

#: Real ICD-10-CM codes shown as examples on the start page; their descriptions come from the shipped code set.
ICD10CM_EXAMPLES = ("I10", "E11.9", "J45.909", "S52.521A", "Z00.00")


def start_action(summary: Readiness, dataset: Dataset) -> tuple[str, str]:
    """The start page's one button: ``(label, page)``.

    "Start Step 1" before anything is ticked; then "Continue: <the first open item of the first unfinished
    step>"; "Open your dashboard" once every step is done.
    """
    saved = {s.step_id: s for s in summary.steps}
    if not any(s.done for s in summary.steps):
        first = min(dataset.steps, key=lambda s: s.number)
        return f"Start Step {first.number}", first.notebook
    for step in sorted(dataset.steps, key=lambda s: s.number):
        if saved[step.id].done < saved[step.id].total:
            done = {
                k: bool(v.get("done")) for k, v in get_store().items(CHECKLIST_NAMESPACE).items() if isinstance(v, dict)
            }
            todo = next_items(dataset.checklist(step.id), done, 1)
            label = f"Step {step.number}: {todo[0].title}" if todo else f"Step {step.number}"
            return f"Continue: {label}", step.notebook
    return "Open your dashboard", "07-dashboard.ipynb"


class LearnerName(Panel):
    """The start page's greeting, "Your progress, <name>"; until the learner has given a name, it asks for one.

    The name is asked once (see :mod:`coderpath_widgets.progress.profiles`); afterwards it is changed on the
    profile panel. Follows the store: a name given or a profile chosen on another page shows here too.
    """

    name = traitlets.Unicode("")
    asking = traitlets.Bool(False)
    message = traitlets.Unicode("")
    message_kind = EnumTrait(ui.NoticeKind, ui.NoticeKind.NEXT)

    def __init__(self) -> None:
        self.greeting = widgets.HTML()
        # one sync on Enter or leaving the field: per-keystroke syncs can arrive after the button's click
        self.name_input = widgets.Text(
            description="Your name",
            placeholder="e.g. Maria",
            continuous_update=False,
            layout=widgets.Layout(width="100%", max_width="320px"),
        )
        self.save_button = widgets.Button(
            description="Save my name", button_style="primary", layout=widgets.Layout(width="auto")
        )
        self.ask_box = widgets.HBox([self.name_input, self.save_button])
        # Enter in the name field saves it (static/coderpath-shell.js clicks the form's primary button)
        self.ask_box.add_class("cp-form")
        self.name_input.add_class("cp-submit-on-enter")
        self.feedback = widgets.HTML()
        with self.applying():
            super().__init__([self.greeting, self.ask_box, self.feedback])
            self.save_button.on_click(lambda _: self.save(self.name_input.value))
            self.refresh()
        get_store().subscribe(self._on_store_change)

    def refresh(self) -> None:
        """Show the store's profile now, and whether a name is still to be given."""
        store = get_store()
        asking = profiles.needs_name(store)
        with self.applying():
            self.name = store.profile
            self.asking = asking
        self._draw()

    def _draw(self) -> None:
        if self.asking:
            self.greeting.value = (
                ui.STYLE + "<div class='cp-title'>What should we call you?</div>"
                "<p class='cp-muted'>Your progress on this computer is kept under your name. "
                "You are asked only once; you can change it later under “Your profile”.</p>"
            )
            self.ask_box.layout.display = None
        else:
            self.greeting.value = (
                ui.STYLE + f"<div class='cp-title'>Your progress, {ui.esc(self.name)}</div>"
                "<p class='cp-small'>Not you? Choose your own name under “Your profile”.</p>"
            )
            self.ask_box.layout.display = "none"

    def save(self, name: str) -> None:
        """Make ``name`` the learner's profile (what was done so far comes along); a bad name is explained."""
        try:
            named = profiles.give_name(get_store(), name)
        except (profiles.ProfileNameError, StoreError) as exc:
            self._say(str(exc), ui.NoticeKind.ERROR)
            return
        self.refresh()
        with self.applying():
            self.name_input.value = ""
        came_along = " What you had done so far is kept under it." if named.copied_from else ""
        self._say(f"Thank you, {named.name}. Your progress is kept under this name from now on.{came_along}")

    def _say(self, text: str, kind: ui.NoticeKind = ui.NoticeKind.NEXT) -> None:
        self.message_kind = kind
        self.message = text

    def _on_store_change(self, change: Change) -> None:
        if change.namespaces is None and change.error is None:  # another profile, or a change from elsewhere
            self.refresh()

    @traitlets.observe("message", "message_kind")
    def _show(self, change) -> None:
        self.feedback.value = ui.notice(self.message, self.message_kind) if self.message else ""


class StartPage(widgets.VBox):
    """The start page's top: the learner's name (asked once), then the path's steps (:func:`path_overview_html`)."""

    def __init__(self, directory: str | None = None) -> None:
        self.learner = LearnerName()
        self.steps = widgets.HTML(path_overview_html(directory))
        super().__init__([self.learner, self.steps])


def show_path_overview(directory: str | None = None) -> StartPage:
    """Your name (asked once), then the four steps of the path as cards, and one button to go on."""
    return StartPage(directory)


def path_overview_html(directory: str | None = None) -> str:
    """The four steps of the path as cards (what each is about, its time, your progress), and one button to go on."""
    dataset = load_dataset(directory)
    summary = readiness(get_store(), dataset)
    progress = {s.step_id: s for s in summary.steps}
    label, page = start_action(summary, dataset)
    cards = []
    for step in sorted(dataset.steps, key=lambda s: s.number):
        done = progress[step.id]
        state = "done" if done.done == done.total else f"{done.done} of {done.total} done"
        cards.append(
            f"<li class='cp-card cp-step-card'><h3 class='cp-title'>"
            f"<a href='{ui.esc(step.notebook)}'>Step {step.number}: "
            f"{ui.esc(step.title)}</a></h3><p class='cp-muted'>{ui.esc(step.subtitle)}</p>"
            f"<div class='cp-meter' role='img' aria-label='Step {step.number}: {done.percent}% of the checklist done'>"
            f"<div class='cp-meter-fill' style='width:{done.percent}%'></div></div>"
            f"<p class='cp-small'>Checklist: {ui.esc(state)} · about {step.time_minutes} minutes</p></li>"
        )
    button = (
        f"<p class='cp-actions'><a class='cp-button cp-button-primary' href='{ui.esc(page)}'>{ui.esc(label)}</a></p>"
    )
    return (
        ui.STYLE
        + "<div class='cp-panel cp-start'>"
        + button
        + "<ol class='cp-step-cards'>"
        + "".join(cards)
        + "</ol></div>"
    )


def code_examples() -> list[tuple[str, str, bool]]:
    """``(code, description, billable)`` for the example codes, read from the shipped ICD-10-CM code set."""
    from coderpath_widgets.icd import details

    out = []
    for code in ICD10CM_EXAMPLES:
        info = details(code)
        out.append((info.code, info.description, info.billable))
    return out


def show_code_sets(directory: str | None = None) -> widgets.HTML:
    """The four code sets (who maintains each, licensing, format), with real ICD-10-CM examples."""
    dataset = load_dataset(directory)
    cards = []
    for cs in dataset.code_sets:
        rows: list[list[object]] = [
            ["Maintained by", cs.maintained_by],
            ["Used for", cs.used_for],
            ["Size", f"about {cs.approx_codes:,} codes ({cs.count_basis})" if cs.approx_codes else cs.count_basis],
            ["Format", cs.code_format],
            ["Updates", cs.update_cycle],
            ["Licensing", cs.licensing],
            ["Example", cs.example],
        ]
        cards.append(
            f"<div class='cp-card'><div class='cp-title'>{ui.esc(cs.name)}</div>{ui.table(['', ''], rows)}"
            f"{ui.source_line(cs.source, cs.as_of)}</div>"
        )
    examples = ui.table(
        ["Code", "Description (official text)", "Billable?"],
        [
            [code, text, "yes" if billable else "no — a header; choose a more specific code"]
            for code, text, billable in code_examples()
        ],
    )
    return widgets.HTML(
        ui.STYLE
        + "<div class='cp-panel'>"
        + "".join(cards)
        + "<div class='cp-card'><div class='cp-title'>Real ICD-10-CM codes from the shipped code set</div>"
        + examples
        + "</div></div>"
    )


def show_programs(directory: str | None = None) -> widgets.HTML:
    """Program types side by side: length, credits, cost, accreditation, what each prepares you for."""
    dataset = load_dataset(directory)
    certs = dataset.by_id("certifications")

    def span(low, high, unit: str, money: bool = False) -> str | None:
        fmt = ui.money if money else (lambda v: f"{v:g}")
        if low is None and high is None:
            return None
        if low == high or high is None:
            return f"{fmt(low)} {unit}".strip()
        return f"{fmt(low) if low is not None else '?'}–{fmt(high)} {unit}".strip()

    cards = []
    for p in dataset.programs:
        rows: list[list[object]] = [
            ["Length", span(p.months_min, p.months_max, "months")],
            ["Credits or hours", p.credits],
            ["Cost", span(p.cost_usd_min, p.cost_usd_max, "", money=True)],
            ["Accreditation or approval", p.accreditation],
            ["Prepares for", ", ".join(certs[c].credential for c in p.prepares_for)],
            ["Notes", p.notes],
        ]
        cards.append(
            f"<div class='cp-card'><div class='cp-title'>{ui.esc(p.name)}</div>{ui.table(['', ''], rows)}"
            f"{ui.source_line(p.source, p.as_of)}</div>"
        )
    note = "<p class='cp-muted'>A dash (—) means no source gave that figure: ask the school.</p>"
    return widgets.HTML(ui.STYLE + "<div class='cp-panel'>" + note + "".join(cards) + "</div>")


class ProfilePanel(widgets.VBox):
    """Who is learning on this machine: switch profile, download (export) and upload (import) progress.

    Export is a download made in the browser and import an upload from it: the page never reads or writes a
    path on the server. An upload of another profile's export waits for the learner to confirm. A new profile
    name is checked (:func:`coderpath_widgets.progress.profiles.check_name`) and becomes the learner's name.
    """

    profile = traitlets.Unicode()
    message = traitlets.Unicode("")

    def __init__(self):
        store = get_store()
        self.name_input = widgets.Combobox(
            value=store.profile,
            options=profiles.listed_profiles(store),
            description="Profile",
            ensure_option=False,
            continuous_update=False,
        )
        self.switch_button = widgets.Button(description="Use this profile", layout=widgets.Layout(width="auto"))
        self.export_link = widgets.HTML()
        self.upload = widgets.FileUpload(
            accept=".json,application/json", multiple=False, description="Import a progress file"
        )
        self.confirm_button = widgets.Button(
            description="Yes, merge it into my progress",
            button_style="warning",
            layout=widgets.Layout(width="auto", display="none"),
        )
        self.feedback = widgets.HTML()
        self._waiting: tuple[bytes, str] | None = None
        self.switch_button.on_click(lambda _: self.switch(self.name_input.value))
        self.upload.observe(self._on_upload, names="value")
        self.confirm_button.on_click(lambda _: self._confirm())
        super().__init__(
            [
                ui.header(
                    "Your profile",
                    "Each learner on this machine has their own progress. Nothing leaves it unless you export it.",
                ),
                widgets.HBox([self.name_input, self.switch_button]),
                self.export_link,
                widgets.HBox([self.upload, self.confirm_button]),
                self.feedback,
            ]
        )
        self.profile = store.profile
        self._refresh_export()
        store.subscribe(self._on_store_change)

    def _on_store_change(self, change: Change) -> None:
        store = get_store()
        if change.namespaces is None and change.error is None and store.profile != self.profile:
            self._show_profile()  # a name given or a profile chosen on another panel or page

    def _show_profile(self) -> None:
        store = get_store()
        self.profile = store.profile
        self.name_input.options = profiles.listed_profiles(store)
        self.name_input.value = store.profile
        self._refresh_export()

    def _refresh_export(self) -> None:
        store = get_store()
        payload = base64.b64encode(store.export_bytes()).decode("ascii")
        name = f"coderpath-progress-{store.profile}.json"
        self.export_link.value = (
            f"<a download='{ui.esc(name)}' href='data:application/json;base64,{payload}'>"
            "Download my progress (JSON)</a> "
            "<span class='cp-small'>made here in your browser; nothing is uploaded</span>"
        )

    def switch(self, name: str) -> None:
        try:
            profiles.switch_profile(get_store(), name)
        except (profiles.ProfileNameError, StoreError) as exc:
            self.message = str(exc)
            return
        self._show_profile()
        self.message = f"Now working as '{self.profile}'. Other open pages of this workbook switch too."

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        self.import_bytes(bytes(upload["content"]), str(upload["name"]))

    def import_bytes(self, content: bytes, name: str, confirmed: bool = False) -> None:
        """Merge an uploaded export; another profile's export first asks for confirmation."""
        self._waiting = None
        self.confirm_button.layout.display = "none"
        try:
            summary = get_store().import_bytes(content, name, into_profile=get_store().profile if confirmed else None)
        except OtherProfileError as exc:
            self._waiting = (content, name)
            self.confirm_button.layout.display = None
            self.message = str(exc)
            return
        except StoreError as exc:
            self.message = str(exc)
            return
        self._refresh_export()
        self.message = summary.text()

    def _confirm(self) -> None:
        if self._waiting is not None:
            content, name = self._waiting
            self.import_bytes(content, name, confirmed=True)

    @traitlets.observe("message")
    def _show(self, change) -> None:
        self.feedback.value = ui.notice(change["new"]) if change["new"] else ""


def show_profile() -> ProfilePanel:
    """The profile panel: switch learner, export or import progress."""
    return ProfilePanel()
