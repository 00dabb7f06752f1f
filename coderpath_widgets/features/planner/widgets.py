"""The course planner widget and its factory :func:`plan_courses`."""

from __future__ import annotations

import enum
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.trait_types import Date

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset
from coderpath_widgets.content.models import Level
from coderpath_widgets.features.planner.courses import PlanError, courses_for, order_courses
from coderpath_widgets.features.planner.files import CSV_ENCODING, CSV_NAME, ICS_NAME, schedule_to_csv, schedule_to_ics
from coderpath_widgets.features.planner.render import (
    downloads_html,
    planning_basis_html,
    schedule_table_html,
    summary_html,
    timeline_html,
)
from coderpath_widgets.features.planner.schedule import (
    DEFAULT_EXAM_PREP_WEEKS,
    DEFAULT_HOURS_PER_WEEK,
    MAX_EXAM_PREP_WEEKS,
    MAX_HOURS_PER_WEEK,
    MIN_HOURS_PER_WEEK,
    Schedule,
    check_break,
    make_schedule,
    schedule_summary,
)
from coderpath_widgets.features.progress_notice import store_notice_widget
from coderpath_widgets.progress.store import Change, ProgressStore, StoreError, get_store
from coderpath_widgets.progress.vocabulary import (
    PLAN_BREAKS_KEY,
    PLAN_KEY,
    PLAN_NAMESPACE,
    SCHEDULE_KEY,
    TARGET_KEY,
    TARGET_NAMESPACE,
)
from coderpath_widgets.ui.panel import Panel
from coderpath_widgets.ui.traits import EnumTrait
from coderpath_widgets.ui.undo import UndoOffer

# ---------------------------------------------------------------- widget

_INPUT_TRAITS = ("program", "credential", "hours_per_week", "start", "breaks", "exam_prep_weeks")

#: how long the Undo button stays after a break is removed, unless the learner changes something first
UNDO_SECONDS = 300.0


class SaveState(enum.StrEnum):
    """Whether the plan on screen is the plan in the store (the one the dashboard shows)."""

    SAVED = "saved"
    NOT_SAVED = "not saved"
    NO_PLAN = "no plan"  # the inputs have a problem: there is no plan to save


