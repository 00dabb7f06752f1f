"""Every credential, issuer and career in the shipped data reaches the comparison, the fit helper and the planner."""

from __future__ import annotations

import itertools

import pytest
from widget_text import html_of

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.content.models import Body, Education, Level, WordPartKind
from coderpath_widgets.features.careers import compare_careers
from coderpath_widgets.features.certifications import FitAnswers, compare_certifications, rank_credentials
from coderpath_widgets.features.certifications.fit import FIT_SETTINGS
from coderpath_widgets.features.flashcards import Flashcards, kind_text
from coderpath_widgets.features.planner import courses_for
from coderpath_widgets.progress.store import get_store

NEW_CREDENTIALS = {
    "cpc-p": "AAPC",
    "cpco": "AAPC",
    "cppm": "AAPC",
    "cdeo": "AAPC",
    "aapc-specialty": "AAPC",
    "chps": "AHIMA",
    "chda": "AHIMA",
    "cbcs": "NHA",
    "ccds": "ACDIS",
}
NEW_CAREERS = ("coding-auditor", "compliance-officer", "cdi-specialist", "practice-manager")


def test_the_new_credentials_are_in_the_data_with_their_issuers():
    certs = load_dataset().by_id("certifications")
    for cert_id, body in NEW_CREDENTIALS.items():
        assert certs[cert_id].issuing_body.value == body
    assert certs["cdeo"].exam_questions == 100 and certs["cdeo"].exam_hours == 4
    assert certs["cppm"].exam_questions == 135 and certs["cpco"].exam_questions == 100
    assert {b.value for b in Body} == {"AAPC", "AHIMA", "NHA", "ACDIS"}
    assert Body.NHA.label.startswith("NHA (National Healthcareer Association)")


def test_the_comparison_lists_every_new_credential_and_filters_by_the_new_issuers():
    comparison = compare_certifications()
    page = html_of(comparison)
    for cert in load_dataset().certifications:
        if cert.id in NEW_CREDENTIALS:
            assert cert.full_name in page or cert.credential in page, cert.id
    assert {"NHA", "ACDIS"} <= {value for _, value in comparison.body_filter.options}
    comparison.body_filter.value = "NHA"
    assert list(comparison.visible_ids) == ["cbcs"]
    comparison.body_filter.value = "ACDIS"
    assert list(comparison.visible_ids) == ["ccds"]
    comparison.body_filter.value = "all"
    comparison.picker.value = ("cbcs", "ccds", "cppm")
    side = html_of(comparison)
    assert "National Healthcareer Association" in side and "Association of Clinical Documentation Integrity" in side


@pytest.mark.parametrize("setting", list(FIT_SETTINGS))
def test_the_fit_helper_ranks_every_credential_for_every_answer(setting):
    dataset = load_dataset()
    exams = {c.id for c in dataset.certifications if c.level is not Level.APPRENTICE}
    for education, years, degree, budget in itertools.product(
        (Education.HIGH_SCHOOL, Education.BACHELOR), (0.0, 3.0), (False, True), (None, 300.0)
    ):
        answers = FitAnswers(
            setting=setting.value, experience_years=years, education=education, budget=budget, him_degree=degree
        )
        ranked = rank_credentials(answers, dataset)
        assert {r.certification_id for r in ranked} == exams
        assert set(NEW_CREDENTIALS) <= {r.certification_id for r in ranked}
        assert ranked == sorted(ranked, key=lambda r: (-r.score, r.credential))


def test_the_fit_helper_gives_the_current_apprentice_routes_and_no_experience_caveat_for_the_rhia():
    dataset = load_dataset()
    answers = FitAnswers(setting="physician_office", education=Education.BACHELOR, him_degree=True)
    ranked = {r.certification_id: r for r in rank_credentials(answers, dataset)}
    cpc = " ".join(ranked["cpc"].caveats)
    assert "CPC-A" in cpc and "80-contact-hour coding course plus CPC-A Practicode" in cpc and "older" not in cpc
    rhia = ranked["rhia"]
    assert rhia.eligible_now is True
    assert not any("years of coding experience" in c for c in rhia.caveats), rhia.caveats


def test_the_planner_plans_for_every_new_credential():
    dataset = load_dataset()
    for cert_id in NEW_CREDENTIALS:
        courses = courses_for("certificate", cert_id, dataset)
        assert courses and len({c.id for c in courses}) == len(courses)


def test_the_new_careers_are_compared_and_figures_say_where_they_come_from():
    page = html_of(compare_careers())
    careers = load_dataset().by_id("careers")
    for career_id in NEW_CAREERS:
        assert careers[career_id].name in page
    assert "43-3021.00" in careers["medical-biller"].what_they_do
    assert "11-9111" in careers["practice-manager"].what_they_do
    assert "In the article" not in page and "Also called" in page
    figures = load_dataset().figures_for("practice-manager")
    assert figures and figures[0].median_pay_usd == 110680 and "11-9111" in figures[0].why_shown
    assert load_dataset().figures_for("medical-biller") == []


def test_flashcards_offer_combining_forms_and_say_which_root():
    dataset = load_dataset()
    cards = Flashcards(list(dataset.word_parts), get_store())
    labels = dict(cards.kind_filter.options)
    assert labels.get("Combining forms") == "combining_form" and "Roots" not in labels
    cards.kind_filter.value = "combining_form"
    assert cards.due_ids and all(
        dataset.by_id("word_parts")[i].kind is WordPartKind.COMBINING_FORM for i in cards.due_ids
    )
    angio = next(p for p in dataset.word_parts if p.part == "angi/o")
    assert kind_text(angio) == "combining form of the root angi"
