"""Charts and the course timeline on a phone (390×844), and the toggle buttons' ``aria-pressed``, in Chromium.

One learner first codes a practice case and changes the plan's hours, so every chart has something to draw:
the timeline (Step 2 and the dashboard), the pay and growth charts (related careers) and the accuracy by
chapter (practice lab and dashboard). Then, on each of those pages, every chart shown fits its box and the
phone, its smallest text is 11 px or more, no label runs past its edge, and it keeps its accessible name and
description. A screenshot of each page and of each chart is kept in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re

import pytest

pytest.register_assert_rewrite("voila_harness")

from voila_harness import (  # noqa: E402
    NOTEBOOKS_DIR,
    SCREENSHOTS_DIR,
    VoilaServer,
    finish,
    new_page,
    open_page,
    screenshot,
)

pytest_plugins = ["voila_harness"]
pytestmark = [pytest.mark.voila, pytest.mark.browser]

VIEWPORTS = {"laptop": (1280, 900), "phone": (390, 844)}
MIN_TEXT_PX = 11
PLANNER, CAREERS, PRACTICE, DASHBOARD = (
    "02-complete-your-education.ipynb",
    "05-related-careers.ipynb",
    "06-practice-lab.ipynb",
    "07-dashboard.ipynb",
)
#: page → the charts it shows once the learner has a plan and one practice case checked (words of their titles)
CHARTS = {
    PLANNER: ["timeline"],
    CAREERS: ["pay", "growth"],
    PRACTICE: ["by chapter"],
    DASHBOARD: ["timeline", "by chapter"],
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, browser) -> VoilaServer:
    """The workbook's pages over a learner home of their own (browser first: no Chromium, no server)."""
    with VoilaServer(NOTEBOOKS_DIR, tmp_path_factory.mktemp("charts-home"), name="phone-charts") as server:
        yield server


@pytest.fixture(scope="module")
def learner(app, browser) -> VoilaServer:
    """The server, after one practice case is checked and the plan's hours are changed (so both are saved).

    The pages' console is checked by the tests, not here: a first visit may build the code index, and a cell
    that runs for more than 10 s makes Voilà send its inline keep-alive script, which the policy refuses.
    """
    watch = new_page(browser, VIEWPORTS["phone"])
    try:
        page = watch.page
        open_page(page, app.url(PRACTICE))
        field = page.locator(".cp-submit-on-enter input").first
        field.fill("R69")
        field.press("Enter")
        page.locator(".cp-form", has_text="1 attempt: ").first.wait_for(timeout=30_000)
        open_page(page, app.url(PLANNER))
        hours = page.locator(".widget-inline-hbox", has_text="Study hours a week").locator("input")
        hours.fill("12")
        hours.press("Tab")
        page.wait_for_timeout(1_500)  # the saved plan reaches the store
    finally:
        finish(watch)
    return app


#: every chart drawn on the page: visible or not, its size, its box, its smallest text and its labels' overflow
MEASURE = """() => [...document.querySelectorAll('.cp-main svg')].map(svg => {
  const r = svg.getBoundingClientRect();
  const box = (svg.closest('.cp-chart-box') || svg.parentElement).getBoundingClientRect();
  const names = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
    .map(id => (document.getElementById(id) || {}).textContent || '');
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBoundingClientRect();
    const scale = t.getScreenCTM() ? t.getScreenCTM().a : 0;
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale, height: b.height,
            left: b.left - r.left, right: r.right - b.right};
  });
  return {
    visible: r.width > 0 && r.height > 0, width: r.width, box: box.width, viewBox: svg.getAttribute('viewBox'),
    role: svg.getAttribute('role'), names: names, inBox: !!svg.closest('.cp-chart-box'), texts: texts,
  };
})"""


def check_charts(page, name: str, viewport: tuple[int, int]) -> list[dict]:
    charts = page.evaluate(MEASURE)
    shown = [c for c in charts if c["visible"]]
    titles = [c["names"][0] if c["names"] else "" for c in shown]
    expected = CHARTS[name]
    assert len(titles) == len(expected), f"{name} at {viewport[0]} px shows the charts {titles}"
    assert all(w in t.lower() for w, t in zip(expected, titles, strict=True)), f"{name}: charts {titles}"
    boxes = page.evaluate("() => document.querySelectorAll('.cp-main .cp-chart-box').length")
    assert boxes == len(shown), f"{name}: {boxes} chart boxes but {len(shown)} charts shown (one drawing each)"
    for chart in shown:
        where = f"{name} at {viewport[0]} px, chart {chart['names'][:1]}"
        assert chart["inBox"] and chart["viewBox"] and chart["role"] == "img", where
        assert len(chart["names"]) == 2 and all(n.strip() for n in chart["names"]), f"{where}: no title and desc"
        assert chart["width"] <= chart["box"] + 0.5, f"{where}: {chart['width']} px wide in a {chart['box']} px box"
        assert chart["width"] <= viewport[0], f"{where}: wider than the screen"
        assert chart["texts"], where
        smallest = min(chart["texts"], key=lambda t: t["px"])
        assert smallest["px"] >= MIN_TEXT_PX, f"{where}: text drawn at {smallest['px']:.1f} px: {smallest}"
        assert min(t["height"] for t in chart["texts"]) >= MIN_TEXT_PX, f"{where}: {chart['texts']}"
        cut = [t for t in chart["texts"] if t["left"] < -1 or t["right"] < -1]
        assert cut == [], f"{where}: labels run past the chart's edge: {cut}"
    return shown


