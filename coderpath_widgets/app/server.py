"""Serve the workbook's notebooks as a Voilà dashboard on this computer.

``serve()`` starts Voilà on 127.0.0.1 over the ``notebooks/`` folder: each step is its own page at
``/voila/render/NN-name.ipynb`` and ``/`` lists them. What Voilà does is set in files, not here:

- ``voila.json`` (repo root): hidden code, no tracebacks, light theme, only the lab extensions the pages
  need, culling of kernels left behind, a Content-Security-Policy that keeps the browser on this
  computer, pre-heated kernels (off until the store waits for the page: see wait_for_page_request).
  Plain ``voila`` and JupyterLab's Voilà preview read it too when started from the repo root.
- ``jupyter-config/voila.json``: settings for this launcher only (the ``coderpath`` template, and no
  silent switch to another port, so the address printed is the one served).
- ``share/jupyter/voila/templates/coderpath/``: Voilà's ``lab`` template without its links to a CDN.

Only the learner gets in (voila.json): every run has its own token, in the address printed and in the browser
it opens, as JupyterLab does (``JUPYTER_TOKEN`` in Voilà's environment, never on its command line, where other
accounts could read it); the Host header must be a loopback name (DNS rebinding); requests from other origins
are refused and XSRF checking stays on; the Content-Security-Policy runs no inline script. Idle kernels with no
page connected are culled after a minute, and a closed page's kernel is stopped at once (the template's
``coderpath-xsrf.js`` lets Voilà's shutdown request pass the XSRF check).

``jupyter-config/README.md`` says why each setting is there. This module only finds those files,
whatever the current directory, and passes them to Voilà: ``--Voila.config_file_paths`` for the two
``voila.json`` files, ``JUPYTER_PATH`` for the template folder.

One function runs on the other side, inside a notebook's kernel: :func:`wait_for_page_request`.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HOST = "127.0.0.1"
DEFAULT_PORT = 8866
TEMPLATE = "coderpath"
START_PAGE = "00-start-here.ipynb"
DASHBOARD_PAGE = "07-dashboard.ipynb"

#: Relative to the workbook root: the files Voilà needs, highest priority first for the config folders.
CONFIG_DIRS = ("jupyter-config", ".")
JUPYTER_DATA_DIR = Path("share") / "jupyter"
TEMPLATE_DIR = JUPYTER_DATA_DIR / "voila" / "templates" / TEMPLATE
#: Kernels talk to Voilà over local sockets, not TCP ports: nothing else on the machine can connect to them,
#: and ipykernel has no reason to warn "Kernel is running over TCP without encryption" on every start.
#: Windows has no such sockets and keeps TCP.
KERNEL_ARGS: tuple[str, ...] = ("--KernelManager.transport=ipc",) if os.name == "posix" else ()
#: For the learner's terminal only (tests keep Voilà's info lines in their logs): errors, not routine notices
#: such as "Notebook … is not trusted" (the notebooks carry no outputs, so trust changes nothing).
QUIET_ARGS = ("--Voila.log_level=ERROR",)
#: Where Voilà (jupyter_server's identity provider, with ``Voila.auto_token`` in voila.json) reads the token.
TOKEN_ENV = "JUPYTER_TOKEN"

# ------------------------------------------------------------------ server side


def workbook_root(notebooks_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding ``voila.json``, ``jupyter-config/``, the ``coderpath`` Voilà template and ``notebooks/``.

    Looked for next to this package first (a checkout, installed with ``pip install -e``), then as
    the parent of ``notebooks_dir``, then where a wheel installs the workbook (``PREFIX/share/coderpath/
    workbook``, for this environment or a ``pip install --user``). Raises ``FileNotFoundError`` naming
    every place tried if none has it.
    """
    candidates = [Path(__file__).resolve().parents[2]]
    if notebooks_dir is not None:
        candidates.append(Path(notebooks_dir).resolve().parent)
    candidates += installed_workbook_roots()
    for root in candidates:
        if _has_voila_files(root):
            return root
    tried = ", ".join(str(c) for c in dict.fromkeys(candidates))
    raise FileNotFoundError(
        f"The dashboard's Voilà settings (voila.json, jupyter-config/voila.json and {TEMPLATE_DIR}) "
        f'were not found in {tried}. Install the workbook with pip install "coderpath[notebooks]", '
        "or run the dashboard from a copy of the coderpath repository (python3 run.py dashboard)."
    )


#: Where the wheel's data files put the workbook, under an installation prefix (see pyproject.toml).
INSTALLED_WORKBOOK = Path("share") / "coderpath" / "workbook"


def installed_workbook_roots() -> list[Path]:
    """Where an installed (not editable) coderpath keeps its workbook: this environment, then the user's."""
    import site
    import sysconfig

    prefixes = [sysconfig.get_path("data"), sys.prefix, site.getuserbase()]
    return [Path(p) / INSTALLED_WORKBOOK for p in dict.fromkeys(prefixes) if p]


def _has_voila_files(root: Path) -> bool:
    return (
        (root / "voila.json").is_file()
        and (root / CONFIG_DIRS[0] / "voila.json").is_file()
        and (root / TEMPLATE_DIR / "conf.json").is_file()
    )


