"""Every notebook renders under Voilà, as ``coderpath dashboard`` serves it, over plain HTTP.

A page must answer 200, show its headings, show no code and no error, and load nothing from another
computer. The settings behind that (voila.json, jupyter-config/voila.json, the ``coderpath`` template)
are checked here too: code cannot be run from a page, only the lab extensions the pages need are
loaded, and a pre-heated page reads learner state when it is opened, not when its kernel started.
"""

from __future__ import annotations

import html
import inspect
import json
import os
import time
import uuid
from pathlib import Path

import nbformat
import pytest

pytest.register_assert_rewrite("voila_harness")  # before the import, so its asserts explain themselves

from voila_harness import (  # noqa: E402
    NOTEBOOKS_DIR,
    REPO,
    VOILA_CELL_ERROR,
    VoilaServer,
    code_lines,
    fetch,
    h1_texts,
    non_local,
    page_config,
    page_h1_texts,
    plain_heading,
    resource_urls,
    step_notebooks,
    write_checkbox_notebook,
)

from coderpath_widgets.app import server as dashboard_server  # noqa: E402
from coderpath_widgets.progress import store  # noqa: E402

#: The fixtures (voila_server, ...) live in tests/voila_harness.py.
pytest_plugins = ["voila_harness"]

#: The lab extensions a page may load: Voilà's widget manager and the ipywidgets controls.
ALLOWED_EXTENSIONS = {"@voila-dashboards/widgets-manager8", "@jupyter-widgets/jupyterlab-manager"}

# Collected from the files present; without notebooks yet, the session server serves a generated one.
PAGES = [p.name for p in step_notebooks()] or ["00-one-checkbox.ipynb"]


