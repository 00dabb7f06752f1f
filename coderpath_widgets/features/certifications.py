"""Step 3: compare the AAPC and AHIMA credentials, and find the ones that fit you.

Two public factories:

* :func:`compare_certifications` — every credential with its exam, fees (and the figures we did not show,
  with their sources), eligibility, renewal and code sets; filters; a side-by-side view of two or three.
* :func:`certification_fit` — four questions → a ranked list with the reasons for each place; the chosen
  credential is saved as the learner's target.

The ranking itself is the pure function :func:`rank_credentials`, so it can be tested without widgets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset, stale_facts
from coderpath_widgets.content.models import Certification, CertificationFee, Education, FeeKind, Level, Setting
from coderpath_widgets.features.progress_notice import store_notice_widget
from coderpath_widgets.progress.store import ProgressStore, get_store
from coderpath_widgets.progress.vocabulary import COMPARE_KEY, FIT_ANSWERS_KEY, TARGET_KEY, TARGET_NAMESPACE
from coderpath_widgets.ui import STALE_AFTER_DAYS, panel_header, stale_badge

NAMESPACE = TARGET_NAMESPACE  # "certification"
MAX_SIDE_BY_SIDE = 3
#: AAPC's apprentice rule: the "-A" is removed after two years of coding experience
#: (aapc.com/certifications/cpc/complete-your-cpc-apprenticeship). Used when the data gives no figure.
APPRENTICE_YEARS = 2.0
ALL = "all"
NOT_SURE = "not_sure"

SETTING_LABELS: dict[str, str] = {
    Setting.PHYSICIAN_OFFICE.value: "Physician office",
    Setting.HOSPITAL_OUTPATIENT.value: "Hospital outpatient",
    Setting.HOSPITAL_INPATIENT.value: "Hospital inpatient",
    Setting.RISK_ADJUSTMENT.value: "Risk adjustment",
    Setting.BILLING.value: "Billing",
    Setting.AUDITING.value: "Auditing and compliance",
    Setting.ANY_SETTING.value: "Any setting",
    Setting.HEALTH_INFORMATION.value: "Health information management",
    Setting.CLINICAL_DOCUMENTATION.value: "Clinical documentation",
    NOT_SURE: "Not sure yet",
}
#: The fit helper's first question: where the learner wants to work.
FIT_SETTINGS: tuple[str, ...] = (
    Setting.PHYSICIAN_OFFICE.value,
    Setting.HOSPITAL_OUTPATIENT.value,
    Setting.HOSPITAL_INPATIENT.value,
    Setting.RISK_ADJUSTMENT.value,
    Setting.BILLING.value,
    NOT_SURE,
)
#: Settings close enough to count as a partial match (the work and code sets overlap).
RELATED_SETTINGS: dict[str, frozenset[str]] = {
    Setting.HOSPITAL_INPATIENT.value: frozenset(
        {Setting.HOSPITAL_OUTPATIENT.value, Setting.HEALTH_INFORMATION.value, Setting.CLINICAL_DOCUMENTATION.value}
    ),
    Setting.HOSPITAL_OUTPATIENT.value: frozenset({Setting.HOSPITAL_INPATIENT.value, Setting.PHYSICIAN_OFFICE.value}),
    Setting.PHYSICIAN_OFFICE.value: frozenset({Setting.HOSPITAL_OUTPATIENT.value, Setting.BILLING.value}),
    Setting.RISK_ADJUSTMENT.value: frozenset({Setting.PHYSICIAN_OFFICE.value}),
    Setting.BILLING.value: frozenset({Setting.PHYSICIAN_OFFICE.value}),
}
EDUCATION_LABELS: dict[Education, str] = {
    Education.HIGH_SCHOOL: "a high-school diploma or GED",
    Education.POSTSECONDARY_NONDEGREE: "a postsecondary certificate or diploma (no degree)",
    Education.ASSOCIATE: "an associate degree",
    Education.BACHELOR: "a bachelor's degree or higher",
}
LEVEL_LABELS: dict[Level, str] = {
    Level.APPRENTICE: "Apprentice status",
    Level.ENTRY: "Entry level",
    Level.CORE: "Core",
    Level.ADVANCED: "Advanced",
}
FEE_KIND_LABELS: dict[FeeKind, str] = {
    FeeKind.EXAM: "Exam",
    FeeKind.EXAM_STUDENT: "Exam (students)",
    FeeKind.MEMBERSHIP: "Membership dues",
    FeeKind.MEMBERSHIP_STUDENT: "Student membership dues",
    FeeKind.RECERTIFICATION: "Recertification",
}

# Ranking weights: where you want to work matters most, then whether you can sit the exam now.
SCORE_SETTING = {"exact": 40, "any": 20, "related": 15, "other": 0, NOT_SURE: 0}
SCORE_ELIGIBLE = {True: 25, None: 5, False: -15}
SCORE_APPRENTICE = -5
SCORE_ADVANCED_EARLY = -5
SCORE_NOT_SURE_ANY_SETTING = 10
SCORE_RECOMMENDED_EXPERIENCE = -5
SCORE_FITS_BUDGET, SCORE_MEMBER_PRICE_ONLY, SCORE_OVER_BUDGET = 5, 2, -10


def setting_label(value: str) -> str:
    """A setting's plain name.

    >>> setting_label("hospital_inpatient")
    'Hospital inpatient'
    """
    return SETTING_LABELS.get(value, value.replace("_", " ").capitalize())


def years_text(years: float) -> str:
    """A length of experience in words.

    >>> years_text(0.5), years_text(1), years_text(2), years_text(1.5)
    ('6 months', '1 year', '2 years', '1.5 years')
    """
    if years < 1:
        months = round(years * 12)
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{years:g} year{'s' if years != 1 else ''}"


def exam_prices(fee: CertificationFee | None) -> list[float]:
    """The known prices of an exam fee row, lowest first (empty when none is known)."""
    if fee is None:
        return []
    return sorted(p for p in (fee.member_usd, fee.nonmember_usd) if p is not None)


def shown_exam_fee(dataset: Dataset, cert_id: str) -> CertificationFee | None:
    """The exam fee row we show for a credential, or None when no exam fee is on file."""
    return next((f for f in dataset.fees_for(cert_id, shown_only=True) if f.kind is FeeKind.EXAM), None)


def lowest_exam_price(dataset: Dataset, cert_id: str) -> float | None:
    """The lowest shown exam price (often the member price), or None when no price was found."""
    prices = exam_prices(shown_exam_fee(dataset, cert_id))
    return prices[0] if prices else None


#: Fees that apply to every credential of an issuing body; the data lists each once, under one credential.
BODY_WIDE_KINDS = (FeeKind.MEMBERSHIP, FeeKind.MEMBERSHIP_STUDENT, FeeKind.RECERTIFICATION)


def body_wide_fees(dataset: Dataset, cert: Certification) -> list[tuple[CertificationFee, Certification]]:
    """Shown membership and recertification fees listed under another credential of the same body.

    ``certification_fees.csv`` records AAPC membership once (under the CPC) and AHIMA membership and
    recertification once (under the CCA); their notes say they apply to every credential of that body.
    Returns ``(fee, credential it is listed under)`` for each such kind this credential has no row of.
    """
    own = {f.kind for f in dataset.fees_for(cert.id)}
    out = []
    for kind in BODY_WIDE_KINDS:
        if kind in own:
            continue
        for other in dataset.certifications:
            if other.issuing_body is not cert.issuing_body or other.id == cert.id:
                continue
            fee = next((f for f in dataset.fees_for(other.id, shown_only=True) if f.kind is kind), None)
            if fee is not None:
                out.append((fee, other))
                break
    return out


def membership_fee(dataset: Dataset, cert: Certification) -> CertificationFee | None:
    """The shown membership dues for a credential's body, wherever the data lists them."""
    own = next((f for f in dataset.fees_for(cert.id, shown_only=True) if f.kind is FeeKind.MEMBERSHIP), None)
    if own is not None:
        return own
    return next((fee for fee, _ in body_wide_fees(dataset, cert) if fee.kind is FeeKind.MEMBERSHIP), None)


