"""Only the learner gets in (issue 15): the dashboard refuses what a web page elsewhere could send it.

Voilà runs exactly as ``coderpath dashboard`` runs it (tests/voila_harness.py), with a token for the run. Each
test tries one thing another site, another name for this machine, or the data could do, and checks that it is
refused and that no kernel started because of it.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import http.server
import json
import re
import threading
import time
import urllib.parse
from pathlib import Path

import nbformat
import pytest

pytest.register_assert_rewrite("voila_harness")

from voila_harness import REPO, VoilaServer, fetch, open_page, page_config  # noqa: E402

from coderpath_widgets.app import server as dashboard_server  # noqa: E402
from coderpath_widgets.content import loaders  # noqa: E402
from coderpath_widgets.content.models import TABLES  # noqa: E402

pytest_plugins = ["voila_harness"]
pytestmark = pytest.mark.voila

NOTEBOOK = "one-link.ipynb"
SLOW_NOTEBOOK = "06-slow-cell.ipynb"  # named like a page voila.json does not pre-heat: it runs on request
#: Voilà streams ``<script>window.voila_heartbeat()</script>`` while a cell runs longer than its keep-alive
#: timeout; the policy allows that one fixed script by its hash (and the template defines it as a no-op).
HEARTBEAT_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(b"window.voila_heartbeat()").digest()).decode() + "'"
#: A link a mischievous data row or learner note could carry; the page must never run it.
EVIL_LINK = "javascript:document.title='pwned'"
LINK_HTML = f'<a id="evil" href="{EVIL_LINK}">Open</a>'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("security")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# One link\n\nA page with a link that must not run."),
        nbformat.v4.new_code_cell(f"import ipywidgets as w\n\nw.HTML({LINK_HTML!r})"),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / NOTEBOOK)
    slow = nbformat.v4.new_notebook()
    slow.cells = [
        nbformat.v4.new_markdown_cell("# A slow cell"),
        nbformat.v4.new_code_cell(
            "import time\nimport ipywidgets as w\n\ntime.sleep(3)\nw.Checkbox(description='Done')"
        ),
    ]
    slow.metadata["kernelspec"] = notebook.metadata["kernelspec"]
    nbformat.write(slow, folder / SLOW_NOTEBOOK)
    # a 1 s keep-alive so the slow cell makes Voilà send its heartbeat script (the shipped setting is 10 s)
    keep_alive = ("--VoilaConfiguration.http_keep_alive_timeout=1",)
    home = tmp_path_factory.mktemp("security-home")
    with VoilaServer(folder, home, name="security", extra_args=keep_alive) as running:
        yield running


def request(server: VoilaServer, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    """One HTTP request without following redirects; returns (status, headers, body)."""
    connection = http.client.HTTPConnection(dashboard_server.HOST, server.port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def kernels_started(server: VoilaServer, settle: float = 4, timeout: float = 90) -> int:
    """How many kernels Voilà has started, once nothing has started for ``settle`` seconds (a page served
    before the test refills the pre-heated pool a moment later)."""
    deadline = time.monotonic() + timeout
    count, since = server.log_text().count("Kernel started:"), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = server.log_text().count("Kernel started:")
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= settle:
            break
    return count


def page_path(server: VoilaServer, token: bool = True) -> str:
    path = f"/voila/render/{NOTEBOOK}"
    return f"{path}?{urllib.parse.urlencode({'token': server.token})}" if token else path


def test_the_settings_file_keeps_the_protections_on():
    settings = json.loads((REPO / "voila.json").read_text(encoding="utf-8"))
    tornado = settings["Voila"]["tornado_settings"]
    assert settings["Voila"]["auto_token"] is True
    assert tornado["disable_check_xsrf"] is False and tornado["allow_remote_access"] is False
    assert tornado["allow_origin"] == "" and tornado["local_hostnames"] == ["localhost"]
    policy = dict(part.strip().split(" ", 1) for part in tornado["headers"]["Content-Security-Policy"].split(";"))
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["script-src"].split() == ["'self'", HEARTBEAT_HASH]  # this server's files, and Voilà's heartbeat


def test_a_request_without_the_token_is_refused_and_starts_no_kernel(server):
    before = kernels_started(server)
    for path in (page_path(server, token=False), page_path(server, token=False) + "?token=wrong"):
        status, headers, _ = request(server, "GET", path)
        assert status == 302 and headers["Location"].startswith("/login"), (path, status)
    status, _, body = request(server, "GET", "/voila/api/contents/")
    assert status == 403 and NOTEBOOK not in body
    assert kernels_started(server) == before, "a kernel started for a request without the token"


def test_the_token_opens_the_page(server):
    status, page = fetch(server.url(NOTEBOOK))
    assert status == 200 and "jupyter-config-data" in page


@pytest.mark.parametrize("host", ["evil.example", "rebind.attacker.example:8866", "192.168.1.20"])
def test_a_foreign_host_header_is_refused_even_with_the_token(server, host):
    before = kernels_started(server)
    status, _, _ = request(server, "GET", page_path(server), headers={"Host": host})
    assert status == 403
    assert kernels_started(server) == before


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_names_are_served(server, host):
    status, _, _ = request(server, "GET", page_path(server), headers={"Host": f"{host}:{server.port}"})
    assert status == 200


def login(server: VoilaServer) -> dict[str, str]:
    """The cookies a browser holds after opening the printed address: the login cookie and ``_xsrf``."""
    connection = http.client.HTTPConnection(dashboard_server.HOST, server.port, timeout=60)
    try:
        connection.request("GET", f"/?{urllib.parse.urlencode({'token': server.token})}")
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";", 1)[0]
                assert "samesite=strict" in value.lower(), value
    finally:
        connection.close()
    assert "_xsrf" in cookies and any(k.startswith("username-") for k in cookies), cookies
    return cookies


def open_kernel(server: VoilaServer, cookies: dict[str, str]) -> str:
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    status, _, page = request(server, "GET", page_path(server, token=False), headers={"Cookie": header})
    assert status == 200
    return page_config(page)["kernelId"]


def kernel_alive(server: VoilaServer, kernel_id: str) -> bool:
    status, _, _ = request(server, "GET", f"/api/kernels/{kernel_id}?{urllib.parse.urlencode({'token': server.token})}")
    return status == 200


def shutdown(server: VoilaServer, kernel_id: str, cookies: dict[str, str], origin: str | None, xsrf: str | None):
    headers = {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if origin:
        headers["Origin"] = origin
    body = urllib.parse.urlencode({"_xsrf": xsrf}).encode() if xsrf is not None else b""
    return request(server, "POST", f"/voila/api/shutdown/{kernel_id}", headers=headers, body=body)[0]


def test_xsrf_stays_on_and_a_shutdown_from_another_origin_is_refused(server):
    cookies = login(server)
    kernel_id = open_kernel(server, cookies)
    own_origin = f"http://{dashboard_server.HOST}:{server.port}"
    assert shutdown(server, kernel_id, cookies, own_origin, xsrf=None) == 403  # no _xsrf: refused
    assert shutdown(server, kernel_id, cookies, own_origin, xsrf="2|00|00|0") == 403  # a wrong one
    assert shutdown(server, kernel_id, cookies, "http://evil.example", xsrf=cookies["_xsrf"]) in (403, 404)
    assert kernel_alive(server, kernel_id)
    assert shutdown(server, kernel_id, cookies, own_origin, xsrf=cookies["_xsrf"]) == 204  # what the page sends
    assert not kernel_alive(server, kernel_id)


def test_a_websocket_from_another_origin_cannot_reach_a_kernel(server):
    import websocket

    cookies = login(server)
    kernel_id = open_kernel(server, cookies)
    url = f"ws://{dashboard_server.HOST}:{server.port}/api/kernels/{kernel_id}/channels"
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, cookie=cookie, origin="http://evil.example", timeout=30)
    assert refused.value.status_code in (403, 404)
    own = websocket.create_connection(
        url, cookie=cookie, origin=f"http://{dashboard_server.HOST}:{server.port}", timeout=30
    )
    own.close()


@pytest.mark.browser
def test_a_page_on_another_site_cannot_start_a_kernel_by_linking_to_a_page(server, browser, tmp_path):
    """The learner is logged in; a page on another site (here: http://localhost:<other port>) links to the
    dashboard. The login cookie is SameSite=Strict, so the click arrives without it and meets the login page."""
    context = browser.new_context()
    page = context.new_page()
    open_page(page, server.url(NOTEBOOK))  # the learner's own visit: the browser now holds the login cookie
    (tmp_path / "index.html").write_text(
        f'<a id="go" href="{server.base_url}voila/render/{NOTEBOOK}">free coding course</a>', encoding="utf-8"
    )
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        before = kernels_started(server)
        attacker = context.new_page()
        attacker.goto(f"http://localhost:{other.server_address[1]}/index.html")
        with attacker.expect_navigation():
            attacker.click("#go")
        assert "/login" in attacker.url, attacker.url
        assert kernels_started(server) == before, "a link on another site started a kernel"
    finally:
        other.shutdown()
        context.close()


@pytest.mark.browser
def test_a_javascript_link_does_not_run_when_clicked(server, watched_page):
    page = watched_page.page
    open_page(page, server.url(NOTEBOOK))
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    page.click("#evil")
    page.wait_for_timeout(1000)
    assert page.title() != "pwned"
    assert any("Content Security Policy" in text for text in violations), violations


def test_a_javascript_link_in_the_data_is_refused_by_validate():
    corpus = Path(__file__).resolve().parents[1] / "data" / "javascript-link.steps.csv"
    _, problems = loaders.read_rows(TABLES["steps"], corpus, "steps.csv")
    assert any(p.column == "notebook" and "javascript:" in p.message for p in problems)
    assert re.search(
        rf"script-src 'self' {re.escape(HEARTBEAT_HASH)};", (REPO / "voila.json").read_text(encoding="utf-8")
    )


@pytest.mark.browser
def test_a_cell_slower_than_the_keep_alive_leaves_no_console_error(server, watched_page):
    page = watched_page.page
    served = []
    page.on("response", lambda r: served.append(r) if SLOW_NOTEBOOK in r.url else None)
    open_page(page, server.url(SLOW_NOTEBOOK))
    page.get_by_text("Done").first.wait_for()
    assert any("window.voila_heartbeat()" in r.text() for r in served if r.request.resource_type == "document")
    watched_page.assert_clean()