def voila_command(
    notebooks_dir: str | os.PathLike[str],
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    *,
    root: str | os.PathLike[str] | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The command that serves ``notebooks_dir`` with the workbook's Voilà settings.

    Run it with ``env=voila_environment(root)``: the template folder is found through ``JUPYTER_PATH``.
    Settings given in ``extra_args`` (``--Voila.foo=...``) win over the config files.
    """
    root_path = Path(root) if root is not None else workbook_root(notebooks_dir)
    config_paths = [f"--Voila.config_file_paths={(root_path / d).resolve()}" for d in CONFIG_DIRS]
    return [
        sys.executable,
        "-m",
        "voila",
        str(Path(notebooks_dir).resolve()),
        *config_paths,
        f"--port={port}",
        f"--Voila.open_browser={open_browser}",
        *KERNEL_ARGS,
        *extra_args,
    ]


def voila_environment(
    root: str | os.PathLike[str] | None = None, base: Mapping[str, str] | None = None, *, token: str | None = None
) -> dict[str, str]:
    """``base`` (default: this process's environment) with the workbook's template folder on ``JUPYTER_PATH``,
    and ``token`` (see :func:`new_token`) as the one that opens the pages."""
    root_path = Path(root) if root is not None else workbook_root()
    env = dict(os.environ if base is None else base)
    data_dir = str((root_path / JUPYTER_DATA_DIR).resolve())
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (data_dir, env.get("JUPYTER_PATH", "")) if p)
    if token is not None:
        env[TOKEN_ENV] = token
    return env


def new_token() -> str:
    """A token for one run of the dashboard: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def with_token(url: str, token: str | None) -> str:
    """``url`` with ``?token=…``: the address that lets the learner's browser in (it then keeps a cookie).

    >>> with_token("http://127.0.0.1:8866/", "abc")
    'http://127.0.0.1:8866/?token=abc'
    >>> with_token("http://127.0.0.1:8866/voila/render/a.ipynb?x=1", "abc")
    'http://127.0.0.1:8866/voila/render/a.ipynb?x=1&token=abc'
    """
    if not token:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'token': token})}"


def page_url(base_url: str, notebook: str) -> str:
    """Address of one notebook's page.

    >>> page_url("http://127.0.0.1:8866/", "07-dashboard.ipynb")
    'http://127.0.0.1:8866/voila/render/07-dashboard.ipynb'
    """
    return f"{base_url.rstrip('/')}/voila/render/{notebook}"


def port_is_free(port: int, host: str = HOST) -> bool:
    """Whether nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = HOST) -> int:
    """A port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_until_serving(base_url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 120) -> None:
    """Return once ``base_url`` answers; raise ``RuntimeError`` if the process ends or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Voilà stopped (exit code {process.returncode}) before it served {base_url}.")
        try:
            with urllib.request.urlopen(base_url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"Voilà did not answer at {base_url} within {timeout:.0f} seconds.")


def serve(
    notebooks_dir: str | os.PathLike[str] | None = None,
    *,
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
) -> int:
    """Serve the notebooks on ``127.0.0.1`` until Ctrl+C; print the addresses to open. Returns Voilà's exit code.

    ``notebooks_dir`` defaults to the workbook's ``notebooks/``. If ``port`` is taken, another free
    port is used and said so. ``open_browser`` opens the start page (not Voilà's file list).
    """
    root = workbook_root(notebooks_dir)
    notebooks = Path(notebooks_dir) if notebooks_dir is not None else root / "notebooks"
    if not notebooks.is_dir():
        print(f"There is no notebooks folder at {notebooks}.", file=sys.stderr)
        return 1
    if not port_is_free(port):
        taken, port = port, free_port()
        print(f"Port {taken} is in use (another dashboard?), so this one uses port {port}.", flush=True)

    base_url = f"http://{HOST}:{port}/"
    token = os.environ.get(TOKEN_ENV) or new_token()  # as JupyterLab: a token set by the learner wins
    # Its own process group: Ctrl+C in the terminal reaches only this launcher, which then stops Voilà and its
    # kernels in order (no KeyboardInterrupt tracebacks from a dozen processes at once).
    process = subprocess.Popen(
        voila_command(notebooks, port, root=root, extra_args=QUIET_ARGS),
        env=voila_environment(root, token=token),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        **_own_process_group(),
    )
    relay = _Relay(process)
    restore_sigterm = _interrupt_on_sigterm()
    try:
        try:
            wait_until_serving(base_url, process)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
        pages = [name for name in (START_PAGE, DASHBOARD_PAGE) if (notebooks / name).is_file()]
        print(
            f"\nYour coderpath workbook is open at {with_token(base_url, token)}\n"
            "Tip: keep this window open while you work; press Ctrl+C here to stop.\n",
            flush=True,
        )
        if open_browser:
            webbrowser.open(with_token(page_url(base_url, pages[0]) if pages else base_url, token))
        return process.wait()
    except KeyboardInterrupt:
        _ignore_interrupts()  # a second Ctrl+C while Voilà shuts its kernels down must not end in a traceback
        relay.mute()  # kernels stopped in the middle of a cell complain about closed sockets: not news to anyone
        stop_process(process)
        print("The dashboard has stopped.", flush=True)
        return 0
    finally:
        stop_process(process)
        restore_sigterm()


class _Relay:
    """Pass Voilà's output (errors only: see QUIET_ARGS) on to this terminal until :meth:`mute` is called."""

    def __init__(self, process: subprocess.Popen[bytes]):
        self._muted = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(process,), daemon=True)
        self._thread.start()

    def _run(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for line in iter(process.stdout.readline, b""):
            if not self._muted.is_set():
                sys.stderr.write(line.decode("utf-8", errors="replace"))
                sys.stderr.flush()

    def mute(self) -> None:
        self._muted.set()


def _own_process_group() -> dict[str, Any]:
    """``Popen`` arguments that keep a terminal's Ctrl+C from reaching the child directly."""
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


def _ignore_interrupts() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _interrupt_on_sigterm() -> Callable[[], None]:
    """Treat SIGTERM like Ctrl+C until the returned function is called, so Voilà is never left running alone."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def stop_process(process: subprocess.Popen[bytes], grace: float = 10) -> None:
    """Ask Voilà to stop (it then shuts its kernels down); kill it if it has not within ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
