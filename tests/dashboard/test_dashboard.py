"""The dashboard and the readiness summary it is built from, driven without a browser."""

from __future__ import annotations

from datetime import date

from widget_text import html_of

from coderpath_widgets.content.dataset import load_dataset
from coderpath_widgets.dashboard.page import show_dashboard
from coderpath_widgets.features.checklist import show_checklist
from coderpath_widgets.progress.readiness import readiness
from coderpath_widgets.progress.store import get_store, reset_stores


def test_empty_profile_points_at_the_first_actions():
    summary = readiness()
    assert summary.overall_percent == 0 and summary.target_credential is None and summary.schedule is None
    first_items = [i.title for i in load_dataset().checklist("skills")[:3]]
    # by step: Step 1's open items come before Step 2's plan and Step 3's choice
    assert summary.next_actions == tuple(f"Step 1: {title}" for title in first_items)
    page = html_of(show_dashboard())
    assert "No plan yet" in page and "Not chosen yet" in page and "No applications yet" in page


def test_dashboard_reflects_every_widget_after_a_restart():
    from coderpath_widgets.features.certifications import certification_fit
    from coderpath_widgets.features.jobs import track_job_search
    from coderpath_widgets.features.planner import plan_courses

    checklist = show_checklist("skills")
    for box in list(checklist.checkboxes.values())[:3]:
        box.value = True
    fit = certification_fit()
    fit.choice.value = "cpc"
    fit.save_button.click()
    planner = plan_courses()
    planner.start_picker.value = date(2027, 1, 4)
    tracker = track_job_search().tracker
    tracker.employer.value, tracker.role.value = "Valley Clinic", "Coder I"
    tracker.add_button.click()
    store = get_store()
    store.add_event("case_attempt", {"case_id": "case-001", "chapter": 1, "correct": True})
    store.add_event("case_attempt", {"case_id": "case-100", "chapter": 13, "correct": False})
    store.add_event("quiz_attempt", {"score": 0.65})

    reset_stores()
    dashboard = show_dashboard()
    summary = dashboard.summary
    total = len(load_dataset().checklist("skills"))
    assert summary["steps"]["skills"] == [3, total]
    assert summary["target"] == "cpc"
    assert summary["finish"] and summary["applications"] == {"applied": 1}
    assert summary["cases_attempted"] == 2 and summary["best_quiz_score"] == 0.65
    page = html_of(dashboard)
    assert "Target credential: CPC" in page and "Certified Professional Coder" in page
    assert "Coursework finishes" in page and "<svg" in page
    assert "Job search: 1 application<" in page and "65% (of 1 attempt)" in page
    assert "Coding cases: <b>2 cases, 2 attempts</b>" in page
    assert "Right on the first try: <b>1 of 2 cases (50%)</b>" in page
    assert "Last 2 attempts: <b>1 right (50%)</b>" in page
    assert "Download my progress (JSON)" in page


def test_refresh_picks_up_changes_made_elsewhere():
    dashboard = show_dashboard()
    before = dashboard.summary["steps"]["education"][0]
    item = load_dataset().checklist("education")[0]
    get_store().set("checklist", item.id, {"done": True, "note": ""})  # e.g. from a JupyterLab kernel
    dashboard.refresh_button.click()
    assert dashboard.summary["steps"]["education"][0] == before + 1


def test_a_damaged_saved_plan_is_explained_not_fatal():
    get_store().set("plan", "schedule", {"finish": "not a date", "exam_ready": "2027-01-01", "blocks": []})
    page = html_of(show_dashboard())
    assert "could not be read" in page


def test_stale_figures_are_warned_about():
    page = html_of(show_dashboard())
    assert "figures are more than two years old" in page
