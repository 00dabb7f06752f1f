"""One answer to each question, whichever page asks it (issue 11, item 6), with the shipped data."""

from __future__ import annotations

from datetime import date

from widget_text import html_of

from coderpath_widgets import certification_fit, plan_courses, show_dashboard
from coderpath_widgets.dashboard.page import pipeline_html
from coderpath_widgets.progress.readiness import readiness
from coderpath_widgets.progress.vocabulary import (
    APPLICATIONS_KEY,
    JOBS_NAMESPACE,
    PLAN_NAMESPACE,
    SCHEDULE_KEY,
    TARGET_KEY,
    TARGET_NAMESPACE,
)


def test_cpc_a_is_a_status_not_a_target():
    planner = plan_courses()
    offered = [value for _, value in planner.credential_picker.options]
    assert "cpc" in offered and "cpc-a" not in offered
    fit = certification_fit()
    assert "cpc-a" not in [value for _, value in fit.choice.options]


def test_step_3_the_planner_and_the_dashboard_share_one_target(store):
    fit = certification_fit()
    fit.choice.value = "ccs"
    fit.save_button.click()
    planner = plan_courses()  # a page opened after the choice
    assert planner.credential == planner.credential_picker.value == "ccs"
    planner.credential_picker.value = "cpc"  # choosing in the planner is choosing the target
    assert store.get(TARGET_NAMESPACE, TARGET_KEY) == "cpc"
    assert readiness(store).target_credential == "cpc"
    assert "Target credential: CPC" in html_of(show_dashboard())
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY)["credential"] == "cpc"  # the plan saved is for that target
    again = plan_courses()
    assert again.credential == "cpc"


def test_a_plan_only_looked_at_is_not_saved_and_the_dashboard_says_so(store):
    plan_courses()
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) is None
    assert "No plan yet" in html_of(show_dashboard())


def test_counts_have_their_plurals():
    assert "Job search: 1 application<" in pipeline_html({"applied": 1})
    assert "Job search: 2 applications<" in pipeline_html({"applied": 1, "interviewing": 1})


def test_an_overdue_follow_up_comes_first_then_actions_by_step(store):
    store.list_add(
        JOBS_NAMESPACE,
        APPLICATIONS_KEY,
        {
            "employer": "Valley Clinic",
            "role": "Coder",
            "applied_on": "2026-01-02",
            "status": "applied",
            "next_step": "call",
            "follow_up_on": "2026-01-09",
        },
    )
    actions = readiness(store, today=date(2026, 2, 1)).next_actions
    assert actions[0] == "Step 4: follow up with Valley Clinic (due 2026-01-09)"
    assert all(a.startswith("Step 1: ") for a in actions[1:])
