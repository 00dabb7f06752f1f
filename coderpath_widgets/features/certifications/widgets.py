"""Step 3's widgets and their factories: the comparison and the fit helper."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset
from coderpath_widgets.content.models import Body, Education, Setting
from coderpath_widgets.features.certifications.fees import ALL, filter_certifications, lowest_exam_price
from coderpath_widgets.features.certifications.fit import (
    FIT_SETTINGS,
    FitAnswers,
    FitResult,
    FitSetting,
    rank_credentials,
)
from coderpath_widgets.features.certifications.render import (
    EDUCATION_LABELS,
    _stale_keys,
    ceiling_options,
    certification_card_html,
    fit_results_html,
    issuer_note,
    setting_label,
    side_by_side_html,
)
from coderpath_widgets.features.progress_notice import store_notice_widget
from coderpath_widgets.progress.store import ProgressStore, StoreError, get_store
from coderpath_widgets.progress.vocabulary import COMPARE_KEY, FIT_ANSWERS_KEY, TARGET_KEY, TARGET_NAMESPACE
from coderpath_widgets.ui import STALE_AFTER_DAYS, panel_header
from coderpath_widgets.ui.panel import Panel
from coderpath_widgets.ui.traits import EnumTrait

NAMESPACE = TARGET_NAMESPACE  # "certification"


MAX_SIDE_BY_SIDE = 3


#: What the fee filter and the budget say when they set no ceiling.
ANY_FEE, NO_LIMIT = "Any fee", "No limit"


def _ceiling(choice: str | float) -> float | None:
    """A fee-ceiling dropdown's value as an amount, None for no limit."""
    return None if choice == ALL else float(choice)


def _no_limit_if_not_positive(amount: float | None) -> float | None:
    """A ceiling of zero or less (0 used to mean "no limit"), or one that is not a number, is no limit."""
    if amount is None or not math.isfinite(amount) or amount <= 0:
        return None
    return float(amount)


def _show_ceiling(control: widgets.Dropdown, amount: float | None, no_limit: str) -> None:
    """Show an amount in a fee-ceiling dropdown, adding it to the choices if it is not one; call in ``applying()``."""
    if amount is not None and amount not in [v for _, v in control.options]:
        control.options = ceiling_options(amount, no_limit)  # resets the choice: the caller is applying
    control.value = ALL if amount is None else amount


# ---------------------------------------------------------------- comparison widget


class CheckboxList(widgets.VBox):
    """A multiple choice as a list of checkboxes: usable by touch and keyboard, no Ctrl-click.

    ``value`` is the tuple of chosen values in option order, like ``SelectMultiple``'s.
    """

    value = traitlets.Tuple()

    def __init__(self, options: list[tuple[str, str]], description: str = ""):
        self.options = list(options)
        self.boxes = {v: widgets.Checkbox(value=False, description=label, indent=False) for label, v in self.options}
        legend = widgets.HTML(f"<b>{ui.esc(description)}</b>") if description else widgets.HTML()
        super().__init__([legend, *self.boxes.values()])
        self.add_class("cp-checkbox-list")
        self._syncing = False
        for box in self.boxes.values():
            box.observe(self._on_box, names="value")

    def _on_box(self, _change: dict[str, Any]) -> None:
        if not self._syncing:
            self.value = tuple(v for _, v in self.options if self.boxes[v].value)

    @traitlets.observe("value")
    def _show(self, change: dict[str, Any]) -> None:
        self._syncing = True
        try:
            for v, box in self.boxes.items():
                box.value = v in change["new"]
        finally:
            self._syncing = False


