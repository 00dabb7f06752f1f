"""Progress that is never lost, in a real browser: pages agree while open, typing is kept, a lost server is shown.

- Two tabs on one checklist page plus a separate JupyterLab-style kernel writing: each change shows in the other
  tab within about 2 seconds, without a reload.
- A note typed without Enter or Tab, then the page reloaded within a second: the note is still there.
- The dashboard server stopped: every open page shows the "not saved" banner within a few seconds and its
  controls are disabled.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

pytest.register_assert_rewrite("voila_harness")

from voila_harness import VoilaServer, open_page, screenshot, wait_for_widgets  # noqa: E402

pytest_plugins = ["voila_harness"]
pytestmark = [pytest.mark.voila, pytest.mark.browser]

CHECKLIST_PAGE = "checklist.ipynb"
BANNER = (
    "This page has lost its connection to the workbook: changes are not being saved. "
    "Start the dashboard again, then reload this page."
)


def _write_checklist_notebook(folder: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Skills checklist\n\nTick what you have done and note your evidence."),
        nbformat.v4.new_code_cell("from coderpath_widgets import show_checklist"),
        nbformat.v4.new_code_cell('show_checklist("skills")'),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / CHECKLIST_PAGE)


@pytest.fixture(scope="session", autouse=True)
def _chromium_before_voila(browser):
    """Skip (or, under CI, fail) on a missing Chromium before any Voilà server is started."""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live-pages")
    _write_checklist_notebook(folder)
    with VoilaServer(folder, tmp_path_factory.mktemp("live-home"), name="progress-live") as server:
        yield server


def _kernel_side(home: Path, code: str) -> None:
    """Run ``code`` in a separate Python process on the server's learner home, as a JupyterLab kernel would."""
    env = dict(os.environ, CODERPATH_HOME=str(home), CODERPATH_PROFILE="voila-test")
    env.pop("VOILA_PREHEAT", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _boxes(tab):
    return tab.locator(".widget-checkbox input[type=checkbox]")


def _wait_checked(tab, index: int, timeout_ms: float) -> float:
    """Wait until checkbox ``index`` is ticked; return how long that took, in seconds."""
    start = time.monotonic()
    tab.wait_for_function(
        "i => { const b = document.querySelectorAll('.widget-checkbox input[type=checkbox]')[i];"
        " return b && b.checked; }",
        arg=index,
        timeout=timeout_ms,
    )
    return time.monotonic() - start


def test_two_tabs_and_a_separate_kernel_see_each_others_changes_without_reload(live_server, watched_page, browser):
    first_tab = watched_page.page
    second_tab = first_tab.context.new_page()
    open_page(first_tab, live_server.url(CHECKLIST_PAGE))
    open_page(second_tab, live_server.url(CHECKLIST_PAGE))
    assert not _boxes(second_tab).nth(0).is_checked()

    _boxes(first_tab).nth(0).click()  # tab one
    assert _wait_checked(second_tab, 0, 4_000) < 2.5  # shown in tab two, no reload

    from coderpath_widgets.content.dataset import load_dataset

    second_item = load_dataset().checklist("skills")[1].id
    _kernel_side(
        live_server.home,
        (  # a JupyterLab kernel ticks the second item
            "from coderpath_widgets import show_checklist\n"
            f"w = show_checklist('skills'); w.checkboxes[{second_item!r}].value = True"
        ),
    )
    assert _wait_checked(first_tab, 1, 4_000) < 2.5
    assert _wait_checked(second_tab, 1, 4_000) < 2.5
    screenshot(second_tab, "progress-live-second-tab")
    watched_page.assert_clean()


def test_a_note_typed_without_enter_survives_a_reload_within_a_second(live_server, watched_page):
    tab = watched_page.page
    open_page(tab, live_server.url(CHECKLIST_PAGE))
    note = tab.locator(".widget-text input").nth(2)
    note.click()
    note.press_sequentially("typed 45 wpm, no Enter")
    tab.wait_for_timeout(700)  # less than a second after the last key, no Enter, no Tab
    tab.reload(wait_until="commit")
    wait_for_widgets(tab, 1)
    assert tab.locator(".widget-text input").nth(2).input_value() == "typed 45 wpm, no Enter"
    watched_page.assert_clean()


def test_a_stopped_server_shows_the_not_saved_banner_and_disables_the_controls(tmp_path, browser):
    folder = tmp_path / "pages"
    _write_checklist_notebook(folder)
    server = VoilaServer(folder, tmp_path / "home", name="progress-stopped").start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        open_page(tab, server.url(CHECKLIST_PAGE))
        assert tab.locator("#cp-connection-lost").count() == 0  # all well while the server runs
        tab.wait_for_timeout(2500)
        assert tab.locator("#cp-connection-lost").count() == 0  # no false alarm
        server.stop()
        stopped = time.monotonic()
        tab.wait_for_selector("#cp-connection-lost", timeout=15_000)
        assert time.monotonic() - stopped < 10
        assert tab.locator("#cp-connection-lost").inner_text() == BANNER
        assert tab.locator("#cp-connection-lost").get_attribute("role") == "alert"
        assert _boxes(tab).nth(0).is_disabled()
        assert tab.locator(".widget-text input").nth(0).is_disabled()
        screenshot(tab, "progress-server-stopped-banner")
    finally:
        context.close()
        server.stop()


def _kernel_processes(server: VoilaServer) -> list:
    import psutil

    assert server.process is not None
    children = psutil.Process(server.process.pid).children(recursive=True)
    return [p for p in children if "ipykernel" in " ".join(p.cmdline())]


def test_a_kernel_that_dies_under_an_open_page_shows_the_not_saved_banner(tmp_path, browser):
    folder = tmp_path / "pages"
    _write_checklist_notebook(folder)
    server = VoilaServer(folder, tmp_path / "home", name="progress-kernel-died").start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        open_page(tab, server.url(CHECKLIST_PAGE))
        tab.wait_for_timeout(1500)
        assert tab.locator("#cp-connection-lost").count() == 0  # no false alarm while the kernel lives
        kernels = _kernel_processes(server)
        assert kernels, "the page's kernel was not found among the server's processes"
        for kernel in kernels:  # the kernel crashes; the server may start an empty one in its place
            kernel.kill()
        tab.wait_for_selector("#cp-connection-lost", timeout=20_000)
        assert tab.locator("#cp-connection-lost").inner_text() == BANNER
        assert _boxes(tab).nth(0).is_disabled()
        screenshot(tab, "progress-kernel-died-banner")
    finally:
        context.close()
        server.stop()
