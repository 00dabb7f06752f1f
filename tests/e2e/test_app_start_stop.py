"""`coderpath dashboard` as a learner starts and stops it: the address and one tip, then a clean Ctrl+C.

Ctrl+C in a terminal sends SIGINT to the whole foreground process group; the test starts the command in a
group of its own and sends SIGINT to that group, as the terminal would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from coderpath_widgets.app import server

pytestmark = [pytest.mark.voila, pytest.mark.skipif(os.name != "posix", reason="process groups and SIGINT are POSIX")]


TOKEN = server.new_token()  # the dashboard uses a JUPYTER_TOKEN it is given, as JupyterLab does (issue 15)


def _start(tmp_path, port: int) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        CODERPATH_HOME=str(tmp_path / "home"),
        CODERPATH_PROFILE="start-stop",
        PYTHONUNBUFFERED="1",
        JUPYTER_TOKEN=TOKEN,
    )
    env.pop("JUPYTERHUB_USER", None)
    return subprocess.Popen(
        [sys.executable, "-m", "coderpath_widgets.app.cli", "dashboard", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )


def _visible_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_start_prints_the_address_and_one_tip_and_ctrl_c_stops_without_a_traceback(tmp_path):
    port = server.free_port()
    base_url = f"http://{server.HOST}:{port}/"
    process = _start(tmp_path, port)
    try:
        server.wait_until_serving(base_url, None, timeout=120)
        # Open two pages so that kernels start and run cells: their warnings would show now.
        for notebook in (server.START_PAGE, server.DASHBOARD_PAGE):
            with server.urllib.request.urlopen(
                server.with_token(server.page_url(base_url, notebook), TOKEN), timeout=120
            ) as response:
                assert response.status == 200
                response.read()
        time.sleep(3)  # the pre-heated kernels that replace the used ones start now
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=90)
    lines = _visible_lines(output)
    assert "Traceback" not in output, output
    assert not [line for line in lines if "WARNING" in line or "Warning" in line], output
    assert process.returncode == 0, output
    assert lines[0].endswith(server.with_token(base_url, TOKEN)), output
    assert lines[1].startswith("Tip:"), output
    assert lines[2:] == ["The dashboard has stopped."], output
    with socket.socket() as probe:  # nothing answers any more (a bind could still fail on TIME_WAIT)
        assert probe.connect_ex((server.HOST, port)) != 0, "Voilà still listens after Ctrl+C"
