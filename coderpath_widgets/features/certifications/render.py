"""Pure HTML for step 3: credential cards, fee tables, the side-by-side table, fit results, and labels."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, stale_facts
from coderpath_widgets.content.models import Certification, CertificationFee, Education, FeeKind, Level, Setting
from coderpath_widgets.features.certifications.fees import (
    ALL,
    FEE_CEILINGS,
    body_wide_fees,
    lowest_exam_price,
    shown_exam_fee,
)
from coderpath_widgets.ui import stale_badge

if TYPE_CHECKING:  # the ranking imports these labels; the results are only an annotation here
    from coderpath_widgets.features.certifications.fit import FitResult


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


#: The fit levels in words, keyed by ``FitLevel`` value (the ranking imports this module, so not by member).
FIT_LEVEL_LABELS: dict[str, str] = {
    "good_now": "Good fit now",
    "with_preparation": "Possible with preparation",
    "other_setting": "Open to you, but aimed at another setting",
    "not_yet": "Not yet",
    "check_first": "Check the eligibility rules first",
}


#: The badge style of each fit level.
FIT_LEVEL_KINDS: dict[str, str] = {
    "good_now": "ok",
    "with_preparation": "warn",
    "other_setting": "",
    "not_yet": "bad",
    "check_first": "warn",
}


def fit_level_text(result: FitResult) -> str:
    """A result's fit in words; "Not yet" says what is missing.

    Read from the result's ``fit_level`` and ``needs`` fields, never from its reasons or caveats.
    """
    label = FIT_LEVEL_LABELS[result.fit_level]
    if result.fit_level == "not_yet" and result.needs:
        return f"{label}: needs {result.needs}"
    return label


def ceiling_options(amount: float | None, no_limit: str) -> list[tuple[str, str | float]]:
    """The choices of a fee ceiling: no limit first (value ``ALL``), then "Up to $…" for each ceiling.

    An amount not on the list (a budget saved before the list existed) is added in its place, so it shows as
    it was saved; zero or less means no limit, as it did when 0 stood for "no limit".

    >>> ceiling_options(None, "Any fee")[:3]
    [('Any fee', 'all'), ('Up to $200', 200.0), ('Up to $300', 300.0)]
    >>> [label for label, _ in ceiling_options(250, "No limit")][:4]
    ['No limit', 'Up to $200', 'Up to $250', 'Up to $300']
    >>> ceiling_options(0, "Any fee") == ceiling_options(None, "Any fee")
    True
    """
    amounts = set(FEE_CEILINGS)
    if amount is not None and amount > 0:
        amounts.add(float(amount))
    return [(no_limit, ALL), *((f"Up to {ui.money(a)}", a) for a in sorted(amounts))]


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
        return ui.plural(round(years * 12), "month")
    return ui.plural(years, "year")


def _stale_keys(dataset: Dataset, today: date | None, max_age_days: int) -> set[tuple[str, str, str]]:
    return {
        (s.table, s.row_id, s.as_of) for s in stale_facts(max_age_days, dataset=dataset, today=today, shown_only=False)
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


def exam_fee_text(dataset: Dataset, cert_id: str) -> str:
    """The shown exam fee in one line: member and non-member prices, with the date and kind of its source."""
    fee = shown_exam_fee(dataset, cert_id)
    if fee is None:
        return "fee not found"
    parts = [
        f"members {ui.money(fee.member_usd)}" if fee.member_usd is not None else "",
        f"non-members {ui.money(fee.nonmember_usd)}" if fee.nonmember_usd is not None else "",
    ]
    prices = ", ".join(p for p in parts if p) or "fee not found"
    return f"{prices} (as of {fee.as_of}, {fee.source_kind.value.replace('_', '-')} source)"


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
    """Who issues the CCS and the CCA (AHIMA, not AAPC), said only when the data lists them as AHIMA's.

    Many job postings and websites put both under AAPC; the page says plainly that they are AHIMA credentials.
    """
    ahima = sorted(c.credential for c in certs if c.credential in {"CCS", "CCA"} and c.issuing_body.value == "AHIMA")
    if not ahima:
        return ""
    names = " and ".join(ahima)
    verb = "are" if len(ahima) > 1 else "is an"
    plural = "credentials" if len(ahima) > 1 else "credential"
    return ui.notice(
        f"Who issues what: the {names} {verb} AHIMA {plural}, not AAPC's. Some websites and job postings list "
        f"{'them' if len(ahima) > 1 else 'it'} under AAPC; that is a mistake, and the table below is right."
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
        part
        for part in (
            f"{cert.exam_questions} questions" if cert.exam_questions is not None else "",
            f"{cert.exam_hours:g} hours" if cert.exam_hours is not None else "",
            f"exam from {ui.money(price)}" if price is not None else "",
            f"pass: {cert.passing_score}" if cert.passing_score else "",
        )
        if part
    )
    # A short card that opens on click: thirteen full cards would make the page very long to scan.
    return (
        f"<details class='cp-card' data-cert='{ui.esc(cert.id)}'><summary style='cursor:pointer'>"
        f"<span class='cp-title'>{ui.esc(cert.credential)} — {ui.esc(cert.full_name)}</span>"
        f"<div style='margin-left:16px'>{''.join(badges)}{stale_mark} "
        f"<span class='cp-muted'>{ui.esc(glance)}</span></div>"
        "</summary>"
        f"<table class='cp-table' style='margin-top:6px'><tbody>{rows}</tbody></table>"
        f"<div style='margin-top:6px'><b>Fees</b></div>{fee_rows_html(dataset, cert, stale)}"
        f"{ui.source_line(cert.source, cert.as_of)}</details>"
    )


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
        ("Issuing body", [ui.esc(c.issuing_body.label) for c in certs]),
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


def fit_results_html(results: list[FitResult], dataset: Dataset, target: str | None) -> str:
    """The ranked list as cards: place, credential, the fit in words, eligibility badge, reasons and caveats.

    The ranking's score orders the cards and is not shown: a raw number means nothing to a learner.
    """
    if not results:
        return ui.notice("No credentials in the data.")
    cards = []
    for place, result in enumerate(results, start=1):
        cert = dataset.certification(result.certification_id)
        status = {
            True: ui.badge("eligible now", "ok"),
            False: ui.badge("not eligible yet", "bad"),
            None: ui.badge("eligibility not found", "warn"),
        }[result.eligible_now]
        mine = ui.badge("your target", "ok") if result.certification_id == target else ""
        good = "".join(f"<li>✓ {ui.esc(r)}</li>" for r in result.reasons)
        bad = "".join(f"<li>⚠ {ui.esc(c)}</li>" for c in result.caveats)
        cards.append(
            f"<div class='cp-card' data-cert='{ui.esc(cert.id)}'>"
            f"<div class='cp-title'>{place}. {ui.esc(cert.credential)} — {ui.esc(cert.full_name)}</div>"
            f"<div class='cp-fit-level' data-fit='{ui.esc(result.fit_level)}'>"
            f"{ui.badge(fit_level_text(result), FIT_LEVEL_KINDS[result.fit_level])}</div>"
            f"<div>{ui.badge(cert.issuing_body.value)}{ui.badge(setting_label(cert.setting.value))}{status}{mine}"
            "</div>"
            f"<ul style='margin:6px 0 0 0;padding-left:1.1em;list-style:none'>{good}{bad}</ul></div>"
        )
    return "".join(cards)
