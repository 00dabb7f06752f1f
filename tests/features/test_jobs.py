"""The job-search tracker driven without a browser."""

from __future__ import annotations

import csv
import io
import time
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


def full_application(app: ApplicationTracker) -> dict:
    add(app, "Valley Clinic", "Coder I", date(2026, 5, 1), date(2026, 5, 15), status="interviewing")
    row = next(n for n, a in enumerate(app.applications) if a["employer"] == "Valley Clinic")
    app.chooser.value = row
    app.next_step.value = "phone screen Tuesday"
    app.update_button.click()
    return dict(app.applications[row])


def shows_undo(app: ApplicationTracker) -> bool:
    """What the learner sees: the Undo button on the page and usable (not only the trait)."""
    return app.undo_button.layout.display != "none" and not app.undo_button.disabled


def test_a_delete_can_be_undone_with_every_field_and_the_store_keeps_it():
    app = tracker(track_job_search(today=date(2026, 6, 1)))
    add(app, "City Hospital", "HIM Clerk", date(2026, 5, 3))
    fields = full_application(app)
    assert fields["next_step"] == "phone screen Tuesday" and not shows_undo(app)
    deleted_id = app.application_ids[app.applications.index(fields)]
    app.chooser.value = app.applications.index(fields)
    app.delete_button.click()
    assert fields not in app.applications
    assert "Deleted Coder I at Valley Clinic." in app.feedback.value
    assert app.can_undo and shows_undo(app)

    app.undo_button.click()
    assert "Restored Coder I at Valley Clinic." in app.feedback.value
    assert not app.can_undo and not shows_undo(app)
    assert [a["employer"] for a in app.applications] == ["City Hospital", "Valley Clinic"]
    saved = [a for a in get_store().get("jobs", "applications") if a["employer"] == "Valley Clinic"]
    assert len(saved) == 1 and saved[0]["id"] != deleted_id  # a new item; the deleted one stays deleted
    assert {k: v for k, v in saved[0].items() if k != "id"} == fields

    app.undo_button.click()  # a second click puts nothing back twice
    assert [a["employer"] for a in app.applications] == ["City Hospital", "Valley Clinic"]
    reset_stores()  # a page reload: the fresh widget reads the store and offers no undo
    again = tracker(track_job_search())
    assert again.applications == [app.applications[0], fields]
    assert not again.can_undo and not shows_undo(again)


def test_undo_is_not_offered_after_a_reload():
    app = tracker(track_job_search())
    add(app, "Valley Clinic", "Coder I")
    app.chooser.value = 0
    app.delete_button.click()
    assert app.can_undo
    reset_stores()
    again = tracker(track_job_search())
    assert again.applications == [] and not again.can_undo and not shows_undo(again)


def test_undo_goes_at_the_next_action_and_a_second_delete_replaces_it():
    app = tracker(track_job_search())
    for employer in ("Alpha Clinic", "Beta Clinic", "Gamma Clinic"):
        add(app, employer, "Coder I")
    app.chooser.value = 0
    app.delete_button.click()
    assert app.can_undo
    app.employer.value = "Delta"  # typing a new application is the learner's next action
    assert not app.can_undo and not shows_undo(app)
    app.chooser.value = 0  # Beta
    app.delete_button.click()
    app.chooser.value = 0  # Gamma
    app.delete_button.click()
    assert "Deleted Coder I at Gamma Clinic." in app.feedback.value
    app.undo_button.click()
    assert [a["employer"] for a in app.applications] == ["Gamma Clinic"]  # only the last delete comes back

    app.chooser.value = 0
    app.delete_button.click()
    app.chooser.value = -1
    app.employer.value, app.role.value = "", "Coder"
    app.add_button.click()  # a refused add is an action too: its message replaces the delete's
    assert "Employer is required." in app.feedback.value and not app.can_undo


def test_undo_goes_after_a_few_minutes(monkeypatch):
    from coderpath_widgets.features import jobs

    monkeypatch.setattr(jobs, "UNDO_SECONDS", 0.05)
    app = tracker(track_job_search())
    add(app, "Valley Clinic", "Coder I")
    app.chooser.value = 0
    app.delete_button.click()
    deadline = time.monotonic() + 10
    while app.can_undo and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not app.can_undo and not shows_undo(app)
