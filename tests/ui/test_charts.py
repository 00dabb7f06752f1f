"""The inline SVG bar chart: well-formed, accessible, escaped, and honest about signs."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from coderpath_widgets.ui.charts import bar_chart_svg, format_value

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> dict[str, tuple[float, float]]:
    """label → (x, width) of each bar, read from the bar's own tooltip."""
    root = ET.fromstring(svg)
    out = {}
    for rect in root.iter(f"{SVG}rect"):
        label = rect.find(f"{SVG}title").text.rsplit(": ", 1)[0]
        out[label] = (float(rect.get("x")), float(rect.get("width")))
    return out


def test_chart_is_well_formed_svg_with_an_accessible_name():
    svg = bar_chart_svg(["Coders", "Managers"], [50250, 117960], "$", "Median yearly pay")
    root = ET.fromstring(svg)  # raises if not well-formed XML
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Median yearly pay"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "Coders: $50,250; Managers: $117,960"
    assert "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_bar_lengths_are_proportional():
    found = bars(bar_chart_svg(["a", "b"], [50, 100], "%", "t"))
    assert found["a"][0] == found["b"][0]  # both start at zero
    assert math.isclose(found["b"][1], 2 * found["a"][1], rel_tol=0.01)


def test_negative_values_are_drawn_left_of_zero():
    svg = bar_chart_svg(["Growing", "Shrinking"], [7, -5], "%", "Growth")
    found = bars(svg)
    zero = found["Growing"][0]
    x, width = found["Shrinking"]
    assert math.isclose(x + width, zero, abs_tol=0.2)  # ends at zero, extends left
    assert math.isclose(width / found["Growing"][1], 5 / 7, rel_tol=0.01)
    assert "−5%" in svg and "+7%" in svg
    assert 'fill="#d64545"' in svg  # a second colour for declines


def test_labels_and_title_are_escaped():
    svg = bar_chart_svg(["<script>alert(1)</script>", "A & B"], [1, 2], "", "<b>Title</b>")
    assert "<script>alert" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "A &amp; B" in svg and "&lt;b&gt;Title&lt;/b&gt;" in svg
    ET.fromstring(svg)


def test_long_labels_are_cut_but_kept_in_the_tooltip():
    label = "x" * 200
    svg = bar_chart_svg([label], [3], "%", "t")
    assert "x" * 85 + "…" in svg
    assert f"{label}: 3%" in svg


def test_empty_chart_says_so():
    svg = bar_chart_svg([], [], "$", "Pay")
    assert "No figures to chart." in svg
    ET.fromstring(svg)


def test_two_charts_on_one_page_have_different_ids():
    first = bar_chart_svg(["a"], [1], "%", "Growth")
    second = bar_chart_svg(["a"], [1], "$", "Pay")
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) == 4


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="2 labels but 1 values"):
        bar_chart_svg(["a", "b"], [1], "%", "t")
    with pytest.raises(ValueError, match="finite"):
        bar_chart_svg(["a"], [float("nan")], "%", "t")


def test_zero_only_values_draw_a_visible_stub():
    found = bars(bar_chart_svg(["a"], [0], "%", "t"))
    assert found["a"][1] >= 1.0


@pytest.mark.parametrize(
    ("value", "unit", "signed", "text"),
    [
        (50250, "$", False, "$50,250"),
        (7.5, "%", True, "+7.5%"),
        (-3, "%", True, "−3%"),
        (0, "%", True, "0%"),
        (1500, " hours", False, "1,500 hours"),
    ],
)
def test_format_value(value, unit, signed, text):
    assert format_value(value, unit, signed) == text