def _settings() -> dict:
    return json.loads((REPO / "voila.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ the files, without a server


def test_voila_settings_are_files_found_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = dashboard_server.workbook_root()
    assert root == REPO
    command = dashboard_server.voila_command(NOTEBOOKS_DIR, port=9999)
    assert f"--Voila.config_file_paths={REPO / 'jupyter-config'}" in command
    assert f"--Voila.config_file_paths={REPO}" in command
    assert command.index(f"--Voila.config_file_paths={REPO / 'jupyter-config'}") < command.index(
        f"--Voila.config_file_paths={REPO}"
    ), "jupyter-config/ must come first: the first path wins"
    env = dashboard_server.voila_environment(base={"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(REPO / "share" / "jupyter"), "/elsewhere"]


def test_voila_json_hides_code_and_loads_only_the_needed_extensions():
    settings = _settings()["VoilaConfiguration"]
    assert settings["strip_sources"] is True
    assert settings["show_tracebacks"] is False
    assert settings["theme"] == "light"
    assert set(settings["extension_allowlist"]) == ALLOWED_EXTENSIONS
    assert "template" not in settings, "the template needs JUPYTER_PATH: name it in jupyter-config/voila.json only"


def test_kernels_are_preheated_only_if_the_store_waits_for_the_page():
    """A pre-heated page runs before anyone opens it: it would show progress as old as its kernel
    unless reading the store waits for the visit (see test_preheated_page_reads_learner_state_when_opened)."""
    preheat = _settings()["VoilaConfiguration"].get("preheat_kernel", False)
    waits = "wait_for_page_request" in inspect.getsource(store.get_store)
    assert waits or not preheat, (
        "voila.json pre-heats kernels, but store.get_store() does not call wait_for_page_request()"
    )


def test_baseline_notebook_is_committed_without_outputs():
    notebook = nbformat.read(REPO / "benchmarks" / "baseline-one-checkbox.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert "widgets" not in notebook.metadata


# ------------------------------------------------------------------ each page over HTTP


@pytest.mark.voila
@pytest.mark.parametrize("notebook", PAGES)
def test_page_renders_headings_without_code_errors_or_remote_resources(voila_server, notebook):
    status, page = fetch(voila_server.url(notebook))
    assert status == 200, voila_server.log_tail()
    source = voila_server.notebooks_dir / notebook
    shown = page_h1_texts(page)
    for heading in h1_texts(source):
        assert plain_heading(heading) in shown, f"heading {heading!r} missing; the page shows {shown}"
    leaked = [line for line in code_lines(source) if line in page or html.escape(line) in page]
    assert leaked == [], f"code shown in the page: {leaked}"
    assert "from coderpath_widgets import" not in page
    assert VOILA_CELL_ERROR not in page, f"a cell failed under Voilà:\n{voila_server.log_tail()}"
    assert non_local(resource_urls(page)) == []


@pytest.mark.voila
def test_the_address_alone_opens_the_start_page_with_nothing_remote(voila_server):
    status, page = fetch(voila_server.authenticated(voila_server.base_url))
    assert status == 200
    assert 'http-equiv="refresh" content="0; url=/voila/render/00-start-here.ipynb"' in page
    assert "Select items to open" not in page  # not Voilà's list of files
    assert non_local(resource_urls(page)) == []


@pytest.mark.voila
def test_missing_page_is_a_plain_404_without_remote_resources(voila_server):
    status, page = fetch(voila_server.url("no-such-step.ipynb"))
    assert status == 404
    assert non_local(resource_urls(page)) == []


@pytest.mark.voila
def test_pages_load_only_the_allowed_lab_extensions(voila_server):
    """nbgrader's lab extension (installed on purpose) and any a learner adds must stay out of the pages."""
    from jupyterlab_server.config import get_federated_extensions
    from voila.utils import get_voila_labextensions_path

    installed = set(get_federated_extensions(get_voila_labextensions_path()))
    _, page = fetch(voila_server.url(PAGES[0]))
    loaded = {extension["name"] for extension in page_config(page)["federated_extensions"]}
    assert loaded == ALLOWED_EXTENSIONS, f"installed: {sorted(installed)}"


@pytest.mark.voila
def test_pages_name_no_mathjax_url_even_when_the_server_sets_one(tmp_path):
    """The coderpath template empties the page config's MathJax URL, so pages typeset with Voilà's bundled
    MathJax 3. Here the server names cdnjs, as Voilà's default does where jupyter-server-mathjax is missing."""
    write_checkbox_notebook(tmp_path / "pages" / "one-checkbox.ipynb")
    cdn = (
        "--Voila.mathjax_url=https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/latest.min.js",
        "--Voila.mathjax_config=TeX-AMS_CHTML-full,Safe",
    )
    with VoilaServer(tmp_path / "pages", tmp_path / "home", name="mathjax-url", extra_args=cdn) as server:
        status, page = fetch(server.url("one-checkbox.ipynb"))
    assert status == 200, page[:500]
    config = page_config(page)
    assert (config.get("fullMathjaxUrl"), config.get("mathjaxConfig")) == (None, None)
    assert "cdnjs" not in page and non_local(resource_urls(page)) == []


@pytest.mark.voila
def test_a_page_cannot_run_code_sent_over_its_kernel_connection(voila_server, tmp_path):
    """Voilà lets a page talk to its kernel only in widget messages: an execute_request is dropped."""
    import websocket  # websocket-client, declared in the test extra

    _, page = fetch(voila_server.url(PAGES[0]))
    kernel_id = page_config(page)["kernelId"]
    marker = tmp_path / "executed"
    connection = websocket.create_connection(
        voila_server.authenticated(f"ws://127.0.0.1:{voila_server.port}/api/kernels/{kernel_id}/channels"), timeout=10
    )
    try:
        connection.send(json.dumps(_message("kernel_info_request", {})))
        connection.send(json.dumps(_message("execute_request", _execute(f"open({str(marker)!r}, 'w').close()"))))
        replies = _receive_for(connection, seconds=5)
    finally:
        connection.close()
    assert "kernel_info_reply" in replies, "the kernel did not answer at all, so the test proves nothing"
    assert "execute_reply" not in replies and "execute_input" not in replies
    assert not marker.exists()


def _message(msg_type: str, content: dict) -> dict:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": uuid.uuid4().hex,
        "username": "test",
        "version": "5.3",
        "date": "",
    }
    return {
        "header": header,
        "parent_header": {},
        "metadata": {},
        "content": content,
        "buffers": [],
        "channel": "shell",
    }


def _execute(code: str) -> dict:
    return {
        "code": code,
        "silent": False,
        "store_history": False,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }


def _receive_for(connection, seconds: float) -> list[str]:
    """The types of the messages that arrive within ``seconds``."""
    import websocket

    types: list[str] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        connection.settimeout(left)
        try:
            raw = connection.recv()
        except websocket.WebSocketTimeoutException:
            break
        if isinstance(raw, str):
            types.append(json.loads(raw)["header"]["msg_type"])
    return types


# ------------------------------------------------------------------ pre-heated kernels and learner state


@pytest.mark.voila
def test_preheated_page_reads_learner_state_when_opened(tmp_path):
    """Voilà runs each notebook before anyone opens it. ``wait_for_page_request()`` holds the reading of
    learner state until the page is opened; without it a page shows state as old as its kernel.
    The notebooks read $CODERPATH_HOME, so this also shows that pre-heated kernels get the server's environment.
    """
    folder, home = tmp_path / "notebooks", tmp_path / "home"
    home.mkdir()
    (home / "state.txt").write_text("before", encoding="utf-8")
    _write_state_notebook(folder / "reads-at-start.ipynb", wait=False)
    _write_state_notebook(folder / "reads-when-opened.ipynb", wait=True)
    preheat = ("--VoilaConfiguration.preheat_kernel=True", "--VoilaConfiguration.default_pool_size=1")
    with VoilaServer(folder, home, name="preheat", extra_args=preheat) as server:
        deadline = time.monotonic() + 120
        while not all((home / f"{name}.ready").exists() for name in ("reads-at-start", "reads-when-opened")):
            assert time.monotonic() < deadline, server.log_tail()
            time.sleep(0.2)
        time.sleep(0.5)
        (home / "state.txt").write_text("after", encoding="utf-8")  # e.g. a tick made on another page
        _, fresh = fetch(server.url("reads-when-opened.ipynb"))
        _, stale = fetch(server.url("reads-at-start.ipynb"))
    assert "state=after" in fresh
    assert "state=before" in stale, "Voilà no longer runs pre-heated notebooks ahead: wait_for_page_request may be moot"


def _write_state_notebook(path: Path, wait: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    read = (
        "home = pathlib.Path(os.environ['CODERPATH_HOME'])\n"
        f"(home / '{path.stem}.ready').touch()\n"
        + ("preheat.wait_for_page_request()\n" if wait else "")
        + "print('state=' + (home / 'state.txt').read_text())"
    )
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# {path.stem}"),
        nbformat.v4.new_code_cell("import os, pathlib\nfrom coderpath_widgets.progress import preheat"),
        nbformat.v4.new_code_cell(read),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


def test_generated_checkbox_notebook_has_a_heading(tmp_path):
    path = write_checkbox_notebook(tmp_path / "one.ipynb", title="Tick me")
    assert h1_texts(path) == ["Tick me"]
