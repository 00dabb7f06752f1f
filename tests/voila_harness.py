"""Serve notebooks with the workbook's Voilà settings, and look at the pages over HTTP or in Chromium.

Used by ``test_voila_render.py``, ``test_browser.py`` and ``benchmarks/dashboard_load.py``. Test modules
register this module as a plugin (``pytest_plugins = ["voila_harness"]``) to get the fixtures.

- :class:`VoilaServer` is the library's :class:`~coderpath_widgets.app.voila_process.VoilaProcess` (the same
  command as ``coderpath dashboard`` on a free port, with its own ``CODERPATH_HOME``), logging to
  ``test-artifacts/voila/<name>.log``; ``open_page``, ``wait_for_widgets`` and ``close_page`` come from there too.
- Page helpers for Playwright: :func:`collect_console_errors`, :func:`collect_external_requests`,
  :func:`collect_failed_responses`, :func:`screenshot`, and the fixtures below.
- HTML helpers for plain HTTP: :func:`fetch`, :func:`resource_urls`, :func:`non_local`, :func:`h1_texts`.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
import pytest

# the process class and the page helpers live in the library; test modules import them from here too
from coderpath_widgets.app.voila_process import CHROMIUM as CHROMIUM
from coderpath_widgets.app.voila_process import CHROMIUM_ARGS as CHROMIUM_ARGS
from coderpath_widgets.app.voila_process import WIDGET_VIEW_MIME as WIDGET_VIEW_MIME
from coderpath_widgets.app.voila_process import VoilaProcess
from coderpath_widgets.app.voila_process import close_page as close_page
from coderpath_widgets.app.voila_process import open_page as open_page
from coderpath_widgets.app.voila_process import wait_for_widgets as wait_for_widgets
from coderpath_widgets.app.voila_process import widget_output_count as widget_output_count

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO / "notebooks"
ARTIFACTS_DIR = REPO / "test-artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"
LOGS_DIR = ARTIFACTS_DIR / "voila"

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
#: What Voilà writes into a page in place of a failed cell's output (with show_tracebacks off).
VOILA_CELL_ERROR = "There was an error when executing cell"


# ------------------------------------------------------------------ notebooks


def write_checkbox_notebook(path: Path, title: str = "One checkbox", description: str = "Done") -> Path:
    """A notebook with an H1, a sentence and one checkbox: the smallest page with a widget."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}\n\nTick the box when you are done."),
        nbformat.v4.new_code_cell(f"import ipywidgets as w\n\nw.Checkbox(description={description!r})"),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def step_notebooks(directory: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The notebooks Voilà would serve from ``directory``, sorted by name."""
    return sorted(p for p in directory.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def h1_texts(notebook_path: Path) -> list[str]:
    """The text of every ``# `` heading in the notebook's markdown cells."""
    notebook = nbformat.read(notebook_path, as_version=4)
    return [
        line[2:].strip()
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("# ")
    ]


def plain_heading(markdown: str) -> str:
    """A markdown heading as a reader sees it: links, emphasis and code marks removed.

    >>> plain_heading("Step 1: **Develop** your [skills](#skills)")
    'Step 1: Develop your skills'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(re.sub(r"[*_`]", "", text).split())


def code_lines(notebook_path: Path, min_length: int = 8) -> list[str]:
    """Every line of code long enough to be recognisable if it leaked into a page."""
    notebook = nbformat.read(notebook_path, as_version=4)
    return [
        line.strip()
        for cell in notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if len(line.strip()) >= min_length
    ]


# ------------------------------------------------------------------ the server


class VoilaServer(VoilaProcess):
    """The library's :class:`~coderpath_widgets.app.voila_process.VoilaProcess`, logging to
    ``test-artifacts/voila/<name>.log`` so a failed run's log is kept with the other artifacts."""

    def __init__(
        self,
        notebooks_dir: Path,
        home: Path,
        name: str = "voila",
        extra_args: tuple[str, ...] = (),
        startup_timeout: float = 120,
    ):
        super().__init__(notebooks_dir, home, name, extra_args, startup_timeout, log_path=LOGS_DIR / f"{name}.log")


# ------------------------------------------------------------------ HTML over HTTP


def fetch(url: str, timeout: float = 120) -> tuple[int, str]:
    """GET ``url``; return the status and the body as text (errors included)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")


class _ResourceParser(HTMLParser):
    """Collects the URLs a page makes the browser load (not links a reader may follow)."""

    LOADS = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "frame": "src",
        "embed": "src",
        "source": "src",
        "audio": "src",
        "video": "src",
        "track": "src",
        "input": "src",
        "object": "data",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.cell_outputs: list[str] = []
        self._in_output = False
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self.LOADS and values.get(self.LOADS[tag]):
            self.urls.append(values[self.LOADS[tag]] or "")
        if tag == "link" and values.get("href"):  # stylesheets, icons, preloads, fonts
            self.urls.append(values["href"] or "")
        if values.get("srcset"):
            self.urls += [part.strip().split(" ")[0] for part in (values["srcset"] or "").split(",")]
        if values.get("style"):
            self.urls += _css_urls(values["style"] or "")
        self._in_output = tag == "script" and values.get("type") == "application/vnd.voila.cell-output+json"
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_output = self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_output:
            self.cell_outputs.append(data)
        elif self._in_style:
            self.urls += _css_urls(data)


def _css_urls(css: str) -> list[str]:
    return re.findall(r"""url\(\s*['"]?([^'")\s]+)""", css) + re.findall(r"""@import\s+['"]([^'"]+)""", css)


def resource_urls(page_html: str) -> list[str]:
    """Every URL the page loads: from its tags and styles, and from the HTML outputs of its cells."""
    parser = _ResourceParser()
    parser.feed(page_html)
    urls = list(parser.urls)
    for raw in parser.cell_outputs:
        output = json.loads(raw)
        for mime, value in output.get("data", {}).items():
            if mime in ("text/html", "image/svg+xml", "text/markdown"):
                urls += resource_urls("".join(value) if isinstance(value, list) else str(value))
    return urls


class _HeadingParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            self._depth += 1
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.headings[-1] += data


def page_h1_texts(page_html: str) -> list[str]:
    """The text of every ``<h1>`` of a page, without the ``¶`` anchor Voilà adds."""
    parser = _HeadingParser()
    parser.feed(page_html)
    return [" ".join(text.replace("¶", "").split()) for text in parser.headings]


def non_local(urls: list[str]) -> list[str]:
    """The URLs that point at another computer (relative, data: and 127.0.0.1 URLs are local)."""
    found = []
    for url in urls:
        parts = urlsplit(html.unescape(url).strip())
        remote_form = parts.scheme in ("http", "https", "ws", "wss", "ftp") or url.strip().startswith("//")
        if remote_form and (parts.hostname or "") not in LOCAL_HOSTS:
            found.append(url)
    return found


def page_config(page_html: str) -> dict[str, Any]:
    """The ``jupyter-config-data`` JSON Voilà puts in every page (kernel id, lab extensions, ...)."""
    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page_html, re.S)
    assert match, "the page has no jupyter-config-data"
    return json.loads(match.group(1))


# ------------------------------------------------------------------ browser pages


def chromium_path() -> str:
    """Debian's chromium; skipped where it is missing, except under CI (``CI=true``), where that fails."""
    path = os.environ.get("CODERPATH_CHROMIUM") or shutil.which("chromium") or CHROMIUM
    if Path(path).is_file():
        return path
    message = "Chromium is not installed (apt-get install chromium), so the browser tests cannot run."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} CI=true: a browser test that cannot run is a failure here.", pytrace=False)
    pytest.skip(message)


