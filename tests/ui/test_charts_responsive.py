"""The two drawings of a chart: the narrow one for a phone keeps its labels inside its 320 units, and a page
holding both meets the chart once (the narrow one hidden until the stylesheet swaps them)."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET

from coderpath_widgets.ui.charts import (
    FONT_SIZE,
    NARROW_LABEL_CHARS,
    NARROW_MAX_SCALE,
    NARROW_WIDTH,
    bar_chart_html,
    bar_chart_svg,
    responsive_chart,
    wrap_label,
)

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Medical and health services manager (including HIM managers) (2023–2033)"


def bars(root: ET.Element) -> dict[str, tuple[float, float]]:
    return {
        r.find(f"{SVG}title").text.rsplit(": ", 1)[0]: (float(r.get("x")), float(r.get("width")))
        for r in root.iter(f"{SVG}rect")
    }


def texts(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}text"))


def test_the_narrow_drawing_is_phone_wide_and_grows_only_a_little():
    root = ET.fromstring(bar_chart_svg(["Coders", "Managers"], [50250, 117960], "$", "Pay", narrow=True))
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (x, y, width) == (0, 0, NARROW_WIDTH) and height > 0
    assert root.get("width") == "100%"
    assert root.get("style") == f"max-width:{round(NARROW_WIDTH * NARROW_MAX_SCALE)}px"
    assert {t.get("font-size") for t in texts(root)} == {str(FONT_SIZE)}
    # at its smallest useful box, a 390 px phone's card (about 328 px), the text is 11 px or more
    assert FONT_SIZE * 328 / width >= 11


def test_a_long_label_goes_onto_two_lines_in_the_narrow_drawing_and_stays_whole_in_its_tooltip():
    svg = bar_chart_svg([LONG, "Coders"], [29, 9], "%", "Growth", narrow=True)
    root = ET.fromstring(svg)
    lines = [t.text for t in texts(root)]
    assert "Medical and health services manager" in lines
    assert "(including HIM managers) (2023–2033)" in lines
    assert all(len(line) <= NARROW_LABEL_CHARS for line in lines)
    assert f"{LONG}: 29%" in svg
    wide = [t.text for t in texts(ET.fromstring(bar_chart_svg([LONG], [29], "%", "Growth")))]
    assert LONG in wide  # one line where there is room


def test_rows_with_two_line_labels_do_not_overlap():
    root = ET.fromstring(bar_chart_svg([LONG, "Coders", LONG + " again"], [29, 9, 3], "%", "Growth", narrow=True))
    rows = sorted((float(r.get("y")), float(r.get("height"))) for r in root.iter(f"{SVG}rect"))
    label_tops = sorted(float(t.get("y")) for t in texts(root))
    for (top, height), (next_top, _) in itertools.pairwise(rows):
        assert top + height < next_top
        between = [y for y in label_tops if top + height < y < next_top]
        assert between, "each bar after the first has its label above it"
    assert float(root.get("viewBox").split()[3]) >= rows[-1][0] + rows[-1][1]


def test_the_narrow_drawing_keeps_the_bars_honest():
    narrow = bars(ET.fromstring(bar_chart_svg(["a", "b", "c"], [50, 100, -25], "%", "t", narrow=True)))
    zero = narrow["a"][0]
    assert narrow["b"][0] == zero and math.isclose(narrow["b"][1], 2 * narrow["a"][1], rel_tol=0.01)
    x, width = narrow["c"]
    assert math.isclose(x + width, zero, abs_tol=0.2) and math.isclose(width, narrow["a"][1] / 2, rel_tol=0.01)
    assert all(x >= 0 and x + w <= NARROW_WIDTH for x, w in narrow.values())


def test_value_labels_stay_inside_the_narrow_drawing():
    root = ET.fromstring(bar_chart_svg(["a", "b"], [117960, -117960], "$", "Pay", narrow=True))
    for t in texts(root):
        x = float(t.get("x"))
        # about 0.6 em a character is the widest the sans-serif fonts draw these figures
        reach = len(t.text) * FONT_SIZE * 0.6
        if t.get("text-anchor") == "end":
            assert x - reach >= 0, t.text
        else:
            assert x + reach <= NARROW_WIDTH, t.text


def test_both_drawings_sit_in_one_box_with_the_narrow_one_hidden_and_no_id_twice():
    box = bar_chart_html(["Coders", "Managers"], [50250, 117960], "$", "Median yearly pay")
    root = ET.fromstring(box)  # well-formed
    assert root.get("class") == "cp-chart-box"
    wide, narrow = list(root)
    assert wide.get("class") == "cp-chart-wide" and wide.get("style") is None
    assert narrow.get("class") == "cp-chart-narrow" and narrow.get("style") == "display:none"
    assert [float(s.get("viewBox").split()[2]) for s in root.iter(f"{SVG}svg")] == [640, NARROW_WIDTH]
    ids = re.findall(r'id="([^"]+)"', box)
    assert len(ids) == len(set(ids)) == 4
    for svg in root.iter(f"{SVG}svg"):
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}desc").get("id") == desc_id
        assert svg.find(f"{SVG}desc").text == "Coders: $50,250; Managers: $117,960"


def test_a_hostile_label_is_escaped_in_both_drawings():
    box = bar_chart_html(["<script>alert(1)</script> " * 3], [1], "%", "<b>t</b>")
    assert "<script" not in box and "<b>" not in box
    assert box.count("&lt;script&gt;") >= 4
    ET.fromstring(box)


def test_responsive_chart_keeps_what_it_is_given():
    assert responsive_chart("<svg>W</svg>", "<svg>N</svg>") == (
        '<div class="cp-chart-box"><div class="cp-chart-wide"><svg>W</svg></div>'
        '<div class="cp-chart-narrow" style="display:none"><svg>N</svg></div></div>'
    )


def test_wrap_label_breaks_at_spaces_and_cuts_what_does_not_fit():
    assert wrap_label("short", 40, 2) == ["short"]
    assert wrap_label("aaa bbb ccc ddd", 7, 2) == ["aaa bbb", "ccc ddd"]
    assert wrap_label("aaa bbb ccc ddd eee", 7, 2) == ["aaa bbb", "ccc dd…"]
    assert wrap_label("x" * 20, 8, 2) == ["x" * 8, "x" * 7 + "…"]
    assert wrap_label("", 8, 2) == [""]
    assert all(len(line) <= 9 for line in wrap_label(LONG, 9, 3))
