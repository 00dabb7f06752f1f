"""The certification comparison and the fit helper, driven like a learner would, without a browser.

Most tests use a small data folder written here (the models fix the columns), so they do not depend on
the shipped figures; the last tests check the shipped data once it validates.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import ipywidgets as widgets
import pytest
import traitlets
from widget_text import FRESH, OLD, SCRIPT, SOURCE, html_of, unrelated_tables, write_tables

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import Education
from coderpath_widgets.features.certifications import (
    FIT_LEVEL_KINDS,
    FIT_LEVEL_LABELS,
    SCORE_RECOMMENDED_EXPERIENCE,
    ExperienceShortfall,
    FitAnswers,
    FitLevel,
    certification_fit,
    compare_certifications,
    eligibility,
    fit_level_text,
    rank_credentials,
)
from coderpath_widgets.features.certifications import render as certs_render
from coderpath_widgets.progress.readiness import readiness
from coderpath_widgets.progress.store import get_store, reset_stores
from coderpath_widgets.progress.vocabulary import TARGET_KEY, TARGET_NAMESPACE
from coderpath_widgets.ui import STALE_AFTER_DAYS
from coderpath_widgets.ui import esc as html_escape

# One row for each table this module does not look at, so the folder validates as a whole.
OTHER_TABLES: dict[str, list[dict[str, str]]] = {
    **unrelated_tables(FRESH),
    "careers": [
        dict(
            id="coder",
            name="Medical records specialists",
            what_they_do="Code records.",
            source_kind="official",
            source=SOURCE,
            as_of=FRESH,
        )
    ],
    "career_figures": [
        dict(
            career_id="coder",
            median_pay_usd="50250",
            shown="yes",
            source_kind="official",
            source="BLS (test fixture)",
            as_of=FRESH,
        )
    ],
}

CODE_SETS = [
    dict(
        id=i,
        name=n,
        maintained_by="m",
        used_for="u",
        update_cycle="yearly",
        licensing="free",
        code_format="f",
        source_kind="official",
        source=SOURCE,
        as_of=FRESH,
    )
    for i, n in (("icd10cm", "ICD-10-CM"), ("icd10pcs", "ICD-10-PCS"), ("cpt", "CPT"), ("hcpcs", "HCPCS Level II"))
]


def cert(id, credential, body, setting, level, **extra):
    row = dict(
        id=id,
        credential=credential,
        issuing_body=body,
        full_name=f"Full name of {credential}",
        setting=setting,
        level=level,
        exam_questions="100",
        exam_hours="4",
        passing_score="70%",
        eligibility="No proof of education or experience needed to sit.",
        renewal_years="2",
        ceus_required="36",
        code_sets="icd10cm;cpt;hcpcs",
        delivery="online or in person",
        source_kind="official",
        source=f"https://www.aapc.com/fixture/{id}",
        as_of=FRESH,
    )
    row.update(extra)
    return row


CERTIFICATIONS = [
    cert(
        "cpc",
        "CPC",
        "AAPC",
        "physician_office",
        "core",
        membership_required="yes",
        recommended_experience_years="2",
        eligibility="No proof needed to sit; passing without 2 years' experience gives CPC-A.",
    ),
    cert(
        "cpc-a",
        "CPC-A",
        "AAPC",
        "physician_office",
        "apprentice",
        recommended_experience_years="0",
        eligibility="Given to people who pass the CPC without 2 years' experience.",
    ),
    cert("cic", "CIC", "AAPC", "hospital_inpatient", "core", code_sets="icd10cm;icd10pcs", membership_required="yes"),
    cert("crc", "CRC", "AAPC", "risk_adjustment", "core", code_sets="icd10cm", membership_required="yes", as_of=OLD),
    cert(
        "cca",
        "CCA",
        "AHIMA",
        "any_setting",
        "entry",
        min_education="high_school",
        eligibility="High-school diploma required.",
        membership_required="no",
    ),
    cert(
        "ccs",
        "CCS",
        "AHIMA",
        "hospital_inpatient",
        "core",
        min_education="high_school",
        recommended_experience_years="2",
        code_sets="icd10cm;icd10pcs;cpt",
        membership_required="no",
        eligibility="High-school diploma required; 2 years' experience recommended.",
    ),
    cert(
        "rhit",
        "RHIT",
        "AHIMA",
        "health_information",
        "core",
        min_education="associate",
        eligibility="Associate-level CAHIIM-accredited HIM program.",
        requires_him_degree="yes",
        code_sets="",
    ),
    cert(
        "rhia",
        "RHIA",
        "AHIMA",
        "health_information",
        "advanced",
        min_education="bachelor",
        eligibility="A CAHIIM-accredited bachelor's HIM program.",
        requires_him_degree="yes",
        code_sets="",
    ),
    cert(
        "cdip",
        "CDIP",
        "AHIMA",
        "clinical_documentation",
        "advanced",
        eligibility="",
        exam_questions="",
        exam_hours="",
        passing_score="",
        code_sets="",
    ),
]


def fee(cert_id, member="", nonmember="", kind="exam", shown="yes", **extra):
    row = dict(
        certification_id=cert_id,
        kind=kind,
        member_usd=member,
        nonmember_usd=nonmember,
        shown=shown,
        source_kind="official",
        source=f"https://www.aapc.com/fixture/{cert_id}/fees",
        as_of=FRESH,
    )
    row.update(extra)
    return row


FEES = [
    fee("cpc", "425", why_shown="the newest figure", note="one attempt"),
    fee(
        "cpc",
        "399",
        shown="no",
        note="includes a free retake",
        source_kind="third_party",
        why_shown="undated",
        source_reason="a third party in a test",
        source="https://prep.example/cpc",
        as_of=OLD,
    ),
    fee("cpc", "190", kind="membership"),
    fee("cic", "350", as_of=OLD),
    fee("crc", "425"),
    fee("cca", "199", "299"),
    fee("ccs", "299", "399"),
    fee("rhit", "229", "299"),
    fee("rhia", "229", "299"),
]


def write_data(directory: Path, **tables: list[dict[str, str]]) -> Path:
    """A complete data folder: the defaults above, with some tables replaced."""
    return write_tables(
        directory,
        {
            **OTHER_TABLES,
            "code_sets": CODE_SETS,
            "certifications": CERTIFICATIONS,
            "certification_fees": FEES,
            **tables,
        },
    )


@pytest.fixture
def data_dir(tmp_path):
    return str(write_data(tmp_path / "data"))


# ---------------------------------------------------------------- comparison


def test_every_credential_is_shown_with_its_facts(data_dir):
    widget = compare_certifications(data_dir)
    assert widget.visible_ids == [c["id"] for c in CERTIFICATIONS]
    page = html_of(widget)
    assert "Showing 9 of 9 credentials." in page
    assert "CIC — Full name of CIC" in page and "ICD-10-CM, ICD-10-PCS" in page
    assert "100 questions · 4 hours" in page and "every 2 years, 36 CEUs" in page
    assert "questions: not found · time: not found" in page  # CDIP
    assert "fee not found" in widget.cards.value  # CDIP has no fee row
    assert "Membership dues" in page and "$190" in page
    cic = widget.cards.value.split("data-cert='cic'")[1].split("data-cert=")[0]
    assert "Membership dues (AAPC-wide, listed under CPC)" in cic  # recorded once, applies to the body
    cca = widget.cards.value.split("data-cert='cca'")[1].split("data-cert=")[0]
    assert "AAPC-wide" not in cca
    assert "Source (as of " in page


def test_ccs_and_cca_are_said_to_be_ahima_credentials(data_dir):
    page = html_of(compare_certifications(data_dir))
    assert "the CCA and CCS are AHIMA credentials, not AAPC&#x27;s" in page
    assert "that is a mistake" in page


def test_conflicting_fees_show_both_and_say_which_and_why(data_dir):
    card = compare_certifications(data_dir).cards.value.split("data-cert='cpc'")[1].split("data-cert=")[0]
    assert "$425" in card and "one attempt" in card
    assert "Other figures (1)" in card
    assert "we show $425 member / not found non-member" in card and "Why this one: the newest figure" in card
    assert "$399" in card and "includes a free retake" in card and "https://prep.example/cpc" in card
    assert "third-party source" in card and "<i>undated</i>" in card


def test_filters_by_body_setting_and_code_set(data_dir):
    widget = compare_certifications(data_dir)
    widget.body_filter.value = "AHIMA"
    assert widget.body == "AHIMA"
    assert widget.visible_ids == ["cca", "ccs", "rhit", "rhia", "cdip"]
    assert "CPC —" not in widget.cards.value
    widget.setting_filter.value = "hospital_inpatient"
    assert widget.visible_ids == ["ccs"]
    widget.body_filter.value = "all"
    assert widget.visible_ids == ["cic", "ccs"]
    widget.setting_filter.value = "all"
    widget.code_set_filter.value = "icd10pcs"
    assert widget.code_set == "icd10pcs"
    assert widget.visible_ids == ["cic", "ccs"]
    widget.code_set = "hcpcs"  # the trait drives the control too
    assert widget.code_set_filter.value == "hcpcs"
    assert widget.visible_ids == ["cpc", "cpc-a", "cca"]


def test_budget_filter_keeps_unknown_fees_and_says_so(data_dir):
    widget = compare_certifications(data_dir)
    widget.fee_filter.label = "Up to $300"
    assert widget.max_fee == 300.0
    # CPC $425 and CRC $425 and CIC $350 go; CCS stays ($299 member); CPC-A and CDIP have no fee and stay.
    assert widget.visible_ids == ["cpc-a", "cca", "ccs", "rhit", "rhia", "cdip"]
    assert "2 have no exam fee on file (CPC-A, CDIP)" in widget.summary.value
    assert "not hidden" in widget.summary.value
    widget.max_fee = None
    assert widget.fee_filter.label == "Any fee"
    assert len(widget.visible_ids) == 9
    widget.max_fee = 10  # a ceiling not on the list is added to it, so the control shows it
    assert widget.fee_filter.label == "Up to $10"
    widget.body_filter.value = "AAPC"
    assert widget.visible_ids == ["cpc-a"]
    widget.body_filter.value = "AHIMA"
    widget.setting_filter.value = "hospital_inpatient"
    assert widget.visible_ids == []
    assert "No credential matches these filters" in widget.cards.value


def test_the_fee_filter_says_what_each_choice_means_and_any_fee_shows_all(data_dir):
    widget = compare_certifications(data_dir)
    assert widget.fee_filter.description == "Exam fee"
    labels = [label for label, _ in widget.fee_filter.options]
    assert labels[0] == "Any fee" and widget.fee_filter.label == "Any fee" and widget.max_fee is None
    assert labels[1:] == ["Up to $200", "Up to $300", "Up to $400", "Up to $500", "Up to $700", "Up to $1,000"]
    page = html_of(widget)
    assert "no limit" not in page.lower() and "0 means" not in page and "(0" not in page
    widget.fee_filter.label = "Up to $200"
    assert widget.visible_ids == ["cpc-a", "cca", "cdip"]
    widget.fee_filter.label = "Any fee"
    assert widget.max_fee is None
    assert widget.visible_ids == [c["id"] for c in CERTIFICATIONS]
    assert "Showing 9 of 9 credentials." in widget.summary.value


@pytest.mark.parametrize(
    ("ceiling", "hidden"),
    [
        # lowest shown exam price: CPC $425, CRC $425, CIC $350, CCS $299, RHIT and RHIA $229, CCA $199
        ("Up to $200", {"cpc", "crc", "cic", "ccs", "rhit", "rhia"}),
        ("Up to $300", {"cpc", "crc", "cic"}),
        # CPC's $399 is a figure we do not show: the $425 we show is over the ceiling
        ("Up to $400", {"cpc", "crc"}),
        ("Up to $500", set()),
    ],
)
def test_a_fee_ceiling_filters_by_the_shown_exam_price(data_dir, ceiling, hidden):
    widget = compare_certifications(data_dir)
    widget.fee_filter.label = ceiling
    assert widget.visible_ids == [c["id"] for c in CERTIFICATIONS if c["id"] not in hidden]
    for cert_id in hidden:
        assert f"data-cert='{cert_id}'" not in widget.cards.value


def test_a_fee_ceiling_of_zero_means_no_limit(data_dir):
    widget = compare_certifications(data_dir)
    widget.fee_filter.label = "Up to $300"
    widget.max_fee = 0  # what the old number box meant by 0
    assert widget.max_fee is None and widget.fee_filter.label == "Any fee"
    assert len(widget.visible_ids) == 9


def _fixed_widths(widget: widgets.Widget) -> list[tuple[str, str]]:
    found = []
    for node in [widget, *getattr(widget, "children", ())]:
        layout = getattr(node, "layout", None)
        width = getattr(layout, "width", None) or ""
        if width.endswith("px") and float(width[:-2]) > 340:
            found.append((type(node).__name__, width))
        if node is not widget:
            found += _fixed_widths(node)
    return found


def test_the_controls_fit_a_phone_screen(data_dir):
    # 390px wide, less the page's margins: no control may be fixed wider than 340px
    assert _fixed_widths(compare_certifications(data_dir)) == []
    assert _fixed_widths(certification_fit(data_dir)) == []


def test_side_by_side_is_limited_to_three_and_saved(data_dir, store):
    widget = compare_certifications(data_dir)
    assert "Pick two or three" in widget.side_by_side.value
    widget.picker.value = ("cpc", "ccs")
    assert widget.selected == ["cpc", "ccs"]
    assert store.get("certification", "compare") == ["cpc", "ccs"]
    assert "CPC (AAPC)" in widget.side_by_side.value and "CCS (AHIMA)" in widget.side_by_side.value
    widget.picker.value = ("cpc", "ccs", "cca")
    assert widget.selected == ["cpc", "ccs", "cca"]
    widget.picker.value = ("cpc", "ccs", "cca", "rhit")
    assert widget.picker.value == ("cpc", "ccs", "cca")
    assert widget.selected == ["cpc", "ccs", "cca"]
    assert "up to 3 credentials side by side" in widget.pick_message.value
    assert store.get("certification", "compare") == ["cpc", "ccs", "cca"]
    widget.selected = ["cpc", "ccs", "cca", "rhia"]  # the trait keeps the same rule
    assert widget.selected == ["cpc", "ccs", "cca"]
    widget.picker.value = ("cic", "crc")
    assert widget.pick_message.value == ""
    widget.selected = ["rhit", "rhia"]
    assert widget.picker.value == ("rhit", "rhia")
    assert store.get("certification", "compare") == ["rhit", "rhia"]


def test_side_by_side_choice_survives_a_kernel_restart(data_dir, store):
    store.set("certification", "compare", ["ccs", "gone", "cic"])
    widget = compare_certifications(data_dir)
    assert widget.selected == ["ccs", "cic"]  # unknown ids are dropped
    assert widget.picker.value == ("ccs", "cic")
    widget.picker.value = ("cca", "ccs", "cic")
    reset_stores()
    again = compare_certifications(data_dir)
    assert again.selected == ["cca", "ccs", "cic"]
    assert "CIC (AAPC)" in again.side_by_side.value


def test_stale_figures_carry_a_badge(data_dir):
    widget = compare_certifications(data_dir)
    cards = widget.cards.value
    crc = cards.split("data-cert='crc'")[1].split("data-cert=")[0]
    assert f"figure from {OLD} — check the official page" in crc  # the exam facts are old
    cic = cards.split("data-cert='cic'")[1].split("data-cert=")[0]
    assert f"figure from {OLD} — check the official page" in cic  # the fee is old
    cca = cards.split("data-cert='cca'")[1].split("data-cert=")[0]
    assert "check the official page" not in cca
    widget.picker.value = ("crc", "cca")
    assert f"figure from {OLD}" in widget.side_by_side.value


# ---------------------------------------------------------------- fit ranking (pure)


def test_inpatient_without_degree_or_experience_ranks_cic_and_ccs_first(data_dir):
    dataset = load_dataset(data_dir)
    answers = FitAnswers(setting="hospital_inpatient", experience_years=0, education=Education.HIGH_SCHOOL)
    results = rank_credentials(answers, dataset)
    by_id = {r.certification_id: r for r in results}
    assert {r.certification_id for r in results[:2]} == {"cic", "ccs"}
    assert by_id["ccs"].eligible_now is True
    assert any("recommends 2 years of coding experience" in c for c in by_id["ccs"].caveats)
    assert "Matches where you want to work (Hospital inpatient)." in by_id["cic"].reasons
    rhit = by_id["rhit"]
    assert rhit.eligible_now is False
    assert any(
        "needs an associate degree in health information management from a CAHIIM-accredited program" in c
        for c in rhit.caveats
    )
    assert "cpc-a" not in by_id  # an apprentice status is not an exam of its own


def test_bachelor_in_him_makes_rhia_eligible(data_dir):
    dataset = load_dataset(data_dir)
    him = {
        r.certification_id: r
        for r in rank_credentials(
            FitAnswers(setting="not_sure", education=Education.BACHELOR, him_degree=True, experience_years=3), dataset
        )
    }
    assert him["rhia"].eligible_now is True and him["rhit"].eligible_now is True
    assert any("CAHIIM-accredited" in r for r in him["rhia"].reasons)
    other = {
        r.certification_id: r
        for r in rank_credentials(
            FitAnswers(setting="not_sure", education=Education.BACHELOR, him_degree=False), dataset
        )
    }
    assert other["rhia"].eligible_now is False
    assert any("tick the box" in c for c in other["rhia"].caveats)


def test_the_him_degree_rule_is_the_data_column_not_a_word_in_the_eligibility_text(data_dir):
    rhia = load_dataset(data_dir).certification("rhia")
    answers = FitAnswers(setting="not_sure", education=Education.BACHELOR, him_degree=False)
    assert eligibility(rhia, answers).eligible is False
    column_off = dataclasses.replace(rhia, requires_him_degree=False)  # "CAHIIM" still in its text
    assert "CAHIIM" in (column_off.eligibility or "")
    assert eligibility(column_off, answers).eligible is True
    column_on = dataclasses.replace(rhia, requires_him_degree=True, eligibility="A bachelor's degree.")
    assert eligibility(column_on, answers).eligible is False


def test_cpc_without_two_years_gives_cpc_a(data_dir):
    dataset = load_dataset(data_dir)
    new = rank_credentials({"setting": "physician_office", "experience_years": 0, "education": "high_school"}, dataset)
    assert new[0].certification_id == "cpc"
    assert any("passing gives you CPC-A (apprentice)" in c for c in new[0].caveats)
    assert any("membership is required" in c for c in new[0].caveats)
    seasoned = rank_credentials({"setting": "physician_office", "experience_years": 3}, dataset)
    cpc = next(r for r in seasoned if r.certification_id == "cpc")
    assert not any("CPC-A" in c for c in cpc.caveats)
    assert cpc.score > new[0].score


def test_experience_shortfall_is_a_field_the_score_reads_not_a_word_in_a_caveat(data_dir):
    dataset = load_dataset(data_dir)
    certs = dataset.certifications
    novice = FitAnswers(setting="hospital_inpatient")
    seasoned = FitAnswers(setting="hospital_inpatient", experience_years=3)
    cpc, ccs = dataset.certification("cpc"), dataset.certification("ccs")
    assert eligibility(cpc, novice, certs).shortfall is ExperienceShortfall.APPRENTICE
    assert eligibility(ccs, novice, certs).shortfall is ExperienceShortfall.RECOMMENDED
    assert eligibility(cpc, seasoned, certs).shortfall is None and eligibility(ccs, seasoned, certs).shortfall is None
    score = {
        answers: {r.certification_id: r.score for r in rank_credentials(answers, dataset)}
        for answers in (novice, seasoned)
    }
    assert score[novice]["ccs"] - score[seasoned]["ccs"] == SCORE_RECOMMENDED_EXPERIENCE


def test_budget_and_unknown_fees_are_explained(data_dir):
    dataset = load_dataset(data_dir)
    results = {
        r.certification_id: r for r in rank_credentials(FitAnswers(setting="hospital_inpatient", budget=250), dataset)
    }
    assert any("Over budget: the exam costs at least $425; your budget is $250" in c for c in results["cpc"].caveats)
    assert any("only at the lower price ($199" in r for r in results["cca"].reasons)
    assert any("Exam fee not found" in c for c in results["cdip"].caveats)
    assert results["cdip"].eligible_now is None  # no eligibility rules on file
    assert any("were not found" in c for c in results["cdip"].caveats)
    rich = {r.certification_id: r for r in rank_credentials(FitAnswers(budget=1000), dataset)}
    assert any("fits your budget of $1,000" in r for r in rich["cpc"].reasons)


def test_not_sure_puts_the_credential_for_every_setting_first(data_dir):
    results = rank_credentials(FitAnswers(), load_dataset(data_dir))
    assert results[0].certification_id == "cca"
    assert "Covers every setting, which keeps your options open while you decide." in results[0].reasons
    assert all(r.setting_match == "not_sure" for r in results)


# A minus sign or hyphen right before a digit, not inside a word or a range ("CPC-A", "80-contact-hour").
NEGATIVE_NUMBER = re.compile(r"(?<!\w)[-−]\s?\d")


@pytest.mark.parametrize(
    "answers",
    [
        FitAnswers(),
        FitAnswers(setting="hospital_inpatient"),
        FitAnswers(setting="physician_office", experience_years=3, budget=200),  # RHIA's score is below zero
        FitAnswers(setting="billing", education=Education.BACHELOR, him_degree=True, budget=1000),
    ],
)
def test_the_fit_list_says_the_fit_in_words_never_a_score(data_dir, answers):
    dataset = load_dataset(data_dir)
    results = rank_credentials(answers, dataset)
    page = certs_render.fit_results_html(results, dataset, None)
    assert "score" not in page.lower()
    assert not NEGATIVE_NUMBER.search(page), NEGATIVE_NUMBER.search(page)
    for result in results:
        card = page.split(f"data-cert='{result.certification_id}'")[1].split("data-cert=")[0]
        assert f"data-fit='{result.fit_level.value}'" in card
        assert html_escape(fit_level_text(result)) in card


def test_the_fit_level_follows_eligibility_experience_setting_and_budget(data_dir):
    dataset = load_dataset(data_dir)

    def levels(**answers):
        return {r.certification_id: r for r in rank_credentials(FitAnswers(**answers), dataset)}

    novice = levels(setting="hospital_inpatient")
    assert novice["cic"].fit_level is FitLevel.GOOD_NOW
    assert fit_level_text(novice["cic"]) == "Good fit now"
    assert novice["ccs"].fit_level is FitLevel.WITH_PREPARATION  # AHIMA recommends experience first
    assert fit_level_text(novice["ccs"]) == "Possible with preparation"
    assert novice["crc"].fit_level is FitLevel.OTHER_SETTING
    assert novice["cdip"].fit_level is FitLevel.CHECK_FIRST  # no eligibility rules on file
    rhit = novice["rhit"]
    assert rhit.fit_level is FitLevel.NOT_YET
    assert fit_level_text(rhit) == (
        "Not yet: needs an associate degree in health information management from a CAHIIM-accredited program"
    )
    assert novice["rhia"].needs.startswith("a bachelor's degree or higher in health information management")
    seasoned = levels(setting="hospital_inpatient", experience_years=3)
    assert seasoned["ccs"].fit_level is FitLevel.GOOD_NOW
    assert seasoned["ccs"].needs == ""
    tight = levels(setting="hospital_inpatient", experience_years=3, budget=200)
    assert tight["ccs"].fit_level is FitLevel.WITH_PREPARATION  # $299 is over a $200 budget
    assert levels(setting="hospital_inpatient", experience_years=3, budget=300)["ccs"].fit_level is FitLevel.GOOD_NOW
    assert set(FIT_LEVEL_LABELS) == set(FIT_LEVEL_KINDS) == {level.value for level in FitLevel}


def test_the_fit_words_come_from_fields_not_from_the_sentences(data_dir):
    result = rank_credentials(FitAnswers(setting="hospital_inpatient"), load_dataset(data_dir))[0]
    assert result.fit_level is FitLevel.GOOD_NOW
    odd = dataclasses.replace(result, caveats=("Not eligible yet: it needs a degree.",), eligible_now=False)
    assert fit_level_text(odd) == "Good fit now"  # the level field decides, not a caveat's words
    missing = dataclasses.replace(result, fit_level=FitLevel.NOT_YET, needs="a moon landing")
    assert fit_level_text(missing) == "Not yet: needs a moon landing"


def test_saved_answers_are_read_defensively():
    assert FitAnswers.from_dict(None) == FitAnswers()
    odd = FitAnswers.from_dict(
        {"setting": "moon", "experience_years": -4, "education": "phd", "budget": "nan", "him_degree": 1}
    )
    assert odd == FitAnswers(setting="not_sure", experience_years=0.0, budget=None, him_degree=True)
    again = FitAnswers(setting="billing", experience_years=1.5, education=Education.ASSOCIATE, budget=400)
    assert FitAnswers.from_dict(again.to_dict()) == again


# ---------------------------------------------------------------- fit widget


def test_fit_widget_ranks_as_the_learner_answers(data_dir):
    widget = certification_fit(data_dir)
    assert widget.setting == "not_sure" and widget.target is None
    widget.setting_input.value = "hospital_inpatient"
    widget.experience_input.value = 0
    widget.education_input.value = "high_school"
    assert set(widget.ranking[:2]) == {"cic", "ccs"}
    assert widget.choice.value == widget.ranking[0]
    page = widget.results_box.value
    assert "1. " in page and "eligible now" in page and "not eligible yet" in page
    assert "CAHIIM-accredited" in page
    widget.choice.value = "rhit"  # picked by hand: kept while the answers change
    widget.experience_input.value = 0.5
    assert widget.choice.value == "rhit"
    assert widget.budget_input.description == "Exam budget" and widget.budget_input.label == "No limit"
    widget.budget_input.label = "Up to $200"
    assert widget.budget == 200.0
    assert "Over budget" in widget.results_box.value
    widget.budget_input.label = "No limit"
    assert widget.budget is None
    assert "Over budget" not in widget.results_box.value and "your budget" not in widget.results_box.value
    widget.budget_input.label = "Up to $200"
    widget.education = "bachelor"
    widget.him_degree = True
    assert widget.him_input.value is True
    rhia = widget.results_box.value.split("data-cert='rhia'")[1].split("data-cert=")[0]
    assert "eligible now" in rhia


def test_target_and_answers_survive_a_kernel_restart(data_dir, store):
    widget = certification_fit(data_dir)
    widget.setting_input.value = "hospital_inpatient"
    widget.experience_input.value = 1.5
    widget.education_input.value = "associate"
    widget.budget_input.value = 400
    widget.choice.value = "ccs"
    widget.save_button.click()
    assert widget.target == "ccs"
    assert store.get(TARGET_NAMESPACE, TARGET_KEY) == "ccs"
    assert store.get("certification", "fit_answers") == {
        "setting": "hospital_inpatient",
        "experience_years": 1.5,
        "education": "associate",
        "budget": 400.0,
        "him_degree": False,
    }
    assert "Saved: CCS is your target credential" in widget.message.value
    assert "your target" in widget.results_box.value.split("data-cert='ccs'")[1].split("data-cert=")[0]

    reset_stores()  # a new kernel, or a Voilà page reload
    again = certification_fit(data_dir)
    assert again.target == "ccs" and again.choice.value == "ccs"
    assert (again.setting, again.experience_years, again.education, again.budget) == (
        "hospital_inpatient",
        1.5,
        Education.ASSOCIATE,
        400.0,
    )
    assert again.setting_input.value == "hospital_inpatient" and again.budget_input.label == "Up to $400"
    assert "Your saved target: CCS" in again.message.value
    assert readiness(get_store(), load_dataset(data_dir)).target_credential == "ccs"


def test_a_saved_budget_of_zero_still_means_no_limit(data_dir, store):
    # Before the budget was a list of ceilings, the learner typed 0 for "no limit"; that saved form is still read.
    store.set("certification", "fit_answers", {"setting": "hospital_inpatient", "budget": 0})
    widget = certification_fit(data_dir)
    assert widget.budget is None and widget.budget_input.label == "No limit"
    assert "your budget" not in widget.results_box.value and "Over budget" not in widget.results_box.value
    widget.choice.value = "ccs"
    widget.save_button.click()
    assert store.get("certification", "fit_answers")["budget"] is None  # saved as it always was: null
    widget.budget = 0  # the trait keeps the same rule
    assert widget.budget is None


def test_a_saved_budget_off_the_list_is_shown_as_saved(data_dir, store):
    store.set("certification", "fit_answers", {"setting": "hospital_inpatient", "budget": 250})
    widget = certification_fit(data_dir)
    assert widget.budget == 250.0 and widget.budget_input.label == "Up to $250"
    assert "your budget is $250" in widget.results_box.value
    widget.budget_input.label = "Up to $500"
    assert widget.budget == 500.0
    assert "fits your budget of $500" in widget.results_box.value


def test_a_saved_target_no_longer_in_the_data_is_ignored(data_dir, store):
    store.set(TARGET_NAMESPACE, TARGET_KEY, "retired-credential")
    store.set("certification", "fit_answers", {"setting": 42})
    widget = certification_fit(data_dir)
    assert widget.target is None and widget.setting == "not_sure"


# ---------------------------------------------------------------- escaping and real data


def test_every_csv_string_reaches_html_escaped(tmp_path):
    nasty = [dict(row) for row in CERTIFICATIONS]
    for row in nasty:
        for column in (
            "full_name",
            "eligibility",
            "exam_format",
            "passing_score",
            "delivery",
            "notes",
            "conflicts",
            "source",
            "source_reason",
        ):
            row[column] = SCRIPT
        row["source_kind"] = "third_party"
    nasty[0]["credential"] = SCRIPT
    fees = [
        dict(
            row,
            note=SCRIPT,
            source=SCRIPT,
            source_kind="third_party",
            source_reason=SCRIPT,
            why_shown=SCRIPT if row.get("why_shown") else "",
        )
        for row in FEES
    ]
    code_sets = [dict(CODE_SETS[0], name=SCRIPT), *CODE_SETS[1:]]
    directory = str(write_data(tmp_path / "nasty", certifications=nasty, certification_fees=fees, code_sets=code_sets))
    comparison = compare_certifications(directory)
    comparison.picker.value = ("cpc", "ccs")
    fit = certification_fit(directory)
    fit.choice.value = "cpc"
    fit.save_button.click()
    for widget in (comparison, fit):
        page = html_of(widget)
        assert "&lt;script&gt;" in page
        assert "<script>alert" not in page
    assert "&lt;script&gt;" in comparison.side_by_side.value


def _real_dataset():
    return load_dataset()  # the shipped data must validate: a DataError here is a failure, never a skip


def test_real_data_comparison_and_fit():
    dataset = _real_dataset()
    comparison = compare_certifications()
    assert comparison.visible_ids == [c.id for c in dataset.certifications]
    bodies = {c.credential: c.issuing_body.value for c in dataset.certifications}
    for credential in ("CCS", "CCA"):
        if credential in bodies:
            assert bodies[credential] == "AHIMA"
    assert "Compare certifications" in html_of(comparison)
    fit = certification_fit()
    assert len(fit.ranking) == sum(1 for c in dataset.certifications if c.level.value != "apprentice")
    fit.setting_input.value = "hospital_inpatient"
    assert fit.ranking


def test_stale_rule_matches_the_validation_module(data_dir):
    dataset = load_dataset(data_dir)
    keys = certs_render._stale_keys(dataset, date.today(), STALE_AFTER_DAYS)
    assert ("certifications", "crc", OLD) in keys
    assert ("certification_fees", "cic:exam", OLD) in keys
    assert ("certifications", "cca", FRESH) not in keys


def test_the_fit_answers_are_closed_vocabularies(data_dir):
    widget = certification_fit(data_dir)
    with pytest.raises(traitlets.TraitError, match="CertificationFit.setting must be one of 'physician_office', "):
        widget.setting = "space_station"
    with pytest.raises(traitlets.TraitError, match="CertificationFit.education must be one of 'high_school', "):
        widget.education = "phd"
    assert widget.setting == "not_sure" and widget.education is Education.HIGH_SCHOOL
    widget.education_input.value = "bachelor"  # the dropdown holds plain values; the trait holds the member
    assert widget.education is Education.BACHELOR
    widget.education = Education.ASSOCIATE
    assert widget.education_input.value == "associate"