def _stale_keys(dataset: Dataset, today: date | None, max_age_days: int) -> set[tuple[str, str, str]]:
    return {
        (s.table, s.row_id, s.as_of)
        for s in stale_facts(max_age_days, dataset=dataset, today=today, shown_only=False)
    }


def _fee_key(fee: CertificationFee) -> tuple[str, str, str]:
    return ("certification_fees", f"{fee.certification_id}:{fee.kind.value}", str(fee.as_of))


def _cert_key(cert: Certification) -> tuple[str, str, str]:
    return ("certifications", cert.id, str(cert.as_of))


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "not found"
    return f"{value:g} {unit}"


def exam_text(cert: Certification) -> str:
    """Questions, hours and format in one line; unknown parts say "not found"."""
    parts = [
        f"{cert.exam_questions} questions" if cert.exam_questions is not None else "questions: not found",
        f"{cert.exam_hours:g} hours" if cert.exam_hours is not None else "time: not found",
    ]
    if cert.exam_format:
        parts.append(cert.exam_format)
    return " · ".join(parts)


def renewal_text(cert: Certification) -> str:
    """How often the credential is renewed and how many CEUs it takes."""
    years = f"every {cert.renewal_years} years" if cert.renewal_years is not None else "cycle not found"
    ceus = f"{cert.ceus_required} CEUs" if cert.ceus_required is not None else "CEUs not found"
    return f"{years}, {ceus}"


def code_set_names(cert: Certification, dataset: Dataset) -> list[str]:
    """The names of the code sets a credential's exam tests."""
    names = dataset.by_id("code_sets")
    return [names[c].name if c in names else c for c in cert.code_sets]


def _yes_no(value: bool | None) -> str:
    return "not found" if value is None else ("yes" if value else "no")


