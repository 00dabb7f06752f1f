"""The course planner: choosing, ordering and dating courses; the files; the widget and the store."""

from __future__ import annotations

import base64
import csv
import dataclasses
import enum
import io
import re
import typing
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import icalendar
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st
from widget_text import SCRIPT, html_of, write_tables

from coderpath_widgets.content.dataset import Dataset
from coderpath_widgets.content.loaders import AsOf, load
from coderpath_widgets.content.models import (
    TABLES,
    Body,
    Certification,
    Course,
    Education,
    Level,
    Program,
    Setting,
    SourceKind,
)
from coderpath_widgets.dashboard.page import show_dashboard
from coderpath_widgets.features.planner import (
    CoursePlanner,
    PlanError,
    courses_for,
    make_schedule,
    order_courses,
    plan_courses,
    schedule_to_csv,
    schedule_to_ics,
    timeline_svg,
)
from coderpath_widgets.features.planner.widgets import SaveState
from coderpath_widgets.paths import data_dir
from coderpath_widgets.progress import store as store_module
from coderpath_widgets.progress.vocabulary import PLAN_KEY, PLAN_NAMESPACE, SCHEDULE_KEY
from coderpath_widgets.ui.format import format_date

AS_OF = AsOf("2025")
#: A source the source rules accept (content/sources.py): a page on an official owner's host.
FIXTURE_SOURCE = "https://www.aapc.com/fixture"

# ---------------------------------------------------------------- fixtures


def course(
    course_id: str,
    name: str | None = None,
    prerequisites: tuple[str, ...] = (),
    programs: tuple[str, ...] = ("cert",),
    credentials: tuple[str, ...] = (),
    hours: int = 40,
    basis: str = "coderpath estimate from typical college credit hours",
) -> Course:
    return Course(
        id=course_id,
        name=name or course_id.upper(),
        description="d",
        prerequisites=prerequisites,
        programs=programs,
        credentials=credentials,
        planning_hours=hours,
        planning_basis=basis,
        evidence="e",
        source_kind=SourceKind.OFFICIAL,
        source_reason=None,
        source=FIXTURE_SOURCE,
        as_of=AS_OF,
    )


def program(program_id: str, name: str) -> Program:
    return Program(
        id=program_id,
        name=name,
        award=Education.POSTSECONDARY_NONDEGREE,
        months_min=None,
        months_max=None,
        credits=None,
        cost_usd_min=None,
        cost_usd_max=None,
        accreditation=None,
        prepares_for=(),
        notes=None,
        source_kind=SourceKind.OFFICIAL,
        source_reason=None,
        source=FIXTURE_SOURCE,
        as_of=AS_OF,
    )


def certification(cert_id: str, body: Body = Body.AAPC) -> Certification:
    return Certification(
        id=cert_id,
        credential=cert_id.upper(),
        issuing_body=body,
        full_name=f"Certified {cert_id}",
        setting=Setting.PHYSICIAN_OFFICE,
        level=Level.CORE,
        exam_questions=None,
        exam_format=None,
        exam_hours=None,
        passing_score=None,
        eligibility=None,
        min_education=None,
        requires_him_degree=None,
        recommended_experience_years=None,
        membership_required=None,
        renewal_years=None,
        ceus_required=None,
        code_sets=(),
        delivery=None,
        notes=None,
        conflicts=None,
        source_kind=SourceKind.OFFICIAL,
        source_reason=None,
        source=FIXTURE_SOURCE,
        as_of=AS_OF,
    )


#: The fixture course list, in CSV order. ``adv`` belongs to the degree only but is a prerequisite of ``cpt``.
FIXTURE_COURSES = (
    course("mt", "Medical Terminology", programs=("cert", "degree"), hours=45),
    course("ap", "Anatomy and Physiology", programs=("cert", "degree"), hours=60),
    course("icd", "ICD-10-CM", ("mt", "ap"), programs=("cert", "degree"), hours=60),
    course("adv", "Advanced anatomy", ("ap",), programs=("degree",), hours=30),
    course("cpt", "CPT and HCPCS coding", ("icd", "adv"), programs=("cert", "degree"), credentials=("cpc",), hours=50),
    course("pcs", "ICD-10-PCS", ("icd",), programs=("degree",), credentials=("cca",), hours=40),
    course("law", f"{SCRIPT} Law & ethics", programs=("cert",), hours=20, basis=f"<b>{SCRIPT}</b> estimate"),
)


