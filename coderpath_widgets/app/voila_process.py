"""One Voilà server as a process you start and stop, for tests, benchmarks and scripts.

:class:`VoilaProcess` runs exactly the command ``coderpath dashboard`` runs (:func:`.server.voila_command`
with :func:`.server.voila_environment`: the same config files, template, token and kernel settings) on a
free port of 127.0.0.1, with its own ``CODERPATH_HOME`` so no real progress is touched, and logs to a file::

    with VoilaProcess("notebooks", home=tmp / "home", log_path=tmp / "voila.log") as voila:
        urllib.request.urlopen(voila.url("07-dashboard.ipynb"))

The page helpers below drive one page in Chromium with Playwright (an optional test dependency): open it and
wait until every widget is drawn, and close it as a learner closes a tab.
"""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from coderpath_widgets.app import server

#: Debian's Chromium
CHROMIUM = "/usr/bin/chromium"
#: No sandbox (containers run as root), and nothing that phones home on its own: any request that leaves
#: 127.0.0.1 while a page is open then comes from the page.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


class VoilaProcess:
    """Voilà over ``notebooks_dir``, started exactly as ``coderpath dashboard`` starts it.

    The learner's progress goes to ``home`` (``CODERPATH_HOME``, profile ``profile``), never to the real one;
    Voilà's output goes to ``log_path`` (default: ``voila-<name>.log`` in ``home``).
    """

    def __init__(
        self,
        notebooks_dir: str | Path,
        home: str | Path,
        name: str = "voila",
        extra_args: tuple[str, ...] = (),
        startup_timeout: float = 120,
        *,
        log_path: str | Path | None = None,
        profile: str = "voila-test",
    ):
        self.notebooks_dir = Path(notebooks_dir)
        self.home = Path(home)
        self.name = name
        self.extra_args = tuple(extra_args)
        self.startup_timeout = startup_timeout
        self.profile = profile
        self.port = server.free_port()
        self.base_url = f"http://{server.HOST}:{self.port}/"
        #: The run's token, as ``coderpath dashboard`` makes one: :meth:`url` and :meth:`authenticated` add it.
        self.token = server.new_token()
        self.log_path = Path(log_path) if log_path is not None else self.home / f"voila-{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, notebook: str) -> str:
        """Address of one notebook's page, with the token (the browser then keeps a login cookie)."""
        return self.authenticated(server.page_url(self.base_url, notebook))

    def authenticated(self, url: str) -> str:
        """``url`` with this server's token."""
        return server.with_token(url, self.token)

    def start(self) -> VoilaProcess:
        """Start Voilà and return once it answers; ``RuntimeError`` with the end of the log if it does not."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = server.voila_environment(token=self.token)
        env.update(CODERPATH_HOME=str(self.home), CODERPATH_PROFILE=self.profile, PYTHONUNBUFFERED="1")
        env.pop("JUPYTERHUB_USER", None)
        command = server.voila_command(self.notebooks_dir, self.port, extra_args=self.extra_args)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            server.wait_until_serving(self.base_url, self.process, self.startup_timeout)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{exc}\n--- end of {self.log_path} ---\n{self.log_tail()}") from None
        return self

    def stop(self) -> None:
        """Stop Voilà and its kernels (see :func:`.server.stop_process`)."""
        if self.process is not None:
            server.stop_process(self.process)

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def pools_filled(self, notebook: str) -> int:
        """How many times Voilà has logged the pre-heated kernel pool of ``notebook`` as filled."""
        return self.log_text().count(f"Kernel pool of {notebook} is filled")

    def __enter__(self) -> VoilaProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


# ------------------------------------------------------------------ one page in Chromium


class _CellOutputs(HTMLParser):
    """The JSON of every cell output Voilà streams into a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outputs: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and dict(attrs).get("type") == "application/vnd.voila.cell-output+json"

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.outputs.append(data)


def widget_output_count(page_html: str) -> int:
    """How many cell outputs of a Voilà page are widgets (each becomes one rendered widget view).

    >>> widget_output_count('<script type="application/vnd.voila.cell-output+json">'
    ...                     '{"data": {"application/vnd.jupyter.widget-view+json": {}}}</script>')
    1
    """
    parser = _CellOutputs()
    parser.feed(page_html)
    return sum(WIDGET_VIEW_MIME in json.loads(raw).get("data", {}) for raw in parser.outputs)


#: True once Voilà has shown the cells and every widget output holds a rendered, visible widget.
_WIDGETS_READY = """(expected) => {
  const cells = document.getElementById('rendered_cells');
  if (document.getElementById('loading') || !cells || cells.style.display === 'none') return false;
  const outputs = [...document.querySelectorAll('#rendered_cells .jp-OutputArea-output')];
  if (outputs.some(o => o.childElementCount === 0)) return false;
  const widgets = outputs.filter(o => o.querySelector(':scope > .jupyter-widgets'));
  return widgets.length >= expected && widgets.every(o => o.firstElementChild.offsetParent !== null);
}"""


def wait_for_widgets(page: Any, expected: int = 0, timeout: float = 90_000) -> None:
    """Wait until the page is rendered and ``expected`` widget outputs (at least) are visible."""
    page.wait_for_function(_WIDGETS_READY, arg=expected, timeout=timeout)


def open_page(page: Any, url: str, timeout: float = 90_000) -> int:
    """Go to a Voilà page and wait until every widget on it is visible; return how many widgets that is."""
    response = page.goto(url, wait_until="commit", timeout=timeout)
    if response is None or response.status != 200:
        raise AssertionError(f"{url} answered {response and response.status}")
    expected = widget_output_count(response.text())  # the whole streamed page, once Voilà has run every cell
    wait_for_widgets(page, expected, timeout)
    return expected


def close_page(page: Any) -> None:
    """Close like a learner closing the tab: Voilà's unload handler shuts the page's kernel down."""
    page.close(run_before_unload=True)