def issuer_note(certs: Iterable[Certification]) -> str:
    """The correction of the seed article, stated only when our data shows it.

    The article lists the CCS and CCA among AAPC's certifications; both are AHIMA credentials.
    """
    ahima = sorted(c.credential for c in certs if c.credential in {"CCS", "CCA"} and c.issuing_body.value == "AHIMA")
    if not ahima:
        return ""
    names = " and ".join(ahima)
    verb = "are" if len(ahima) > 1 else "is an"
    plural = "credentials" if len(ahima) > 1 else "credential"
    return ui.notice(
        f"Who issues what: the {names} {verb} AHIMA {plural}, not AAPC's. The article this workbook started from "
        f"lists {'them' if len(ahima) > 1 else 'it'} under AAPC; that is a mistake, and the table below is right."
    )


# ---------------------------------------------------------------- comparison: pure HTML builders


def fee_rows_html(dataset: Dataset, cert: Certification, stale: set[tuple[str, str, str]]) -> str:
    """The shown fee rows of a credential as a small table, plus a disclosure with the other figures."""
    shown = dataset.fees_for(cert.id, shown_only=True)
    labelled = [(fee, FEE_KIND_LABELS[fee.kind]) for fee in shown] + [
        (fee, f"{FEE_KIND_LABELS[fee.kind]} ({cert.issuing_body.value}-wide, listed under {owner.credential})")
        for fee, owner in body_wide_fees(dataset, cert)
    ]
    rows = []
    for fee, label in labelled:
        badge = stale_badge(fee.as_of) if _fee_key(fee) in stale else ""
        rows.append(
            [
                ui.esc(label),
                ui.esc(ui.money(fee.member_usd)),
                ui.esc(ui.money(fee.nonmember_usd)),
                ui.esc(fee.attempts) if fee.attempts is not None else "not found",
                f"{ui.esc(fee.note) if fee.note else ''}"
                f"<div class='cp-source'>{ui.esc(fee.source)} (as of {ui.esc(fee.as_of)})</div>{badge}",
            ]
        )
    if not any(f.kind is FeeKind.EXAM for f in shown):
        rows.insert(0, ["Exam", "fee not found", "fee not found", "—", "No exam fee was found in our sources."])
    out = ui.table(["Fee", "Member", "Non-member", "Attempts", "Note and source"], rows, raw_columns=range(5))
    return out + other_figures_html(dataset, cert, stale)


def other_figures_html(dataset: Dataset, cert: Certification, stale: set[tuple[str, str, str]]) -> str:
    """A ``<details>`` list of the fee figures we did not show, with their sources and why another is shown."""
    others = [f for f in dataset.fees_for(cert.id) if not f.shown]
    if not others:
        return ""
    shown_by_kind = {f.kind: f for f in dataset.fees_for(cert.id, shown_only=True)}
    items = []
    for kind in dict.fromkeys(f.kind for f in others):
        chosen = shown_by_kind.get(kind)
        if chosen is not None:
            why = f" <i>Why this one: {ui.esc(chosen.why_shown)}</i>" if chosen.why_shown else ""
            items.append(
                f"<li><b>{ui.esc(FEE_KIND_LABELS[kind])}</b>: we show {ui.esc(ui.money(chosen.member_usd))} member / "
                f"{ui.esc(ui.money(chosen.nonmember_usd))} non-member (as of {ui.esc(chosen.as_of)}).{why}</li>"
            )
        for fee in (f for f in others if f.kind is kind):
            badge = stale_badge(fee.as_of) if _fee_key(fee) in stale else ""
            note = f" — {ui.esc(fee.note)}" if fee.note else ""
            note += f" <i>{ui.esc(fee.why_shown)}</i>" if fee.why_shown else ""
            items.append(
                f"<li style='margin-left:1em'>Other figure: {ui.esc(ui.money(fee.member_usd))} member / "
                f"{ui.esc(ui.money(fee.nonmember_usd))} non-member{note} "
                f"<span class='cp-source'>({ui.esc(fee.source_kind.value.replace('_', '-'))} source: "
                f"{ui.esc(fee.source)}, as of {ui.esc(fee.as_of)})</span> {badge}</li>"
            )
    return (
        f"<details><summary class='cp-small'>Other figures ({len(others)}) — sources disagree</summary>"
        f"<ul class='cp-small'>{''.join(items)}</ul></details>"
    )