def make_dataset(courses=FIXTURE_COURSES) -> Dataset:
    empty: dict[str, tuple] = {name: () for name in TABLES}
    empty.update(
        programs=(program("cert", "Certificate"), program("degree", "Associate degree")),
        certifications=(certification("cpc"), certification("cca", Body.AHIMA)),
        courses=tuple(courses),
    )
    return Dataset(directory=Path("."), **empty)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _default_cell(kind) -> str:
    args = typing.get_args(kind)
    if type(None) in args or typing.get_origin(kind) is tuple:
        return ""
    if kind is bool:
        return "yes"
    if kind in (int, float):
        return "1"
    if kind is AsOf:
        return "2025"
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return str(next(iter(kind)).value)
    return "x"


def _minimal_row(model: type, **values: str) -> dict[str, str]:
    hints = typing.get_type_hints(model)
    row = {f.name: _default_cell(hints[f.name]) for f in dataclasses.fields(model)}
    if "source" in row:
        row["source"] = FIXTURE_SOURCE
    row.update(values)
    return row


def write_data_dir(folder: Path, courses=FIXTURE_COURSES) -> Path:
    """A complete, valid data folder: one minimal row per table, plus the planner's programs and courses."""
    dataset = make_dataset(courses)
    rows: dict[str, list[dict[str, str]]] = {
        "steps": [
            _minimal_row(TABLES["steps"], id="education", number="2", notebook="02-complete-your-education.ipynb")
        ],
        "checklist_items": [_minimal_row(TABLES["checklist_items"], id="i1", step_id="education")],
        "code_sets": [_minimal_row(TABLES["code_sets"], id="icd10cm")],
        "certification_fees": [_minimal_row(TABLES["certification_fees"], certification_id="cpc")],
        "careers": [_minimal_row(TABLES["careers"], id="coder")],
        "career_figures": [_minimal_row(TABLES["career_figures"], career_id="coder")],
        "practice_cases": [_minimal_row(TABLES["practice_cases"], id="p1")],
        "word_parts": [_minimal_row(TABLES["word_parts"], id="w1")],
        "quiz_questions": [_minimal_row(TABLES["quiz_questions"], id="q1", answer="A")],
    }
    for table in ("programs", "certifications", "courses"):
        rows[table] = [
            {f.name: _cell(getattr(r, f.name)) for f in dataclasses.fields(r)} for r in getattr(dataset, table)
        ]
    return write_tables(folder, rows)  # the one fixture-data writer (tests/widget_text.py)


@pytest.fixture
def fixture_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return write_data_dir(folder)


def ids(courses) -> list[str]:
    return [c.id for c in courses]


# ---------------------------------------------------------------- which courses, in which order


def test_courses_for_takes_the_program_the_credential_and_every_prerequisite():
    dataset = make_dataset()
    # cpt needs adv, which only the degree lists: it is pulled in (with its own prerequisite ap) anyway.
    assert ids(courses_for("cert", "cpc", dataset)) == ["mt", "ap", "icd", "adv", "cpt", "law"]
    assert ids(courses_for("cert", "cca", dataset)) == ["mt", "ap", "icd", "law"]
    assert ids(courses_for("degree", "cca", dataset)) == ["mt", "ap", "icd", "adv", "pcs"]
    assert ids(courses_for("degree", None, dataset)) == ["mt", "ap", "icd", "adv", "cpt", "pcs"]


def test_courses_for_rejects_unknown_ids_in_plain_words():
    dataset = make_dataset()
    with pytest.raises(PlanError, match="'phd' is not a program type"):
        courses_for("phd", "cpc", dataset)
    with pytest.raises(PlanError, match="'xyz' is not a credential"):
        courses_for("cert", "xyz", dataset)
    broken = make_dataset([course("a", "Coding", ("ghost",))])
    with pytest.raises(PlanError, match="'Coding' lists the prerequisite 'ghost'"):
        courses_for("cert", None, broken)


def test_order_puts_prerequisites_first_and_otherwise_keeps_csv_order():
    dataset = make_dataset()
    ordered = order_courses(courses_for("cert", "cpc", dataset)[::-1])  # given in reverse: ties follow it
    assert ids(ordered) == ["law", "ap", "adv", "mt", "icd", "cpt"]
    assert ids(order_courses(courses_for("cert", "cpc", dataset))) == ["mt", "ap", "icd", "adv", "cpt", "law"]


