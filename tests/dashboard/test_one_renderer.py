"""The dashboard writes each fact with the feature's own function: fee, exam, renewal and plan dates."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from widget_text import html_of

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.dashboard.page import show_dashboard
from coderpath_widgets.features.certifications import render as certs_render
from coderpath_widgets.features.planner import Block, Schedule, schedule_summary, summary_html
from coderpath_widgets.progress.store import get_store
from coderpath_widgets.progress.vocabulary import PLAN_NAMESPACE, SCHEDULE_KEY, TARGET_KEY, TARGET_NAMESPACE
from coderpath_widgets.ui.format import format_date

PACKAGE = Path(__file__).resolve().parents[2] / "coderpath_widgets"

PLAN = Schedule(
    blocks=(Block("c1", "Anatomy", date(2026, 9, 3), date(2026, 10, 30), 80.0),),
    start=date(2026, 9, 3),
    hours_per_week=10.0,
    breaks=((date(2026, 9, 20), date(2026, 9, 27)),),
    exam_prep_weeks=4,
    total_hours=80.0,
    finish=date(2026, 10, 30),
    exam_ready=date(2026, 11, 27),
)


def test_plan_dates_read_the_same_on_the_dashboard_and_the_planner():
    get_store().set(PLAN_NAMESPACE, SCHEDULE_KEY, schedule_summary(PLAN, "certificate", None))
    page = html.unescape(html_of(show_dashboard()))
    planner = html.unescape(summary_html(PLAN))
    for day in (PLAN.finish, PLAN.exam_ready):
        assert format_date(day) in page and format_date(day) in planner
    assert "Oct 30, 2026" in page and "30 October 2026" not in page


def test_a_saved_plan_round_trips_through_its_one_conversion():
    saved = schedule_summary(PLAN, "certificate", "cpc")
    assert Schedule.from_saved(saved) == PLAN
    assert saved == {"program": "certificate", "credential": "cpc", **PLAN.to_saved()}


def test_credential_facts_are_the_step_3_sentences():
    dataset = load_dataset()
    for cert in dataset.certifications:
        get_store().set(TARGET_NAMESPACE, TARGET_KEY, cert.id)
        page = html.unescape(html_of(show_dashboard()))
        assert certs_render.exam_text(cert) in page, cert.id
        assert certs_render.exam_fee_text(dataset, cert.id) in page, cert.id
        assert certs_render.renewal_text(cert) in page, cert.id


def test_no_page_formats_dates_or_money_by_hand():
    # month or weekday names from strftime, or dollars formatted in place (machine timestamps are fine)
    by_hand = re.compile(r"%[bBaA]|\$\{[^}]*:,")
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{n}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "format.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if by_hand.search(line)
    ]
    assert not found, "format dates and money with coderpath_widgets.ui.format:\n" + "\n".join(found)