def certification_card_html(dataset: Dataset, cert: Certification, stale: set[tuple[str, str, str]]) -> str:
    """Everything about one credential in a card."""
    price = lowest_exam_price(dataset, cert.id)
    badges = [
        ui.badge(cert.issuing_body.value),
        ui.badge(setting_label(cert.setting.value)),
        ui.badge(LEVEL_LABELS[cert.level]),
    ]
    if price is None:
        badges.append(ui.badge("fee not found", "warn"))
    facts = [
        ("Exam", ui.esc(exam_text(cert))),
        ("Passing score", ui.esc(cert.passing_score or "not found")),
        ("Eligibility", ui.esc(cert.eligibility or "not found")),
        ("Minimum education", ui.esc(EDUCATION_LABELS[cert.min_education] if cert.min_education else "none listed")),
        ("Recommended experience", ui.esc(_number(cert.recommended_experience_years, "years"))),
        ("Membership required", ui.esc(_yes_no(cert.membership_required))),
        ("Renewal", ui.esc(renewal_text(cert))),
        ("Code sets tested", ui.esc(", ".join(code_set_names(cert, dataset)) or "not found")),
        ("Delivery", ui.esc(cert.delivery or "not found")),
    ]
    if cert.notes:
        facts.append(("Notes", ui.esc(cert.notes)))
    if cert.conflicts:
        facts.append(("Where sources disagree", ui.esc(cert.conflicts)))
    rows = "".join(f"<tr><th style='width:190px'>{ui.esc(k)}</th><td>{v}</td></tr>" for k, v in facts)
    stale_mark = stale_badge(cert.as_of) if _cert_key(cert) in stale else ""
    glance = " · ".join(
        part for part in (
            f"{cert.exam_questions} questions" if cert.exam_questions is not None else "",
            f"{cert.exam_hours:g} hours" if cert.exam_hours is not None else "",
            f"exam from {ui.money(price)}" if price is not None else "",
            f"pass: {cert.passing_score}" if cert.passing_score else "",
        ) if part
    )
    # A short card that opens on click: thirteen full cards would make the page very long to scan.
    return (
        f"<details class='cp-card' data-cert='{ui.esc(cert.id)}'><summary style='cursor:pointer'>"
        f"<span class='cp-title'>{ui.esc(cert.credential)} — {ui.esc(cert.full_name)}</span>"
        f"<div style='margin-left:16px'>{''.join(badges)}{stale_mark} <span class='cp-muted'>{ui.esc(glance)}</span></div>"
        "</summary>"
        f"<table class='cp-table' style='margin-top:6px'><tbody>{rows}</tbody></table>"
        f"<div style='margin-top:6px'><b>Fees</b></div>{fee_rows_html(dataset, cert, stale)}"
        f"{ui.source_line(cert.source, cert.as_of)}</details>"
    )


def filter_certifications(
    dataset: Dataset,
    body: str = ALL,
    setting: str = ALL,
    max_fee: float | None = None,
    code_set: str = ALL,
) -> list[str]:
    """Ids of the credentials that pass the filters, in data order.

    ``max_fee`` compares with the lowest shown exam price; a credential with no known price is kept
    (it is shown marked "fee not found", never hidden silently).
    """
    out = []
    for cert in dataset.certifications:
        if body != ALL and cert.issuing_body.value != body:
            continue
        if setting != ALL and cert.setting.value != setting:
            continue
        if code_set != ALL and code_set not in cert.code_sets:
            continue
        price = lowest_exam_price(dataset, cert.id)
        if max_fee is not None and price is not None and price > max_fee:
            continue
        out.append(cert.id)
    return out


def side_by_side_html(dataset: Dataset, ids: list[str], stale: set[tuple[str, str, str]]) -> str:
    """Two or three credentials in columns, one fact per row."""
    certs = [dataset.certification(i) for i in ids]
    if len(certs) < 2:
        return ui.notice("Pick two or three credentials to see them side by side.", "next")

    def fee(cert: Certification, member: bool) -> str:
        row = shown_exam_fee(dataset, cert.id)
        if row is None:
            return "fee not found"
        value = ui.money(row.member_usd if member else row.nonmember_usd)
        return ui.esc(value) + (" " + stale_badge(row.as_of) if _fee_key(row) in stale else "")

    facts: list[tuple[str, list[str]]] = [
        ("Issuing body", [ui.esc(c.issuing_body.value) for c in certs]),
        ("Setting", [ui.esc(setting_label(c.setting.value)) for c in certs]),
        ("Level", [ui.esc(LEVEL_LABELS[c.level]) for c in certs]),
        ("Exam", [ui.esc(exam_text(c)) for c in certs]),
        ("Passing score", [ui.esc(c.passing_score or "not found") for c in certs]),
        ("Exam fee, member", [fee(c, True) for c in certs]),
        ("Exam fee, non-member", [fee(c, False) for c in certs]),
        ("Eligibility", [ui.esc(c.eligibility or "not found") for c in certs]),
        ("Renewal", [ui.esc(renewal_text(c)) for c in certs]),
        ("Code sets", [ui.esc(", ".join(code_set_names(c, dataset)) or "not found") for c in certs]),
        ("Delivery", [ui.esc(c.delivery or "not found") for c in certs]),
        (
            "As of",
            [ui.esc(c.as_of) + (" " + stale_badge(c.as_of) if _cert_key(c) in stale else "") for c in certs],
        ),
    ]
    headers = [" ", *(f"{c.credential} ({c.issuing_body.value})" for c in certs)]
    rows = [[ui.esc(name), *cells] for name, cells in facts]
    return ui.table(headers, rows, raw_columns=range(len(headers)))


# ---------------------------------------------------------------- comparison widget


