"""Job search: résumé and cover-letter checklist, interview preparation, and the applications tracker."""

from __future__ import annotations

import threading
from datetime import date

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import ChecklistItem, Step
from coderpath_widgets.features.checklist import Checklist
from coderpath_widgets.features.progress_notice import store_notice_widget
from coderpath_widgets.progress.debounce import Debouncer
from coderpath_widgets.progress.store import Change, ProgressStore, StoreError, get_store
from coderpath_widgets.progress.vocabulary import APPLICATIONS_KEY, JOBS_DRAFT_KEY, JOBS_NAMESPACE
from coderpath_widgets.ui import NoticeKind, spreadsheet
from coderpath_widgets.ui.panel import Panel
from coderpath_widgets.ui.traits import EnumTrait
from coderpath_widgets.ui.undo import UndoOffer

STATUSES = ("interested", "applied", "interviewing", "offer", "accepted", "rejected", "withdrawn")
CLOSED = {"accepted", "rejected", "withdrawn"}
FIELDS = ("employer", "role", "applied_on", "status", "next_step", "follow_up_on")
HEADINGS = ("Employer", "Role", "Applied on", "Status", "Next step", "Follow up on")
#: how long the Undo button stays after a delete, unless the learner does something else in the form first
UNDO_SECONDS = 300.0


def clean_application(raw: dict) -> dict:
    """A saved application with every field present as text (unknown fields dropped)."""
    row = {f: str(raw.get(f) or "") for f in FIELDS}
    if row["status"] not in STATUSES:
        row["status"] = "applied"
    return row


def check_application(row: dict) -> list[str]:
    """Plain-English problems with an application before it is saved.

    >>> check_application({"employer": "", "role": "Coder", "applied_on": "2026-05-02", "follow_up_on": "2026-05-01"})
    ['Employer is required.', 'Follow-up date is before the application date.']
    """
    problems = []
    for name, label in (("employer", "Employer"), ("role", "Role")):
        if not str(row.get(name, "")).strip():
            problems.append(f"{label} is required.")
    applied, follow = row.get("applied_on"), row.get("follow_up_on")
    if applied and follow and follow < applied:
        problems.append("Follow-up date is before the application date.")
    return problems


def follow_ups_due(rows: list[dict], today: date) -> list[dict]:
    """Open applications whose follow-up date has come."""
    return [
        r for r in rows if r["follow_up_on"] and r["status"] not in CLOSED and r["follow_up_on"] <= today.isoformat()
    ]