def chart_screenshots(page, stem: str) -> None:
    """Each chart shown, on its own, next to the page's screenshot."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    charts = page.locator(".cp-main .cp-chart-box svg:visible")
    for n in range(charts.count()):
        charts.nth(n).screenshot(path=str(SCREENSHOTS_DIR / f"{stem}-chart-{n + 1}.png"))


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("name", list(CHARTS))
def test_charts_fit_their_box_and_their_text_stays_legible(learner, browser, name, viewport):
    size = VIEWPORTS[viewport]
    watch = new_page(browser, size)
    try:
        page = watch.page
        open_page(page, learner.url(name))
        page.wait_for_timeout(300)
        stem = f"charts-{name.removesuffix('.ipynb')}-{size[0]}"
        screenshot(page, stem)
        chart_screenshots(page, stem)
        check_charts(page, name, size)
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{name} scrolls sideways at {viewport}: {width}"
        watch.assert_clean()
    finally:
        finish(watch)


# ------------------------------------------------------------------ toggle buttons

#: each group of toggle buttons on the page: its label and every button's text and aria-pressed
TOGGLE_GROUPS = """() => [...document.querySelectorAll('.cp-main .widget-toggle-buttons')]
  .filter(group => group.querySelector('button') && !group.parentElement.closest('.widget-toggle-buttons'))
  .map(group => ({
    label: ((group.querySelector('.widget-label') || {}).textContent || '').trim(),
    buttons: [...group.querySelectorAll('button')].map(b => ({
      text: b.textContent.trim(), pressed: b.getAttribute('aria-pressed'), active: b.classList.contains('mod-active'),
    })),
  }))"""


def pressed(groups: list[dict], label: str) -> list[str]:
    (group,) = [g for g in groups if g["label"] == label]
    return [b["text"] for b in group["buttons"] if b["pressed"] == "true"]


def test_every_toggle_button_says_whether_it_is_pressed_and_a_click_flips_it(app, browser):
    watch = new_page(browser, VIEWPORTS["laptop"])
    try:
        page = watch.page
        open_page(page, app.url(PRACTICE))
        page.wait_for_function(
            "() => [...document.querySelectorAll('.cp-main .widget-toggle-buttons button')]"
            ".every(b => b.hasAttribute('aria-pressed'))"
        )
        groups = page.evaluate(TOGGLE_GROUPS)
        assert len(groups) >= 3, f"the practice lab shows {len(groups)} groups of toggle buttons: {groups}"
        for group in groups:
            states = [b["pressed"] for b in group["buttons"]]
            assert set(states) <= {"true", "false"}, group
            assert states.count("true") == 1, f"not exactly one pressed button: {group}"
            assert all((b["pressed"] == "true") == b["active"] for b in group["buttons"]), group
        assert pressed(groups, "Kind") == ["All cases"]

        kind = page.locator(
            ".cp-main .widget-toggle-buttons", has=page.locator(".widget-label", has_text=re.compile("^Kind$"))
        )
        kind.first.get_by_role("button", name="Medical records").click()
        page.wait_for_function(
            "() => { const b = [...document.querySelectorAll('.cp-main .widget-toggle-buttons button')]"
            ".find(b => b.textContent.trim() === 'Medical records');"
            " return b && b.getAttribute('aria-pressed') === 'true'; }"
        )
        after = page.evaluate(TOGGLE_GROUPS)
        assert pressed(after, "Kind") == ["Medical records"]
        (group,) = [g for g in after if g["label"] == "Kind"]
        assert [b["pressed"] for b in group["buttons"]].count("true") == 1, group
        others = [(g["label"], pressed(after, g["label"])) for g in after if g["label"] not in ("Kind", "")]
        assert others == [(g["label"], pressed(groups, g["label"])) for g in groups if g["label"] not in ("Kind", "")]
        watch.assert_clean()
    finally:
        finish(watch)