def test_order_ignores_prerequisites_outside_the_list_and_rejects_duplicates():
    assert ids(order_courses([course("b", prerequisites=("done-already",)), course("a")])) == ["b", "a"]
    with pytest.raises(PlanError, match="'a' is listed twice"):
        order_courses([course("a"), course("a")])


def test_a_prerequisite_cycle_is_named():
    cyclic = [
        course("intro", "Introduction"),
        course("mc1", "Medical Coding I", ("icd", "intro")),
        course("icd", "ICD-10-CM", ("mc1",)),
    ]
    with pytest.raises(PlanError) as caught:
        order_courses(cyclic)
    message = str(caught.value)
    assert "Medical Coding I → ICD-10-CM → Medical Coding I (each one needs the next)" in message
    assert "courses.csv" in message
    with pytest.raises(PlanError, match="Loop → Loop"):
        order_courses([course("x", "Loop", ("x",))])


# ---------------------------------------------------------------- dates


def test_dates_are_worked_out_day_by_day():
    courses = [course("a", hours=10), course("b", hours=4)]
    plan = make_schedule(courses, 7, date(2026, 1, 1), exam_prep_weeks=1)  # one hour a day
    assert [(b.start, b.end) for b in plan.blocks] == [
        (date(2026, 1, 1), date(2026, 1, 10)),
        (date(2026, 1, 11), date(2026, 1, 14)),
    ]
    assert (plan.total_hours, plan.finish, plan.exam_ready) == (14, date(2026, 1, 14), date(2026, 1, 21))

    with_break = make_schedule(courses, 7, date(2026, 1, 1), [(date(2026, 1, 5), date(2026, 1, 6))], 1)
    assert [(b.start, b.end) for b in with_break.blocks] == [
        (date(2026, 1, 1), date(2026, 1, 12)),
        (date(2026, 1, 13), date(2026, 1, 16)),
    ]
    # A break during exam preparation is skipped too; a start inside a break waits for its end.
    late = make_schedule(courses, 7, date(2026, 1, 1), [(date(2026, 1, 18), date(2026, 1, 19))], 1)
    assert late.exam_ready == date(2026, 1, 23)
    waiting = make_schedule(courses, 7, date(2026, 1, 1), [(date(2025, 12, 20), date(2026, 1, 2))], 0)
    assert waiting.blocks[0].start == date(2026, 1, 3) and waiting.exam_ready == waiting.finish


def test_back_to_back_courses_never_share_a_day():
    # Two hours a day: 3 h takes two days, and the next course starts the day after (no overlap in a calendar).
    plan = make_schedule([course("a", hours=3), course("b", hours=3)], 14, date(2026, 1, 1), exam_prep_weeks=0)
    assert [(b.start, b.end) for b in plan.blocks] == [
        (date(2026, 1, 1), date(2026, 1, 2)),
        (date(2026, 1, 3), date(2026, 1, 4)),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours_per_week": 0}, "Hours per week must be between 1 and 60; you entered 0."),
        ({"hours_per_week": 61}, "between 1 and 60; you entered 61"),
        ({"hours_per_week": float("nan")}, "between 1 and 60"),
        ({"start": None}, "Choose a start date"),
        ({"breaks": [(date(2026, 2, 1), date(2026, 1, 1))]}, r"Break 1 ends \(2026-01-01\) before it starts"),
        ({"breaks": [(date(2026, 2, 1), None)]}, "Break 1 needs both a first day and a last day"),
        ({"exam_prep_weeks": -1}, "whole number from 0 to 52"),
    ],
)
def test_bad_inputs_get_plain_english_errors(kwargs, message):
    args = {"hours_per_week": 10, "start": date(2026, 1, 5), "breaks": (), "exam_prep_weeks": 4} | kwargs
    with pytest.raises(PlanError, match=message):
        make_schedule([course("a")], **args)


def test_no_courses_is_an_error():
    with pytest.raises(PlanError, match="no courses to plan"):
        make_schedule([], 10, date(2026, 1, 5))


# ---------------------------------------------------------------- files and picture


@pytest.fixture
def plan():
    dataset = make_dataset()
    return make_schedule(
        order_courses(courses_for("cert", "cpc", dataset)),
        12.5,
        date(2026, 1, 5),
        [(date(2026, 7, 1), date(2026, 7, 14))],
        4,
    )


