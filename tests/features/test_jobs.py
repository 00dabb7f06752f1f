"""The job-search tracker driven without a browser."""

from __future__ import annotations

import csv
import io
from datetime import date

from coderpath_widgets.features.jobs import ApplicationTracker, track_job_search
from coderpath_widgets.progress.store import get_store, reset_stores


def tracker(tabs):
    return tabs.tracker


def add(
    app: ApplicationTracker,
    employer: str,
    role: str,
    applied: date | None = None,
    follow: date | None = None,
    status: str = "applied",
) -> None:
    app.chooser.value = -1
    app.employer.value, app.role.value, app.status.value = employer, role, status
    app.applied_on.value, app.follow_up_on.value = applied, follow
    app.add_button.click()


def test_applications_are_added_edited_deleted_and_saved():
    app = tracker(track_job_search(today=date(2026, 6, 1)))
    add(app, "Valley Clinic", "Coder I", date(2026, 5, 1), date(2026, 5, 15))
    add(app, "City Hospital", "HIM Clerk", date(2026, 5, 3))
    assert [a["employer"] for a in app.applications] == ["Valley Clinic", "City Hospital"]
    assert "follow up now" in app.table.value  # 15 May has passed on 1 June
    app.chooser.value = 1
    assert app.role.value == "HIM Clerk"
    app.status.value = "interviewing"
    app.update_button.click()
    assert app.applications[1]["status"] == "interviewing"
    app.chooser.value = 0
    app.delete_button.click()
    assert [a["employer"] for a in app.applications] == ["City Hospital"]
    reset_stores()
    again = tracker(track_job_search())
    assert again.applications == [
        {
            "employer": "City Hospital",
            "role": "HIM Clerk",
            "applied_on": "2026-05-03",
            "status": "interviewing",
            "next_step": "",
            "follow_up_on": "",
        }
    ]


def test_missing_fields_are_explained_and_nothing_is_saved():
    app = tracker(track_job_search())
    add(app, "", "Coder", date(2026, 5, 2), date(2026, 5, 1))
    assert app.applications == []
    assert "Employer is required." in app.feedback.value
    assert "before the application date" in app.feedback.value
    assert get_store().get("jobs", "applications") is None


def test_export_csv_and_escaping():
    app = tracker(track_job_search())
    add(app, "<script>alert(1)</script> Clinic", "Coder, remote")
    rows = list(csv.reader(io.StringIO(app.to_csv())))
    assert rows[0][:2] == ["Employer", "Role"] and rows[1][:2] == ["<script>alert(1)</script> Clinic", "Coder, remote"]
    assert "<script>alert" not in app.table.value and "&lt;script&gt;" in app.table.value
    assert 'download="job-applications.csv"' in app.export_link.value


def test_writing_and_interview_tabs_share_the_store_with_the_step_checklist():
    from coderpath_widgets.features.checklist import show_checklist

    tabs = track_job_search()
    writing = tabs.checklists["Résumé"]
    assert writing.total > 0 and tabs.checklists["Interview preparation"].total > 0
    first = list(writing.checkboxes)[0]
    writing.checkboxes[first].value = True
    assert show_checklist("jobs").checkboxes[first].value is True


def test_the_tabs_are_the_checklist_sections_and_hold_every_item():
    from coderpath_widgets.content.dataset import load_dataset

    items = load_dataset().checklist("jobs")
    tabs = track_job_search()
    sections = list(dict.fromkeys(i.section for i in items))
    assert list(tabs.checklists) == sections
    assert [tabs.get_title(n) for n in range(len(tabs.children))] == [*sections, "Applications"]
    assert sorted(i for c in tabs.checklists.values() for i in c.checkboxes) == sorted(i.id for i in items)
    assert tabs.children == (*tabs.checklists.values(), tabs.tracker)