class CertificationComparison(Panel):
    """Filterable cards of every credential and a side-by-side view of up to three.

    Filters live in ``body``, ``setting``, ``max_fee`` (None = no limit) and ``code_set``; the credentials
    that pass are ``visible_ids``. ``selected`` is the side-by-side choice, saved in the store.
    """

    body = traitlets.Unicode(ALL)
    setting = traitlets.Unicode(ALL)
    max_fee = traitlets.Float(None, allow_none=True)
    code_set = traitlets.Unicode(ALL)
    selected = traitlets.List(traitlets.Unicode())
    visible_ids = traitlets.List(traitlets.Unicode())

    def __init__(self, dataset: Dataset, store: ProgressStore, today: date | None = None):
        self._dataset = dataset
        self._store = store
        self._stale = _stale_keys(dataset, today, STALE_AFTER_DAYS)
        certs = dataset.certifications
        settings = [s.value for s in Setting if any(c.setting is s for c in certs)]
        code_sets = list(dict.fromkeys(code for c in certs for code in c.code_sets))
        code_set_rows = dataset.by_id("code_sets")
        narrow = widgets.Layout(width="250px")
        self.body_filter = widgets.Dropdown(
            options=[("All", ALL), *((b.value, b.value) for b in Body if any(c.issuing_body is b for c in certs))],
            description="Issued by",
            layout=narrow,
        )
        self.setting_filter = widgets.Dropdown(
            options=[("All settings", ALL), *((setting_label(s), s) for s in settings)],
            description="Setting",
            layout=widgets.Layout(width="330px"),
        )
        self.code_set_filter = widgets.Dropdown(
            options=[
                ("All code sets", ALL),
                *((code_set_rows[c].name if c in code_set_rows else c, c) for c in code_sets),
            ],
            description="Code set",
            layout=narrow,
        )
        self.fee_filter = widgets.Dropdown(
            options=ceiling_options(None, ANY_FEE), value=ALL, description="Exam fee", layout=narrow
        )
        self.summary = widgets.HTML()
        self.cards = widgets.HTML()
        self.picker = CheckboxList(
            options=[(f"{c.credential} — {c.full_name} ({c.issuing_body.value})", c.id) for c in certs],
            description="Compare",
        )
        self.pick_message = widgets.HTML()
        self.side_by_side = widgets.HTML()
        super().__init__(
            [
                panel_header(
                    "Compare certifications",
                    "Every credential from AAPC and AHIMA: exam, fees, eligibility, renewal and code sets.",
                ),
                store_notice_widget(),
                widgets.HTML(issuer_note(certs)),
                widgets.HBox([self.body_filter, self.setting_filter], layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox([self.code_set_filter, self.fee_filter], layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HTML(
                    "<div class='cp-small'>The exam fee filter compares with the lowest exam price we show (often "
                    "the member price; membership dues are extra).</div>"
                ),
                self.summary,
                self.cards,
                widgets.HTML(
                    "<h4 style='margin:12px 0 2px 0'>Side by side</h4><div class='cp-small'>Tick two or three.</div>"
                ),
                self.picker,
                self.pick_message,
                self.side_by_side,
            ],
            layout=widgets.Layout(max_width="980px"),
        )
        widgets.link((self.body_filter, "value"), (self, "body"))
        widgets.link((self.setting_filter, "value"), (self, "setting"))
        widgets.link((self.code_set_filter, "value"), (self, "code_set"))
        self.fee_filter.observe(self._on_fee_choice, names="value")
        self.picker.observe(self._on_pick, names="value")
        self._refresh()
        saved = store.get(NAMESPACE, COMPARE_KEY, [])
        known = {c.id for c in certs}
        restored = [i for i in saved if isinstance(i, str) and i in known] if isinstance(saved, list) else []
        with self.applying():  # restoring the saved choice is not a choice to save
            self.selected = list(dict.fromkeys(restored))[:MAX_SIDE_BY_SIDE]
        self._render_side_by_side()

    def _on_fee_choice(self, change: dict[str, Any]) -> None:
        if self.is_applying:
            return
        self.max_fee = _ceiling(change["new"])

    @traitlets.validate("max_fee")
    def _valid_max_fee(self, proposal: dict[str, Any]) -> float | None:
        return _no_limit_if_not_positive(proposal["value"])

    @traitlets.observe("max_fee")
    def _max_fee_to_choice(self, change: dict[str, Any]) -> None:
        with self.applying():
            _show_ceiling(self.fee_filter, change["new"], ANY_FEE)

    @traitlets.observe("body", "setting", "max_fee", "code_set")
    def _filters_changed(self, change: dict[str, Any]) -> None:
        self._refresh()

    def _refresh(self) -> None:
        dataset = self._dataset
        self.visible_ids = filter_certifications(dataset, self.body, self.setting, self.max_fee, self.code_set)
        visible = [dataset.certification(i) for i in self.visible_ids]
        total = len(dataset.certifications)
        text = f"Showing {len(visible)} of {total} credentials."
        unknown = [c.credential for c in visible if lowest_exam_price(dataset, c.id) is None]
        if self.max_fee is not None and unknown:
            text += (
                f" {len(unknown)} have no exam fee on file ({', '.join(unknown)}); they are listed, marked "
                "“fee not found”, not hidden."
            )
        self.summary.value = f"<div class='cp-muted' style='margin:6px 0'>{ui.esc(text)}</div>"
        if visible:
            self.cards.value = "".join(certification_card_html(dataset, c, self._stale) for c in visible)
        else:
            self.cards.value = ui.notice("No credential matches these filters. Try “All” or a higher exam fee.")

    def _on_pick(self, change: dict[str, Any]) -> None:
        picked = list(change["new"])
        if len(picked) > MAX_SIDE_BY_SIDE:
            self._too_many()
            self.picker.value = tuple(change["old"])
            return
        if picked != list(self.selected):  # a real change, not the undo of a pick over the limit
            self.pick_message.value = ""
            self.selected = picked

    def _too_many(self) -> None:
        self.pick_message.value = ui.notice(
            f"You can compare up to {MAX_SIDE_BY_SIDE} credentials side by side. Unselect one before adding another.",
            "error",
        )

    @traitlets.observe("selected")
    def _selected_changed(self, change: dict[str, Any]) -> None:
        new = list(change["new"])
        if len(new) > MAX_SIDE_BY_SIDE:
            self._too_many()
            self.selected = list(change["old"])
            return
        if tuple(new) != tuple(self.picker.value):
            self.picker.value = tuple(new)
        if not self.is_applying:
            with self._store.reported():  # the learner's new pick replaces the old one; a failure is shown
                self._store.set(NAMESPACE, COMPARE_KEY, new)
        self._render_side_by_side()

    def _render_side_by_side(self) -> None:
        self.side_by_side.value = side_by_side_html(self._dataset, list(self.selected), self._stale)


def compare_certifications(directory: str | None = None) -> CertificationComparison:
    """Every AAPC and AHIMA credential with filters and a side-by-side view of up to three."""
    return CertificationComparison(load_dataset(directory), get_store())


# ---------------------------------------------------------------- fit widget


class CertificationFit(Panel):
    """Four questions → a ranked list with reasons; "Make this my target" saves the choice and answers."""

    setting = EnumTrait(FitSetting, FitSetting.NOT_SURE)
    experience_years = traitlets.Float(0.0)
    education = EnumTrait(Education, Education.HIGH_SCHOOL)
    budget = traitlets.Float(None, allow_none=True)
    him_degree = traitlets.Bool(False)
    ranking = traitlets.List(traitlets.Unicode())
    target = traitlets.Unicode(None, allow_none=True)

    def __init__(self, dataset: Dataset, store: ProgressStore):
        self._dataset = dataset
        self._store = store
        self._results: list[FitResult] = []
        self._hand_picked: str | None = None
        saved = FitAnswers.from_dict(store.get(NAMESPACE, FIT_ANSWERS_KEY))
        wide = widgets.Layout(width="100%", max_width="440px")  # narrower on a phone
        style = {"description_width": "190px"}
        self.setting_input = widgets.Dropdown(
            options=[(setting_label(s), s) for s in FIT_SETTINGS],
            value=saved.setting,
            description="Where you want to work",
            layout=wide,
            style=style,
        )
        self.experience_input = widgets.BoundedFloatText(
            value=saved.experience_years,
            min=0,
            max=60,
            step=0.5,
            description="Years of coding experience",
            layout=wide,
            style=style,
        )
        self.education_input = widgets.Dropdown(
            options=[(label[0].upper() + label[1:], e.value) for e, label in EDUCATION_LABELS.items()],
            value=saved.education.value,
            description="Highest education",
            layout=wide,
            style=style,
        )
        self.him_input = widgets.Checkbox(
            value=saved.him_degree,
            indent=True,  # under the answers, past the question column; on a phone that column folds away
            description="My degree is in health information management from a CAHIIM-accredited program",
            layout=widgets.Layout(width="100%", max_width="980px"),
            style=style,
        )
        self.budget_input = widgets.Dropdown(
            options=ceiling_options(saved.budget, NO_LIMIT),
            value=ALL if saved.budget is None else saved.budget,
            description="Exam budget",
            layout=wide,
            style=style,
        )
        self.results_box = widgets.HTML()
        self.choice = widgets.Dropdown(description="Target", layout=widgets.Layout(width="100%", max_width="440px"))
        self.save_button = widgets.Button(
            description="Make this my target", button_style="primary", icon="check", layout=widgets.Layout(width="auto")
        )
        self.message = widgets.HTML()
        super().__init__(
            [
                panel_header("Which credential fits you?", "Answer four questions; the list explains every place."),
                store_notice_widget(),
                self.setting_input,
                self.experience_input,
                self.education_input,
                self.him_input,
                self.budget_input,
                self.results_box,
                widgets.HBox([self.choice, self.save_button], layout=widgets.Layout(flex_flow="row wrap")),
                self.message,
            ],
            layout=widgets.Layout(max_width="980px"),
        )
        saved_target = store.get(TARGET_NAMESPACE, TARGET_KEY)
        with self.applying():  # restoring the saved answers: rank once, below
            self.target = saved_target if saved_target in dataset.by_id("certifications") else None
            widgets.link((self.setting_input, "value"), (self, "setting"))
            widgets.link((self.experience_input, "value"), (self, "experience_years"))
            widgets.link((self.education_input, "value"), (self, "education"), transform=(Education, _value))
            widgets.link((self.him_input, "value"), (self, "him_degree"))
            self.budget_input.observe(self._on_budget_choice, names="value")
            self.budget = saved.budget
        self.save_button.on_click(self._save_target)
        self.choice.observe(self._on_choice, names="value")
        self._rank()
        if self.target is not None:
            saved_name = dataset.certification(self.target).credential
            self.message.value = ui.notice(f"Your saved target: {saved_name}.", "next")

    def answers(self) -> FitAnswers:
        """The current answers."""
        return FitAnswers(
            setting=self.setting.value,
            experience_years=float(self.experience_years),
            education=self.education,
            budget=self.budget,
            him_degree=self.him_degree,
        )

    def _on_budget_choice(self, change: dict[str, Any]) -> None:
        if self.is_applying:
            return
        self.budget = _ceiling(change["new"])

    @traitlets.validate("budget")
    def _valid_budget(self, proposal: dict[str, Any]) -> float | None:
        return _no_limit_if_not_positive(proposal["value"])

    @traitlets.observe("budget")
    def _budget_to_choice(self, change: dict[str, Any]) -> None:
        with self.applying():
            _show_ceiling(self.budget_input, change["new"], NO_LIMIT)

    @traitlets.observe("setting", "experience_years", "education", "budget", "him_degree", "target")
    def _answers_changed(self, change: dict[str, Any]) -> None:
        if not self.is_applying:
            self._rank()

    def _rank(self) -> None:
        self._results = rank_credentials(self.answers(), self._dataset)
        self.ranking = [r.certification_id for r in self._results]
        self.results_box.value = fit_results_html(self._results, self._dataset, self.target)
        # The choice follows the top of the list, unless the learner picked one by hand or has a target.
        keep = self._hand_picked if self._hand_picked in self.ranking else self.target
        with self.applying():  # filling the dropdown is not a pick by hand
            self.choice.options = [(r.credential, r.certification_id) for r in self._results]
            self.choice.value = keep if keep in self.ranking else (self.ranking[0] if self.ranking else None)

    def _on_choice(self, change: dict[str, Any]) -> None:
        if not self.is_applying and change["new"] is not None:
            self._hand_picked = change["new"]

    def _save_target(self, _button: widgets.Button | None = None) -> None:
        chosen = self.choice.value
        if chosen is None:
            self.message.value = ui.notice("Pick a credential first.", "error")
            return
        try:  # the answers are a record: only the answers changed here get a new time, field by field
            self._store.set(NAMESPACE, FIT_ANSWERS_KEY, self.answers().to_dict())
            self._store.set(TARGET_NAMESPACE, TARGET_KEY, chosen)
        except StoreError as exc:
            self.message.value = ui.notice(str(exc), "error")
            return
        self.target = chosen
        self.message.value = ui.notice(
            f"Saved: {self._dataset.certification(chosen).credential} is your target credential. "
            "The dashboard shows it.",
            "next",
        )


def _value(member: Education) -> str:
    return member.value


def find_certification_fit(directory: str | None = None) -> CertificationFit:
    """The fit helper: where you want to work, experience, education and budget → ranked credentials."""
    return CertificationFit(load_dataset(directory), get_store())


#: the old name, kept working for one release (0.2 removes it); notebooks call :func:`find_certification_fit`
certification_fit = find_certification_fit