def test_ics_has_one_all_day_event_per_block_with_exclusive_end(plan):
    stamp = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    calendar = icalendar.Calendar.from_ical(schedule_to_ics(plan, stamp))
    assert str(calendar["prodid"]) == "-//coderpath//course plan//EN"
    assert str(calendar["version"]) == "2.0"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(plan.blocks) + 2  # then exam preparation and exam-ready
    prep, ready = events[-2:]
    assert str(prep["summary"]) == "Exam preparation" and str(ready["summary"]) == "Exam-ready"
    assert prep.decoded("dtstart") == plan.finish + timedelta(days=1) and prep.decoded("dtend") == plan.exam_ready
    assert ready.decoded("dtstart") == plan.exam_ready
    events = events[: len(plan.blocks)]
    for earlier, later in zip(events, events[1:], strict=False):
        assert earlier.decoded("dtend") <= later.decoded("dtstart"), "courses overlap in the calendar"
    for event, block in zip(events, plan.blocks, strict=True):
        assert event.decoded("dtstart") == block.start and type(event.decoded("dtstart")) is date
        assert event.decoded("dtend") == block.end + timedelta(days=1)
        assert str(event["summary"]) == block.name
        assert event.decoded("dtstamp") == stamp
        assert f"about {block.hours:g} hours" in str(event["description"])
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert plan.exam_ready.isoformat() in str(calendar["x-wr-caldesc"])
    assert plan.exam_ready.isoformat() in str(events[-1]["description"])


def test_csv_export_parses_back(plan):
    rows = list(csv.DictReader(io.StringIO(schedule_to_csv(plan))))
    assert [r["course_id"] for r in rows] == [b.course_id for b in plan.blocks]
    assert [(r["start"], r["end"]) for r in rows] == [(b.start.isoformat(), b.end.isoformat()) for b in plan.blocks]
    assert sum(float(r["hours"]) for r in rows) == plan.total_hours
    assert rows[-1]["course"] == f"{SCRIPT} Law & ethics"  # CSV is data, not HTML: kept as written


def test_csv_cells_never_start_a_spreadsheet_formula():
    plan = make_schedule([course("f", '=HYPERLINK("http://x")')], 10, date(2026, 1, 5))
    (row,) = csv.DictReader(io.StringIO(schedule_to_csv(plan)))
    assert row["course"].startswith("'=")


def test_svg_is_well_formed_accessible_and_escaped(plan):
    svg = timeline_svg(plan)
    root = ET.fromstring(svg)  # well-formed XML, so the escaping is complete
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "Course plan timeline"
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "<script" not in svg and "&lt;script&gt;" in svg
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Jul 2026" in texts and "Exam preparation" in texts
    bars = [r for r in root.iter(f"{ns}rect") if r.get("fill") == "#2680c2"]
    assert len(bars) == len(plan.blocks)


# ---------------------------------------------------------------- the widget


def drive(planner: CoursePlanner) -> None:
    planner.program_picker.value = "cert"
    planner.credential_picker.value = "cpc"
    planner.hours_input.value = 12.5
    planner.start_picker.value = date(2026, 1, 5)
    planner.prep_input.value = 6
    planner.break_from.value = date(2026, 7, 1)
    planner.break_to.value = date(2026, 7, 14)
    planner.add_break_button.click()