def collect_console_errors(page: Any) -> list[str]:
    """A list that fills with every console error and uncaught exception of ``page`` from now on."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"console.{message.type}: {message.text}") if message.type in ("error", "assert") else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    return errors


def collect_external_requests(page: Any) -> list[str]:
    """A list that fills with the URL of every request ``page`` makes to a host other than this computer."""
    requests: list[str] = []

    def record(request: Any) -> None:
        if non_local([request.url]):
            requests.append(request.url)

    page.on("request", record)
    return requests


def collect_failed_responses(page: Any) -> list[str]:
    """A list that fills with ``status url`` for every response of ``page`` with status 400 or more."""
    failed: list[str] = []
    page.on(
        "response",
        lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    return failed


def screenshot(page: Any, name: str) -> Path:
    """Save the whole page as ``test-artifacts/screenshots/<name>.png``.

    Voilà's page scrolls inside ``#rendered_cells``, not the document, so a "full page" screenshot
    would stop at the window: the window is stretched to the content for the shot instead.
    """
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[document.documentElement, document.body, document.getElementById('rendered_cells')]"
        ".filter(Boolean).map(e => e.scrollHeight))"
    )
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(height, 16_000)})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if size:
            page.set_viewport_size(size)
    return path


# ------------------------------------------------------------------ pytest fixtures


@pytest.fixture(scope="session")
def served_notebooks() -> Path:
    """The workbook's ``notebooks/`` (a checkout without them is broken, not a reason to test something else)."""
    assert step_notebooks(), f"no notebooks in {NOTEBOOKS_DIR}"
    return NOTEBOOKS_DIR


@pytest.fixture(scope="session")
def voila_server(served_notebooks: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """One Voilà for the session over the workbook's notebooks, with an empty learner home."""
    with VoilaServer(served_notebooks, tmp_path_factory.mktemp("voila-home"), name="notebooks") as server:
        yield server


@pytest.fixture(scope="session")
def checkbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """One Voilà for the session over a folder holding only ``one-checkbox.ipynb``."""
    folder = tmp_path_factory.mktemp("checkbox")
    write_checkbox_notebook(folder / "one-checkbox.ipynb")
    with VoilaServer(folder, tmp_path_factory.mktemp("checkbox-home"), name="checkbox") as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one for the session."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageWatch:
    """A fresh browser page with everything that would make a test fail recorded as it happens."""

    def __init__(self, page: Any):
        self.page = page
        self.console_errors = collect_console_errors(page)
        self.external_requests = collect_external_requests(page)
        self.failed_responses = collect_failed_responses(page)

    def assert_clean(self) -> None:
        """No console error, no request beyond this computer, no failed response so far."""
        assert self.console_errors == [], "console errors:\n" + "\n".join(self.console_errors)
        assert self.external_requests == [], "requests beyond 127.0.0.1:\n" + "\n".join(self.external_requests)
        assert self.failed_responses == [], "failed responses:\n" + "\n".join(self.failed_responses)


def new_page(browser: Any, viewport: tuple[int, int]) -> PageWatch:
    """A watched page in a browser context of its own, ``viewport`` (width, height) wide."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    return PageWatch(context.new_page())


def finish(watch: PageWatch) -> None:
    """Close every tab of the page's context the way a learner does (their kernels stop), then the context."""
    context = watch.page.context
    for tab in context.pages:
        close_page(tab)
    context.close()


@pytest.fixture
def watched_page(browser: Any) -> Iterator[PageWatch]:
    """A new browser context and page (own cookies and cache), watched by :class:`PageWatch`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = PageWatch(context.new_page())
    yield watch
    for open_tab in context.pages:
        close_page(open_tab)
    context.close()
