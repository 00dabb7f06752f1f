"""JupyterLab's "Render with Voilà" preview is as clean as the dashboard: the coderpath template, in Chromium.

JupyterLab is started as ``coderpath lab`` starts it (on the learner's copy of the notebooks), from an empty
folder so no ``voila.json`` is read from the current directory: only the environment's defaults, which
``coderpath offline-jupyterlab`` (run by ``run.py``) or the wheel's data files put in ``PREFIX/etc/jupyter``.
The preview panel shows ``/voila/render/<notebook>`` of the Jupyter server (Voilà's server extension) in an
iframe; the test opens that address in a tab and counts requests to other computers and console errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytest.register_assert_rewrite("voila_harness")

pytest_plugins = ["voila_harness"]  # the session's Chromium (browser fixture)

from voila_harness import (  # noqa: E402
    LOGS_DIR,
    collect_console_errors,
    collect_external_requests,
    open_page,
)

from coderpath_widgets.app import server as dashboard_server  # noqa: E402
from coderpath_widgets.app.jupyter_setup import install_voila_defaults  # noqa: E402
from coderpath_widgets.app.workbook import lab_command, sync_workbook  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.voila, pytest.mark.slow]

PAGES = ["01-develop-your-skills.ipynb", "07-dashboard.ipynb"]


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    install_voila_defaults()  # what run.py does after installing (idempotent)
    folder = tmp_path_factory.mktemp("learner") / "coderpath-workbook"
    sync_workbook(folder)
    elsewhere = tmp_path_factory.mktemp("cwd")
    port, token = dashboard_server.free_port(), dashboard_server.new_token()
    env = dict(os.environ, CODERPATH_HOME=str(tmp_path_factory.mktemp("home")), JUPYTER_TOKEN=token)
    env.pop("JUPYTERHUB_USER", None)
    env.pop("JUPYTER_PATH", None)
    LOGS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOGS_DIR / "jupyterlab-preview.log"
    root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # containers run as root
    command = lab_command(folder, ["--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", *root])
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, cwd=elsewhere, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_lab(base, token, process, log_path)
        yield base, token
    finally:
        dashboard_server.stop_process(process)


def _wait_for_lab(base: str, token: str, process: subprocess.Popen, log_path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log_path.read_text(errors="replace")[-3000:]
        try:
            with urllib.request.urlopen(f"{base}api/status?token={token}", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    log = log_path.read_text(errors="replace")[-3000:]
    raise AssertionError(f"JupyterLab did not answer within {timeout} s:\n{log}")


@pytest.mark.parametrize("notebook", PAGES)
def test_voila_preview_in_jupyterlab_makes_no_outside_request_and_no_console_error(jupyter_lab, browser, notebook):
    base, token = jupyter_lab
    # the session's one Chromium (voila_harness.browser): a second sync Playwright in this thread would refuse
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors, external = collect_console_errors(page), collect_external_requests(page)
        widgets = open_page(page, f"{base}voila/render/{notebook}?token={token}")
        html = page.content()
        page.wait_for_timeout(1000)  # late requests (fonts, icons) after the widgets show
    finally:
        context.close()
    assert widgets > 0, f"{notebook}: no widget in the preview"
    assert "cdn.jsdelivr.net" not in html, "the preview uses Voilà's stock template, not coderpath's"
    assert external == [], f"{notebook}: requests to other computers: {external}"
    assert errors == [], f"{notebook}: console errors: {errors}"


def test_the_preview_hides_code_as_the_dashboard_does(jupyter_lab):
    base, token = jupyter_lab
    with urllib.request.urlopen(f"{base}voila/render/07-dashboard.ipynb?token={token}", timeout=300) as response:
        html = response.read().decode("utf-8")
    assert "show_dashboard" not in html, "strip_sources is not applied in the preview"
    assert sys.executable  # the lab runs with this environment's Python (lab_command)