class CertificationComparison(widgets.VBox):
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
            options=[("All", ALL), ("AAPC", "AAPC"), ("AHIMA", "AHIMA")], description="Issued by", layout=narrow
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
        self.fee_filter = widgets.BoundedIntText(
            value=0, min=0, max=10_000, step=25, description="Max fee $", layout=widgets.Layout(width="200px")
        )
        self.summary = widgets.HTML()
        self.cards = widgets.HTML()
        self.picker = widgets.SelectMultiple(
            options=[(f"{c.credential} — {c.full_name} ({c.issuing_body.value})", c.id) for c in certs],
            rows=min(len(certs), 8),
            description="Compare",
            layout=widgets.Layout(width="520px"),
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
                    "<div class='cp-small'>Max fee compares with the lowest exam price we show (often the member "
                    "price; membership dues are extra). 0 means no limit.</div>"
                ),
                self.summary,
                self.cards,
                widgets.HTML("<h4 style='margin:12px 0 2px 0'>Side by side</h4>"
                             "<div class='cp-small'>Pick two or three (Ctrl/Cmd-click to pick more than one).</div>"),
                self.picker,
                self.pick_message,
                self.side_by_side,
            ],
            layout=widgets.Layout(max_width="980px"),
        )
        self.add_class("cp-panel")  # the shared font and colours for everything inside
        widgets.link((self.body_filter, "value"), (self, "body"))
        widgets.link((self.setting_filter, "value"), (self, "setting"))
        widgets.link((self.code_set_filter, "value"), (self, "code_set"))
        self.fee_filter.observe(self._on_fee_box, names="value")
        self.picker.observe(self._on_pick, names="value")
        self._refresh()
        saved = store.get(NAMESPACE, COMPARE_KEY, [])
        known = {c.id for c in certs}
        restored = [i for i in saved if isinstance(i, str) and i in known] if isinstance(saved, list) else []
        self._restoring = True
        self.selected = list(dict.fromkeys(restored))[:MAX_SIDE_BY_SIDE]
        self._restoring = False
        self._render_side_by_side()

    _restoring = False

    def _on_fee_box(self, change: dict[str, Any]) -> None:
        self.max_fee = float(change["new"]) if change["new"] else None

    @traitlets.observe("max_fee")
    def _max_fee_to_box(self, change: dict[str, Any]) -> None:
        value = change["new"]
        self.fee_filter.value = int(value) if value else 0

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
            self.cards.value = ui.notice("No credential matches these filters. Try “All” or a higher fee limit.")

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
        if not self._restoring:
            self._store.set(NAMESPACE, COMPARE_KEY, new)
        self._render_side_by_side()

    def _render_side_by_side(self) -> None:
        self.side_by_side.value = side_by_side_html(self._dataset, list(self.selected), self._stale)


def compare_certifications(directory: str | None = None) -> CertificationComparison:
    """Every AAPC and AHIMA credential with filters and a side-by-side view of up to three."""
    return CertificationComparison(load_dataset(directory), get_store())


# ---------------------------------------------------------------- fit: pure ranking


