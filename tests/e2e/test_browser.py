"""The pages in a real browser (Debian's Chromium through Playwright), as a learner sees them.

Every page must show all its widgets with no console error, no request beyond this computer and no
failed response; each page is screenshotted to ``test-artifacts/screenshots/``. Without Chromium these
tests are skipped with a message, except under ``CI=true`` where that is a failure.

To add a scenario: take the ``watched_page`` fixture (a :class:`voila_harness.PageWatch`; its ``.page`` is the
Playwright page), call ``open_page(watched_page.page, server.url("NN-name.ipynb"))``, act with Playwright,
``screenshot(watched_page.page, "what-it-shows")``, and end with ``watched_page.assert_clean()``.
"""

from __future__ import annotations

import re

import pytest

pytest.register_assert_rewrite("voila_harness")  # before the import, so its asserts explain themselves

from voila_harness import open_page, screenshot, step_notebooks, wait_for_widgets  # noqa: E402

#: The fixtures (browser, watched_page, voila_server, checkbox_server) live in tests/voila_harness.py.
pytest_plugins = ["voila_harness"]

pytestmark = [pytest.mark.voila, pytest.mark.browser]

PAGES = [p.name for p in step_notebooks()]
STEP_1 = "01-develop-your-skills.ipynb"
DASHBOARD = "07-dashboard.ipynb"


@pytest.fixture(scope="session", autouse=True)
def _chromium_before_voila(browser):
    """Skip (or, under CI, fail) on a missing Chromium before any Voilà server is started."""


def test_one_checkbox_page_is_clean_and_clickable(checkbox_server, watched_page):
    assert open_page(watched_page.page, checkbox_server.url("one-checkbox.ipynb")) == 1
    box = watched_page.page.get_by_role("checkbox", name="Done")
    assert not box.is_checked()
    box.click()
    assert box.is_checked()
    watched_page.page.wait_for_timeout(500)  # let anything the click set off reach the console
    screenshot(watched_page.page, "one-checkbox-ticked")
    watched_page.assert_clean()


def test_the_address_alone_opens_the_start_page_cleanly(voila_server, watched_page):
    watched_page.page.goto(voila_server.authenticated(voila_server.base_url), wait_until="load")
    watched_page.page.wait_for_url(re.compile(r"/voila/render/00-start-here\.ipynb"), timeout=90_000)
    wait_for_widgets(watched_page.page, 1)
    screenshot(watched_page.page, "address-alone-opens-start-page")
    watched_page.assert_clean()


def test_the_workbook_has_the_pages_these_tests_open():
    assert {STEP_1, DASHBOARD} <= set(PAGES), f"notebooks/ holds {PAGES}"


@pytest.mark.parametrize("notebook", PAGES)
def test_every_page_shows_its_widgets_cleanly(voila_server, watched_page, notebook):
    widgets = open_page(watched_page.page, voila_server.url(notebook))
    assert widgets > 0, "every page of the workbook has at least one widget"
    watched_page.page.wait_for_timeout(500)
    screenshot(watched_page.page, notebook.removesuffix(".ipynb"))
    watched_page.assert_clean()


def test_a_tick_on_step_1_survives_a_reload_and_moves_the_dashboard(voila_server, watched_page):
    """Dashboard, then tick an item on Step 1, reload: still ticked, and the dashboard counts it."""
    tab = watched_page.page
    open_page(tab, voila_server.url(DASHBOARD))
    before = _step_1_done(tab)
    screenshot(tab, "walkthrough-1-dashboard-before")

    open_page(tab, voila_server.url(STEP_1))
    first = tab.locator(".widget-checkbox input[type=checkbox]").first
    assert not first.is_checked(), "the learner home is fresh, so nothing is ticked yet"
    first.click()
    tab.wait_for_function(  # the checklist's own count moves once the kernel has the tick
        r"n => new RegExp(`\\b${n} of \\d+ done`).test(document.body.innerText)", arg=before + 1, timeout=30_000
    )
    screenshot(tab, "walkthrough-2-step-1-ticked")

    tab.reload(wait_until="commit")
    wait_for_widgets(tab, 1)
    assert tab.locator(".widget-checkbox input[type=checkbox]").first.is_checked(), "the tick was lost on reload"
    screenshot(tab, "walkthrough-3-step-1-reloaded")

    open_page(tab, voila_server.url(DASHBOARD))
    assert _step_1_done(tab) == before + 1
    screenshot(tab, "walkthrough-4-dashboard-after")
    watched_page.assert_clean()


def _step_1_done(tab) -> int:
    match = re.search(r"Step 1: Develop your skills\s*(\d+) of \d+", tab.locator("body").inner_text())
    assert match, "the dashboard shows no Step 1 count"
    return int(match.group(1))


def _kernel_side(home, code: str) -> str:
    """Run ``code`` in a fresh Python process on the server's learner home, as a JupyterLab kernel would."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, CODERPATH_HOME=str(home), CODERPATH_PROFILE="voila-test")
    env.pop("VOILA_PREHEAT", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_jupyterlab_and_voila_share_progress_both_ways(voila_server, watched_page):
    """A tick made in a JupyterLab kernel shows on the dashboard, and a tick made in Voilà shows in a new kernel."""
    from coderpath_widgets.content.dataset import load_dataset

    items = load_dataset().checklist("education")
    first, second = items[0], items[1]
    _kernel_side(
        voila_server.home,
        (
            "from coderpath_widgets import show_checklist\n"
            f"w = show_checklist('education'); w.checkboxes[{first.id!r}].value = True"
        ),
    )
    tab = watched_page.page
    open_page(tab, voila_server.url(DASHBOARD))
    assert re.search(r"Step 2: Complete your education\s*1 of \d+", tab.locator("body").inner_text())

    open_page(tab, voila_server.url("02-complete-your-education.ipynb"))
    box = tab.get_by_role("checkbox", name=second.title, exact=True)
    assert tab.get_by_role("checkbox", name=first.title, exact=True).is_checked()
    box.click()
    tab.wait_for_function(r"() => /\b2 of \d+ done/.test(document.body.innerText)", timeout=30_000)
    screenshot(tab, "shared-progress-step-2")
    ticked = _kernel_side(
        voila_server.home,
        (
            "from coderpath_widgets import show_checklist\n"
            f"print(show_checklist('education').checkboxes[{second.id!r}].value)"
        ),
    )
    assert ticked == "True"
    watched_page.assert_clean()


def test_practice_lab_lookup_case_and_flashcard_in_the_browser(voila_server, watched_page):
    """Look up a lay term, reveal a case's answer and turn a flashcard, as a learner would."""
    tab = watched_page.page
    open_page(tab, voila_server.url("06-practice-lab.ipynb"))
    search = tab.get_by_placeholder("A code (E11.9) or words (type 2 diabetes)")
    search.fill("lumbago")
    tab.locator("button", has_text=re.compile(r"^\s*Search\s*$")).click()
    tab.wait_for_function("() => document.body.innerText.includes('M54.50')", timeout=30_000)

    tab.get_by_role("button", name="Show the answer").click()
    tab.wait_for_function("() => document.body.innerText.includes('first-listed')", timeout=30_000)

    tab.get_by_role("button", name="Show meaning").click()
    tab.get_by_role("button", name="I knew it").click()
    tab.wait_for_function(r"() => /1 reviewed in this session/.test(document.body.innerText)", timeout=30_000)
    screenshot(tab, "practice-lab-used")
    watched_page.assert_clean()