SAVE_STATE_TEXT = {
    SaveState.SAVED: "Saved. The dashboard shows this plan.",
    SaveState.NOT_SAVED: "Not saved yet: change anything or press Save plan to keep it.",
    SaveState.NO_PLAN: "Not saved: fix the problem above to make a plan.",
}


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _parse_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class CoursePlanner(Panel):
    """Pick a program type, a credential, hours a week, a start date and breaks; see the dated plan.

    The inputs are saved in the store (namespace "plan", key "inputs") on every change and restored on
    construction; the schedule summary for the dashboard is saved under key "schedule". A plan only looked at
    (the defaults on a first visit) is not saved: :attr:`save_state` says so under the plan, with a Save plan
    button, and the dashboard shows no plan until it is kept.

    Removing a break acts at once and offers Undo, which adds the break back (as a new item: the removed one
    keeps its tombstone). The button goes at the learner's next change, at the next removal, or after
    :data:`UNDO_SECONDS`.
    """

    program = traitlets.Unicode("")
    credential = traitlets.Unicode("")
    hours_per_week = traitlets.Float(DEFAULT_HOURS_PER_WEEK)
    start = Date(None, allow_none=True)
    breaks = traitlets.List()
    exam_prep_weeks = traitlets.Int(DEFAULT_EXAM_PREP_WEEKS)
    schedule = traitlets.Dict(read_only=True)
    error = traitlets.Unicode("", read_only=True)
    #: whether the plan shown is the one saved (read from the store after every change, never assumed)
    save_state = EnumTrait(SaveState, SaveState.NOT_SAVED, read_only=True)
    #: True while :attr:`undo_button` is offered (the last removed break can still be put back)
    can_undo = traitlets.Bool(False, read_only=True)

    def __init__(self, dataset: Dataset, store: ProgressStore, today: date | None = None):
        self._dataset = dataset
        self._store = store
        self._result: Schedule | None = None
        self._lock = threading.RLock()
        #: the saved fields of the break the last Remove took out, and the learner it belonged to
        self.undo = UndoOffer("Put the removed break back", UNDO_SECONDS)
        self.undo.observe(lambda change: self.set_trait("can_undo", change["new"]), names="active")
        self._program_names = {p.id: p.name for p in dataset.programs}
        # One target credential for the whole workbook: the planner's choice is Step 3's target (and the dashboard's).
        # CPC-A is the status on the way to the CPC, not something to aim at, so it is not offered.
        targets = [c for c in dataset.certifications if c.level is not Level.APPRENTICE]
        self._credential_ids = {c.id for c in targets}
        wide = {"description_width": "initial"}
        self.program_picker = widgets.Dropdown(
            options=[(p.name, p.id) for p in dataset.programs],
            description="Program type",
            style=wide,
            layout=widgets.Layout(width="470px"),
        )
        self.credential_picker = widgets.Dropdown(
            options=[("Not chosen yet (every course of the program)", "")]
            + [(f"{c.credential} ({c.issuing_body.value}) — {c.full_name}", c.id) for c in targets],
            description="Target credential (the same as Step 3's)",
            style=wide,
            layout=widgets.Layout(width="470px"),
        )
        self.hours_input = widgets.BoundedFloatText(
            value=DEFAULT_HOURS_PER_WEEK,
            min=MIN_HOURS_PER_WEEK,
            max=MAX_HOURS_PER_WEEK,
            step=0.5,
            description="Study hours a week",
            style=wide,
            layout=widgets.Layout(width="220px"),
            continuous_update=True,  # saved as typed, not only on Enter
        )
        self.start_picker = widgets.DatePicker(description="Start date", style=wide)
        self.prep_input = widgets.BoundedIntText(
            value=DEFAULT_EXAM_PREP_WEEKS,
            min=0,
            max=MAX_EXAM_PREP_WEEKS,
            description="Exam-prep weeks",
            style=wide,
            layout=widgets.Layout(width="200px"),
            continuous_update=True,
        )
        self.break_from = widgets.DatePicker(description="Break from", style=wide)
        self.break_to = widgets.DatePicker(description="to", style=wide)
        self.add_break_button = widgets.Button(description="Add break", icon="plus", tooltip="No study on these days")
        self.remove_break_buttons: list[widgets.Button] = []
        self.breaks_list = widgets.VBox()
        self.break_message = widgets.HTML()
        self.undo_button = self.undo.button
        self.save_status = widgets.HTML()
        self.save_button = widgets.Button(description="Save plan", icon="save", layout=widgets.Layout(width="auto"))
        self.error_box = widgets.HTML()
        self.summary_box = widgets.HTML()
        self.table_box = widgets.HTML()
        self.timeline_box = widgets.HTML()
        self.basis_box = widgets.HTML()
        self.downloads_box = widgets.HTML()

        for control, name in (
            (self.program_picker, "program"),
            (self.credential_picker, "credential"),
            (self.hours_input, "hours_per_week"),
            (self.start_picker, "start"),
            (self.prep_input, "exam_prep_weeks"),
        ):
            control.observe(self._control_to_trait(name), names="value")
        self.add_break_button.on_click(self._add_break)
        self.undo_button.on_click(lambda _: self.undo_remove())
        self.save_button.on_click(lambda _: self.save_plan())

        super().__init__(
            [
                ui.header(
                    "Plan your courses", "Choose your program and pace; see when you finish and can sit the exam."
                ),
                store_notice_widget(),
                self.program_picker,
                self.credential_picker,
                widgets.HBox([self.hours_input, self.start_picker, self.prep_input]),
                widgets.HTML(
                    "<div class='cp-small'>Breaks: no study on these days (first and last day included).</div>"
                ),
                widgets.HBox([self.break_from, self.break_to, self.add_break_button]),
                self.breaks_list,
                widgets.HBox([self.break_message, self.undo_button], layout=widgets.Layout(align_items="center")),
                self.error_box,
                widgets.HBox([self.save_status, self.save_button], layout=widgets.Layout(align_items="center")),
                self.summary_box,
                self.table_box,
                self.timeline_box,
                self.basis_box,
                self.downloads_box,
            ],
            layout=widgets.Layout(max_width="980px"),
        )
        saved = store.get(PLAN_NAMESPACE, PLAN_KEY)
        with self.applying():  # restoring the saved inputs is not a change to save
            for name, value in self._initial_inputs(saved if isinstance(saved, dict) else {}, today).items():
                setattr(self, name, value)
                self._sync_control(name)
        self._render_breaks()
        self._recompute(save_schedule=isinstance(saved, dict))
        store.subscribe(self._on_store_change)

    _writing = 0

    @contextmanager
    def _own_write(self):
        """This planner's own change of the store: it shows the result itself (and saves the schedule)."""
        self._writing += 1
        try:
            yield
        finally:
            self._writing -= 1

    def _saved_breaks(self) -> tuple[list[tuple[date, date]], list[str]]:
        """The breaks in the store (each one list item with its own id), in date order."""
        pairs = []
        for item in self._store.get(PLAN_NAMESPACE, PLAN_BREAKS_KEY) or []:
            first, last = _parse_day(item.get("first")), _parse_day(item.get("last"))
            if first and last and isinstance(item.get("id"), str):
                pairs.append(((first, last), item["id"]))
        pairs.sort(key=lambda p: (p[0][0], p[0][1], p[1]))
        self._break_ids = [i for _, i in pairs]
        return [p for p, _ in pairs], self._break_ids

    def _on_store_change(self, change: Change) -> None:
        """Show inputs changed on another page (or in JupyterLab) without a reload."""
        if self.undo.belongs_to_another(self._store.profile):
            self._forget_undo()  # another page switched learner: the removed break was not theirs
        if not (change.touches(PLAN_NAMESPACE) or change.touches(TARGET_NAMESPACE)) or self._writing:
            return
        self._show_save_state()  # another page may have saved (or replaced) the plan shown here
        saved = self._store.get(PLAN_NAMESPACE, PLAN_KEY)
        fresh = self._initial_inputs(saved if isinstance(saved, dict) else {}, self.start)
        changed = [n for n, v in fresh.items() if getattr(self, n) != v]
        if not changed:
            return
        with self.applying():
            for name in changed:
                setattr(self, name, fresh[name])
                self._sync_control(name)
        self._render_breaks()
        self._recompute(save_schedule=False)  # the page that changed the inputs saved their schedule

    # ------------------------------------------------------------ public

    def save_plan(self) -> None:
        """Keep the plan shown: every input as shown, and its schedule for the dashboard."""
        if self._result is None:
            return
        self._forget_undo()
        with self._store.reported(), self._own_write():
            self._save_inputs(None, every_shown=True)
        self._recompute(save_schedule=True)

    @property
    def result(self) -> Schedule | None:
        """The :class:`Schedule` behind :attr:`schedule`, or None while the inputs have a problem."""
        return self._result

    def save_files(self, folder: str | Path) -> tuple[Path, Path]:
        """Write ``course-plan.csv`` and ``course-plan.ics`` into ``folder`` (created if needed)."""
        if self._result is None:
            raise PlanError(self.error or "There is no plan to save yet.")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        csv_path, ics_path = folder / CSV_NAME, folder / ICS_NAME
        csv_path.write_bytes(schedule_to_csv(self._result).encode(CSV_ENCODING))
        ics_path.write_bytes(schedule_to_ics(self._result))
        return csv_path, ics_path

    # ------------------------------------------------------------ inputs

    def _initial_inputs(self, saved: dict[str, Any], today: date | None) -> dict[str, Any]:
        programs = list(self._program_names)
        program = saved.get("program") if saved.get("program") in self._program_names else None
        program = program or (programs[0] if programs else "")
        target = self._store.get(TARGET_NAMESPACE, TARGET_KEY)
        credential = target if target in self._credential_ids else ""  # Step 3's target is the planner's
        hours = saved.get("hours_per_week")
        if isinstance(hours, bool) or not isinstance(hours, int | float):
            hours = DEFAULT_HOURS_PER_WEEK
        weeks = saved.get("exam_prep_weeks")
        if isinstance(weeks, bool) or not isinstance(weeks, int):
            weeks = DEFAULT_EXAM_PREP_WEEKS
        breaks, _ = self._saved_breaks()
        start = _parse_day(saved.get("start")) if "start" in saved else (today or date.today())
        return {
            "program": program,
            "credential": credential,
            "hours_per_week": float(hours),
            "start": start,
            "breaks": breaks,
            "exam_prep_weeks": weeks,
        }

    def _inputs_json(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "credential": self.credential,
            "hours_per_week": self.hours_per_week,
            "start": self.start.isoformat() if self.start else None,
            "breaks": [[_iso(d) for d in pair] for pair in self.breaks],
            "exam_prep_weeks": self.exam_prep_weeks,
        }

    def _controls(self) -> dict[str, widgets.ValueWidget]:
        return {
            "program": self.program_picker,
            "credential": self.credential_picker,
            "hours_per_week": self.hours_input,
            "start": self.start_picker,
            "exam_prep_weeks": self.prep_input,
        }

    def _control_to_trait(self, name: str):
        def handler(change):
            if not self.is_applying:  # not the echo of _sync_control
                setattr(self, name, change["new"])

        return handler

    def _sync_control(self, name: str) -> None:
        """Show a trait's value in its control, unless the control cannot hold it (then the error box explains)."""
        control = self._controls().get(name)
        value = getattr(self, name)
        if control is None or control.value == value:
            return
        if isinstance(control, widgets.Dropdown) and value not in {v for _, v in control.options}:
            return
        bounded = isinstance(control, widgets.BoundedFloatText | widgets.BoundedIntText)
        if bounded and not control.min <= value <= control.max:
            return
        with self.applying():
            control.value = value

    @traitlets.observe(*_INPUT_TRAITS)
    def _on_input(self, change) -> None:
        if self.is_applying:
            return
        self._sync_control(change["name"])
        if change["name"] == "breaks":
            self._render_breaks()  # saved by _add_break / _remove_break, one break at a time
        else:
            self._forget_undo()  # the learner has moved on
            with self._store.reported():  # one field of the inputs: a change on another page is not undone
                if change["name"] == "credential":  # the one target credential, shared with Step 3 (first: the
                    if self.credential:  # plan's own write below re-reads it)
                        self._store.set(TARGET_NAMESPACE, TARGET_KEY, self.credential)
                    else:
                        self._store.delete(TARGET_NAMESPACE, TARGET_KEY)
                self._save_inputs(change["name"])
        self._recompute(save_schedule=True)

    def _save_inputs(self, name: str | None, every_shown: bool = False) -> None:
        """Save the input ``name`` and the inputs shown but never saved (one transaction, field by field).

        A break is saved on its own, but the plan it changes is dated from the inputs shown, so those are kept
        with it: a plan saved with today's default start never moves to another day's. With ``every_shown``
        (Save plan) every input is written as shown.
        """
        inputs = {k: v for k, v in self._inputs_json().items() if k != "breaks"}
        saved = self._store.get(PLAN_NAMESPACE, PLAN_KEY) or {}
        fields = {k: v for k, v in inputs.items() if k == name or k not in saved or (every_shown and saved[k] != v)}
        if fields:
            self._store.set(PLAN_NAMESPACE, PLAN_KEY, fields)

    def _add_break(self, _button=None) -> None:
        self._forget_undo()
        try:
            pair = check_break((self.break_from.value, self.break_to.value), len(self.breaks) + 1)
        except PlanError as exc:
            self._show_error(f"The break was not added: {exc}")
            return
        try:
            with self._own_write():
                self._store.list_add(PLAN_NAMESPACE, PLAN_BREAKS_KEY, {"first": _iso(pair[0]), "last": _iso(pair[1])})
        except StoreError as exc:
            self._show_error(f"The break was not added: {exc}")
            return
        with self._store.reported(), self._own_write():
            self._save_inputs(None)
        self.break_from.value = None
        self.break_to.value = None
        self.breaks = self._saved_breaks()[0]

    def _remove_break(self, index: int):
        def handler(_button=None):
            self._forget_undo()
            fields = None
            if 0 <= index < len(self._break_ids):
                with self._store.reported(), self._own_write():
                    # the days as they were removed, in the same transaction: what Undo puts back
                    fields = self._store.list_take(PLAN_NAMESPACE, PLAN_BREAKS_KEY, self._break_ids[index]) or None
                    self._save_inputs(None)
            self.breaks = self._saved_breaks()[0]
            if fields is not None:
                self._offer_undo(fields)

        return handler

    def undo_remove(self) -> None:
        """Add the break the last Remove took out back, with the days it had (the learner's own add)."""
        with self._lock:
            if not self.undo.active:
                return
            fields = self.undo.pending_for(self._store.profile)
            if fields is None:
                self._forget_undo()
                return
            try:
                with self._own_write():
                    self._store.list_add(PLAN_NAMESPACE, PLAN_BREAKS_KEY, fields)
                with self._store.reported(), self._own_write():
                    self._save_inputs(None)
            except StoreError as exc:
                self._show_error(f"The break was not put back: {exc}")  # nothing saved: Undo can be tried again
                return
            self._forget_undo()
        self.breaks = self._saved_breaks()[0]
        self.break_message.value = ui.notice(f"Put back the break {_break_label(fields)}.")

    def _offer_undo(self, fields: dict) -> None:
        self.undo.offer(fields, self._store.profile)
        self.break_message.value = ui.notice(f"Removed the break {_break_label(fields)}.")

    def _forget_undo(self) -> None:
        self.undo.forget()
        self.break_message.value = ""

    @traitlets.observe("can_undo")
    def _clear_break_message(self, change) -> None:
        if not change["new"]:  # the offer expired or was taken back: its "Removed the break …" goes with it
            self.break_message.value = ""

    def _render_breaks(self) -> None:
        rows, buttons = [], []
        for index, pair in enumerate(self.breaks):
            try:
                first, last = check_break(pair, index + 1)
                label = (
                    f"{ui.format_date(first)} to {ui.format_date(last)} ({ui.plural((last - first).days + 1, 'day')})"
                )
            except PlanError as exc:
                label = str(exc)
            button = widgets.Button(description="Remove", icon="trash", layout=widgets.Layout(width="100px"))
            button.on_click(self._remove_break(index))
            buttons.append(button)
            rows.append(widgets.HBox([widgets.HTML(f"<span class='cp-small'>Break: {ui.esc(label)}</span>"), button]))
        self.remove_break_buttons = buttons
        self.breaks_list.children = rows

    # ------------------------------------------------------------ results

    def _show_error(self, message: str) -> None:
        self.set_trait("error", message)
        self.error_box.value = ui.notice(message, "error") if message else ""

    def _recompute(self, save_schedule: bool) -> None:
        try:
            chosen = courses_for(self.program, self.credential, self._dataset)
            if not chosen:
                label = self._program_names.get(self.program, self.program)
                raise PlanError(
                    f"No course in courses.csv is listed for the program type '{label}'"
                    + (f" and the credential '{self.credential}'." if self.credential else ".")
                )
            result = make_schedule(
                order_courses(chosen), self.hours_per_week, self.start, self.breaks, self.exam_prep_weeks
            )
        except PlanError as exc:
            self._result = None
            self._show_error(str(exc))
            self.set_trait("schedule", {})
            for box in (self.summary_box, self.table_box, self.timeline_box, self.basis_box, self.downloads_box):
                box.value = ""
            if save_schedule:
                with self._store.reported():  # a failure is shown by the store's notice; the status reads the store
                    self._store.delete(PLAN_NAMESPACE, SCHEDULE_KEY)
            self._show_save_state()
            return
        self._result = result
        self._show_error("")
        summary = schedule_summary(result, self.program, self.credential)
        self.set_trait("schedule", summary)
        self.summary_box.value = summary_html(result)
        self.table_box.value = schedule_table_html(result)
        self.timeline_box.value = timeline_html(result)
        self.basis_box.value = planning_basis_html(result)
        self.downloads_box.value = downloads_html(result)
        if save_schedule:
            with self._store.reported():
                self._store.set(PLAN_NAMESPACE, SCHEDULE_KEY, summary)
        self._show_save_state()

    def _show_save_state(self) -> None:
        """Say whether the plan shown is the plan saved, read back from the store (what the dashboard reads)."""
        if self._result is None:
            state = SaveState.NO_PLAN
        else:
            saved = self._store.get(PLAN_NAMESPACE, PLAN_KEY)
            saved = saved if isinstance(saved, dict) else {}
            inputs = {k: v for k, v in self._inputs_json().items() if k not in ("breaks", "credential")}
            same_inputs = all(k in saved and saved[k] == v for k, v in inputs.items())
            same_plan = self._store.get(PLAN_NAMESPACE, SCHEDULE_KEY) == self.schedule
            state = SaveState.SAVED if same_inputs and same_plan else SaveState.NOT_SAVED
        self.set_trait("save_state", state)
        self.save_status.value = ui.notice(SAVE_STATE_TEXT[state], "next" if state is SaveState.SAVED else "notice")
        self.save_button.disabled = state is not SaveState.NOT_SAVED
        self.save_button.layout.display = None if state is SaveState.NOT_SAVED else "none"


def _break_label(fields: dict) -> str:
    """A saved break's days for a message: "Jul 1, 2026 to Jul 14, 2026"."""
    first, last = _parse_day(fields.get("first")), _parse_day(fields.get("last"))
    if first is None or last is None:
        return "with unreadable days"
    return f"{ui.format_date(first)} to {ui.format_date(last)}"


def plan_courses(directory: str | Path | None = None) -> CoursePlanner:
    """The course planner for the data in ``directory`` (default: the shipped data) and the current learner."""
    return CoursePlanner(load_dataset(directory), get_store())
