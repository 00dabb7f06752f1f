"""The course timeline's two drawings: the wide one with a column of names, the narrow one (for a phone)
with each name above its bar. Both are well-formed, escaped, named for screen readers, and keep their text
inside the drawing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from coderpath_widgets.features.planner.render import (
    NARROW_NAME_CHARS,
    PREP_COLOUR,
    SVG_TICK_LABEL,
    timeline_html,
    timeline_svg,
)
from coderpath_widgets.features.planner.schedule import Block, Schedule
from coderpath_widgets.ui.charts import NARROW_WIDTH
from coderpath_widgets.ui.format import format_date

SVG = "{http://www.w3.org/2000/svg}"
NAMES = [
    "Medical terminology",
    "Computer skills and electronic health records",
    "<script>alert(1)</script> & friends",
    "ICD-10-CM diagnosis coding",
]


@pytest.fixture
def plan() -> Schedule:
    start, blocks, day = date(2026, 1, 5), [], date(2026, 1, 5)
    for n, name in enumerate(NAMES):
        end = day + timedelta(days=27 + 7 * n)
        blocks.append(Block(f"c{n}", name, day, end, 40.0 + n))
        day = end + timedelta(days=1)
    finish = blocks[-1].end
    return Schedule(
        blocks=tuple(blocks),
        start=start,
        hours_per_week=10.0,
        breaks=((date(2026, 3, 2), date(2026, 3, 15)),),
        exam_prep_weeks=6,
        total_hours=sum(b.hours for b in blocks),
        finish=finish,
        exam_ready=finish + timedelta(weeks=6),
    )


def width_of(root: ET.Element) -> float:
    return float(root.get("viewBox").split()[2])


@pytest.mark.parametrize("narrow", [False, True])
def test_each_drawing_is_well_formed_named_and_escaped(plan, narrow):
    svg = timeline_svg(plan, narrow=narrow)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("width") == "100%"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == desc_id
    for block in plan.blocks:  # the text alternative names every course with its dates
        assert f"{block.name}, {format_date(block.start)} to {format_date(block.end)}" in desc.text
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert root.get("font-size") == "12"
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") in ("#2680c2", PREP_COLOUR)]
    assert len(bars) == len(plan.blocks) + 1
    assert all(float(r.get("x")) >= 0 and float(r.get("x")) + float(r.get("width")) <= width_of(root) for r in bars)


def test_the_narrow_drawing_puts_each_name_above_its_bar(plan):
    root = ET.fromstring(timeline_svg(plan, narrow=True))
    assert width_of(root) == NARROW_WIDTH
    names = {t.text: float(t.get("y")) for t in root.iter(f"{SVG}text") if t.get("fill") == "#1f2933"}
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") in ("#2680c2", PREP_COLOUR)]
    shown = [n if len(n) <= NARROW_NAME_CHARS else n[: NARROW_NAME_CHARS - 1] + "…" for n in NAMES]
    assert list(names) == [*shown, "Exam preparation"]
    for (name, y), bar in zip(names.items(), bars, strict=True):
        assert y < float(bar.get("y")) < y + 12, name  # just under its own name
        assert len(name) <= NARROW_NAME_CHARS
    assert all(t.get("text-anchor") in (None, "start") for t in root.iter(f"{SVG}text"))


@pytest.mark.parametrize("narrow", [False, True])
def test_month_labels_are_not_cut_off_at_the_right_edge(plan, narrow):
    root = ET.fromstring(timeline_svg(plan, narrow=narrow))
    months = [t for t in root.iter(f"{SVG}text") if t.get("fill") == "#52606d"]
    assert len(months) >= 2
    assert all(float(t.get("x")) - 3 + SVG_TICK_LABEL <= width_of(root) for t in months)


def test_timeline_html_holds_both_drawings_the_narrow_one_hidden(plan):
    box = timeline_html(plan)
    root = ET.fromstring(box)
    wide, narrow = list(root)
    assert (wide.get("class"), narrow.get("class"), narrow.get("style")) == (
        "cp-chart-wide",
        "cp-chart-narrow",
        "display:none",
    )
    drawings = list(root.iter(f"{SVG}svg"))
    assert [width_of(d) > NARROW_WIDTH for d in drawings] == [True, False]
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 4
