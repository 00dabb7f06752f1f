"""Two real processes (two kernels) change the SAME items at once through the widgets' own code paths: nothing is lost.

Each worker builds the real widget on the shared progress file and drives it as a learner would (``.value``,
``.click()``). The two start together on a barrier so their 1,000 changes each interleave.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import time
from datetime import date
from types import SimpleNamespace

import pytest

from coderpath_widgets.content.models import WordPartKind
from coderpath_widgets.progress.store import ProgressStore, reset_stores

CHANGES = 1000
WORKER_TIMEOUT = 300
STEP = SimpleNamespace(id="skills", number=1, title="Skills", subtitle="")
ITEM = SimpleNamespace(id="skills-typing", section="Basics", title="Type 40 wpm", detail="", evidence_hint="45 wpm")
CARD = SimpleNamespace(
    id="cardi-o",
    kind=WordPartKind.ROOT,
    root=None,
    part="cardi/o",
    meaning="heart",
    example_term="cardiology",
    example_meaning="study of the heart",
    body_system="cardiovascular",
)


def _open(home: str):
    faulthandler.dump_traceback_later(WORKER_TIMEOUT - 10, exit=True)  # a stuck worker shows where it is stuck
    os.environ["CODERPATH_HOME"] = home
    os.environ["CODERPATH_PROFILE"] = "learner"
    reset_stores()
    from coderpath_widgets.progress.store import get_store

    return get_store()


def _checklist_worker(home: str, role: str, barrier) -> None:
    from coderpath_widgets.features.checklist import Checklist

    widget = Checklist(STEP, [ITEM], _open(home))
    barrier.wait()
    for n in range(CHANGES):
        if role == "note":
            widget.note_inputs[ITEM.id].value = f"note {n}"
            widget.flush()  # what the timer does ~300 ms after the keystroke, now
        else:
            widget.checkboxes[ITEM.id].value = n % 2 == 1
    reset_stores()


def _flashcard_worker(home: str, role: str, barrier) -> None:
    from coderpath_widgets.features.flashcards import Flashcards

    widget = Flashcards([CARD], _open(home), today=date(2026, 1, 1))
    barrier.wait()
    for _ in range(CHANGES):
        widget.current_id, widget.revealed = CARD.id, True  # the same card, again and again
        widget.answer(knew_it=role == "knew")
    reset_stores()


ADDS = 100  # per kernel; then each kernel edits its own field of every application, twice


def _jobs_worker(home: str, role: str, barrier) -> None:
    from coderpath_widgets.features.jobs import ApplicationTracker

    app = ApplicationTracker(_open(home), today=date(2026, 6, 1))
    barrier.wait()
    for n in range(ADDS):  # both kernels add applications to the same list at once
        app.chooser.value = -1
        app.employer.value, app.role.value = f"{role} employer {n}", "Coder"
        app.add_button.click()
    barrier.wait()
    app.reload()
    ids = sorted(app.application_ids)
    for n in range(2 * len(ids)):  # and edit the same applications at once: this kernel's field only
        app.chooser.value = app.application_ids.index(ids[n % len(ids)])
        if role == "left":
            app.next_step.value = f"call back {n}"
        else:
            app.status.value = "interviewing" if n < len(ids) else "offer"
        app.update_button.click()
    reset_stores()


def _run_pair(target, home, roles, timeout=WORKER_TIMEOUT):
    ProgressStore(os.path.join(home, "progress.sqlite3"), profile="learner").close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=target, args=(home, role, barrier)) for role in roles]
    start = time.monotonic()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout)
    for p in procs:
        if p.exitcode is None:
            p.kill()  # stuck: its stack is on stderr (faulthandler)
            p.join(10)
    assert [p.exitcode for p in procs] == [0, 0]
    return time.monotonic() - start


@pytest.mark.slow
def test_note_and_tick_of_one_item_from_two_kernels_lose_nothing(tmp_path):
    _run_pair(_checklist_worker, str(tmp_path), ("note", "tick"))
    store = ProgressStore(tmp_path / "progress.sqlite3", profile="learner")
    assert store.get("checklist", ITEM.id) == {"done": True, "note": f"note {CHANGES - 1}"}


@pytest.mark.slow
def test_reviews_of_one_card_from_two_kernels_are_all_counted(tmp_path):
    _run_pair(_flashcard_worker, str(tmp_path), ("knew", "missed"))
    state = ProgressStore(tmp_path / "progress.sqlite3", profile="learner").get("flashcards", CARD.id)
    assert state["reviews"] == 2 * CHANGES
    assert state["lapses"] == CHANGES


@pytest.mark.slow
def test_applications_added_and_edited_from_two_kernels_lose_nothing(tmp_path):
    _run_pair(_jobs_worker, str(tmp_path), ("left", "right"))
    apps = ProgressStore(tmp_path / "progress.sqlite3", profile="learner").get("jobs", "applications")
    assert len(apps) == 2 * ADDS  # 2 x 100 added, then 2 x 400 edits of the same 200: 1,000 changes
    assert {a["employer"] for a in apps} == {f"{r} employer {n}" for r in ("left", "right") for n in range(ADDS)}
    ids = sorted(a["id"] for a in apps)
    last_next_step = {i: f"call back {k + len(ids)}" for k, i in enumerate(ids)}
    assert {a["id"]: a["next_step"] for a in apps} == last_next_step  # every last edit of one kernel…
    assert {a["status"] for a in apps} == {"offer"}  # …and of the other, on the same items