def test_widget_plans_saves_every_change_and_restores_after_restart(fixture_dir, store):
    planner = plan_courses(fixture_dir)
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) is None  # only looking saves nothing
    drive(planner)
    expected = make_schedule(
        order_courses(courses_for("cert", "cpc", make_dataset())),
        12.5,
        date(2026, 1, 5),
        [(date(2026, 7, 1), date(2026, 7, 14))],
        6,
    )
    assert planner.error == ""
    assert (planner.program, planner.credential, planner.hours_per_week) == ("cert", "cpc", 12.5)
    assert (planner.start, planner.exam_prep_weeks) == (date(2026, 1, 5), 6)
    assert planner.breaks == [(date(2026, 7, 1), date(2026, 7, 14))]
    assert planner.result == expected
    summary = planner.schedule
    assert summary["finish"] == expected.finish.isoformat()
    assert summary["exam_ready"] == expected.exam_ready.isoformat()
    assert summary["total_hours"] == expected.total_hours == 265
    assert (summary["program"], summary["credential"]) == ("cert", "cpc")
    assert summary["blocks"][0] == {
        "course_id": "mt",
        "name": "Medical Terminology",
        "start": "2026-01-05",
        "end": expected.blocks[0].end.isoformat(),
        "hours": 45,
    }
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) == summary
    with pytest.raises(traitlets.TraitError):
        planner.schedule = {}  # a result, not an input
    assert store.get(PLAN_NAMESPACE, PLAN_KEY) == {  # one field per input; breaks are a list of their own
        "program": "cert",
        "credential": "cpc",
        "hours_per_week": 12.5,
        "start": "2026-01-05",
        "exam_prep_weeks": 6,
    }
    assert [(b["first"], b["last"]) for b in store.get(PLAN_NAMESPACE, "breaks")] == [("2026-07-01", "2026-07-14")]
    assert "Medical Terminology" in planner.table_box.value
    assert "<svg" in planner.timeline_box.value
    assert "estimates to plan with" in planner.basis_box.value

    store_module.reset_stores()  # as if the kernel restarted
    again = plan_courses(fixture_dir)
    assert again.schedule == summary
    assert (again.program_picker.value, again.credential_picker.value) == ("cert", "cpc")
    assert (again.hours_input.value, again.start_picker.value, again.prep_input.value) == (12.5, date(2026, 1, 5), 6)
    assert again.breaks == [(date(2026, 7, 1), date(2026, 7, 14))]
    assert len(again.remove_break_buttons) == 1


def test_credential_defaults_to_the_saved_target(fixture_dir, store):
    store.set("certification", "target", "cca")
    planner = plan_courses(fixture_dir)
    assert planner.credential == planner.credential_picker.value == "cca"
    assert "pcs" not in [b["course_id"] for b in planner.schedule["blocks"]]  # cca's course is degree-only
    planner.program_picker.value = "degree"
    assert "pcs" in [b["course_id"] for b in planner.schedule["blocks"]]
    assert store.get(PLAN_NAMESPACE, PLAN_KEY)["program"] == "degree"


def test_breaks_are_added_and_removed_with_buttons(fixture_dir, store):
    planner = plan_courses(fixture_dir)
    planner.start_picker.value = date(2026, 1, 5)
    finish_without = planner.schedule["finish"]
    for first, last in [(date(2026, 8, 1), date(2026, 8, 3)), (date(2026, 2, 1), date(2026, 2, 10))]:
        planner.break_from.value, planner.break_to.value = first, last
        planner.add_break_button.click()
    assert planner.breaks == [(date(2026, 2, 1), date(2026, 2, 10)), (date(2026, 8, 1), date(2026, 8, 3))]
    assert planner.schedule["finish"] > finish_without
    assert planner.break_from.value is None and planner.break_to.value is None
    planner.remove_break_buttons[0].click()
    assert planner.breaks == [(date(2026, 8, 1), date(2026, 8, 3))]
    assert [(b["first"], b["last"]) for b in store.get(PLAN_NAMESPACE, "breaks")] == [("2026-08-01", "2026-08-03")]
    planner.remove_break_buttons[0].click()
    assert planner.breaks == [] and planner.schedule["finish"] == finish_without


def test_a_backwards_break_is_refused_with_a_message(fixture_dir):
    planner = plan_courses(fixture_dir)
    planner.break_from.value, planner.break_to.value = date(2026, 3, 10), date(2026, 3, 1)
    planner.add_break_button.click()
    assert planner.breaks == []
    assert "ends (2026-03-01) before it starts (2026-03-10)" in planner.error
    assert 'class="cp-error"' in planner.error_box.value
    planner.hours_input.value = 11  # any change replans and clears the message
    assert planner.error == ""


def test_errors_show_in_the_error_box_not_as_a_traceback(fixture_dir, store):
    planner = plan_courses(fixture_dir)
    planner.start_picker.value = date(2026, 1, 5)
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) is not None
    planner.hours_per_week = 0
    assert planner.error == "Hours per week must be between 1 and 60; you entered 0."
    assert 'class="cp-error"' in planner.error_box.value
    assert planner.schedule == {} and planner.result is None and planner.table_box.value == ""
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) is None  # the dashboard never shows a plan for other inputs
    planner.hours_per_week = 8
    planner.start_picker.value = None
    assert planner.error.startswith("Choose a start date")
    with pytest.raises(PlanError):
        planner.save_files(Path("unused"))
    planner.start_picker.value = date(2026, 1, 5)
    assert planner.error == "" and planner.schedule["total_hours"] > 0


