"""The learner's app in Chromium, on a laptop (1280×900) and a phone (390×844).

Every page: no sideways scrolling of the page, no console error, no critical or serious axe-core violation,
one h1, the header/nav/main landmarks, a title in words, the current page marked in the navigation; a
screenshot of each is kept in ``test-artifacts/screenshots/app-<page>-<width>.png``. Then the keyboard alone:
the Step 1 checklist and one practice case (Enter checks it).

axe-core comes from npm (``run.py`` installs it into ``.venv/node``); without it these tests are skipped with a
message, except under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import re

import pytest

pytest.register_assert_rewrite("voila_harness")

from voila_harness import (  # noqa: E402
    NOTEBOOKS_DIR,
    REPO,
    VoilaServer,
    finish,
    new_page,
    open_page,
    screenshot,
    step_notebooks,
)

pytest_plugins = ["voila_harness"]
pytestmark = [pytest.mark.voila, pytest.mark.browser]

AXE = REPO / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [p.stem for p in step_notebooks()]
VIEWPORTS = {"laptop": (1280, 900), "phone": (390, 844)}
STEP_1 = "01-develop-your-skills.ipynb"
PRACTICE = "06-practice-lab.ipynb"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if AXE.is_file():
        return AXE.read_text(encoding="utf-8")
    message = f"axe-core is not installed at {AXE} (python3 run.py test installs it with npm)."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, browser) -> VoilaServer:
    """The workbook's pages over a learner home of their own (browser first: no Chromium, no server)."""
    with VoilaServer(NOTEBOOKS_DIR, tmp_path_factory.mktemp("app-home"), name="app-pages") as server:
        yield server


def axe_violations(page, source: str) -> list[dict]:
    """axe-core's critical and serious violations on the page as it is now."""
    page.evaluate("(src) => { (0, eval)(src); }", source)  # evaluated by the browser, not a <script>: CSP-proof
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({"
        "id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"
    )
    return [v for v in violations if v["impact"] in ("critical", "serious")]


LAYOUT = """() => {
  const doc = document.documentElement;
  return {
    scrollWidth: doc.scrollWidth, viewport: window.innerWidth,
    h1: document.querySelectorAll('h1').length,
    header: document.querySelectorAll('header').length, nav: document.querySelectorAll('nav').length,
    main: document.querySelectorAll('main').length, lang: doc.getAttribute('lang'), title: document.title,
    current: [...document.querySelectorAll('nav a[aria-current="page"]')].map(a => a.getAttribute('href')),
    footer: (document.querySelector('footer') || {}).innerText || '',
  };
}"""


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_fits_is_clean_and_passes_axe(app, browser, axe_source, page_name, viewport):
    watch = new_page(browser, VIEWPORTS[viewport])
    try:
        open_page(watch.page, app.url(f"{page_name}.ipynb"))
        watch.page.wait_for_timeout(300)
        layout = watch.page.evaluate(LAYOUT)
        screenshot(watch.page, f"app-{page_name}-{VIEWPORTS[viewport][0]}")
        assert layout["scrollWidth"] <= layout["viewport"], f"{page_name} scrolls sideways at {viewport}: {layout}"
        assert layout["h1"] == 1, layout
        assert (layout["header"], layout["nav"], layout["main"]) == (1, 1, 1), layout
        assert layout["lang"] == "en"
        assert layout["title"].endswith(" · coderpath") and ".ipynb" not in layout["title"], layout["title"]
        assert layout["current"] == [f"{page_name}.ipynb"], layout
        assert "Your progress stays on this computer" in layout["footer"]
        violations = axe_violations(watch.page, axe_source)
        assert violations == [], f"{page_name} at {viewport}: axe-core found {violations}"
        watch.assert_clean()
    finally:
        finish(watch)


def test_the_address_without_a_page_opens_the_start_page(app, browser):
    watch = new_page(browser, VIEWPORTS["laptop"])
    try:
        watch.page.goto(app.authenticated(app.base_url), wait_until="load")
        watch.page.wait_for_url(re.compile(r"/voila/render/00-start-here\.ipynb"), timeout=30_000)
        start = watch.page.get_by_role("link", name=re.compile(r"^(Start Step 1|Continue: )"))
        start.wait_for(timeout=90_000)
        assert start.count() == 1
    finally:
        finish(watch)


def test_the_loading_message_is_in_words(app):
    from voila_harness import fetch

    status, page_html = fetch(app.url(STEP_1))
    assert status == 200
    assert "Preparing your workbook…" in page_html
    assert "Executing" not in page_html and "Running 01-develop" not in page_html


def _tab_until(page, predicate: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    raise AssertionError(f"Tab never reached: {predicate}")


FOCUS_RING = """() => {
  const s = getComputedStyle(document.activeElement);
  return s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0;
}"""


def test_keyboard_alone_ticks_the_step_1_checklist_and_the_nav_counts_it(app, browser):
    watch = new_page(browser, VIEWPORTS["laptop"])
    try:
        page = watch.page
        open_page(page, app.url(STEP_1))
        boxes = page.locator(".cp-main input[type=checkbox]")
        total = boxes.count()
        assert total >= 2
        _tab_until(page, "() => document.activeElement && document.activeElement.type === 'checkbox'")
        assert page.evaluate(FOCUS_RING) >= 2, "the focused checkbox has no visible focus ring of 2 px or more"
        page.keyboard.press("Space")
        _tab_until(page, "() => document.activeElement && document.activeElement.type === 'checkbox'")
        page.keyboard.press("Space")
        page.wait_for_function("() => document.querySelectorAll('.cp-main input[type=checkbox]:checked').length === 2")
        page.wait_for_timeout(500)  # the ticks reach the kernel and the store
        open_page(page, app.url(STEP_1))  # the navigation reads the store as the page is served
        share = round(100 * 2 / total)
        nav_item = page.locator("nav a[aria-current=page]")
        assert f"{share}%" in nav_item.inner_text()
        assert page.locator(".cp-main input[type=checkbox]:checked").count() == 2
        watch.assert_clean()
    finally:
        finish(watch)


def test_keyboard_alone_codes_a_practice_case_and_enter_checks_it(app, browser):
    watch = new_page(browser, VIEWPORTS["phone"])
    try:
        page = watch.page
        open_page(page, app.url(PRACTICE))
        _tab_until(page, "() => !!document.activeElement.closest('.cp-submit-on-enter')")
        assert page.evaluate(FOCUS_RING) >= 2, "the focused code field has no visible focus ring of 2 px or more"
        page.keyboard.type("R69")
        page.keyboard.press("Enter")
        feedback = page.locator(".cp-form .cp-next, .cp-form .cp-notice, .cp-form .cp-error").first
        feedback.wait_for(timeout=30_000)
        page.locator(".cp-form", has_text="1 attempt: ").first.wait_for(timeout=30_000)
        screenshot(page, "app-practice-case-checked-by-keyboard-390")
        watch.assert_clean()
    finally:
        finish(watch)
