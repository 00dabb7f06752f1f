"""A class on one machine: deploy/jupyterhub_config.py serves three users, each with their own progress.

Starts a real JupyterHub on loopback (DummyAuthenticator, SimpleLocalProcessSpawner: processes as this OS
user, each user with a home under a tmp dir and its own $CODERPATH_HOME) behind configurable-http-proxy
from npm. Three users log in through the REST API; through the proxy, each opens the step 1 notebook that the
class config copied into their home, runs it in a kernel of *their* server over the kernel websocket, and
saves a value in the progress store. The test then reads the three stores from disk and checks they are
separate. It also checks what the class config promises: the course groups nbgrader's JupyterHubAuthPlugin
reads, Voilà in each user's server (math typeset in Chromium with nothing from another computer), students
without the formgrader, one user's token refused by another user's server, and an assignment's round trip
(formgrader release → student fetch and submit → collect → autograde) through the exchange at
$CODERPATH_EXCHANGE.

configurable-http-proxy is looked up on PATH, then in .venv/node (where `python3 run.py test` installs it
with npm). Without it the hub tests are skipped, except under CI=true, where they fail. When one fails, the
hub's log is copied to test-artifacts/hub-smoke.log.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
import requests
import websocket  # websocket-client, a jupyter_server dependency
import yaml

from coderpath_widgets.app.course import init_course
from coderpath_widgets.progress.store import ProgressStore

pytest.register_assert_rewrite("voila_harness")

pytest_plugins = ["voila_harness"]  # the session's Chromium (browser fixture)

from voila_harness import PageWatch, close_page, non_local, page_config, resource_urls  # noqa: E402

pytestmark = pytest.mark.hub

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NODE_BIN = ROOT / ".venv" / "node" / "node_modules" / ".bin"
ENV_BIN = Path(sys.executable).parent
STUDENTS = ["ada", "ben"]
INSTRUCTOR = "ines"
USERS = [*STUDENTS, INSTRUCTOR]
WAIT = 60  # seconds: the bound on every single wait below


def find_proxy() -> str | None:
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    local = NODE_BIN / "configurable-http-proxy"
    return str(local) if local.exists() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(what: str, check, timeout: float = WAIT, every: float = 0.2):
    """Call ``check`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except (requests.RequestException, OSError) as error:
            last_error, result = error, None
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last error: {last_error})")


# ---------------------------------------------------------------------------------------------- the hub


TEST_CONFIG = """
# The class config, then only what a test on loopback needs.
load_subconfig({deploy_config!r})

c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {state!r} + "/cookie_secret"
c.JupyterHub.pid_file = {state!r} + "/jupyterhub.pid"
c.JupyterHub.tornado_settings = {{"slow_spawn_timeout": 0}}  # POST .../server returns at once; we poll
c.Spawner.start_timeout = {wait}
c.Spawner.http_timeout = {wait}
if {as_root!r}:
    c.Spawner.args = ["--allow-root"]  # containers often run tests as root; real users never are

# Each user's progress store in their own folder, named after them.
c.Spawner.environment["CODERPATH_HOME"] = lambda spawner: {homes!r} + "/" + spawner.user.name + "/coderpath-home"

# The test drives the hub as a service with an admin token.
c.JupyterHub.services.append({{"name": "smoke-test", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{
    "name": "smoke-test",
    "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users", "list:groups", "read:groups"],
    "services": ["smoke-test"],
}})
"""


INSTRUCTOR_NBGRADER_CONFIG = """
c = get_config()
c.CourseDirectory.root = "{course}"
load_subconfig("{course}/nbgrader_config.py")
"""


class Hub:
    def __init__(self, url: str, token: str, homes: Path):
        self.url = url
        self.token = token
        self.homes = homes

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token or self.token}"}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=WAIT, **kwargs)

    def user_api(self, user: str, token: str, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token}"}
        return requests.request(method, f"{self.url}/user/{user}{path}", headers=headers, timeout=WAIT, **kwargs)


def our_processes(root: Path) -> list[int]:
    """PIDs of processes whose working directory is inside ``root`` (user servers and kernels we started)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if cwd == root or root in cwd.parents:
            pids.append(int(entry.name))
    return pids


def user_footprint(home: Path) -> dict:
    """Resident memory (MB, RSS summed) and CPU time (s, user + system) of one user's server and kernels.

    The processes are those working inside the user's home (:func:`our_processes`). deploy/README.md sizes
    hub nodes from these figures; the test prints them.
    """
    import psutil

    rss = cpu = 0.0
    count = 0
    for pid in our_processes(home):
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            rss += process.memory_info().rss
            cpu += sum(process.cpu_times()[:2])
            count += 1
    return {"processes": count, "rss_mb": round(rss / 2**20), "cpu_s": round(cpu, 1)}


@pytest.fixture(scope="module")
def hub(tmp_path_factory, request) -> Iterator[Hub]:
    proxy = find_proxy()
    if proxy is None:
        message = (
            "configurable-http-proxy not found on PATH or in .venv/node "
            "(npm install --prefix .venv/node configurable-http-proxy@5)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    tmp = tmp_path_factory.mktemp("hub")
    state, homes, exchange = tmp / "state", tmp / "homes", tmp / "exchange"
    for folder in (state, homes):
        folder.mkdir()
    # The instructor's private copy of the course (sources and settings only, never anyone's gradebook or
    # submissions: `coderpath course init`) and ~/.jupyter/nbgrader_config.py, as docs/instructors.md says.
    instructor_home = homes / INSTRUCTOR
    init_course(instructor_home / "course")
    assert not (instructor_home / "course" / "gradebook.db").exists()
    (instructor_home / ".jupyter").mkdir()
    (instructor_home / ".jupyter" / "nbgrader_config.py").write_text(
        INSTRUCTOR_NBGRADER_CONFIG.format(course=instructor_home / "course")
    )
    port, hub_port, proxy_api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(32)
    config = state / "jupyterhub_config.py"
    config.write_text(
        TEST_CONFIG.format(
            deploy_config=str(DEPLOY / "jupyterhub_config.py"),
            homes=str(homes),
            state=str(state),
            port=port,
            hub_port=hub_port,
            proxy_api_port=proxy_api_port,
            proxy=proxy,
            token=token,
            wait=WAIT,
            as_root=os.geteuid() == 0,
        )
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CODERPATH_", "JUPYTER", "PYTEST_"))}
    env.update(
        PATH=os.pathsep.join([str(ENV_BIN), str(Path(proxy).parent), os.environ.get("PATH", "")]),
        CODERPATH_INSTRUCTORS=INSTRUCTOR,
        CODERPATH_STUDENTS=",".join(STUDENTS),
        CODERPATH_EXCHANGE=str(exchange),
    )
    log = (state / "jupyterhub.log").open("w")
    process = subprocess.Popen(
        [str(ENV_BIN / "jupyterhub"), "-f", str(config)],
        cwd=state,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    running = Hub(f"http://127.0.0.1:{port}", token, homes)
    failures_before = request.session.testsfailed
    try:
        wait_until(
            "the hub to answer through the proxy",
            lambda: process.poll() is None and running.api("GET", "/").ok or process.poll() is not None,
        )
        assert process.poll() is None, "JupyterHub exited:\n" + (state / "jupyterhub.log").read_text()[-3000:]
        yield running
    finally:
        with contextlib.suppress(requests.RequestException):
            for user in USERS:
                running.api("DELETE", f"/users/{user}/server")
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the hub stops the users' servers and the proxy
            try:
                process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for pid in our_processes(homes):  # anything left behind in the users' homes
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        log.close()
        if request.session.testsfailed > failures_before:
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            shutil.copy(state / "jupyterhub.log", ROOT / "test-artifacts" / "hub-smoke.log")


def start_servers(hub: Hub, users: list[str]) -> dict[str, str]:
    """Log ``users`` in through the REST API (a token of their own each) and start their servers together;
    return the tokens once every server is ready."""
    tokens = {}
    for user in users:
        made = hub.api("POST", f"/users/{user}/tokens", json={"note": "smoke test", "expires_in": 600})
        assert made.status_code == 201, made.text
        tokens[user] = made.json()["token"]
        spawn = hub.api("POST", f"/users/{user}/server")
        assert spawn.status_code in (201, 202, 400), spawn.text  # 400: already running
    for user in users:
        wait_until(
            f"{user}'s server to be ready",
            lambda user=user: hub.api("GET", f"/users/{user}").json()["servers"].get("", {}).get("ready"),
        )
    return tokens


# ------------------------------------------------------------------------------------- kernel messaging


def execute(channel: websocket.WebSocket, session: str, code: str, timeout: float = WAIT) -> str:
    """Run ``code`` in the kernel behind ``channel``; return its printed output, raise on an error."""
    msg_id = uuid.uuid4().hex
    channel.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "smoke-test",
                    "session": session,
                    "version": "5.3",
                    "date": "",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    deadline = time.monotonic() + timeout
    printed: list[str] = []
    reply = idle = None
    while reply is None or idle is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no reply within {timeout:.0f} s to:\n{code}")
        channel.settimeout(remaining)
        raw = channel.recv()
        if isinstance(raw, bytes):
            continue  # binary frames carry widget buffers, never our replies
        message = json.loads(raw)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            printed.append(content["text"])
        elif kind == "error":
            raise AssertionError(f"{content['ename']}: {content['evalue']} in:\n{code}")
        elif kind == "execute_reply":
            reply = content
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
    assert reply["status"] == "ok", reply
    return "".join(printed)


STORE_CELL = """
import os
from coderpath_widgets.progress.store import get_store
store = get_store()
store.set("hub-smoke", "marker", {marker!r})
print(json.dumps({{"home": os.environ["CODERPATH_HOME"], "db": str(store.path), "profile": store.profile}}))
"""

COURSES_CELL = """
from nbgrader.auth import JupyterHubAuthPlugin
print(json.dumps(sorted(JupyterHubAuthPlugin().get_student_courses("*"))))
"""


@contextlib.contextmanager
def kernel(hub: Hub, user: str, token: str, path: str | None = None):
    """A kernel in ``user``'s server (for notebook ``path`` if given); yields ``run(code) -> printed text``."""
    if path:
        body = {"path": path, "name": path, "type": "notebook", "kernel": {"name": "python3"}}
        made = hub.user_api(user, token, "POST", "/api/sessions", json=body)
        assert made.status_code == 201, made.text
        kernel_id, cleanup = made.json()["kernel"]["id"], f"/api/sessions/{made.json()['id']}"
    else:
        made = hub.user_api(user, token, "POST", "/api/kernels", json={"name": "python3"})
        assert made.status_code == 201, made.text
        kernel_id = made.json()["id"]
        cleanup = f"/api/kernels/{kernel_id}"
    session = uuid.uuid4().hex
    ws_url = hub.url.replace("http", "ws", 1) + f"/user/{user}/api/kernels/{kernel_id}/channels?session_id={session}"
    channel = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=WAIT)
    try:
        yield lambda code: execute(channel, session, code)
    finally:
        channel.close()
        hub.user_api(user, token, "DELETE", cleanup)


def step1_notebook() -> str | None:
    """The step 1 notebook's name (its checklist saves progress), if the workbook has one."""
    found = sorted((ROOT / "notebooks").glob("01-*.ipynb"))
    return found[0].name if found else None


def run_in_server(hub: Hub, user: str, token: str, marker: str) -> dict:
    """Open the step 1 notebook in ``user``'s server and run it there, then save ``marker`` in their progress.

    The class config copied the workbook into ~/coderpath-workbook before the server started; without a workbook
    (an early checkout) a stand-in notebook that imports the package is uploaded instead."""
    name = step1_notebook()
    if name:
        path = f"coderpath-workbook/{name}"
    else:
        path = "smoke.ipynb"
        stand_in = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import coderpath_widgets")])
        put = hub.user_api(user, token, "PUT", f"/api/contents/{path}", json={"type": "notebook", "content": stand_in})
        assert put.status_code in (200, 201), put.text
    opened = hub.user_api(user, token, "GET", f"/api/contents/{path}")
    assert opened.status_code == 200, opened.text
    cells = [cell["source"] for cell in opened.json()["content"]["cells"] if cell["cell_type"] == "code"]
    cells.append(STORE_CELL.format(marker=marker))

    with kernel(hub, user, token, path) as run:
        run("import json")
        printed = ""
        for source in cells:
            printed = run(source)
        report = json.loads(printed.strip().splitlines()[-1])
        report["courses"] = json.loads(run(COURSES_CELL).strip().splitlines()[-1])
        report["footprint"] = user_footprint(hub.homes / user)  # the server and the step's kernel, running
    return report


# ------------------------------------------------------------------------------------------------ tests


def test_three_users_each_run_the_workbook_with_their_own_progress(hub):
    started = time.monotonic()
    groups = {g["name"]: sorted(g["users"]) for g in hub.api("GET", "/groups").json()}
    assert groups["nbgrader-coderpath"] == STUDENTS
    assert groups["formgrade-coderpath"] == [INSTRUCTOR]

    tokens = start_servers(hub, USERS)  # the users exist (config); each logs in and starts a server

    markers = {user: f"{user}-{secrets.token_hex(4)}" for user in USERS}
    with ThreadPoolExecutor(len(USERS)) as pool:  # the three users work at the same time
        running = {user: pool.submit(run_in_server, hub, user, tokens[user], markers[user]) for user in USERS}
        reports = {user: future.result(timeout=3 * WAIT) for user, future in running.items()}

    # Each server ran with its own CODERPATH_HOME, its own profile, and the course from its hub group.
    for user, report in reports.items():
        if step1_notebook():
            assert (hub.homes / user / "coderpath-workbook" / step1_notebook()).exists()  # copied by the class config
        assert report["home"] == str(hub.homes / user / "coderpath-home")
        assert Path(report["db"]).parent == Path(report["home"])
        assert report["profile"] == user
        assert report["courses"] == ["coderpath"]
    databases = {Path(report["db"]) for report in reports.values()}
    assert len(databases) == 3

    # Read back from disk: each store holds exactly its own user's value.
    for user in USERS:
        store = ProgressStore(Path(reports[user]["db"]), profile=user)
        try:
            assert store.items("hub-smoke") == {"marker": markers[user]}
            assert store.profiles() == [user]
        finally:
            store.close()

    # One user's token does not open another user's server.
    refused = hub.user_api("ben", tokens["ada"], "GET", "/api/contents", allow_redirects=False)
    assert refused.status_code == 403

    print(f"\nhub smoke: three servers started and notebooks executed in {time.monotonic() - started:.1f} s")
    for user in USERS:  # the figures behind deploy/README.md's node sizing
        working, idle = reports[user]["footprint"], user_footprint(hub.homes / user)
        print(
            f"hub smoke: {user}: server + step 1 kernel {working['processes']} processes {working['rss_mb']} MB, "
            f"{working['cpu_s']} CPU s since the server started; server alone, kernel stopped: {idle['rss_mb']} MB"
        )
        assert working["processes"] >= 2 and working["rss_mb"] > idle["rss_mb"] > 0, (working, idle)


def test_voila_and_the_formgrader_per_role(hub):
    tokens = start_servers(hub, ["ada", INSTRUCTOR])

    # Voilà is a server extension of every user's server.
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('voila-smoke-' + str(6 * 7))")])
    put = hub.user_api(
        "ada", tokens["ada"], "PUT", "/api/contents/voila-smoke.ipynb", json={"type": "notebook", "content": notebook}
    )
    assert put.status_code in (200, 201), put.text
    page = hub.user_api("ada", tokens["ada"], "GET", "/voila/render/voila-smoke.ipynb")
    assert page.status_code == 200, page.text[:500]
    assert "voila-smoke-42" in page.text
    # The workbook's Voilà settings apply on the hub too: code hidden, nothing from a CDN, no nbgrader in pages.
    assert "print('voila-smoke-'" not in page.text
    assert "cdn.jsdelivr" not in page.text and "fontawesome" not in page.text.lower()
    config = page_config(page.text)
    loaded = {extension["name"] for extension in config["federated_extensions"]}
    assert loaded <= {"@voila-dashboards/widgets-manager8", "@jupyter-widgets/jupyterlab-manager"}, loaded

    # Students get the Assignments tab but not the instructor tools; the instructor gets the formgrader.
    student_lab = hub.user_api("ada", tokens["ada"], "GET", "/lab").text
    instructor_lab = hub.user_api(INSTRUCTOR, tokens[INSTRUCTOR], "GET", "/lab").text
    assert "@jupyter/nbgrader:formgrader" in disabled_extensions(student_lab)
    assert "@jupyter/nbgrader:formgrader" not in disabled_extensions(instructor_lab)
    assert hub.user_api("ada", tokens["ada"], "GET", "/formgrader", allow_redirects=False).status_code == 404
    formgrader = hub.user_api(INSTRUCTOR, tokens[INSTRUCTOR], "GET", "/formgrader")
    assert formgrader.status_code == 200 and "/formgrader/" in formgrader.url, formgrader.url


MATH_NOTEBOOK = nbformat.v4.new_notebook(
    cells=[
        nbformat.v4.new_markdown_cell(
            "# Dosage\n\nA dose of $d = w \\times 15$ mg for a weight $w$ in kg, and the daily total:\n\n"
            "$$\\sum_{i=1}^{n} d_i \\le \\frac{4000}{w}$$"
        )
    ]
)


def test_voila_on_the_hub_typesets_math_with_nothing_from_another_computer(hub, browser):
    """A page with inline and display math in ada's Voilà, in Chromium through the proxy: the formulas are
    typeset by Voilà's bundled MathJax 3 (the coderpath template empties the page config's MathJax URL, which
    jupyter-server-mathjax would otherwise point at its MathJax 2), every request stays on 127.0.0.1, and the
    console stays clean."""
    tokens = start_servers(hub, ["ada"])
    body = {"type": "notebook", "content": MATH_NOTEBOOK}
    put = hub.user_api("ada", tokens["ada"], "PUT", "/api/contents/voila-math.ipynb", json=body)
    assert put.status_code in (200, 201), put.text

    served = hub.user_api("ada", tokens["ada"], "GET", "/voila/render/voila-math.ipynb")
    assert served.status_code == 200, served.text[:500]
    config = page_config(served.text)
    assert (config.get("fullMathjaxUrl"), config.get("mathjaxConfig")) == (None, None), config  # no URL, no CDN
    assert "MathJax.js" not in served.text and not non_local(resource_urls(served.text))

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, extra_http_headers={"Authorization": f"token {tokens['ada']}"}
    )
    try:
        watch = PageWatch(context.new_page())
        page = watch.page
        page.goto(f"{hub.url}/user/ada/voila/render/voila-math.ipynb", wait_until="load", timeout=WAIT * 1000)
        formulas = "() => document.querySelectorAll('mjx-container').length"
        page.wait_for_function(f"() => ({formulas})() >= 3", timeout=WAIT * 1000)  # two inline, one display
        page.wait_for_timeout(1000)  # late requests (fonts, MathJax's own modules) are counted too
        typeset = page.evaluate(formulas)
        displayed = page.evaluate("() => document.querySelectorAll('mjx-container[display=\"true\"]').length")
        watch.assert_clean()  # no console error, nothing beyond 127.0.0.1, no failed response
    finally:
        for open_tab in context.pages:
            close_page(open_tab)
        context.close()
    assert (typeset, displayed) == (3, 1)


def disabled_extensions(lab_html: str) -> set[str]:
    """The ``disabledExtensions`` of the page config JupyterLab embeds in its HTML."""
    start = lab_html.index('id="jupyter-config-data"')
    body = lab_html[lab_html.index(">", start) + 1 : lab_html.index("</script>", start)]
    disabled = json.loads(body).get("disabledExtensions", [])
    return {name for name in disabled if not isinstance(disabled, dict) or disabled[name]}


def test_kubernetes_values_parse():
    """deploy/z2jh-config.yaml is valid YAML with the parts the guide relies on (it is not deployed here)."""
    values = yaml.safe_load((DEPLOY / "z2jh-config.yaml").read_text())
    assert values["singleuser"]["image"]["name"]
    mounts = {m["mountPath"] for m in values["singleuser"]["storage"]["extraVolumeMounts"]}
    assert "/srv/nbgrader/exchange" in mounts
    assert values["singleuser"]["extraEnv"]["CODERPATH_EXCHANGE"] == "/srv/nbgrader/exchange"
    for name, code in values["hub"]["extraConfig"].items():
        compile(code, f"hub.extraConfig.{name}", "exec")
    claim = yaml.safe_load((DEPLOY / "k8s" / "nbgrader-exchange-pvc.yaml").read_text())
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    assert (
        claim["metadata"]["name"]
        == values["singleuser"]["storage"]["extraVolumes"][0]["persistentVolumeClaim"]["claimName"]
    )


STEP1_ANSWERS = {  # the right answers to the step 1 assignment (instructors/course/source/step1-skills)
    "q1-answer": 'answer_q1 = "B"',
    "q2-answer": 'answer_q2 = "C"',
    "q3-answer": 'answer_q3 = "A"',
    "code1-answer": 'answer_code_1 = "I10"',
}


def test_assignment_round_trip_through_the_hub(hub):
    """Release in the instructor's formgrader, fetch and submit in a student's Assignments tab, grade."""
    tokens = start_servers(hub, ["ada", INSTRUCTOR])

    def formgrader(method: str, path: str) -> dict:
        answer = hub.user_api(INSTRUCTOR, tokens[INSTRUCTOR], method, f"/formgrader/api{path}")
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert result.get("success", True), f"{path}: {result.get('error')}\n{result.get('log')}"
        return result

    def student(method: str, path: str, **kwargs) -> requests.Response:
        answer = hub.user_api("ada", tokens["ada"], method, path, **kwargs)
        assert answer.status_code in (200, 201), answer.text
        return answer

    course = {"course_id": "coderpath", "assignment_id": "step1-skills"}
    formgrader("POST", "/assignment/step1-skills/assign")
    formgrader("POST", "/assignment/step1-skills/release")

    listing = student("GET", "/assignments", params={"course_id": "coderpath"}).json()
    assert listing["success"], listing
    assert [(a["assignment_id"], a["status"]) for a in listing["value"]] == [("step1-skills", "released")]
    assert student("POST", "/assignments/fetch", data=course).json()["success"]

    path = "/api/contents/coderpath/step1-skills/step1-skills.ipynb"  # Exchange.path_includes_course
    notebook = student("GET", path).json()["content"]
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        cell["source"] = STEP1_ANSWERS.get(grade_id, cell["source"])
    student("PUT", path, json={"type": "notebook", "content": notebook})
    assert student("POST", "/assignments/submit", data=course).json()["success"]

    formgrader("POST", "/assignment/step1-skills/collect")
    formgrader("POST", "/submission/step1-skills/ada/autograde")
    graded = formgrader("GET", "/submission/step1-skills/ada")
    assert (graded["score"], graded["max_score"]) == (5.0, 8.0)  # the reflection waits for a human

    # `nbgrader db student add`, typed in the instructor's server, puts the student into the hub's course group
    # (JupyterHubAuthPlugin, with the server's own token). The formgrader's "Add student" does not (0.9.6).
    assert hub.api("POST", "/users/cy").status_code == 201  # a hub account, not in the course yet
    with kernel(hub, INSTRUCTOR, tokens[INSTRUCTOR]) as run:
        printed = run(ADD_STUDENT_CELL)
    assert json.loads(printed.strip().splitlines()[-1])["returncode"] == 0, printed
    assert "cy" in hub.api("GET", "/groups/nbgrader-coderpath").json()["users"]


ADD_STUDENT_CELL = """
import json, os, subprocess
added = subprocess.run(["nbgrader", "db", "student", "add", "cy", "--first-name=Cy"],
                       cwd=os.path.expanduser("~/course"), capture_output=True, text=True, timeout=120)
print(added.stderr[-2000:])
print(json.dumps({"returncode": added.returncode}))
"""