def test_a_cycle_in_the_data_is_reported_in_the_widget(store):
    cyclic = make_dataset([course("mc1", "Medical Coding I", ("icd",)), course("icd", "ICD-10-CM", ("mc1",))])
    planner = CoursePlanner(cyclic, store)
    assert "Medical Coding I → ICD-10-CM → Medical Coding I" in planner.error
    assert "cp-error" in planner.error_box.value


def test_course_names_are_escaped_in_table_and_svg(fixture_dir):
    planner = plan_courses(fixture_dir)
    for fragment in (planner.table_box.value, planner.timeline_box.value, planner.basis_box.value):
        assert "<script" not in fragment
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    assert "&lt;b&gt;" in planner.basis_box.value and "<b><script" not in planner.basis_box.value


def test_download_links_and_saved_files_hold_the_same_plan(fixture_dir, tmp_path):
    planner = plan_courses(fixture_dir)
    drive(planner)
    links = dict(
        re.findall(r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', planner.downloads_box.value)
    )
    assert set(links) == {"course-plan.csv", "course-plan.ics"}
    calendar = icalendar.Calendar.from_ical(base64.b64decode(links["course-plan.ics"]))
    assert len(list(calendar.walk("VEVENT"))) == len(planner.schedule["blocks"]) + 2  # + exam preparation, exam-ready
    csv_path, ics_path = planner.save_files(tmp_path / "out")
    assert csv_path.read_bytes() == base64.b64decode(links["course-plan.csv"])
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert [r["course_id"] for r in rows] == [b["course_id"] for b in planner.schedule["blocks"]]
    saved = list(icalendar.Calendar.from_ical(ics_path.read_bytes()).walk("VEVENT"))
    courses = saved[: len(planner.schedule["blocks"])]
    assert [e.decoded("dtstart").isoformat() for e in courses] == [b["start"] for b in planner.schedule["blocks"]]


def shows(button) -> bool:
    """What the learner sees: the button on the page and usable."""
    return button.layout.display != "none" and not button.disabled


def test_a_removed_break_can_be_put_back_with_undo(fixture_dir, store):
    planner = plan_courses(fixture_dir)
    planner.start_picker.value = date(2026, 1, 5)
    for first, last in [(date(2026, 2, 1), date(2026, 2, 10)), (date(2026, 8, 1), date(2026, 8, 1))]:
        planner.break_from.value, planner.break_to.value = first, last
        planner.add_break_button.click()
    both, finish_with_both = list(planner.breaks), planner.schedule["finish"]
    assert "Aug 1, 2026 to Aug 1, 2026 (1 day)" in html_of(planner.breaks_list)
    assert "(10 days)" in html_of(planner.breaks_list)
    assert not planner.can_undo and not shows(planner.undo_button)
    removed_id = store.get(PLAN_NAMESPACE, "breaks")[0]["id"]

    planner.remove_break_buttons[0].click()
    assert planner.breaks == [(date(2026, 8, 1), date(2026, 8, 1))]
    assert "Removed the break Feb 1, 2026 to Feb 10, 2026." in planner.break_message.value
    assert planner.can_undo and shows(planner.undo_button)
    assert planner.schedule["finish"] < finish_with_both

    planner.undo_button.click()
    assert planner.breaks == both and planner.schedule["finish"] == finish_with_both
    assert "Put back the break Feb 1, 2026 to Feb 10, 2026." in planner.break_message.value
    assert not planner.can_undo and not shows(planner.undo_button)
    saved = store.get(PLAN_NAMESPACE, "breaks")
    assert sorted((b["first"], b["last"]) for b in saved) == [
        ("2026-02-01", "2026-02-10"),
        ("2026-08-01", "2026-08-01"),
    ]
    assert removed_id not in [b["id"] for b in saved]  # added back as a new item: the removed one stays removed
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) == planner.schedule

    store_module.reset_stores()  # a page reload: the fresh planner reads the store and offers no undo
    again = plan_courses(fixture_dir)
    assert again.breaks == both and again.schedule["finish"] == finish_with_both
    assert not again.can_undo and not shows(again.undo_button)