@dataclass(frozen=True)
class FitAnswers:
    """The fit helper's answers. ``budget`` None means no limit; ``him_degree`` means the degree is in
    health information management from a CAHIIM-accredited program."""

    setting: str = NOT_SURE
    experience_years: float = 0.0
    education: Education = Education.HIGH_SCHOOL
    budget: float | None = None
    him_degree: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form for the store."""
        return {
            "setting": self.setting,
            "experience_years": self.experience_years,
            "education": self.education.value,
            "budget": self.budget,
            "him_degree": self.him_degree,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> FitAnswers:
        """Answers from saved data; anything missing or unreadable falls back to its default.

        >>> FitAnswers.from_dict({"setting": "billing", "experience_years": "x", "education": "bachelor"})
        FitAnswers(setting='billing', experience_years=0.0, education=<Education.BACHELOR: 'bachelor'>, budget=None, him_degree=False)
        """
        data = data if isinstance(data, Mapping) else {}
        setting = data.get("setting")
        try:
            years = min(max(float(data.get("experience_years", 0.0)), 0.0), 60.0)
        except (TypeError, ValueError):
            years = 0.0
        if not math.isfinite(years):
            years = 0.0
        try:
            education = Education(data.get("education"))
        except ValueError:
            education = Education.HIGH_SCHOOL
        try:
            budget = float(data["budget"]) if data.get("budget") is not None else None
        except (TypeError, ValueError):
            budget = None
        if budget is not None and (not math.isfinite(budget) or budget <= 0):
            budget = None
        return cls(
            setting=setting if setting in FIT_SETTINGS else NOT_SURE,
            experience_years=years,
            education=education,
            budget=budget,
            him_degree=bool(data.get("him_degree", False)),
        )


@dataclass(frozen=True)
class FitResult:
    """One credential's place in the ranking and the reasons for it.

    ``eligible_now`` is None when the eligibility rules were not found. ``reasons`` say why it fits;
    ``caveats`` say what stands in the way or needs checking.
    """

    certification_id: str
    credential: str
    score: int
    setting_match: str
    eligible_now: bool | None
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]


def match_setting(wanted: str, offered: str) -> str:
    """How a credential's setting matches the one wanted: exact, any, related, other, or not_sure.

    >>> match_setting("hospital_inpatient", "hospital_inpatient"), match_setting("billing", "any_setting")
    ('exact', 'any')
    >>> match_setting("hospital_inpatient", "hospital_outpatient"), match_setting("billing", "auditing")
    ('related', 'other')
    """
    if wanted == NOT_SURE:
        return NOT_SURE
    if offered == wanted:
        return "exact"
    if offered == Setting.ANY_SETTING.value:
        return "any"
    if offered in RELATED_SETTINGS.get(wanted, frozenset()):
        return "related"
    return "other"


def _apprentice_of(cert: Certification, certs: Iterable[Certification]) -> Certification | str | None:
    """The apprentice status passing this exam can give (e.g. CPC → CPC-A), from the data."""
    name = f"{cert.credential}-A"
    for other in certs:
        if other.level is Level.APPRENTICE and other.credential.upper() == name.upper():
            return other
    if name.upper() in (cert.eligibility or "").upper():
        return name
    return None


def eligibility(
    cert: Certification, answers: FitAnswers, certs: Iterable[Certification] = ()
) -> tuple[bool | None, list[str], list[str]]:
    """Whether the learner can sit the exam now: ``(eligible, reasons, caveats)``.

    Uses the data only: the minimum education, "CAHIIM" in the eligibility text (an accredited HIM degree
    is required), the apprentice status of AAPC exams, and the recommended experience.
    """
    reasons: list[str] = []
    caveats: list[str] = []
    text = cert.eligibility or ""
    needs_cahiim = "CAHIIM" in text.upper()
    if not text and cert.min_education is None:
        caveats.append("Eligibility rules were not found in our sources; check the official page.")
        return None, reasons, caveats
    if cert.min_education is not None and answers.education.rank < cert.min_education.rank:
        needed = EDUCATION_LABELS[cert.min_education]
        where = " in health information management from a CAHIIM-accredited program" if needs_cahiim else ""
        caveats.append(
            f"Not eligible yet: it needs {needed}{where}; you have {EDUCATION_LABELS[answers.education]}."
        )
        return False, reasons, caveats
    if needs_cahiim and not answers.him_degree:
        needed = EDUCATION_LABELS[cert.min_education] if cert.min_education else "a degree"
        caveats.append(
            f"Not eligible yet: it needs {needed} in health information management from a CAHIIM-accredited "
            "program (tick the box if yours is one)."
        )
        return False, reasons, caveats
    if needs_cahiim:
        reasons.append("Eligible now: your health information management degree is from a CAHIIM-accredited program.")
    elif cert.min_education is not None:
        reasons.append(f"Eligible now: you meet the minimum education ({EDUCATION_LABELS[cert.min_education]}).")
    else:
        reasons.append("Eligible now: no minimum education is listed for sitting the exam.")
    apprentice = _apprentice_of(cert, certs)
    recommended = cert.recommended_experience_years
    if apprentice is not None:
        name = apprentice if isinstance(apprentice, str) else apprentice.credential
        # The exam's recommended experience is what removes the "A"; AAPC's rule is two years.
        years = recommended if recommended else APPRENTICE_YEARS
        if answers.experience_years < years:
            caveats.append(
                f"With less than {years_text(years)} of coding experience, passing gives you {name} (apprentice) "
                "until you have the experience."
            )
    elif recommended and answers.experience_years < recommended:
        caveats.append(
            f"{cert.issuing_body.value} recommends {years_text(recommended)} of coding experience first "
            "(a recommendation, not a requirement)."
        )
    return True, reasons, caveats


def rank_credentials(answers: FitAnswers | Mapping[str, Any], dataset: Dataset) -> list[FitResult]:
    """Every credential you can take an exam for, best fit first, each with its reasons.

    Points: the setting you want (exact 40, any setting 20, related 15), eligibility now (+25; unknown +5;
    not eligible −15), level against your experience, and the exam fee against your budget. Apprentice
    statuses (CPC-A) are not exams of their own: they appear as a caveat of their exam instead.
    """
    if not isinstance(answers, FitAnswers):
        answers = FitAnswers.from_dict(answers)
    results = []
    certs = dataset.certifications
    for cert in certs:
        if cert.level is Level.APPRENTICE:
            continue
        score = 0
        match = match_setting(answers.setting, cert.setting.value)
        score += SCORE_SETTING[match]
        offered = setting_label(cert.setting.value)
        reasons: list[str] = []
        caveats: list[str] = []
        if match == "exact":
            reasons.append(f"Matches where you want to work ({offered}).")
        elif match == "any":
            reasons.append(f"Covers every setting, so it fits {setting_label(answers.setting).lower()} too.")
        elif match == "related":
            reasons.append(f"Close to where you want to work: it is aimed at {offered.lower()}.")
        elif match == "other":
            caveats.append(f"Aimed at {offered.lower()}, not {setting_label(answers.setting).lower()}.")
        elif cert.setting is Setting.ANY_SETTING:  # not sure yet: a credential for every setting keeps doors open
            score += SCORE_NOT_SURE_ANY_SETTING
            reasons.append("Covers every setting, which keeps your options open while you decide.")

        eligible, why, watch = eligibility(cert, answers, certs)
        score += SCORE_ELIGIBLE[eligible]
        reasons += why
        caveats += watch
        if any("apprentice" in c for c in watch):
            score += SCORE_APPRENTICE
        elif any("recommends" in c for c in watch):
            score += SCORE_RECOMMENDED_EXPERIENCE

        score += _level_points(cert.level, answers.experience_years, match, reasons, caveats)
        score += _budget_points(dataset, cert, answers.budget, reasons, caveats)
        if cert.membership_required:
            dues = membership_fee(dataset, cert)
            amount = f" ({ui.money(dues.member_usd or dues.nonmember_usd)} a year)" if dues else ""
            caveats.append(
                f"{cert.issuing_body.value} membership is required; the dues{amount} come on top of the exam fee."
            )
        results.append(
            FitResult(cert.id, cert.credential, score, match, eligible, tuple(reasons), tuple(caveats))
        )
    return sorted(results, key=lambda r: (-r.score, r.credential))


def _level_points(level: Level, years: float, match: str, reasons: list[str], caveats: list[str]) -> int:
    if level is Level.ENTRY:
        if years < 1:
            reasons.append("Entry level: a good first credential with little or no experience.")
            return 10
        return 5
    if level is Level.ADVANCED:
        if years < 2:
            caveats.append("Advanced credential: usually taken after some years of coding experience.")
            return SCORE_ADVANCED_EARLY
        return 0
    if match == NOT_SURE and years < 1:
        return 5
    return 8


def _budget_points(
    dataset: Dataset, cert: Certification, budget: float | None, reasons: list[str], caveats: list[str]
) -> int:
    prices = exam_prices(shown_exam_fee(dataset, cert.id))
    if not prices:
        caveats.append("Exam fee not found in our sources; check the official page before you budget.")
        return 0
    if budget is None:
        return 0
    if prices[-1] <= budget:
        reasons.append(f"The exam fee ({ui.money(prices[-1])}) fits your budget of {ui.money(budget)}.")
        return SCORE_FITS_BUDGET
    if prices[0] <= budget:
        reasons.append(
            f"Fits your budget of {ui.money(budget)} only at the lower price ({ui.money(prices[0])}, usually the "
            f"member price); the other price is {ui.money(prices[-1])}."
        )
        return SCORE_MEMBER_PRICE_ONLY
    caveats.append(f"Over budget: the exam costs at least {ui.money(prices[0])}; your budget is {ui.money(budget)}.")
    return SCORE_OVER_BUDGET


def fit_results_html(results: list[FitResult], dataset: Dataset, target: str | None) -> str:
    """The ranked list as cards: place, credential, eligibility badge, reasons and caveats."""
    if not results:
        return ui.notice("No credentials in the data.")
    cards = []
    for place, result in enumerate(results, start=1):
        cert = dataset.certification(result.certification_id)
        status = {True: ui.badge("eligible now", "ok"), False: ui.badge("not eligible yet", "bad"),
                  None: ui.badge("eligibility not found", "warn")}[result.eligible_now]
        mine = ui.badge("your target", "ok") if result.certification_id == target else ""
        good = "".join(f"<li>✓ {ui.esc(r)}</li>" for r in result.reasons)
        bad = "".join(f"<li>⚠ {ui.esc(c)}</li>" for c in result.caveats)
        cards.append(
            f"<div class='cp-card' data-cert='{ui.esc(cert.id)}'>"
            f"<div class='cp-title'>{place}. {ui.esc(cert.credential)} — {ui.esc(cert.full_name)}</div>"
            f"<div>{ui.badge(cert.issuing_body.value)}{ui.badge(setting_label(cert.setting.value))}{status}{mine}"
            f"<span class='cp-small'>fit score {result.score}</span></div>"
            f"<ul style='margin:6px 0 0 0;padding-left:1.1em;list-style:none'>{good}{bad}</ul></div>"
        )
    return "".join(cards)


# ---------------------------------------------------------------- fit widget


class CertificationFit(widgets.VBox):
    """Four questions → a ranked list with reasons; "Make this my target" saves the choice and answers."""

    setting = traitlets.Unicode(NOT_SURE)
    experience_years = traitlets.Float(0.0)
    education = traitlets.Unicode(Education.HIGH_SCHOOL.value)
    budget = traitlets.Float(None, allow_none=True)
    him_degree = traitlets.Bool(False)
    ranking = traitlets.List(traitlets.Unicode())
    target = traitlets.Unicode(None, allow_none=True)

    def __init__(self, dataset: Dataset, store: ProgressStore):
        self._dataset = dataset
        self._store = store
        self._results: list[FitResult] = []
        self._hand_picked: str | None = None
        self._ranking_now = False
        saved = FitAnswers.from_dict(store.get(NAMESPACE, FIT_ANSWERS_KEY))
        wide = widgets.Layout(width="440px")
        style = {"description_width": "190px"}
        self.setting_input = widgets.Dropdown(
            options=[(setting_label(s), s) for s in FIT_SETTINGS], value=saved.setting,
            description="Where you want to work", layout=wide, style=style,
        )
        self.experience_input = widgets.BoundedFloatText(
            value=saved.experience_years, min=0, max=60, step=0.5,
            description="Years of coding experience", layout=wide, style=style,
        )
        self.education_input = widgets.Dropdown(
            options=[(label[0].upper() + label[1:], e.value) for e, label in EDUCATION_LABELS.items()],
            value=saved.education.value, description="Highest education", layout=wide, style=style,
        )
        self.him_input = widgets.Checkbox(
            value=saved.him_degree, indent=False,
            description="My degree is in health information management from a CAHIIM-accredited program",
            layout=widgets.Layout(width="auto", margin="0 0 0 194px"),
        )
        self.budget_input = widgets.BoundedIntText(
            value=int(saved.budget or 0), min=0, max=10_000, step=25,
            description="Exam budget $ (0 = no limit)", layout=wide, style=style,
        )
        self.results_box = widgets.HTML()
        self.choice = widgets.Dropdown(description="Target", layout=widgets.Layout(width="440px"))
        self.save_button = widgets.Button(description="Make this my target", button_style="primary", icon="check",
                                          layout=widgets.Layout(width="auto"))
        self.message = widgets.HTML()
        super().__init__(
            [
                panel_header("Which credential fits you?", "Answer four questions; the list explains every place."),
                store_notice_widget(),
                self.setting_input, self.experience_input, self.education_input, self.him_input,
                self.budget_input,
                self.results_box,
                widgets.HBox([self.choice, self.save_button]),
                self.message,
            ],
            layout=widgets.Layout(max_width="980px"),
        )
        self.add_class("cp-panel")  # the shared font and colours for everything inside
        saved_target = store.get(TARGET_NAMESPACE, TARGET_KEY)
        self.target = saved_target if saved_target in dataset.by_id("certifications") else None
        widgets.link((self.setting_input, "value"), (self, "setting"))
        widgets.link((self.experience_input, "value"), (self, "experience_years"))
        widgets.link((self.education_input, "value"), (self, "education"))
        widgets.link((self.him_input, "value"), (self, "him_degree"))
        self.budget_input.observe(self._on_budget_box, names="value")
        self.budget = saved.budget
        self.save_button.on_click(self._save_target)
        self.choice.observe(self._on_choice, names="value")
        self._rank()
        if self.target is not None:
            self.message.value = ui.notice(f"Your saved target: {dataset.certification(self.target).credential}.", "next")

    def answers(self) -> FitAnswers:
        """The current answers."""
        return FitAnswers(
            setting=self.setting,
            experience_years=float(self.experience_years),
            education=Education(self.education),
            budget=self.budget,
            him_degree=self.him_degree,
        )

    def _on_budget_box(self, change: dict[str, Any]) -> None:
        self.budget = float(change["new"]) if change["new"] else None

    @traitlets.observe("budget")
    def _budget_to_box(self, change: dict[str, Any]) -> None:
        self.budget_input.value = int(change["new"]) if change["new"] else 0

    @traitlets.observe("setting", "experience_years", "education", "budget", "him_degree", "target")
    def _answers_changed(self, change: dict[str, Any]) -> None:
        if hasattr(self, "results_box"):
            self._rank()

    def _rank(self) -> None:
        self._results = rank_credentials(self.answers(), self._dataset)
        self.ranking = [r.certification_id for r in self._results]
        self.results_box.value = fit_results_html(self._results, self._dataset, self.target)
        # The choice follows the top of the list, unless the learner picked one by hand or has a target.
        keep = self._hand_picked if self._hand_picked in self.ranking else self.target
        self._ranking_now = True
        try:
            self.choice.options = [(r.credential, r.certification_id) for r in self._results]
            self.choice.value = keep if keep in self.ranking else (self.ranking[0] if self.ranking else None)
        finally:
            self._ranking_now = False

    def _on_choice(self, change: dict[str, Any]) -> None:
        if not self._ranking_now and change["new"] is not None:
            self._hand_picked = change["new"]

    def _save_target(self, _button: widgets.Button | None = None) -> None:
        chosen = self.choice.value
        if chosen is None:
            self.message.value = ui.notice("Pick a credential first.", "error")
            return
        self._store.set(NAMESPACE, FIT_ANSWERS_KEY, self.answers().to_dict())
        self._store.set(TARGET_NAMESPACE, TARGET_KEY, chosen)
        self.target = chosen
        self.message.value = ui.notice(
            f"Saved: {self._dataset.certification(chosen).credential} is your target credential. "
            "The dashboard shows it.",
            "next",
        )


def certification_fit(directory: str | None = None) -> CertificationFit:
    """The fit helper: where you want to work, experience, education and budget → ranked credentials."""
    return CertificationFit(load_dataset(directory), get_store())
