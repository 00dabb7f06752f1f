"""The dashboard: the learner's whole path at a glance, read from the shared progress store."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import ipywidgets as widgets
import traitlets

from coderpath_widgets import ui
from coderpath_widgets.content.dataset import Dataset, load_dataset, stale_facts
from coderpath_widgets.features.certifications.render import exam_fee_text, exam_text, renewal_text
from coderpath_widgets.features.planner.courses import PlanError
from coderpath_widgets.features.planner.render import timeline_html
from coderpath_widgets.features.planner.schedule import Schedule
from coderpath_widgets.features.practice.render import practice_html
from coderpath_widgets.features.progress_notice import store_notice_widget
from coderpath_widgets.progress.readiness import Readiness, readiness
from coderpath_widgets.progress.store import Change, get_store
from coderpath_widgets.ui import STALE_AFTER_DAYS

PIPELINE = ("interested", "applied", "interviewing", "offer", "accepted", "rejected", "withdrawn")


def steps_html(summary: Readiness) -> str:
    """One progress row per step, each linking to its own page (Voilà or JupyterLab, same folder)."""
    rows = []
    for step in summary.steps:
        rows.append(
            f"<tr><td style='width:46%'><a href='{ui.esc(step.notebook)}'>"
            f"Step {step.number}: {ui.esc(step.title)}</a></td>"
            f"<td><div style='background:#e4e7eb;border-radius:6px;height:12px;width:100%' role='progressbar' "
            f"aria-valuenow='{step.percent}' aria-valuemin='0' aria-valuemax='100' "
            f"aria-label='Step {step.number} progress'>"
            f"<div style='background:#2680c2;height:12px;border-radius:6px;width:{step.percent}%'></div></div></td>"
            f"<td style='width:120px' class='cp-muted'>{step.done} of {step.total} ({step.percent}%)</td></tr>"
        )
    return (
        f"<div class='cp-card'><div class='cp-title'>Your path: {summary.overall_percent}% done</div>"
        f"<table class='cp-table'>{''.join(rows)}</table></div>"
    )


def next_actions_html(summary: Readiness) -> str:
    if not summary.next_actions:
        return ui.notice("Every checklist item is done. Keep practising and follow up on your applications.", "next")
    items = "".join(f"<li>{ui.esc(a)}</li>" for a in summary.next_actions)
    title = "Your next action" if len(summary.next_actions) == 1 else f"Your next {len(summary.next_actions)} actions"
    return f"<div class='cp-next'><b>{title}</b><ol>{items}</ol></div>"


def plan_html(schedule: dict[str, Any] | None) -> str:
    """Finish and exam-ready dates with the course timeline, from the planner's saved summary."""
    if not schedule:
        return (
            "<div class='cp-card'><div class='cp-title'>Course plan</div><p class='cp-muted'>No plan yet. "
            "Make one on the <a href='02-complete-your-education.ipynb'>Step 2 page</a>.</p></div>"
        )
    try:
        plan = Schedule.from_saved(schedule)
    except PlanError as exc:
        return ui.notice(f"The saved course plan could not be read ({exc}); open Step 2 and save it again.", "error")
    chart = timeline_html(plan) if plan.blocks else ""
    return (
        "<div class='cp-card'><div class='cp-title'>Course plan</div>"
        f"<p>Coursework finishes <b>{ui.esc(ui.format_date(plan.finish))}</b>; exam-ready "
        f"<b>{ui.esc(ui.format_date(plan.exam_ready))}</b>; "
        f"{ui.esc(ui.format_number(plan.total_hours))} study hours in all.</p>{chart}</div>"
    )


def credential_html(dataset: Dataset, cert_id: str | None) -> str:
    """The chosen credential and its exam facts, with sources."""
    if not cert_id:
        return (
            "<div class='cp-card'><div class='cp-title'>Target credential</div><p class='cp-muted'>Not chosen yet. "
            "The fit helper on the <a href='03-get-certified.ipynb'>Step 3 page</a> ranks them for you.</p></div>"
        )
    cert = dataset.certification(cert_id)
    # the same sentences as the Step 3 cards: one renderer per fact
    rows = [
        ["Issued by", cert.issuing_body.value],
        ["Exam", exam_text(cert)],
        ["Exam fee", exam_fee_text(dataset, cert_id)],
        ["Passing score", cert.passing_score or "not found"],
        ["Renewal", renewal_text(cert)],
    ]
    return (
        f"<div class='cp-card'><div class='cp-title'>Target credential: {ui.esc(cert.credential)}</div>"
        f"<div class='cp-muted'>{ui.esc(cert.full_name)}</div>{ui.table(['', ''], rows)}"
        f"{ui.source_line(cert.source, cert.as_of)}</div>"
    )