def test_undo_of_a_break_goes_at_the_next_change_and_after_a_reload(fixture_dir, store):
    planner = plan_courses(fixture_dir)
    planner.start_picker.value = date(2026, 1, 5)
    for first, last in [(date(2026, 2, 1), date(2026, 2, 10)), (date(2026, 8, 1), date(2026, 8, 3))]:
        planner.break_from.value, planner.break_to.value = first, last
        planner.add_break_button.click()
    planner.remove_break_buttons[0].click()
    assert planner.can_undo
    planner.hours_input.value = 12  # the learner's next change
    assert not planner.can_undo and not shows(planner.undo_button) and planner.break_message.value == ""
    planner.undo_remove()
    assert planner.breaks == [(date(2026, 8, 1), date(2026, 8, 3))]

    planner.remove_break_buttons[0].click()
    assert planner.can_undo
    store_module.reset_stores()
    again = plan_courses(fixture_dir)
    assert again.breaks == [] and not again.can_undo and not shows(again.undo_button)


def test_a_plan_only_looked_at_says_not_saved_and_save_plan_keeps_it(store):
    planner = CoursePlanner(make_dataset(), store, today=date(2026, 3, 2))
    assert planner.save_state is SaveState.NOT_SAVED and planner.result is not None
    assert "Not saved yet: change anything or press Save plan to keep it." in planner.save_status.value
    assert shows(planner.save_button)
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) is None
    assert "No plan yet" in html_of(show_dashboard())  # the dashboard agrees: nothing is saved
    elsewhere = CoursePlanner(make_dataset(), store, today=date(2026, 4, 1))  # the same page on another day
    assert elsewhere.start == date(2026, 4, 1) and elsewhere.save_state is SaveState.NOT_SAVED

    planner.save_button.click()
    assert planner.save_state is SaveState.SAVED and "Saved." in planner.save_status.value
    assert not shows(planner.save_button)
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) == planner.schedule
    assert store.get(PLAN_NAMESPACE, PLAN_KEY)["start"] == "2026-03-02"
    finish = date.fromisoformat(planner.schedule["finish"])
    assert f"Coursework finishes <b>{format_date(finish)}</b>" in html_of(show_dashboard())
    assert elsewhere.start == date(2026, 3, 2)  # the other page shows the saved plan at once
    assert elsewhere.save_state is SaveState.SAVED

    store_module.reset_stores()
    later = CoursePlanner(make_dataset(), store_module.get_store(), today=date(2026, 5, 1))
    assert later.start == date(2026, 3, 2) and later.schedule == planner.schedule
    assert later.save_state is SaveState.SAVED


def test_a_break_keeps_the_plan_it_was_added_to(store):
    planner = CoursePlanner(make_dataset(), store, today=date(2026, 3, 2))
    planner.break_from.value, planner.break_to.value = date(2026, 7, 1), date(2026, 7, 14)
    planner.add_break_button.click()  # changing anything keeps the plan, with the default start it was dated from
    assert planner.save_state is SaveState.SAVED
    store_module.reset_stores()
    later = CoursePlanner(make_dataset(), store_module.get_store(), today=date(2026, 4, 1))
    assert later.start == date(2026, 3, 2)
    assert later.schedule == store_module.get_store().get(PLAN_NAMESPACE, SCHEDULE_KEY)
    assert later.save_state is SaveState.SAVED


def test_a_plan_with_a_problem_is_marked_as_not_saved(store):
    planner = CoursePlanner(make_dataset(), store, today=date(2026, 3, 2))
    planner.save_button.click()
    planner.hours_per_week = 0
    assert planner.save_state is SaveState.NO_PLAN and not shows(planner.save_button)
    assert "Not saved: fix the problem above" in planner.save_status.value
    assert store.get(PLAN_NAMESPACE, SCHEDULE_KEY) is None
    planner.hours_per_week = 8
    assert planner.save_state is SaveState.SAVED


