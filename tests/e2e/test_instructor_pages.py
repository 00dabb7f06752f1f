"""Instructors' pages under plain `voila` (the environment's defaults, no coderpath launcher): no CDN, widgets run.

`voila instructors/class-progress.ipynb` once requested Font Awesome from a CDN. Each page is served by the
`voila` command as an instructor types it, and its HTML may point at nothing beyond the server; the kernel's
widgets must render (no cell error).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.voila

ROOT = Path(__file__).resolve().parents[2]
ENV_BIN = Path(sys.executable).parent
#: what a page loads (a plain <a href> link to a website loads nothing): scripts, styles, images, frames, fonts
EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)[^"'\s>]*"""
    r"""|url\(\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)[^)]*""",
    re.IGNORECASE,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("notebook", ["class-progress.ipynb", "item-analysis.ipynb"])
def test_plain_voila_serves_the_instructor_page_without_a_cdn(notebook, tmp_path):
    port = free_port()
    env = dict(
        os.environ,
        CODERPATH_HOME=str(tmp_path / "home"),
        CODERPATH_COURSE=str(tmp_path),
        CODERPATH_CLASS_EXPORTS=str(tmp_path),
    )
    log = (tmp_path / "voila.log").open("w")
    process = subprocess.Popen(
        [str(ENV_BIN / "voila"), str(ROOT / "instructors" / notebook), "--no-browser", f"--port={port}"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline, page = time.monotonic() + 180, None
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "voila.log").read_text()
            token = re.search(rf"127\.0\.0\.1:{port}/\?token=(\w+)", (tmp_path / "voila.log").read_text())
            if token is None:  # Voilà prints its address with the token once it listens
                time.sleep(0.5)
                continue
            page = requests.get(f"http://127.0.0.1:{port}/?token={token.group(1)}", timeout=120)
            break
        assert page is not None and page.status_code == 200
        html = page.text
        assert EXTERNAL.findall(html) == [], EXTERNAL.findall(html)
        assert "font-awesome" not in html.lower() and "cdnjs" not in html and "jsdelivr" not in html
        assert "application/vnd.jupyter.widget-view+json" in html  # the widget rendered
        assert "Traceback" not in html and "could not be shown" not in html  # no cell failed
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
