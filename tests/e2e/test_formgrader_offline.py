"""The instructor's formgrader in a real browser makes no request beyond this computer, MathJax included.

A fresh `coderpath course init` copy with step 1 generated and one submission in the gradebook (its notebook
placed in ``autograded/`` as autograde leaves it; the page under test renders it, it does not grade it). A
Jupyter server runs in the course folder as `coderpath course lab` starts it, and Chromium opens the formgrader's
pages: assignments, gradebook, students, and the grading page of the submission, which loads MathJax. Every
request must stay on 127.0.0.1, and MathJax must come from the server (jupyter-server-mathjax).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytest_plugins = ["voila_harness"]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.nbgrader,
    pytest.mark.filterwarnings("ignore::nbformat.warnings.MissingIDFieldWarning"),
    pytest.mark.filterwarnings("ignore:Object of type <Submitted:sqlalchemy.exc.SAWarning"),
]

ENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def formgrader(tmp_path_factory, browser):
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    from coderpath_widgets.app.course import init_course, lab_command

    tmp = tmp_path_factory.mktemp("formgrader")
    course, home = tmp / "course", tmp / "home"
    init_course(course)
    home.mkdir()
    env = dict(
        os.environ,
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        CODERPATH_HOME=str(home / "cp"),
        PATH=os.pathsep.join([str(ENV_BIN), os.environ.get("PATH", "")]),
    )
    with pytest.MonkeyPatch.context() as patch:
        for key in ("HOME", "JUPYTER_CONFIG_DIR", "PATH"):
            patch.setenv(key, env[key])
        patch.chdir(course)
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
        api = NbGraderAPI(config=config, coursedir=CourseDirectory(config=config))
        result = api.generate_assignment("step1-skills")
        assert result["success"], result.get("error")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        gradebook.add_student("ada", first_name="Ada", last_name="Lovelace")
        submission_id = gradebook.add_submission("step1-skills", "ada").notebooks[0].id
    graded = course / "autograded" / "ada" / "step1-skills"
    graded.mkdir(parents=True)
    shutil.copy(course / "release" / "step1-skills" / "step1-skills.ipynb", graded / "step1-skills.ipynb")

    port, token = free_port(), secrets.token_hex(16)
    command = [
        *lab_command(course),
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        "--ServerApp.allow_root=True",
    ]
    log = (tmp / "lab.log").open("w")
    process = subprocess.Popen(command, cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/api/status?token={token}", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert process.poll() is None, (tmp / "lab.log").read_text()
            time.sleep(0.5)
        else:
            raise AssertionError("JupyterLab did not start:\n" + (tmp / "lab.log").read_text())
        yield base, token, submission_id
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_formgrader_pages_make_no_external_requests_and_load_local_mathjax(formgrader, watched_page):
    base, token, submission_id = formgrader
    page = watched_page.page
    loaded: list[tuple[int, str]] = []
    page.on("response", lambda response: loaded.append((response.status, response.url)))
    page.goto(f"{base}/formgrader?token={token}", wait_until="networkidle", timeout=120_000)
    assert "step1-skills" in page.content()  # started in the course folder, the formgrader finds the course
    for path in ("/formgrader/gradebook", "/formgrader/manage_students", f"/formgrader/submissions/{submission_id}/"):
        response = page.goto(base + path, wait_until="networkidle", timeout=120_000)
        assert response is not None and response.status == 200, path
    page.wait_for_function("() => window.MathJax !== undefined && window.MathJax.Hub !== undefined", timeout=60_000)
    assert watched_page.external_requests == [], watched_page.external_requests
    assert any(status == 200 and "/static/jupyter_server_mathjax/MathJax.js" in url for status, url in loaded), loaded
