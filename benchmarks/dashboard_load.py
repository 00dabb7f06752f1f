"""How long the dashboard takes to appear, against a page with one checkbox, in the same run.

    .venv/bin/python benchmarks/dashboard_load.py                       # notebooks/07-dashboard.ipynb
    .venv/bin/python benchmarks/dashboard_load.py notebooks/01-develop-your-skills.ipynb --runs 9
    .venv/bin/python benchmarks/dashboard_load.py --voila-arg=--VoilaConfiguration.preheat_kernel=False

Starts one Voilà exactly as ``coderpath dashboard`` does (same settings files, empty learner home) over
a temporary folder holding a copy of the notebook and ``benchmarks/baseline-one-checkbox.ipynb``. In
Debian's Chromium, one tab per visit in one browser (a warm cache, as when a learner moves between
pages), it times navigation → every widget on the page visible. Each page is opened once to warm up,
then ``--runs`` times, alternating; between visits it waits for Voilà to pre-heat the next kernel
(when pre-heating is on) and ``--pause`` seconds more, as a learner reading a page would.

Prints the medians and their ratio. The goal is a ratio of 1.5 or less: the dashboard, which reads all
the data and the learner's progress, should cost little more than the smallest page Voilà can serve.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from coderpath_widgets.app.voila_process import CHROMIUM, CHROMIUM_ARGS, VoilaProcess, close_page, open_page

REPO = Path(__file__).resolve().parent.parent
LOGS = REPO / "test-artifacts" / "voila"


BASELINE = REPO / "benchmarks" / "baseline-one-checkbox.ipynb"
DEFAULT_NOTEBOOK = REPO / "notebooks" / "07-dashboard.ipynb"
GOAL = 1.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=DEFAULT_NOTEBOOK)
    parser.add_argument("--runs", type=int, default=5, help="timed visits per page after the warm-up (default 5)")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between visits once the pool is full")
    parser.add_argument("--voila-arg", action="append", default=[], help="extra Voilà setting, e.g. --Foo.bar=1")
    parser.add_argument("--chromium", default=shutil.which("chromium") or CHROMIUM)
    args = parser.parse_args(argv)
    if not args.notebook.is_file():
        parser.error(f"no notebook at {args.notebook}")
    if not Path(args.chromium).is_file():
        parser.error(f"no Chromium at {args.chromium} (apt-get install chromium)")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="coderpath-bench-") as tmp:
        folder = Path(tmp) / "notebooks"
        folder.mkdir()
        pages = [Path(shutil.copy(BASELINE, folder)).name, Path(shutil.copy(args.notebook, folder)).name]
        times: dict[str, list[float]] = {name: [] for name in pages}
        server = VoilaProcess(
            folder,
            Path(tmp) / "home",
            name="benchmark",
            log_path=LOGS / "benchmark.log",
            extra_args=tuple(args.voila_arg),
        )
        with server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            preheated = _preheats(args.voila_arg) and _wait_for_pools(server, pages, timeout=120)
            for run in range(args.runs + 1):
                for name in pages:
                    filled = server.pools_filled(name)
                    seconds = _visit(context, server.url(name))
                    if run > 0:  # run 0 warms the browser cache and Python's imports
                        times[name].append(seconds)
                    if preheated:
                        _wait_for_refill(server, name, filled)
                    time.sleep(args.pause)
            browser.close()

    baseline, page = (statistics.median(times[name]) for name in pages)
    ratio = page / baseline
    print(
        f"Voilà page load, navigation to every widget visible: {args.runs} runs after a warm-up, "
        f"pre-heated kernels {'on' if preheated else 'off'}{' ' + ' '.join(args.voila_arg) if args.voila_arg else ''}"
    )
    for name in pages:
        runs = " ".join(f"{t:.2f}" for t in times[name])
        print(f"  {name:<34} median {statistics.median(times[name]):5.2f} s   ({runs})")
    verdict = "goal met" if ratio <= GOAL else "over the goal"
    print(f"  {'ratio ' + pages[1] + ' / baseline':<34} {ratio:12.2f}     (goal <= {GOAL}: {verdict})")
    return 0


def _visit(context, url: str) -> float:
    tab = context.new_page()
    start = time.perf_counter()
    open_page(tab, url)
    seconds = time.perf_counter() - start
    close_page(tab)
    return seconds


def _preheats(voila_args: list[str]) -> bool:
    """Whether Voilà will pre-heat kernels: voila.json's setting unless a --voila-arg overrides it."""
    preheat = bool(json.loads((REPO / "voila.json").read_text())["VoilaConfiguration"].get("preheat_kernel"))
    for arg in voila_args:
        name, _, value = arg.partition("=")
        if name in ("--VoilaConfiguration.preheat_kernel", "--preheat_kernel"):
            preheat = value.lower() == "true"
    return preheat


def _wait_for_pools(server: VoilaProcess, pages: list[str], timeout: float) -> bool:
    """Wait until Voilà has logged every page's kernel pool as filled; False if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(server.pools_filled(name) for name in pages):
            return True
        time.sleep(0.25)
    return False


def _wait_for_refill(server: VoilaProcess, name: str, filled_before: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while server.pools_filled(name) <= filled_before and time.monotonic() < deadline:
        time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