def test_the_shipped_courses_plan_without_errors():
    folder = data_dir()
    tables = {name: () for name in TABLES}
    tables.update(
        courses=tuple(load("courses")), programs=tuple(load("programs")), certifications=tuple(load("certifications"))
    )
    dataset = Dataset(directory=folder, **tables)
    planned = 0
    for prog in dataset.programs:
        for credential in [None, *(c.id for c in dataset.certifications)]:
            chosen = courses_for(prog.id, credential, dataset)
            if not chosen:
                continue
            ordered = order_courses(chosen)
            seen: set[str] = set()
            for c in ordered:
                assert set(c.prerequisites) <= seen, f"{c.id} comes before one of its prerequisites"
                seen.add(c.id)
            plan = make_schedule(ordered, 10, date(2026, 1, 5))
            assert plan.total_hours == sum(c.planning_hours for c in chosen)
            ET.fromstring(timeline_svg(plan))
            planned += 1
    assert planned, "no program type has any course in courses.csv"


# ---------------------------------------------------------------- properties

FAST = settings(max_examples=60, deadline=None)


@st.composite
def course_graphs(draw, max_courses: int = 14) -> list[Course]:
    """Random prerequisite graphs, acyclic by construction (a course only needs lower-numbered ones), shuffled."""
    count = draw(st.integers(1, max_courses))
    made = []
    for number in range(count):
        needs = draw(st.sets(st.integers(0, number - 1), max_size=3)) if number else set()
        made.append(
            course(f"c{number}", prerequisites=tuple(f"c{n}" for n in sorted(needs)), hours=draw(st.integers(1, 120)))
        )
    return draw(st.permutations(made))


starts = st.dates(date(2020, 1, 1), date(2035, 12, 31))
hours_per_week = st.floats(1, 60)
breaks = st.lists(
    st.tuples(st.dates(date(2019, 6, 1), date(2040, 1, 1)), st.integers(0, 90)).map(
        lambda p: (p[0], p[0] + timedelta(days=p[1]))
    ),
    max_size=4,
)
prep_weeks = st.integers(0, 12)


def in_break(day: date, spans) -> bool:
    return any(a <= day <= b for a, b in spans)


@FAST
@given(course_graphs())
def test_every_course_comes_after_its_prerequisites(courses):
    ordered = order_courses(courses)
    assert sorted(ids(ordered)) == sorted(ids(courses))
    place = {c.id: n for n, c in enumerate(ordered)}
    assert all(place[p] < place[c.id] for c in ordered for p in c.prerequisites)


@FAST
@given(course_graphs(), hours_per_week, starts, breaks, prep_weeks)
def test_blocks_add_up_follow_each_other_and_avoid_breaks(courses, hours, start, spans, weeks):
    plan = make_schedule(order_courses(courses), hours, start, spans, weeks)
    assert sum(b.hours for b in plan.blocks) == plan.total_hours == sum(c.planning_hours for c in courses)
    for before, after in pairwise(plan.blocks):
        assert before.start <= before.end <= after.start <= after.end
    for block in plan.blocks:
        assert block.start >= start
        assert not in_break(block.start, spans) and not in_break(block.end, spans)
    assert plan.finish == plan.blocks[-1].end
    assert (plan.exam_ready - plan.finish).days >= 7 * weeks


@FAST
@given(course_graphs(), hours_per_week, starts, st.integers(0, 400), breaks, prep_weeks)
def test_a_later_start_never_finishes_earlier(courses, hours, start, delay, spans, weeks):
    ordered = order_courses(courses)
    early = make_schedule(ordered, hours, start, spans, weeks)
    late = make_schedule(ordered, hours, start + timedelta(days=delay), spans, weeks)
    assert late.finish >= early.finish and late.exam_ready >= early.exam_ready


@FAST
@given(course_graphs(), hours_per_week, hours_per_week, starts, breaks, prep_weeks)
def test_more_hours_a_week_never_finishes_later(courses, first, second, start, spans, weeks):
    slow, fast = sorted((first, second))
    ordered = order_courses(courses)
    assert (
        make_schedule(ordered, fast, start, spans, weeks).finish
        <= make_schedule(ordered, slow, start, spans, weeks).finish
    )
    assert (
        make_schedule(ordered, fast, start, spans, weeks).exam_ready
        <= make_schedule(ordered, slow, start, spans, weeks).exam_ready
    )


@FAST
@given(course_graphs(), hours_per_week, starts, breaks, breaks, prep_weeks)
def test_breaks_never_make_it_finish_earlier(courses, hours, start, some, more, weeks):
    ordered = order_courses(courses)
    fewer = make_schedule(ordered, hours, start, some, weeks)
    extra = make_schedule(ordered, hours, start, some + more, weeks)
    assert extra.finish >= fewer.finish and extra.exam_ready >= fewer.exam_ready