def pipeline_html(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if not total:
        return (
            "<div class='cp-card'><div class='cp-title'>Job search</div><p class='cp-muted'>No applications yet. "
            "Track them on the <a href='04-apply-for-jobs.ipynb'>Step 4 page</a>.</p></div>"
        )
    stages = " → ".join(f"{ui.badge(s)} {counts.get(s, 0)}" for s in PIPELINE if s in counts or s in PIPELINE[:4])
    noun = "application" if total == 1 else "applications"
    return f"<div class='cp-card'><div class='cp-title'>Job search: {total} {noun}</div><p>{stages}</p></div>"


def stale_html(dataset: Dataset, today: date | None = None) -> str:
    stale = stale_facts(STALE_AFTER_DAYS, dataset, today)
    if not stale:
        return ""
    rows = [[s.label, s.as_of, f"{s.age_days // 365} years"] for s in stale]
    return (
        f"<details class='cp-notice'><summary><b>{len(stale)} figures are more than two years old.</b> "
        "Check the official page before you rely on them.</summary>"
        f"{ui.table(['Figure', 'As of', 'Age'], rows)}</details>"
    )


def export_link(data: dict[str, Any]) -> str:
    payload = base64.b64encode(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")).decode("ascii")
    name = f"coderpath-progress-{data['profile']}.json"
    return (
        f"<a download='{ui.esc(name)}' href='data:application/json;base64,{payload}'>Download my progress (JSON)</a> "
        "<span class='cp-small'>for a new machine or your instructor; made here, nothing is uploaded</span>"
    )


class Dashboard(widgets.VBox):
    """Everything at once; it re-reads the store whenever it changes (here, or on another page within ~1 s)."""

    summary = traitlets.Dict()

    def __init__(self, dataset: Dataset):
        self._dataset = dataset
        self.title = ui.header("Your path to becoming a medical coder")
        self.notice = store_notice_widget()
        self.steps = widgets.HTML()
        self.actions = widgets.HTML()
        # side by side where there is room, one above the other on a phone
        self.plan = widgets.HTML(layout=widgets.Layout(flex="1 1 22rem", min_width="0"))
        self.credential = widgets.HTML(layout=widgets.Layout(flex="1 1 22rem", min_width="0"))
        self.jobs = widgets.HTML()
        self.practice = widgets.HTML()
        self.stale = widgets.HTML()
        self.footer = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", tooltip="Read your latest progress again")
        self.refresh_button.on_click(lambda _: self.refresh())
        super().__init__(
            [
                self.title,
                self.notice,
                self.steps,
                self.actions,
                widgets.HBox([self.plan, self.credential]),
                self.jobs,
                self.practice,
                self.stale,
                widgets.HBox([self.refresh_button, self.footer]),
            ],
            layout=widgets.Layout(max_width="100%"),
        )
        self.refresh()
        get_store().subscribe(self._on_store_change)

    def _on_store_change(self, change: Change) -> None:
        if change.error is None:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the store and redraw every panel."""
        store = get_store()
        summary = readiness(store, self._dataset)
        self.steps.value = steps_html(summary)
        self.actions.value = next_actions_html(summary)
        self.plan.value = plan_html(summary.schedule)
        self.credential.value = credential_html(self._dataset, summary.target_credential)
        self.jobs.value = pipeline_html(summary.applications_by_status)
        self.practice.value = practice_html(summary)
        self.stale.value = stale_html(self._dataset)
        last = summary.last_activity[:16].replace("T", " ") + " UTC" if summary.last_activity else "no activity yet"
        self.footer.value = (
            f"<span class='cp-small'>Profile <b>{ui.esc(summary.profile)}</b> · last change {ui.esc(last)} · "
            f"</span>{export_link(store.export_data())}"
        )
        self.summary = {
            "overall_percent": summary.overall_percent,
            "steps": {s.step_id: [s.done, s.total] for s in summary.steps},
            "next_actions": list(summary.next_actions),
            "target": summary.target_credential,
            "finish": summary.schedule.get("finish") if summary.schedule else None,
            "applications": summary.applications_by_status,
            "cases_attempted": summary.practice.cases_attempted,
            "case_attempts": summary.practice.case_attempts,
            "cases_right_first_try": summary.practice.cases_right_first_try,
            "best_quiz_score": summary.practice.best_quiz_score,
        }


def show_dashboard(directory: str | None = None) -> Dashboard:
    """The learner's dashboard: completion per step, next actions, plan, credential, job search, practice."""
    return Dashboard(load_dataset(directory))