def applications_csv(rows: list[dict]) -> str:
    """The applications as CSV text; the learner's text is made formula-safe (see ui/spreadsheet.py)."""
    return spreadsheet.csv_text(([row[f] for f in FIELDS] for row in rows), header=HEADINGS, bom=False)


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class ApplicationTracker(Panel):
    """An editable table of job applications.

    Each application is one item of a list in the store with its own id: adding, editing and deleting change
    that one item (an edit sends only the fields the learner changed), so applications added in another kernel
    or on another machine are never overwritten. The form saves as the learner types: a new application's draft
    is kept until it is added, and an edit of an existing one is saved ~300 ms after the last keystroke.

    A delete acts at once and shows an Undo button beside its message. Undo adds the application back with all
    its saved fields (as a new item: the deleted one keeps its tombstone, so a merge cannot bring it back twice).
    The button goes at the learner's next action in the form, at the next delete, or after :data:`UNDO_SECONDS`.
    """

    applications = traitlets.List()
    application_ids = traitlets.List()
    selected = traitlets.Int(-1)
    message = traitlets.Unicode("")
    #: how :attr:`message` is shown, set with it by :meth:`_tell` (never guessed from its words)
    message_kind = EnumTrait(NoticeKind, NoticeKind.NOTICE)
    #: True while :attr:`undo_button` is offered (the last delete can still be undone)
    can_undo = traitlets.Bool(False, read_only=True)

    def __init__(self, store: ProgressStore, today: date | None = None):
        self._store = store
        self._today = today or date.today()
        self._lock = threading.RLock()
        self._typing = Debouncer()
        #: the saved fields of the application the last delete removed, and the learner it belonged to
        self.undo = UndoOffer("Put the deleted application back", UNDO_SECONDS)
        self.undo.observe(lambda change: self.set_trait("can_undo", change["new"]), names="active")
        self.undo_button = self.undo.button
        self.employer = widgets.Text(description="Employer", continuous_update=True)
        self.role = widgets.Text(description="Role", placeholder="e.g. Medical Coder I", continuous_update=True)
        self.applied_on = widgets.DatePicker(description="Applied on")
        self.status = widgets.Dropdown(options=STATUSES, value="applied", description="Status")
        self.next_step = widgets.Text(
            description="Next step", placeholder="e.g. phone screen Tuesday", continuous_update=True
        )
        self.follow_up_on = widgets.DatePicker(description="Follow up on")
        self.add_button = widgets.Button(
            description="Add application", button_style="primary", icon="", layout=widgets.Layout(width="auto")
        )
        self.update_button = widgets.Button(description="Save changes", disabled=True)
        self.delete_button = widgets.Button(description="Delete", button_style="danger", disabled=True)
        self.chooser = widgets.Dropdown(options=[("— new application —", -1)], value=-1, description="Edit")
        self.table = widgets.HTML()
        self.feedback = widgets.HTML()
        self.undo_button.on_click(lambda _: self.undo_delete())
        self.export_link = widgets.HTML()
        self.add_button.on_click(lambda _: self._save_form(new=True))
        self.update_button.on_click(lambda _: self._save_form(new=False))
        self.delete_button.on_click(lambda _: self._delete())
        self.chooser.observe(lambda change: setattr(self, "selected", change["new"]), names="value")
        for control in (self.employer, self.role, self.applied_on, self.status, self.next_step, self.follow_up_on):
            control.observe(self._on_form_change, names="value")
        form = widgets.VBox(
            [
                widgets.HBox([self.employer, self.role]),
                widgets.HBox([self.applied_on, self.status]),
                widgets.HBox([self.next_step, self.follow_up_on]),
                widgets.HBox([self.chooser, self.add_button, self.update_button, self.delete_button]),
            ]
        )
        super().__init__(
            [
                ui.header(
                    "Applications", "Every application you send, its status and your next step. Saved as you go."
                ),
                store_notice_widget(),
                form,
                widgets.HBox([self.feedback, self.undo_button], layout=widgets.Layout(align_items="center")),
                self.table,
                self.export_link,
            ]
        )
        self.reload()
        self._show_row(self._draft())
        store.subscribe(self._on_store_change)

    # ------------------------------------------------------------ reading the store

    def reload(self) -> None:
        """Show the applications the store holds now."""
        with self._lock:
            self._reload()

    def _reload(self) -> None:
        saved = self._store.get(JOBS_NAMESPACE, APPLICATIONS_KEY) or []
        saved = [r for r in saved if isinstance(r, dict) and isinstance(r.get("id"), str)]
        current = self.application_ids[self.selected] if 0 <= self.selected < len(self.application_ids) else None
        self.application_ids = [r["id"] for r in saved]
        self.applications = [clean_application(r) for r in saved]
        if current is not None and current not in self.application_ids:
            self.chooser.value = -1
        elif current is not None and self.chooser.value != self.application_ids.index(current):
            with self.applying():  # per thread: a refresh on the watcher thread is not the learner choosing
                self.chooser.value = self.application_ids.index(current)
            self.selected = self.chooser.value

    def _draft(self) -> dict:
        saved = self._store.get(JOBS_NAMESPACE, JOBS_DRAFT_KEY)
        return clean_application(saved if isinstance(saved, dict) else {})

    def _on_store_change(self, change: Change) -> None:
        if self.undo.belongs_to_another(self._store.profile):
            self.undo.forget()  # another page switched learner: the deleted application was not theirs
        if change.touches(JOBS_NAMESPACE, APPLICATIONS_KEY):
            self.reload()

    # ------------------------------------------------------------ the form

    _edit_seq = 0

    def _on_form_change(self, change) -> None:
        if self.is_applying:
            return
        self.undo.forget()  # the learner has moved on
        with self._lock:  # what is typed, and for which application, is taken now, not when the timer fires
            self._edit_seq += 1
            seq, row = self._edit_seq, self._form_row()
            editing = 0 <= self.selected < len(self.application_ids)
            target = self.application_ids[self.selected] if editing else None
            before = dict(self._shown_row) if editing else None
        self._typing.schedule("form", lambda: self._save_typing(seq, row, target, before))

    def flush(self) -> None:
        """Save what is typed in the form now, without waiting for the pause."""
        self._typing.flush()

    def _save_typing(self, seq: int, row: dict, target: str | None, before: dict | None) -> None:
        """Keep what is being typed: the draft of a new application, or the changed fields of the one being edited.

        A save superseded by a newer keystroke or by a button (``seq`` is no longer the latest) does nothing, so a
        late timer can never write older text over newer.
        """
        with self._lock, self._store.reported():
            if seq != self._edit_seq:
                return
            if target is None:
                self._store.set(JOBS_NAMESPACE, JOBS_DRAFT_KEY, row)  # a record: one transaction, field by field
            elif before is not None and not check_application(row):
                changed = {f: v for f, v in row.items() if before.get(f) != v}
                if changed:
                    self._store.list_edit(JOBS_NAMESPACE, APPLICATIONS_KEY, target, changed)

    _shown_row: dict = {}

    def _show_row(self, row: dict) -> None:
        self._shown_row = dict(row)
        with self.applying():  # showing a saved row is not the learner typing
            self.employer.value, self.role.value = row["employer"], row["role"]
            self.applied_on.value = _date_or_none(row["applied_on"])
            self.status.value = row["status"]
            self.next_step.value = row["next_step"]
            self.follow_up_on.value = _date_or_none(row["follow_up_on"])

    def _form_row(self) -> dict:
        return {
            "employer": self.employer.value.strip(),
            "role": self.role.value.strip(),
            "applied_on": self.applied_on.value.isoformat() if self.applied_on.value else "",
            "status": self.status.value,
            "next_step": self.next_step.value.strip(),
            "follow_up_on": self.follow_up_on.value.isoformat() if self.follow_up_on.value else "",
        }

    def _save_form(self, new: bool) -> None:
        row = self._form_row()
        problems = check_application(row)
        if problems:
            self._tell(" ".join(problems), NoticeKind.ERROR)
            return
        self._typing.flush()
        with self._lock:
            self._edit_seq += 1  # a typing save still on its way is now out of date
            self._save_checked(row, new)

    def _save_checked(self, row: dict, new: bool) -> None:
        try:
            if new or not 0 <= self.selected < len(self.application_ids):
                self._store.list_add(JOBS_NAMESPACE, APPLICATIONS_KEY, row)
                self._store.delete(JOBS_NAMESPACE, JOBS_DRAFT_KEY)
                self._tell(f"Added {row['role']} at {row['employer']}.")
            else:
                before = self._shown_row  # what the form showed: only what the learner changed since is sent
                changed = {f: v for f, v in row.items() if before.get(f) != v}
                if not self._store.list_edit(
                    JOBS_NAMESPACE, APPLICATIONS_KEY, self.application_ids[self.selected], changed
                ):
                    self._tell("That application was deleted on another page; nothing was saved.", NoticeKind.ERROR)
                    return
                self._tell(f"Saved changes to {row['role']} at {row['employer']}.")
        except StoreError as exc:
            self._tell(str(exc), NoticeKind.ERROR)
            return
        self.reload()
        self.chooser.value = -1
        self._show_row(clean_application({}))

    def _delete(self) -> None:
        if not 0 <= self.selected < len(self.application_ids):
            return
        self._typing.flush()  # an edit still on its way is part of what Undo puts back
        with self._lock:
            self._edit_seq += 1
            target = self.application_ids[self.selected]
            try:  # the fields as they were removed, in the same transaction: what Undo puts back
                fields = self._store.list_take(JOBS_NAMESPACE, APPLICATIONS_KEY, target)
            except StoreError as exc:
                self._tell(str(exc), NoticeKind.ERROR)
                return
            self.reload()
            self.chooser.value = -1
        if not fields:  # gone already, or its fields could not be read (nothing to put back)
            self._tell("That application was already deleted on another page.")
            return
        gone = clean_application(fields)
        self._tell(f"Deleted {gone['role']} at {gone['employer']}.", undo=fields)

    def undo_delete(self) -> None:
        """Add the application the last delete removed back, with every field it had (the learner's own add)."""
        with self._lock:
            if not self.undo.active:
                return
            fields = self.undo.pending_for(self._store.profile)
            if fields is None:
                self._tell("The deleted application belonged to another learner; nothing was restored.")
                return
            try:
                self._store.list_add(JOBS_NAMESPACE, APPLICATIONS_KEY, fields)
            except StoreError as exc:
                self._tell(str(exc), NoticeKind.ERROR, undo=fields)  # nothing was saved: Undo can be tried again
                return
            self.reload()
        row = clean_application(fields)
        self._tell(f"Restored {row['role']} at {row['employer']}.")

    def _tell(self, text: str, kind: NoticeKind = NoticeKind.NOTICE, undo: dict | None = None) -> None:
        """Show ``text`` in the feedback box as a notice or an error; with ``undo``, offer to add it back."""
        if undo is not None:
            self.undo.offer(undo, self._store.profile)
        else:
            self.undo.forget()
        self.message_kind = kind
        self.message = text

    @traitlets.observe("message", "message_kind")
    def _show_message(self, change) -> None:
        self.feedback.value = ui.notice(self.message, self.message_kind) if self.message else ""

    @traitlets.observe("selected")
    def _load_selected(self, change) -> None:
        if self.is_applying:
            return
        self._typing.flush()
        index = change["new"]
        editing = 0 <= index < len(self.applications)
        self.update_button.disabled = self.delete_button.disabled = not editing
        self._show_row(self.applications[index] if editing else self._draft())

    @traitlets.observe("applications")
    def _render(self, change) -> None:
        rows = change["new"]
        options = [("— new application —", -1)] + [(f"{r['employer']} — {r['role']}", n) for n, r in enumerate(rows)]
        if list(self.chooser.options) != options:
            with self.applying():
                value = self.chooser.value
                self.chooser.options = options
                self.chooser.value = value if -1 <= value < len(rows) else -1
        if not rows:
            self.table.value = "<p class='cp-muted'>No applications yet. Add the first one above.</p>"
            self.export_link.value = ""
            return
        due = follow_ups_due(rows, self._today)
        cells = []
        for row in rows:
            line = [ui.esc(row[f]) for f in FIELDS]
            if row in due:
                line[-1] += " " + ui.badge("follow up now", "warn")
            cells.append(line)
        self.table.value = ui.table(HEADINGS, cells, raw_columns=range(len(HEADINGS)))
        link = spreadsheet.csv_download_link(
            spreadsheet.BOM + applications_csv(rows), "job-applications.csv", "Download the applications as CSV"
        )
        self.export_link.value = f"{link} <span class='cp-small'>(made on this machine; nothing is uploaded)</span>"

    def to_csv(self) -> str:
        """The applications as CSV text."""
        return applications_csv(list(self.applications))


class JobSearch(widgets.Tab):
    """Step 4 in tabs: one checklist per section of the jobs checklist (the ``section`` field, in data order),
    then the applications.

    The tabs follow the data: a section added to checklist_items.csv gets its own tab, and no item is left out.
    """

    def __init__(self, step: Step, items: list[ChecklistItem], store: ProgressStore, today: date | None = None):
        #: section name → its checklist
        self.checklists: dict[str, Checklist] = {
            section: Checklist(step, [i for i in items if i.section == section], store)
            for section in dict.fromkeys(i.section for i in items)
        }
        self.tracker = ApplicationTracker(store, today)
        super().__init__(children=[*self.checklists.values(), self.tracker])
        for n, title in enumerate([*self.checklists, "Applications"]):
            self.set_title(n, title)


def track_job_search(directory: str | None = None, today: date | None = None) -> JobSearch:
    """Step 4's tracker: a checklist tab for each part of the job search, and the applications table."""
    dataset = load_dataset(directory)
    return JobSearch(dataset.step("jobs"), dataset.checklist("jobs"), get_store(), today)
